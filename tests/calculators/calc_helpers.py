"""Helpers for the calculator tests: run the CLI, and match a worked example's `expect`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policy_tools.worked_examples import mismatches  # noqa: F401  (the build's own matcher)

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=60,
    )
