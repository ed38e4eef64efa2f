"""The Spanish chronic-absence page in Chromium (issue 14): a parent's path from the Spanish home
page to an answer in Spanish, the switch to English keeping the answer, errors in Spanish."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PYTHON_START_MS = 120_000  # Pyodide's first start on a busy machine (as tests/browser/test_calc_chronic.py)


def test_from_the_spanish_home_page_to_a_spanish_answer_and_back_in_english(page) -> None:
    page.goto("/es/")
    page.get_by_role("link", name="¿Tiene mi hijo ausentismo crónico?").first.click()
    page.wait_for_url(re.compile(r"/es/calculators/chronic-absence/$"))
    page.get_by_label("Días inscritos").fill("180")
    page.get_by_label("Días de ausencia").fill("17")
    page.get_by_role("button", name="Calcular").click()
    verdict = page.locator("#result")
    expect(verdict).to_have_text("Hasta ahora, su hijo o hija tiene ausentismo crónico según la cuenta del LAUSD, pero no según la cuenta del estado.", timeout=PYTHON_START_MS)
    expect(page.locator('[data-value="attendance_rate"]')).to_have_text("90,56\u00a0%")
    expect(page.locator(".calc-why h3")).to_have_text("Por qué")
    page.wait_for_url(re.compile(r"\?enrolled=180&absent=17"))
    # The language switch keeps the answer: the same numbers, now in English.
    page.get_by_role("button", name=re.compile("idioma|language", re.I)).hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/calculators/chronic-absence/\?enrolled=180&absent=17"))
    assert "/es/" not in page.url
    expect(page.locator("#result")).to_have_text("So far, your child is chronically absent by LAUSD's count, but not by the state's count.", timeout=PYTHON_START_MS)
    expect(page.locator('[data-value="attendance_rate"]')).to_have_text("90.56%")
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_a_bad_number_is_explained_in_spanish_next_to_its_field(page) -> None:
    page.goto("/es/calculators/chronic-absence/?enrolled=180&absent=200")
    error = page.locator('[data-error-for="absent"]')
    expect(error).to_have_text("«Días de ausencia» (200) es más que «Días inscritos» (180). Las ausencias se cuentan dentro de los días inscritos: escriba 180 o menos.", timeout=PYTHON_START_MS)
    expect(page.get_by_label("Días de ausencia")).to_have_attribute("aria-invalid", "true")
    assert page.watch.errors == []
