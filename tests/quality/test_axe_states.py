"""axe on what the quality gate's page loads do not show: search results, a phone-width page with
the navigation drawer open, and an abbreviation's tooltip; in the light and the dark scheme."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from policy_tools import quality

pytestmark = pytest.mark.browser

# axe-core comes from npm (package-lock.json): missing, it is a failure, not a reason to skip.
AXE_SOURCE = quality.AXE.read_text(encoding="utf-8")

# Material slides the search results, the drawer and tooltips in with CSS transitions: audit once
# they have finished (colour contrast is wrong mid-fade), not after a guessed pause.
SETTLED = "() => document.getAnimations().every((animation) => animation.playState !== 'running')"


def settled(page) -> None:
    page.wait_for_function(SETTLED)


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
    settled(page)  # the result list slides open
    audit(page, "search results")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_with_the_navigation_open(page, scheme: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.emulate_media(color_scheme=scheme)
    page.goto("/policy/xii/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^XII\."))
    page.wait_for_load_state("networkidle")
    audit(page, "phone width")
    page.locator(".md-header label[for=__drawer]").click()
    expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
    settled(page)  # the drawer slides in
    audit(page, "phone width, navigation open")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_abbreviation_tooltip(page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto("/policy/x/")
    page.wait_for_load_state("networkidle")
    # Section X names MiSiS, a glossary term: its tooltip must be there to audit.
    abbr = page.locator("article abbr").first
    expect(abbr).to_be_visible()
    abbr.hover()
    expect(page.locator(".md-tooltip2--active, .md-tooltip--active").first).to_be_visible(timeout=5_000)
    settled(page)  # fully faded in
    audit(page, "tooltip")
