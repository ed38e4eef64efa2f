"""Nothing scrolls sideways at 320 px (GUIDE: accessibility), on every calculator page, with a
field error shown (a long message must wrap, not widen the page)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from calculators.registry import CALCULATORS

ERRORS = {
    "excused-absences": "?first_day=2024-08-14&second_semester_start=2025-01-13&last_day=2025-06-11&absence=2024-09-09,funeral,a,b",
}


@pytest.fixture(scope="module")
def phone(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 320, "height": 640}, service_workers="block")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("page_name", [c.page for c in CALCULATORS.values()])
def test_no_calculator_page_scrolls_sideways_at_320_px(phone: Any, page_name: str) -> None:
    phone.goto(f"/calculators/{page_name}/" + ERRORS.get(page_name, ""))
    if page_name in ERRORS:
        expect(phone.locator("[data-error-for]:not([hidden])").first).to_be_visible(timeout=120_000)
    widest = phone.evaluate("document.documentElement.scrollWidth")
    assert widest <= 320, f"/calculators/{page_name}/ is {widest} px wide at 320 px"
