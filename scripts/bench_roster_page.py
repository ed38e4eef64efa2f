"""The roster part of scripts/bench_browser.py: a district file chosen on the roster page, the tab's
memory, and one chronic calculation after the page is ready (imported by bench_browser)."""
from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

ROSTER = "/calculators/roster/"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# A district file (1% bad rows) chosen as a file, as an office chooses its export: written to disk
# here and set on the page's file input by the browser (the tab never builds the file itself: a
# million lines made in the page would be the benchmark's memory, not the page's). Its columns are
# recognised, so the page computes at once; timed from the change event to the summary on screen;
# the phases from the page's `roster:*` marks (file read, sent to the worker, Python's own steps,
# answered, shown); the longest main-thread task meanwhile (the page must stay responsive) and
# whether the progress bar showed.
# `quoted`: the names quoted with a comma inside ("Student 7, A."), as some district exports write them.
def write_district_file(path: Path, rows: int, quoted: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Student ID,Student Name,Grade,Days Enrolled,Days Absent")
        for i in range(rows):
            name = f'"Student {i}, A."' if quoted else f"Student {i}"
            out.write(f"\n{1000000 + i},{name},{i % 13},{150 + (i % 31)},{'abc' if i % 100 == 7 else (i * 7) % 41}")


WATCH_JS = """() => {
  const input = document.querySelector("#roster-file");
  const appear = (selector) => new Promise((resolve) => {
    const found = () => document.querySelector(selector);
    if (found()) return resolve(found());
    const observer = new MutationObserver(() => { if (found()) { observer.disconnect(); resolve(found()); } });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  document.querySelector("[data-calc-step]").replaceChildren();
  document.querySelector("[data-calc-result]").replaceChildren();
  document.querySelector("[data-calc-details]").replaceChildren();
  performance.clearMarks();
  let longest = 0;
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); });
  observer.observe({ type: "longtask" });
  let bar = false;
  const watch = new MutationObserver(() => { if (document.querySelector(".calc-progress:not([hidden])")) bar = true; });
  watch.observe(document.body, { childList: true, subtree: true, attributes: true });
  window.__rosterRun = new Promise((resolve) => {
    // Capture on the document: before the page's own listener on the input hears the change.
    document.addEventListener("change", async (event) => {
      if (event.target !== input || !input.files.length) return;
      const start = performance.now();
      await appear('[data-summary="students"]');
      const ms = performance.now() - start;
      await appear(".calc-breakdown-table");
      const all = performance.now() - start;
      observer.disconnect();
      watch.disconnect();
      const phases = Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("roster:")).map((m) => [m.name.slice(7), m.startTime - start]));
      resolve({ ms, all, longest, bar, phases, students: document.querySelector('[data-summary="students"]').textContent });
    }, { capture: true, once: true });
  });
}"""


def choose_district_file(page: Any, path: Path) -> dict[str, Any]:
    page.set_input_files("#roster-file", [])  # the same file chosen again is a change again
    page.evaluate(WATCH_JS)
    page.set_input_files("#roster-file", str(path))
    return page.evaluate("window.__rosterRun")


def tab_memory_mb(profile: str) -> float:
    """Peak resident memory of this browser's largest renderer (the tab and its worker), from /proc."""
    best = 0
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            if "--type=renderer" not in cmdline or profile not in cmdline:
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                best = max(best, int(line.split()[1]))
    return best / 1000


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


def roster_and_single(pw: Any, base: str, rounds: int, rows: int, quoted: bool = False) -> tuple[list[dict[str, Any]], list[float], float]:
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    district = Path(profile) / "district.csv"
    write_district_file(district, rows, quoted)
    try:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-features=LongTaskTiming"], headless=True)
        page = context.new_page()
        page.goto(base + ROSTER)
        page.wait_for_selector("[data-calculator].calc-ready", timeout=180_000)
        ready = tab_memory_mb(profile)
        roster = [choose_district_file(page, district) for _ in range(rounds)]
        memory = tab_memory_mb(profile)
        roster[0]["ready_mb"] = ready
        page.goto(base + "/calculators/chronic-absence/")
        page.wait_for_selector("[data-calculator].calc-ready", timeout=180_000)
        page.evaluate(ONE_CALC_JS, 1)  # first call compiles the code paths
        single = [float(page.evaluate(ONE_CALC_JS, n)) for n in range(2, 32)]
        context.close()
        return roster, single, memory
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def print_roster(rows: int, roster: list[dict[str, Any]], single: list[float], memory: float, quoted: bool = False) -> None:
    times = [r["ms"] for r in roster]
    print(f"{rows:,}-row roster, 1% bad rows{', names quoted' if quoted else ''} ({roster[0]['students']}), file chosen to summary on screen: "
          f"{statistics.median(times):.0f} ms (runs {', '.join(f'{t:.0f}' for t in times)}) (goal < 3000): {verdict(statistics.median(times) < 3000)}")
    print(f"  with the breakdown and the first page of rows on screen: {statistics.median(r['all'] for r in roster):.0f} ms")
    last = roster[-1]["phases"]
    print("  phases of the last run (ms since the file was chosen): " + ", ".join(f"{name} {at:.0f}" for name, at in sorted(last.items(), key=lambda item: item[1])))
    print(f"  longest main-thread task meanwhile: {max(r['longest'] for r in roster):.0f} ms; progress bar shown: "
          f"{all(r['bar'] for r in roster)}; tab memory (peak resident, renderer): {memory:.0f} MB (goal < 1000): {verdict(memory < 1000)}; {roster[0]['ready_mb']:.0f} MB when the page was ready")
    print(f"One calculation after ready: median {statistics.median(single):.1f} ms, max {max(single):.1f} ms "
          f"(goal < 50): {verdict(statistics.median(single) < 50)}")
