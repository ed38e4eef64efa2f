#!/usr/bin/env bash
# Usage: scripts/check_flaky.sh [N]  (default 5)
# Builds the site once, runs the browser tests N times, each run in a new random order
# (pytest-random-order, seeded), and reports every test that failed at least once, with the seeds
# of the runs it failed in (rerun one: pytest -m browser -n 2 --dist loadgroup -p random_order --random-order-bucket=module
# --random-order-seed=SEED). Exit 0 when nothing failed, 1 when some test did; then the runs'
# logs are kept and named.
# The order: the files in a random order, and each file's tests in a random order. A file's page
# (one Python start) serves all its tests as in ./scripts/test, so a test that only passes after
# another test of its file, or leaves the page in a state the next one trips on, shows here. (A
# global order, tests of all files mixed, re-creates each file's page at almost every test: twice
# as long, and no longer the suite that runs.)
# A check for a person or CI to run on demand, not a test: it takes N times the browser suite.
# Two parallel workers as ./scripts/test uses (PYTEST_WORKERS, 0 for one process): each worker
# runs its share in the seed's order, and timing between workers varies from run to run too.
# Every second run is a slow run: each message a page's Python worker sends reaches the page 400 ms
# late (TEST_SLOW_WORKER_MS, tests/conftest.py), as on a loaded machine, so a test that reads the
# page before the answer it should wait for fails there every time (rerun one with
# TEST_SLOW_WORKER_MS=400 before the command above).
source "$(dirname "$0")/_setup.sh"
setup_python_and_node
setup_browser
runs="${1:-5}"
case "$runs" in ''|*[!0-9]*) echo "usage: scripts/check_flaky.sh [N]  (N: how many runs, a whole number)" >&2; exit 2 ;; esac
"$ROOT/scripts/build" >/dev/null
out="$(mktemp -d)"
for run in $(seq 1 "$runs"); do
  seed=$(( (RANDOM << 15) | RANDOM ))
  slow=$(( run % 2 == 0 ? 400 : 0 ))
  echo "check_flaky: run $run of $runs, seed $seed$( [ "$slow" = 0 ] || echo ", worker replies $slow ms late")" >&2
  TEST_SLOW_WORKER_MS="$slow" "$PY" -m pytest -m browser -q -n "${PYTEST_WORKERS:-2}" --dist loadgroup -p random_order --random-order-bucket=module --random-order-seed="$seed" \
    -p no:cacheprovider --junitxml="$out/run-$run-seed-$seed$( [ "$slow" = 0 ] || echo "-slow").xml" >"$out/run-$run.log" 2>&1 || true
  tail -n 1 "$out/run-$run.log" >&2
done
status=0
"$PY" - "$out" <<'PY' || status=$?
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

failed: dict[str, list[str]] = defaultdict(list)
runs = sorted(Path(sys.argv[1]).glob("run-*.xml"))
for report in runs:
    seed = report.stem.split("-seed-", 1)[1].replace("-slow", " slow")
    for case in ET.parse(report).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed[f"{case.get('classname')}::{case.get('name')}"].append(seed)
if len(runs) == 0:
    print("check_flaky: no run produced a report", file=sys.stderr)
    sys.exit(1)
if not failed:
    print(f"check_flaky: no test failed in {len(runs)} runs")
    sys.exit(0)
print(f"check_flaky: {len(failed)} test(s) failed in some of {len(runs)} runs:")
for name, seeds in sorted(failed.items()):
    print(f"  {name}  failed {len(seeds)}/{len(runs)} (seeds {', '.join(seeds)})")
sys.exit(1)
PY
if [ "$status" = 0 ]; then rm -rf "$out"; else echo "check_flaky: each run's log and report: $out" >&2; fi
exit "$status"
