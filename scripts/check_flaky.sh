#!/usr/bin/env bash
# Usage: scripts/check_flaky.sh [N]  (default 5)
# Builds the site once, runs the browser tests N times, each run in a new random order
# (pytest-random-order, seeded), and reports every test that failed at least once, with the seeds
# of the runs it failed in (rerun one: pytest -m browser -n 2 --dist loadgroup -p random_order --random-order-bucket=global
# --random-order-seed=SEED). Exit 0 when nothing failed, 1 when some test did.
# A check for a person or CI to run on demand, not a test: it takes N times the browser suite.
# Two parallel workers as ./scripts/test uses (PYTEST_WORKERS, 0 for one process): each worker
# runs its share in the seed's order, and timing between workers varies from run to run too.
source "$(dirname "$0")/_setup.sh"
setup_python_and_node
setup_browser
runs="${1:-5}"
case "$runs" in ''|*[!0-9]*) echo "usage: scripts/check_flaky.sh [N]  (N: how many runs, a whole number)" >&2; exit 2 ;; esac
"$ROOT/scripts/build" >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for run in $(seq 1 "$runs"); do
  seed=$(( (RANDOM << 15) | RANDOM ))
  echo "check_flaky: run $run of $runs, seed $seed" >&2
  "$PY" -m pytest -m browser -q -n "${PYTEST_WORKERS:-2}" --dist loadgroup -p random_order --random-order-bucket=global --random-order-seed="$seed" \
    -p no:cacheprovider --junitxml="$out/run-$run-seed-$seed.xml" >"$out/run-$run.log" 2>&1 || true
  tail -n 1 "$out/run-$run.log" >&2
done
"$PY" - "$out" <<'PY'
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

failed: dict[str, list[str]] = defaultdict(list)
runs = sorted(Path(sys.argv[1]).glob("run-*.xml"))
for report in runs:
    seed = report.stem.rsplit("-", 1)[1]
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
