#!/usr/bin/env python3
"""Benchmark of the calculators in the browser (issue 6); not a test. Run after ./scripts/build:

    .venv/bin/python scripts/bench_browser.py [--site site] [--rounds 3]

In one run, in headless Chromium, against the built site served locally:

- time from navigation to the first result on /calculators/chronic-absence/?enrolled=180&absent=17
  (or each `--page`, such as EXCUSED below, the family's excused-absence page),
  cold (a new browser profile) and warm (the same profile, second visit), beside a bare page that
  only loads stock Pyodide the documented way (its own lock file and full standard library, served by
  this script from node_modules: the site ships neither) and runs one line; times are the
  `performance.mark` each page sets when its first result appears (ms since navigation start);
- bytes of a first and of a repeat visit, counted by the server as it sends them, with Brotli: the
  server sends the build's precompressed `.br` copies (policy_tools/precompress.py) as a
  Brotli-serving host does. Chromium asks for Brotli only over HTTPS, so for a response it got
  unencoded, the size of its `.br` copy is counted (the raw size when there is none: png, wheel);
  gzip likewise, from the `.gz` copies. The first visit is split into what the page needs up to its
  first result and the offline copy the service worker downloads after that;
- a district roster (1,000,000 rows, 1% bad, chosen as a file; `--quoted`: its names quoted, a comma inside): from the file chosen to the summary
  on screen (its columns are recognised, so it is computed at once), its phases, the longest
  main-thread task meanwhile, whether the progress bar showed, and the tab's peak memory;
- one chronic-absence calculation once Python is ready: click to result on screen.

Goals: first result <= 0.5 x bare page, cold and warm (issue 18); first visit <= 3.7 MB with Brotli
(issue 18); the repeat visit downloads nothing; one calculation < 50 ms (issue 6); 1,000,000 roster
rows < 3 s, tab memory < 1 GB, a progress bar (issue 15).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_tools.serve import SiteHandler  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench_roster_page import print_roster, roster_and_single, verdict  # noqa: E402 - the roster's part

CALC = "/calculators/chronic-absence/?enrolled=180&absent=17"
# The family's excused page as issue 13's parent fills it: six funeral days in one row, no calendar.
EXCUSED = "/calculators/excused-absences/?absence=2024-10-07/2024-10-14,funeral,Grandma%27s%20funeral"
# The bare page and the files only it loads are served from outside the site.
BENCH = "/__bench__/"
BARE = BENCH + "bare.html"
MB = 1_000_000


@dataclass
class Sent:
    path: str
    status: int
    body: int = 0
    brotli: int = 0
    gzip: int = 0
    # The machine's clock, which the page's performance.timeOrigin also reads (same machine).
    at: float = field(default_factory=time.time)
    after_first_result: bool = False


@dataclass
class Log:
    entries: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> list[Sent]:
        with self.lock:
            out, self.entries = self.entries, []
        return out


BARE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bare Pyodide (benchmark)</title>
<script type="module" src="bare.mjs"></script>
</head>
<body>
<h1>Bare Pyodide</h1>
<p id="out">Loading…</p>
</body>
</html>
"""

# Stock Pyodide in the page itself: loadPyodide with its lock file and full standard library. The
# runtime files are the site's own (so they come Brotli-compressed like the calculator's).
BARE_MJS = """import { loadPyodide } from "../assets/INDEX/pyodide.mjs";

const pyodide = await loadPyodide({
  indexURL: new URL("../assets/INDEX/", import.meta.url).href,
  lockFileURL: new URL("pyodide-lock.json", import.meta.url).href,
  stdLibURL: new URL("python_stdlib.zip", import.meta.url).href,
});
document.getElementById("out").textContent = String(pyodide.runPython("1 + 1"));
performance.mark("bench:first-result");
"""


