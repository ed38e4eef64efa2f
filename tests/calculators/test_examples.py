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
def test_the_worked_example_gives_its_expected_result(calculator: str, example: dict[str, Any]) -> None:
    response = json.loads(bridge.handle(json.dumps({"calculator": calculator, "input": example["input"]})))
    assert response["ok"], response
    assert mismatches(example["expect"], response["result"]) == [], example["title"]


def test_a_worked_example_with_a_wrong_expect_stops_the_build(tmp_path: Path) -> None:
    """The build step refuses an example whose `expect` the calculator does not answer."""
    import shutil

    from policy_tools import worked_examples

    shutil.copytree(ROOT / "policy_data" / "examples", tmp_path / "policy_data" / "examples")
    chronic = tmp_path / "policy_data" / "examples" / "chronic.yaml"
    data = yaml.safe_load(chronic.read_text(encoding="utf-8"))
    first = data["examples"][0]
    flipped = not first["expect"]["chronic_state"]
    first["expect"]["chronic_state"] = flipped
    chronic.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    problems = [str(p) for p in worked_examples.check(tmp_path)]
    assert len(problems) == 1, problems
    assert "chronic.yaml line" in problems[0] and first["id"] in problems[0] and "chronic_state" in problems[0]
    with pytest.raises(SystemExit):
        worked_examples.run(tmp_path)
