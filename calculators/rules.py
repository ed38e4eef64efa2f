"""The calculator rules, as bundled into this package (`rules.json`).

`policy_tools.bundle_rules` writes `calculators/rules.json` from policy_data/rules/*.yaml at build
time, and the wheel ships it, so the calculators never read the repository: in Pyodide there is
none. `./scripts/build` (or `python -m policy_tools.prepare`) writes the bundle in a checkout.
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

BUNDLE_NAME = "rules.json"

Rules = dict[str, Any]


class RulesMissing(RuntimeError):
    """The package was built without its rules bundle."""


def rules_from_bundle(text: str) -> Rules:
    data: Rules = json.loads(text)
    return data


@functools.cache
def load() -> Rules:
    try:
        text = resources.files(__package__).joinpath(BUNDLE_NAME).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise RulesMissing(
            f"calculators/{BUNDLE_NAME} is missing: build it with `python -m policy_tools.prepare` (or ./scripts/build)"
        ) from None
    return rules_from_bundle(text)


def section(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load()[name]
    return data
