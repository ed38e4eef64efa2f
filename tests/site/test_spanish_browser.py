"""The language switch and Spanish search in Chromium (issue 14), used as a family would."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def switch_to(page, language: str) -> None:
    """Open the header's language menu and choose a language, as a reader does."""
    page.get_by_role("button", name=re.compile("language|idioma", re.I)).hover()
    page.locator(f'a.md-select__link[hreflang="{language}"]').click()


def test_the_switch_keeps_the_page_its_query_and_its_fragment(page) -> None:
    page.goto("/reference/glossary/?from=test#term-misis")
    switch_to(page, "es")
    page.wait_for_url(re.compile(r"/es/reference/glossary/\?from=test#term-misis$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text().startswith("Glosario")
    switch_to(page, "en")
    page.wait_for_url(re.compile(r"/reference/glossary/\?from=test#term-misis$"))
    assert not page.url.split("?")[0].endswith("/es/reference/glossary/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_after_instant_navigation_the_switch_follows_the_new_page(page) -> None:
    page.goto("/")
    page.evaluate("window.__samePage = true")
    page.locator("article a[href$='reference/glossary/']").first.click()
    # (navigation.tracking may carry the home page's last heading as a fragment: not ours to judge)
    page.wait_for_url(re.compile(r"/reference/glossary/(#.*)?$"))
    page.locator("h1", has_text="Glossary").wait_for()
    expect(page.locator('a.md-select__link[hreflang="es"]')).to_have_attribute("href", re.compile(r"/es/reference/glossary/$"))
    assert page.evaluate("window.__samePage === true"), "no instant navigation: the test proves nothing"
    switch_to(page, "es")
    page.wait_for_url(re.compile(r"/es/reference/glossary/$"))
    # A full load into the other language: the document is Spanish, header included.
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.evaluate("window.__samePage === undefined")
    assert page.watch.errors == []


def test_a_page_without_translation_switches_to_the_spanish_home(page) -> None:
    page.goto("/policy/xii/")
    switch_to(page, "es")
    page.wait_for_url(re.compile(r"/es/$"))
    assert page.locator("html").get_attribute("lang") == "es"


def test_a_link_from_a_spanish_page_to_an_english_one_loads_it_in_english(page) -> None:
    page.goto("/es/")
    page.evaluate("window.__samePage = true")
    page.locator("article a[href$='/policy/xv/']").click()
    page.wait_for_url(re.compile(r"/policy/xv/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("window.__samePage === undefined"), "instant navigation kept the Spanish document"


def test_spanish_search_on_a_spanish_page_finds_the_spanish_page(page) -> None:
    page.goto("/es/")
    page.get_by_role("textbox", name="Búsqueda").click()
    page.keyboard.type("glosario")
    result = page.locator('.md-search-result__item a[href*="es/reference/glossary/"]').first
    result.wait_for(state="visible", timeout=15_000)
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_a_mistyped_spanish_address_answers_in_spanish_and_leads_home(page) -> None:
    response = page.goto("/es/calculadoras/no-existe/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator("h1")).to_have_text("404: no encontramos esta página")
    page.get_by_role("link", name="página de inicio").click()
    page.wait_for_url(re.compile(r"/es/$"))
    expect(page.locator("h1")).to_have_text(re.compile("La asistencia de su hijo"))


def test_a_printed_spanish_page_says_its_version_and_print_date_in_spanish(page) -> None:
    import datetime

    page.goto("/es/")
    page.emulate_media(media="print")
    try:
        months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
        today = datetime.date.today()
        expect(page.locator(".policy-version")).to_have_text(
            "BUL-4926.4, 12 de agosto de 2024 · reemplaza a BUL-4926.3 (biblioteca en línea del LAUSD, en inglés)"
            f" · impreso el {today.day} de {months[today.month - 1]} de {today.year}"
        )
    finally:
        page.emulate_media(media="screen")
