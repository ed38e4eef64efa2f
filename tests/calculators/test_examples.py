"""Every worked example in policy_data/examples gives its expected result, through the bridge."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from calculators import bridge

from calc_helpers import ROOT, mismatches

FILES = sorted((ROOT / "policy_data" / "examples").glob("*.yaml"))


def _examples() -> list[Any]:
    out = []
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for example in data["examples"]:
            out.append(pytest.param(data["calculator"], example, id=f"{path.stem}:{example['id']}"))
    return out


def test_every_calculator_has_examples() -> None:
    assert {Path(p).stem for p in FILES} >= {"chronic", "roster", "excused", "withdrawal"}


@pytest.mark.parametrize(("calculator", "example"), _examples())
def test_example(calculator: str, example: dict[str, Any]) -> None:
    response = json.loads(bridge.handle(json.dumps({"calculator": calculator, "input": example["input"]})))
    assert response["ok"], response
    assert mismatches(example["expect"], response["result"]) == [], example["title"]
