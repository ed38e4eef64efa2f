"""Roster throughput (not a test): rows per second for CSV text → result, and → JSON text.

    .venv/bin/python scripts/bench_roster.py [ROWS]

Goal (issue 5): at least 500,000 rows/s in CPython on the project machine.
"""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calculators import roster  # noqa: E402


def make_csv(rows: int, half_days: bool = False) -> str:
    rng = random.Random(4926)
    lines = ["student,days enrolled,days absent"]
    for index in range(rows):
        enrolled = rng.randint(20, 180)
        absent = rng.randint(0, enrolled)
        shown = f"{absent - 0.5}" if half_days and absent and index % 4 == 0 else str(absent)
        lines.append(f"S{index:07d},{enrolled},{shown}")
    return "\n".join(lines) + "\n"


def best_of(runs: int, func: object) -> float:
    """Best CPU time of `runs` calls: process time, so other work on a shared machine counts less."""
    assert callable(func)
    times = []
    for _ in range(runs):
        started = time.process_time()
        func()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    for name, half in (("whole days", False), ("with half days", True)):
        text = make_csv(rows, half)
        compute = best_of(3, lambda: roster.calculate_csv(text))
        both = best_of(3, lambda: json.dumps(roster.calculate_csv(text), separators=(",", ":")))
        print(f"{name:>15}: {rows / compute:>12,.0f} rows/s computed (CPU time); {rows / both:>12,.0f} rows/s computed + JSON ({rows:,} rows)")


if __name__ == "__main__":
    main()
