"""The policy pages in Chromium, used the way a trainer or a member of staff would use them."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_permanent_address_lands_on_its_paragraph(page) -> None:
    page.goto("/ref/xii-c/")
    page.wait_for_url(re.compile(r"/policy/xii/#xii-c$"))
    paragraph = page.locator("#xii-c")
    assert paragraph.is_visible()
    assert paragraph.inner_text().startswith("XII.c")
    box = paragraph.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"], "XII.c is not scrolled into view"
    assert page.watch.page_errors == []
    assert page.watch.console_errors == [], "a console error (a CSP violation is one) on the way to XII.c"
    assert page.watch.foreign_requests == []


def test_searching_chronic_finds_section_xv(page) -> None:
    page.goto("/")
    page.get_by_role("textbox", name="Search").click()
    page.keyboard.type("chronic")
    results = page.locator(".md-search-result__item a")
    first_xv = results.filter(has=page.locator("h1, h2")).and_(page.locator('[href*="policy/xv/"]')).first
    first_xv.wait_for(state="visible", timeout=15000)
    assert "XV" in page.locator(".md-search-result").inner_text()
    assert page.watch.foreign_requests == []


def test_copy_link_works_with_the_keyboard_after_instant_navigation(page, base_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto("/policy/xiii/")
    # Material's instant navigation swaps the page without reloading the script.
    page.evaluate("window.__samePage = true")
    page.locator(".md-footer__link--prev").click()
    page.wait_for_url(re.compile(r"/policy/xii/$"))
    assert page.evaluate("window.__samePage === true"), "the click reloaded the page: no instant navigation"
    page.locator("#xii-c .policy-label").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#xii-c button.policy-copy')"):
            break
    else:
        pytest.fail("Tab from the XII.c label never reaches its Copy link button")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    status.filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == base_url.rstrip("/") + "/ref/xii-c/"
    assert page.watch.page_errors == []


def test_a_section_prints_without_site_chrome(page) -> None:
    page.goto("/policy/xii/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator("#xii-c .policy-copy").is_visible()
    assert page.locator("#xii-c").is_visible()
    assert page.locator("h1").inner_text().startswith("XII. Withdrawal Procedures")


def test_a_glossary_term_explains_itself_on_keyboard_focus(page) -> None:
    page.goto("/policy/xii/")
    page.locator("#xii-a .policy-label").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "ERH", f"Tab after the XII.a label reached {focused!r}, not the term ERH"
    tooltip = page.locator("#" + page.evaluate("document.activeElement.getAttribute('aria-describedby')"))
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Educational Rights Holder")
