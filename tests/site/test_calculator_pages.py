"""Calculator pages are made from the registry and the rules: no number typed into a template."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from calculators import rules
from calculators.registry import CALCULATORS
from policy_tools.calculator_pages import TEMPLATES, fill_rule_slots


def test_the_chronic_page_states_the_thresholds_the_rules_hold() -> None:
    template = (TEMPLATES / "chronic-absence.md").read_text(encoding="utf-8")
    assert not re.search(r"\d+%", template), "a percentage typed into the template: use {{ rule:<id>.percent }}"
    changed = copy.deepcopy(rules.section("chronic"))
    changed["definitions"][1]["percent"] = 90
    text = fill_rule_slots(template, changed, "chronic-absence.md")
    assert "(attendance rate of 90% or below)" in text
    assert "absent on 10% or more of the days enrolled" in text


def test_a_slot_naming_no_rule_value_stops_the_build_naming_the_template() -> None:
    with pytest.raises(SystemExit, match=r"chronic-absence\.md: `\{\{ rule:chronic_lausd\.pct \}\}`"):
        fill_rule_slots("{{ rule:chronic_lausd.pct }}", rules.section("chronic"), "chronic-absence.md")


def test_every_calculator_of_the_registry_has_its_page_and_script(root: Path, site_dir: Path) -> None:
    for calculator in CALCULATORS.values():
        assert (TEMPLATES / f"{calculator.page}.md").is_file(), calculator.name
        assert (root / "docs" / "assets" / "js" / calculator.script).is_file(), calculator.name
        assert (root / "policy_data" / "rules" / f"{calculator.rules}.yaml").is_file(), calculator.name
        page = (site_dir / "calculators" / calculator.page / "index.html").read_text(encoding="utf-8")
        assert f'data-calculator="{calculator.name}" data-script="{calculator.script}"' in page
        assert "{{" not in page, f"an unfilled slot on /calculators/{calculator.page}/"
