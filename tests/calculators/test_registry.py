"""One registry of calculators: the bridge and the CLI offer exactly its calculators."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from calculators import bridge
from calculators.__main__ import _parser
from calculators.registry import CALCULATORS, import_all

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_and_the_bridge_offer_the_registry() -> None:
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(commands.choices) == list(CALCULATORS)
    answer = json.loads(bridge.handle(json.dumps({"calculator": "nope", "input": {}})))
    assert answer["error"]["message"].endswith(f"use one of {', '.join(CALCULATORS)}.")


def test_a_first_answer_imports_only_its_own_calculator() -> None:
    # Issue 18: in the browser each import costs several times what it does here, and the chronic
    # page's first answer must not wait for the roster's, excused-absence's and withdrawal's.
    script = (
        "import json, sys\n"
        "from calculators import bridge\n"
        "bridge.handle(json.dumps({'calculator': 'chronic', 'input': {'enrolled': 180, 'absent': 17}}))\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('calculators.'))))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT).stdout.split()
    assert "calculators.chronic" in loaded
    for other in ("roster", "excused", "withdrawal"):
        assert f"calculators.{other}" not in loaded


def test_import_all_imports_every_calculator() -> None:
    # The start-up snapshot (policy_tools/python_snapshot.py) holds every calculator imported.
    import_all()
    for calculator in CALCULATORS.values():
        assert f"calculators.{calculator.module}" in sys.modules
