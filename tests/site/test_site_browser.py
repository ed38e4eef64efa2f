"""The policy pages in Chromium, used the way a trainer or a member of staff would use them.

Every read waits for the state a user would wait for (Playwright's `expect`), never a bare read
right after an action: Material wires its tooltips, search and instant navigation after load.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_permanent_address_lands_on_its_paragraph(page) -> None:
    page.goto("/ref/xii-c/")
    page.wait_for_url(re.compile(r"/policy/xii/#xii-c$"))
    paragraph = page.locator("#xii-c")
    expect(paragraph).to_be_visible()
    expect(paragraph).to_have_text(re.compile(r"^\s*XII\.c"))
    expect(paragraph).to_be_in_viewport()
    assert page.watch.page_errors == []
    assert page.watch.console_errors == [], "a console error (a CSP violation is one) on the way to XII.c"
    assert page.watch.foreign_requests == []


def test_searching_chronic_finds_section_xv(page) -> None:
    page.goto("/")
    page.get_by_role("textbox", name="Search").click()
    page.keyboard.type("chronic")
    results = page.locator(".md-search-result__item a")
    first_xv = results.filter(has=page.locator("h1, h2")).and_(page.locator('[href*="policy/xv/"]')).first
    expect(first_xv).to_be_visible(timeout=15_000)
    expect(page.locator(".md-search-result")).to_contain_text("XV")
    assert page.watch.foreign_requests == []


def test_copy_link_works_with_the_keyboard_after_instant_navigation(page, base_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto("/policy/xiii/")
    # Material's instant navigation swaps the page without reloading the script.
    page.evaluate("window.__samePage = true")
    page.locator(".md-footer__link--prev").click()
    page.wait_for_url(re.compile(r"/policy/xii/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^XII\. Withdrawal Procedures"))
    assert page.evaluate("window.__samePage === true"), "the click reloaded the page: no instant navigation"
    copy = page.locator("#xii-c button.policy-copy")
    expect(copy).to_be_attached()  # the copy-link script has run on the swapped-in page
    page.locator("#xii-c .policy-label").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if copy.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab from the XII.c label never reaches its Copy link button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    page.wait_for_function("(want) => navigator.clipboard.readText().then((got) => got === want)", arg=base_url.rstrip("/") + "/ref/xii-c/")
    assert page.watch.page_errors == []


def test_a_section_prints_without_site_chrome(page) -> None:
    page.goto("/policy/xii/")
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("#xii-c .policy-copy")).to_be_hidden()
    expect(page.locator("#xii-c")).to_be_visible()
    expect(page.locator("h1")).to_have_text(re.compile(r"^XII\. Withdrawal Procedures"))


def test_a_glossary_term_explains_itself_on_keyboard_focus(page) -> None:
    page.goto("/policy/xii/")
    term = page.locator("#xii-a abbr", has_text="ERH").first
    # Material makes each term focusable once its script has run: what a user waits for too.
    expect(term).to_have_attribute("tabindex", "0")
    page.locator("#xii-a .policy-label").focus()
    page.keyboard.press("Tab")
    expect(term).to_be_focused()
    # The tooltip is attached a moment after focus; wait for it rather than read at once.
    expect(term).to_have_attribute("aria-describedby", re.compile(r"\S"))
    tooltip = page.locator("#" + (term.get_attribute("aria-describedby") or ""))
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(re.compile(r"^\s*Educational Rights Holder"))
