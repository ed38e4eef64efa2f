"""The calculator rules, as bundled into this package (`rules.json`).

`policy_tools.bundle_rules` writes `calculators/rules.json` from policy_data/rules/*.yaml at build
time and the wheel ships it (calculators.bundle), so the calculators never read policy_data/.
"""
from __future__ import annotations

import functools
import json
from typing import Any

from . import bundle

BUNDLE_NAME = "rules.json"

Rules = dict[str, Any]


def rules_from_bundle(text: str) -> Rules:
    data: Rules = json.loads(text)
    return data


@functools.cache
def load() -> Rules:
    data: Rules = bundle.read(BUNDLE_NAME)
    return data


def section(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load()[name]
    return data
