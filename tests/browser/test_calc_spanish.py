"""The Spanish chronic-absence page in Chromium (issue 14): a parent's path from the Spanish home
page to an answer in Spanish, the switch to English keeping the answer, errors in Spanish."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from conftest import one_sheet

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


def test_the_withdrawal_questions_and_checklist_in_spanish_and_the_answer_kept_in_english(page) -> None:
    page.goto("/es/")
    page.get_by_role("link", name="¿Cuándo se puede dar de baja a un estudiante?").first.click()
    page.wait_for_url(re.compile(r"/es/calculators/withdrawal/$"))
    expect(page.locator("#question")).to_have_text("Pregunta 1", timeout=PYTHON_START_MS)
    # Next without an answer: the message says what to do, in Spanish.
    page.get_by_role("button", name="Siguiente").click()
    expect(page.locator('[data-error-for="answer"]')).to_have_text("Elija una de las respuestas y luego oprima Siguiente.")
    for number, answer in enumerate(("No", "No, o no se sabe", "No", "No"), start=1):
        # Each answer waits for its own question: questions 3 and 4 both offer "No", and a check
        # made while question 3 is still shown would answer it twice and leave question 4 open.
        expect(page.locator("#question")).to_have_text(f"Pregunta {number}")
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Siguiente").click()
    page.wait_for_url(re.compile(r"\?died=no&other_school=none_known&ever_attended=no&no_show_due_diligence=no$"))
    expect(page.locator("#result")).to_have_text(re.compile(r"^Lista: No se presentó"))
    expect(page.locator(".calc-verdict")).to_have_text("No dé de baja al estudiante por ahora.")
    result = page.locator("[data-calc-result]")
    expect(result.get_by_role("heading", name="Documentos de respaldo")).to_be_visible()
    expect(result.get_by_role("heading", name="Sus respuestas")).to_be_visible()
    # The document keeps the name the bulletin prints; our reading of it is Spanish.
    expect(result.get_by_text("Not Attending, No Show, Not Enrolled Letter", exact=True)).to_be_visible()
    expect(page.locator(".calc-why")).to_contain_text("La carta “Not Attending, No Show, Not Enrolled Letter” respalda la baja")
    # Each step's paragraph is English text: its link says so.
    expect(result.locator("a.calc-source-paragraph").first).to_have_attribute("hreflang", "en")
    # Change an answer: the question comes back with the earlier answer chosen, in Spanish.
    page.get_by_role("link", name="Cambiar la respuesta a «¿Falleció el estudiante?»").click()
    expect(page.locator("#question")).to_have_text("Pregunta 1")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    page.go_back()
    expect(page.locator("#result")).to_have_text(re.compile(r"^Lista: No se presentó"))
    # The language switch keeps the answers: the same checklist, in English.
    page.get_by_role("button", name=re.compile("idioma|language", re.I)).hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/calculators/withdrawal/\?died=no&other_school=none_known&ever_attended=no&no_show_due_diligence=no$"))
    assert "/es/" not in page.url
    expect(page.locator("#result")).to_have_text(re.compile(r"^Checklist: No show"), timeout=PYTHON_START_MS)
    expect(page.locator(".calc-verdict")).to_have_text("Do not withdraw the student now.")
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_the_excused_page_answers_in_spanish_and_the_switch_keeps_the_answer(page) -> None:
    page.goto("/es/")
    page.get_by_role("link", name="Ausencias justificadas y sus límites").first.click()
    page.wait_for_url(re.compile(r"/es/calculators/excused-absences/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^Calculadora de ausencias justificadas"))
    # A family's entry: six funeral days in one row (7 to 14 Oct 2024), no school calendar needed.
    page.get_by_label("¿Por qué faltó?").first.select_option("funeral")
    page.get_by_label("Primer día que faltó").first.fill("2024-10-07")
    page.get_by_label("Último día que faltó (si quiere)").first.fill("2024-10-14")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator("#result")).to_have_text(
        "5 días de clases son justificados. 1 día de clases pasa de un límite, así que no es justificado.", timeout=PYTHON_START_MS
    )
    expect(page.locator(".calc-why")).to_contain_text("como máximo cinco días por cada suceso")
    expect(page.locator(".calc-why")).not_to_contain_text("Funeral services")
    page.wait_for_url(re.compile(r"\?.*absence="))
    # The language switch keeps the answer: the same days, now in English.
    page.get_by_role("button", name=re.compile("idioma|language", re.I)).hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(re.compile(r"/calculators/excused-absences/\?.*absence="))
    assert "/es/" not in page.url
    expect(page.locator("#result")).to_have_text(re.compile(r"^5 school days are excused"), timeout=PYTHON_START_MS)
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_the_spanish_chronic_and_excused_answers_print_on_one_sheet(page, tmp_path) -> None:
    """Issue 13: Spanish sentences run longer than English ones; each Spanish answer, its why
    complete, still prints on one Letter or A4 sheet with its address and the date."""
    answers = {
        "/es/calculators/chronic-absence/?enrolled=120&absent=14&days_left=60": "Hasta ahora, su hijo o hija tiene ausentismo crónico",
        "/es/calculators/excused-absences/?first_day=2024-08-14&second_semester_start=2025-01-13&absence=2024-10-07/2024-10-14,funeral,Funeral de la abuela&absence=2024-10-16,illness&absence=2025-02-03,religious_retreat": "7 días de clases son justificados.",
    }
    for address, verdict in answers.items():
        page.goto(address)
        expect(page.locator("#result")).to_contain_text(verdict, timeout=PYTHON_START_MS)
        printed = page.locator(".calc-print-address span").text_content()
        for paper in ("Letter", "A4"):
            sheet = one_sheet(page, tmp_path / "respuesta.pdf", paper)
            assert "BUL-4926.4, 12 de agosto de 2024 · calculado el" in sheet.text and verdict in sheet.text
            assert f"Esta respuesta: {printed}" in sheet.unwrapped
    assert page.watch.errors == []


def test_a_date_the_address_gives_that_is_no_date_is_told_in_spanish(page) -> None:
    """Issue 13: the date box would hold nothing; the message quotes what the address gave and
    offers the calendar, never the AAAA-MM-DD (YYYY-MM-DD) of a file's format."""
    page.goto("/es/calculators/excused-absences/?absence=2024-13-45,illness")
    summary = page.locator("[data-error-summary] li")
    expect(summary).to_have_text(["El primer día de la ausencia 1: la dirección da «2024-13-45», que no es una fecha. Elija la fecha en el calendario."], timeout=PYTHON_START_MS)
    expect(page.get_by_label("Primer día que faltó")).to_have_attribute("aria-invalid", "true")
    assert page.watch.errors == []
