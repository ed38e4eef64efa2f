"""The built home page as a first-time visitor sees it in Chromium."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_loads_without_errors_or_foreign_requests(page) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert "BUL-4926.4" in page.title()
    assert page.locator("h1").first.inner_text().startswith("BUL-4926.4")
    assert page.watch.console_errors == []
    assert page.watch.page_errors == []
    assert page.watch.foreign_requests == []
