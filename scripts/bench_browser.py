#!/usr/bin/env python3
"""Benchmark of the calculators in the browser (issue 6); not a test. Run after ./scripts/build:

    .venv/bin/python scripts/bench_browser.py [--site site] [--rounds 3]

In one run, in headless Chromium, against the built site served locally:

- time from navigation to the first result on /calculators/chronic-absence/?enrolled=180&absent=17,
  cold (a new browser profile) and warm (the same profile, second visit), beside the bare page
  /assets/bench/bare.html that only loads stock Pyodide and runs one line; times are the
  `performance.mark` each page sets when its first result appears (ms since navigation start);
- bytes of a first and of a repeat visit, counted by the server as it sends them. Our server does
  not compress, so the gzip figure is each response body gzipped here (level 6) as a host with
  gzip on would send it, or the raw size when gzip does not make it smaller (zip, wheel, png);
- a 100,000-row roster: from the Calculate click to the summary on screen;
- one chronic-absence calculation once Python is ready: click to result on screen.

Goals (issue 6): first result <= 0.8 x bare page, cold and warm; first visit <= 4 MB gzip; the
repeat visit downloads nothing; 100,000 rows < 3 s; one calculation < 50 ms.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_tools.serve import SiteHandler  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CALC = "/calculators/chronic-absence/?enrolled=180&absent=17"
BARE = "/assets/bench/bare.html"
ROSTER = "/calculators/roster/"
MB = 1_000_000


@dataclass
class Sent:
    path: str
    status: int
    body: int = 0
    gzip: int = 0


@dataclass
class Log:
    entries: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> list[Sent]:
        with self.lock:
            out, self.entries = self.entries, []
        return out


def make_server(site: Path, log: Log) -> http.server.ThreadingHTTPServer:
    gzip_sizes: dict[Path, int] = {}

    def gzipped(path: Path) -> int:
        if path not in gzip_sizes:
            data = path.read_bytes()
            gzip_sizes[path] = min(len(data), len(gzip.compress(data, 6)))
        return gzip_sizes[path]

    class Counting(SiteHandler):
        def send_response(self, code: int, message: str | None = None) -> None:
            self._sent = Sent(self.path, code)
            with log.lock:
                log.entries.append(self._sent)
            super().send_response(code, message)

        def copyfile(self, source: Any, outputfile: Any) -> None:
            start = source.tell()
            super().copyfile(source, outputfile)
            self._sent.body = source.tell() - start
            local = Path(self.translate_path(self.path))
            if local.is_dir():
                local = local / "index.html"
            self._sent.gzip = gzipped(local) if local.is_file() else self._sent.body

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
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


def first_result_ms(page: Any, url: str, mark: str) -> float:
    page.goto(url)
    return float(page.evaluate(WAIT_FOR_MARK, mark))


def visit_pair(pw: Any, base: str, path: str, mark: str, log: Log) -> tuple[float, float, list[Sent], list[Sent]]:
    """(cold ms, warm ms, what the first visit downloaded, what the repeat visit downloaded)."""
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = context.new_page()
        log.take()
        cold = first_result_ms(page, base + path, mark)
        page.wait_for_load_state("networkidle")
        first = log.take()
        page.goto("about:blank")
        warm = first_result_ms(page, base + path, mark)
        page.wait_for_load_state("networkidle")
        repeat = log.take()
        context.close()
        return cold, warm, first, repeat
    finally:
        shutil.rmtree(profile, ignore_errors=True)


ROSTER_JS = """async (rows) => {
  const lines = ["student,days enrolled,days absent"];
  for (let i = 0; i < rows; i++) lines.push(`S${i},${150 + (i % 31)},${(i * 7) % 41}`);
  document.querySelector("#roster-csv").value = lines.join("\\n");
  const summary = () => document.querySelector('[data-summary="students"]');
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (summary()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(document.querySelector("[data-calc-result]"), { childList: true, subtree: true });
  });
  const start = performance.now();
  document.querySelector('[data-calculator="roster"] button[type="submit"]').click();
  return (await done) - start;
}"""

ONE_CALC_JS = """async (absent) => {
  const form = document.querySelector('[data-calculator="chronic"] form');
  form.elements.enrolled.value = "180";
  form.elements.absent.value = String(absent);
  const region = document.querySelector("[data-calc-result]");
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const h = region.querySelector(".calc-headline");
      if (h && h.dataset.bench !== "seen") { h.dataset.bench = "seen"; observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(region, { childList: true, subtree: true });
  });
  const start = performance.now();
  form.requestSubmit();
  return (await done) - start;
}"""


def roster_and_single(pw: Any, base: str, rounds: int) -> tuple[list[float], list[float]]:
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = context.new_page()
        page.goto(base + ROSTER)
        page.wait_for_selector("[data-calculator].calc-ready", timeout=180_000)
        roster = [float(page.evaluate(ROSTER_JS, 100_000)) for _ in range(rounds)]
        page.goto(base + "/calculators/chronic-absence/")
        page.wait_for_selector("[data-calculator].calc-ready", timeout=180_000)
        page.evaluate(ONE_CALC_JS, 1)  # first call compiles the code paths
        single = [float(page.evaluate(ONE_CALC_JS, n)) for n in range(2, 32)]
        context.close()
        return roster, single
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def totals(entries: list[Sent]) -> tuple[int, int, int, int]:
    """(requests, responses with a body, raw bytes, gzip bytes)."""
    bodies = [e for e in entries if e.status == 200]
    return len(entries), len(bodies), sum(e.body for e in bodies), sum(e.gzip for e in bodies)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("SITE_DIR", ROOT / "site")))
    parser.add_argument("--rounds", type=int, default=3, help="cold/warm pairs per page (median reported)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / BARE.lstrip("/")).is_file():
        print(f"error: {site}{BARE} not found: build first (./scripts/build)", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    log = Log()
    server = make_server(site, log)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    times: dict[str, dict[str, list[float]]] = {"calculator": {"cold": [], "warm": []}, "bare": {"cold": [], "warm": []}}
    first_visit: list[Sent] = []
    repeat_visit: list[Sent] = []
    with sync_playwright() as pw:
        for _ in range(args.rounds):
            for name, path, mark in (("bare", BARE, "bench:first-result"), ("calculator", CALC, "calc:first-result")):
                cold, warm, first, repeat = visit_pair(pw, base, path, mark, log)
                times[name]["cold"].append(cold)
                times[name]["warm"].append(warm)
                if name == "calculator":
                    first_visit, repeat_visit = first, repeat
        roster, single = roster_and_single(pw, base, args.rounds)
    server.shutdown()

    med = {name: {k: statistics.median(v) for k, v in runs.items()} for name, runs in times.items()}
    print(f"Chromium, {args.rounds} rounds, medians; site {site}")
    print()
    print("Time from navigation to first result (ms)   cold      warm")
    for name, label in (("calculator", "chronic-absence page (180/17)"), ("bare", "bare Pyodide page, 1 + 1")):
        print(f"  {label:<42}{med[name]['cold']:>6.0f}    {med[name]['warm']:>6.0f}")
    for kind in ("cold", "warm"):
        ratio = med["calculator"][kind] / med["bare"][kind]
        print(f"  ratio {kind}: {ratio:.2f} x bare (goal <= 0.80): {verdict(ratio <= 0.8)}")
    print()
    requests, bodies, raw, gz = totals(first_visit)
    print(f"First visit: {requests} requests, {raw / MB:.2f} MB sent, {gz / MB:.2f} MB gzip "
          f"({gz / 2**20:.2f} MiB) (goal <= 4 MB): {verdict(gz <= 4 * MB)}")
    for entry in sorted(first_visit, key=lambda e: -e.gzip)[:6]:
        print(f"    {entry.gzip / 1000:>8.0f} kB gzip  {entry.body / 1000:>8.0f} kB  {entry.path}")
    requests, bodies, raw, gz = totals(repeat_visit)
    print(f"Repeat visit: {requests} requests ({bodies} with a body, {requests - bodies} not modified), "
          f"{raw} bytes of bodies (goal 0): {verdict(bodies == 0)}")
    for entry in repeat_visit:
        if entry.status == 200:
            print(f"    downloaded again: {entry.path} ({entry.body} bytes)")
    print()
    print(f"100,000-row roster: {statistics.median(roster):.0f} ms (runs {', '.join(f'{t:.0f}' for t in roster)}) "
          f"(goal < 3000): {verdict(statistics.median(roster) < 3000)}")
    print(f"One calculation after ready: median {statistics.median(single):.1f} ms, max {max(single):.1f} ms "
          f"(goal < 50): {verdict(statistics.median(single) < 50)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
