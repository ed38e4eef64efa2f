"""Calculator pages are made from the registry."""
from __future__ import annotations

from pathlib import Path

from calculators.registry import CALCULATORS
from policy_tools.calculator_pages import TEMPLATES


def test_every_calculator_of_the_registry_has_its_page_and_script(root: Path, site_dir: Path) -> None:
    for calculator in CALCULATORS.values():
        assert (TEMPLATES / f"{calculator.page}.md").is_file(), calculator.name
        assert (root / "docs" / "assets" / "js" / calculator.script).is_file(), calculator.name
        assert (root / "policy_data" / "rules" / f"{calculator.rules}.yaml").is_file(), calculator.name
        page = (site_dir / "calculators" / calculator.page / "index.html").read_text(encoding="utf-8")
        assert f'data-calculator="{calculator.name}" data-script="{calculator.script}"' in page
        assert "{{" not in page, f"an unfilled slot on /calculators/{calculator.page}/"
