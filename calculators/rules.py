"""Load the calculator rules: the bundled `rules.json`, or `policy_data/rules/*.yaml` in a checkout.

The wheel (and so Pyodide) ships `calculators/rules.json`, written by `policy_tools.bundle_rules`.
A source checkout without the bundle reads the YAML directly (PyYAML is a dev dependency, imported
only then); tests/calculators/test_rules.py keeps the two identical.
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

BUNDLE_NAME = "rules.json"
RULES_DIR = Path(__file__).resolve().parents[1] / "policy_data" / "rules"

Rules = dict[str, Any]


def rules_from_yaml(folder: Path = RULES_DIR) -> Rules:
    """Every `*.yaml` in `folder`, keyed by file stem (`chronic`, `excused`, `withdrawal`)."""
    import yaml  # only needed without the bundle

    out: Rules = {}
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            out[path.stem] = yaml.safe_load(handle)
    if not out:
        raise FileNotFoundError(f"no rules: {folder} has no *.yaml and {BUNDLE_NAME} is not bundled")
    return out


def rules_from_bundle() -> Rules | None:
    try:
        text = resources.files(__package__).joinpath(BUNDLE_NAME).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    data: Rules = json.loads(text)
    return data


def _bundle_is_stale() -> bool:
    """In a source checkout, a rules.json older than any rules YAML must not hide the edit."""
    bundle = Path(__file__).with_name(BUNDLE_NAME)
    if not RULES_DIR.is_dir() or not bundle.is_file():
        return False
    built = bundle.stat().st_mtime
    return any(path.stat().st_mtime > built for path in RULES_DIR.glob("*.yaml"))


@functools.cache
def load() -> Rules:
    bundled = None if _bundle_is_stale() else rules_from_bundle()
    return bundled if bundled is not None else rules_from_yaml()


def section(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load()[name]
    return data
