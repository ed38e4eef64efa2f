"""Prepare step: bundle the calculator rules into the wheel's package.

`policy_data/rules/*.yaml` → `calculators/rules.json` (gitignored; named in pyproject.toml's wheel
`artifacts`). The calculators read only this bundle (Pyodide has no PyYAML and no policy_data/).
It runs after policy_tools.validate, whose cross-checks (policy_tools.rules_check) have checked
the rules against the bulletin. Written atomically and only when the content changed, since
several builds may run at once.

    python -m policy_tools.bundle_rules            # into calculators/
    write_bundle(root, folder)                     # into any folder (tests use a temp dir)
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from calculators.rules import BUNDLE_NAME
from policy_tools.files import write_if_changed
from policy_tools.rule_sources import rules_files

PACKAGE = Path("calculators")


def rules_from_yaml(root: Path) -> dict[str, Any]:
    """Every rules file, keyed by file stem (`chronic`, `excused`, `withdrawal`)."""
    return {stem: doc.data for stem, doc in rules_files(root).items()}


def bundle_text(root: Path) -> str:
    return json.dumps(rules_from_yaml(root), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_bundle(root: Path, folder: Path) -> Path:
    path = folder / BUNDLE_NAME
    write_if_changed(path, bundle_text(root))
    return path


def is_fresh(root: Path) -> bool:
    """Whether calculators/rules.json holds exactly today's rules (a test asks before using it)."""
    path = root / PACKAGE / BUNDLE_NAME
    return path.is_file() and path.read_text(encoding="utf-8") == bundle_text(root)


def run(root: Path) -> None:
    write_bundle(root, root / PACKAGE)


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
