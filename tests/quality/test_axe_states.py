"""axe on what the quality gate's page loads do not show: search results, a phone-width page with
the navigation drawer open, and an abbreviation's tooltip; in the light and the dark scheme."""
from __future__ import annotations

from pathlib import Path

import pytest

from policy_tools import quality

pytestmark = pytest.mark.browser

AXE_SOURCE = quality.AXE.read_text(encoding="utf-8") if quality.AXE.is_file() else ""


def audit(page, label: str) -> None:
    report = quality.audit_here(page, page.url, label, AXE_SOURCE)
    quality.take(page.watch, report)
    assert report.ok, "\n".join([report.summary(), *report.details()])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results(page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.keyboard.type("withdrawal")
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    page.wait_for_timeout(400)  # the result list slides open
    audit(page, "search results")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_with_the_navigation_open(page, site_dir: Path, scheme: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.emulate_media(color_scheme=scheme)
    page.goto("/policy/xii/" if (site_dir / "policy" / "xii" / "index.html").is_file() else "/")
    page.wait_for_load_state("networkidle")
    audit(page, "phone width")
    page.locator(".md-header label[for=__drawer]").click()
    page.wait_for_timeout(400)  # the drawer slides in
    audit(page, "phone width, navigation open")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_abbreviation_tooltip(page, site_dir: Path, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto("/policy/x/" if (site_dir / "policy" / "x" / "index.html").is_file() else "/")
    page.wait_for_load_state("networkidle")
    abbr = page.locator("article abbr").first
    if abbr.count() == 0:
        pytest.skip("no abbreviation on this page")
    abbr.hover()
    page.locator(".md-tooltip2--active, .md-tooltip--active").first.wait_for(state="visible", timeout=5_000)
    page.wait_for_timeout(400)  # fully faded in
    audit(page, "tooltip")
