"""Moving between calculator pages with Material's instant navigation keeps Python running.

Python starts once per visit: the worker begun on the first calculator page answers on the next,
without the page reloading and without fetching Pyodide again.
"""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PYTHON_START_MS = 120_000


@pytest.fixture()
def instant(page):
    """The page; the test server (policy_tools.serve) gives Material a sitemap for its own port, so
    links between pages use instant navigation as they do on the published site."""
    return page


def count(page: object, suffix: str) -> int:
    return sum(1 for url in page.watch.requests if url.split("?")[0].endswith(suffix))  # type: ignore[attr-defined]


def test_instant_navigation_between_calculators_keeps_one_python(instant) -> None:
    page = instant
    page.goto("/calculators/chronic-absence/")
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    page.evaluate("window.__sameDocument = true")

    page.locator('nav a[href$="calculators/roster/"]').first.click()
    page.wait_for_url("**/calculators/roster/")
    page.wait_for_selector('[data-calculator="roster"].calc-ready', timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded instead of navigating instantly"
    page.get_by_label("Or paste the CSV text").fill("student,enrolled,absent\nA,180,17\n")
    page.get_by_role("button", name="Read the roster").click()  # columns recognised: computed at once
    page.locator('[data-summary="chronic_lausd"]', has_text="1 chronic").wait_for()

    page.go_back()
    page.wait_for_url("**/calculators/chronic-absence/")
    page.wait_for_selector('[data-calculator="chronic"].calc-ready', timeout=10_000)
    page.get_by_label("Days enrolled", exact=True).fill("180")
    page.get_by_label("Days absent", exact=True).fill("17")
    page.get_by_role("button", name="Calculate").click()
    page.locator(".calc-headline", has_text="90.56%").wait_for()
    assert page.evaluate("window.__sameDocument") is True

    assert count(page, "/py-worker.mjs") == 1
    assert count(page, "/pyodide.asm.wasm") == 1
    assert page.watch.page_errors == []
    assert page.watch.foreign_requests == []


def test_a_calculator_reached_from_another_page_starts_python_and_reads_its_address(instant) -> None:
    page = instant
    page.goto("/")
    page.evaluate("window.__sameDocument = true")
    # A trainer's link with an example in it, followed inside the site.
    page.evaluate(
        """() => {
          const a = document.createElement("a");
          a.href = "calculators/chronic-absence/?enrolled=180&absent=17";
          a.textContent = "example";
          a.id = "example-link";
          document.querySelector("article").append(a);
        }"""
    )
    page.click("#example-link")
    page.locator(".calc-headline", has_text="90.56%").wait_for(timeout=PYTHON_START_MS)
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator(".calc-verdict")).to_contain_text("So far, your child is chronically absent by LAUSD's count, but not by the state's count.")