def bench_files(site: Path) -> dict[str, Path]:
    """The bare page and the stock files it loads (from node_modules/pyodide, checked by the build)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    index = json.loads((site / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))["index"]
    (folder / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    (folder / "bare.mjs").write_text(BARE_MJS.replace("INDEX", index.rstrip("/")), encoding="utf-8")
    files = {name: folder / name for name in ("bare.html", "bare.mjs")}
    for name in ("pyodide-lock.json", "python_stdlib.zip"):
        files[name] = ROOT / "node_modules" / "pyodide" / name
    return files


def make_server(site: Path, log: Log) -> http.server.ThreadingHTTPServer:
    bare = bench_files(site)

    def copy_size(local: Path, suffix: str, sent: int) -> int:
        copy = local.with_name(local.name + suffix)
        return copy.stat().st_size if copy.is_file() else sent

    class Counting(SiteHandler):
        def send_response(self, code: int, message: str | None = None) -> None:
            self._sent = Sent(self.path, code)
            with log.lock:
                log.entries.append(self._sent)
            super().send_response(code, message)

        def translate_path(self, path: str) -> str:
            name = path.split("?", 1)[0]
            if name.startswith(BENCH) and name[len(BENCH):] in bare:
                return str(bare[name[len(BENCH):]])
            return super().translate_path(path)

        def copyfile(self, source: Any, outputfile: Any) -> None:
            start = source.tell()
            super().copyfile(source, outputfile)
            sent = source.tell() - start
            self._sent.body = sent
            if self.content_encoding == "br":
                self._sent.brotli = sent
                self._sent.gzip = copy_size(Path(source.name[: -len(".br")]), ".gz", sent)
            elif self.content_encoding == "gzip":
                self._sent.gzip = sent
                self._sent.brotli = copy_size(Path(source.name[: -len(".gz")]), ".br", sent)
            else:
                self._sent.brotli = copy_size(Path(source.name), ".br", sent)
                self._sent.gzip = copy_size(Path(source.name), ".gz", sent)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    server.verbose = False  # type: ignore[attr-defined]
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Waits in the page for a performance mark (page.wait_for_function would compile its predicate
# with eval, which the site's Content Security Policy rightly forbids).
WAIT_FOR_MARK = """(name) => new Promise((resolve) => {
  const found = () => performance.getEntriesByName(name)[0];
  if (found()) return resolve(found().startTime);
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName(name)[0];
    if (entry) { observer.disconnect(); resolve(entry.startTime); }
  }).observe({ type: "mark", buffered: true });
})"""


# The calculator page's start-up steps (calc-common.mjs: python-start, the worker's calc:worker:*
# steps and downloads, python-ready, settled, first-result), ms since navigation, per cold/warm visit.
STEPS_JS = """() => Object.fromEntries(performance.getEntriesByType("mark")
  .filter((m) => m.name.startsWith("calc:")).map((m) => [m.name.slice(5), m.startTime]))"""
STEPS: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}


def first_result_ms(page: Any, url: str, mark: str, kind: str | None = None) -> float:
    page.goto(url)
    ms = float(page.evaluate(WAIT_FOR_MARK, mark))
    if kind:
        for name, at in page.evaluate(STEPS_JS).items():
            STEPS[kind].setdefault(name, []).append(float(at))
    return ms


# Resolves once the service worker is active, i.e. the offline copy is complete.
OFFLINE_READY_JS = "() => navigator.serviceWorker.ready.then(() => true)"


def visit_pair(pw: Any, base: str, path: str, mark: str, log: Log, offline: bool, steps_of: str = CALC) -> tuple[float, float, list[Sent], list[Sent]]:
    """(cold ms, warm ms, what the first visit downloaded, what the repeat visit downloaded).

    With `offline`, the first visit waits until the service worker has its offline copy; the
    entries' times tell what came before the first result.
    """
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = context.new_page()
        log.take()
        cold = first_result_ms(page, base + path, mark, "cold" if offline and path == steps_of else None)
        # The first result's own time on the machine's clock: the page's time origin plus the mark
        # (the server logs each request on the same clock when it answers it).
        first_result_at = (float(page.evaluate("() => performance.timeOrigin")) + cold) / 1000
        if offline:
            page.evaluate(OFFLINE_READY_JS)
        page.wait_for_load_state("networkidle")
        first = log.take()
        for entry in first:
            entry.after_first_result = entry.at > first_result_at
        page.goto("about:blank")
        warm = first_result_ms(page, base + path, mark, "warm" if offline and path == steps_of else None)
        page.wait_for_load_state("networkidle")
        repeat = log.take()
        context.close()
        return cold, warm, first, repeat
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def totals(entries: list[Sent]) -> tuple[int, int, int, int, int]:
    """(requests, responses with a body, raw bytes, Brotli bytes, gzip bytes)."""
    bodies = [e for e in entries if e.status == 200]
    return len(entries), len(bodies), sum(e.body for e in bodies), sum(e.brotli for e in bodies), sum(e.gzip for e in bodies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("SITE_DIR", ROOT / "site")))
    parser.add_argument("--rounds", type=int, default=3, help="cold/warm pairs per page (median reported)")
    parser.add_argument("--roster-rows", type=int, default=1_000_000, help="rows of the district roster (1%% bad)")
    parser.add_argument("--page", action="append", default=[], metavar="ADDRESS",
                        help="a calculator page to time, pre-filled (repeatable; default the chronic page), e.g. "
                             f"--page '{EXCUSED}'".replace("%", "%%"))
    parser.add_argument("--no-roster", action="store_true", help="skip the district roster and the single calculation")
    parser.add_argument("--quoted", action="store_true", help="the district roster with its names quoted, a comma inside")
    parser.add_argument("--roster-only", action="store_true", help="only the district roster and the single calculation (no page visits)")
    args = parser.parse_args(argv)
    pages = args.page or [CALC]
    site = args.site.resolve()
    if not (site / "assets" / "pyodide-manifest.json").is_file():
        print(f"error: {site}/assets/pyodide-manifest.json not found: build first (./scripts/build)", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    log = Log()
    server = make_server(site, log)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    times: dict[str, dict[str, list[float]]] = {path: {"cold": [], "warm": []} for path in ["bare", *pages]}
    first_visit: list[Sent] = []
    repeat_visit: list[Sent] = []
    with sync_playwright() as pw:
        for _ in range(0 if args.roster_only else args.rounds):
            for name, path, mark in (("bare", BARE, "bench:first-result"), *((page, page, "calc:first-result") for page in pages)):
                cold, warm, first, repeat = visit_pair(pw, base, path, mark, log, offline=name != "bare")
                times[name]["cold"].append(cold)
                times[name]["warm"].append(warm)
                if name == pages[0]:
                    first_visit, repeat_visit = first, repeat
        if not args.no_roster:
            roster, single, memory = roster_and_single(pw, base, args.rounds, args.roster_rows, args.quoted)
    server.shutdown()

    print(f"Chromium, {args.rounds} rounds, medians; site {site}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    if args.roster_only:
        print_roster(args.roster_rows, roster, single, memory, args.quoted)
        return 0
    med = {name: {k: statistics.median(v) for k, v in runs.items()} for name, runs in times.items()}
    print("Time from navigation to first result (ms)   cold      warm")
    labels = {CALC: "chronic-absence page (180/17)", EXCUSED: "excused page (6 funeral days, 1 row)"}
    for name in [*pages, "bare"]:
        label = "bare Pyodide page, 1 + 1" if name == "bare" else labels.get(name, name[:42])
        print(f"  {label:<42}{med[name]['cold']:>6.0f}    {med[name]['warm']:>6.0f}")
    for name in pages:
        for kind in ("cold", "warm"):
            ratio = med[name][kind] / med["bare"][kind]
            # Each round visits the bare page and then this one, so a round's own ratio compares two
            # visits made under the same machine load; their median moves less from run to run
            # than the ratio of the two medians does (seen here: a page's cold time varies by
            # +-15% between runs on this 2-core machine).
            rounds = statistics.median(a / b for a, b in zip(times[name][kind], times["bare"][kind]))
            print(f"  {labels.get(name, name)[:30]}, ratio {kind}: {ratio:.2f} x bare (goal <= 0.50): {verdict(ratio <= 0.5)}"
                  f"; round by round {rounds:.2f}")
    if STEPS["cold"]:
        print(f"  where the time goes on {labels.get(CALC)} (medians, ms since navigation; cold / warm):")
        # A step of one kind only (worker:snapshot, on warm visits) shows "-" for the other.
        def at(kind: str, name: str) -> str:
            return f"{statistics.median(STEPS[kind][name]):.0f}" if STEPS[kind].get(name) else "-"
        order = sorted({*STEPS["cold"], *STEPS["warm"]}, key=lambda name: statistics.median(STEPS["cold"].get(name) or STEPS["warm"][name]))
        print("    " + ", ".join(f"{name} {at('cold', name)}/{at('warm', name)}" for name in order))
        # From the runtime's WebAssembly in to Python running is Pyodide's own start (linking, Python's
        # initialisation, `import _pyodide_core`), the same code the bare page runs.
        wasm, python = STEPS["cold"].get("worker:pyodide.asm.wasm:loaded"), STEPS["cold"].get("worker:python")
        if wasm and python:
            print(f"    of the cold visit, Pyodide's own start (its WebAssembly in to Python running): "
                  f"{statistics.median(python) - statistics.median(wasm):.0f} ms")
    print()
    page_part = [e for e in first_visit if not e.after_first_result]
    offline_part = [e for e in first_visit if e.after_first_result]
    requests, bodies, raw, br, gz = totals(page_part)
    print(f"First visit, up to the first result: {requests} requests, {raw / MB:.2f} MB uncompressed, "
          f"{br / MB:.2f} MB Brotli ({br / 2**20:.2f} MiB), {gz / MB:.2f} MB gzip (goal <= 3.7 MB Brotli): {verdict(br <= 3.7 * MB)}")
    for entry in sorted(page_part, key=lambda e: -e.brotli)[:6]:
        print(f"    {entry.brotli / 1000:>8.0f} kB br  {entry.gzip / 1000:>8.0f} kB gzip  {entry.body / 1000:>8.0f} kB sent  {entry.path}")
    requests, bodies, raw, br, gz = totals(offline_part)
    print(f"Then the offline copy (service worker, after the first result): {requests} requests, "
          f"{br / MB:.2f} MB Brotli, {gz / MB:.2f} MB gzip")
    requests, bodies, raw, br, gz = totals(first_visit)
    print(f"First visit in all: {requests} requests, {br / MB:.2f} MB Brotli, {gz / MB:.2f} MB gzip")
    requests, bodies, raw, br, gz = totals(repeat_visit)
    print(f"Repeat visit: {requests} requests ({bodies} with a body, {requests - bodies} not modified), "
          f"{raw} bytes of bodies (goal 0): {verdict(bodies == 0)}")
    for entry in repeat_visit:
        if entry.status == 200:
            print(f"    downloaded again: {entry.path} ({entry.body} bytes)")
    print()
    if args.no_roster:
        return 0
    print_roster(args.roster_rows, roster, single, memory, args.quoted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
