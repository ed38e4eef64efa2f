"""The Spanish pages as built (issue 14): their language, their links to the English pages, and the
Spanish wording of what they show."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from policy_tools import languages

ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">')
SWITCH = re.compile(r'<a href="([^"]*)" hreflang="([a-z-]+)" class="md-select__link" lang="([a-z-]+)">')


def spanish_pages(site: Path) -> list[str]:
    return languages.spanish_pages(site)


def resolve(site: Path, rel: str, url: str) -> Path:
    path = url.split("#")[0].split("?")[0]
    return (site / rel).parent.joinpath(path, "index.html").resolve()


def test_the_family_pages_exist_in_spanish(site_dir: Path) -> None:
    pages = spanish_pages(site_dir)
    assert "es/index.html" in pages
    assert "es/reference/glossary/index.html" in pages
    assert "es/calculators/chronic-absence/index.html" in pages
    assert "es/calculators/withdrawal/index.html" in pages
    assert "es/calculators/excused-absences/index.html" in pages


def test_every_spanish_page_is_marked_spanish_and_every_english_page_english(site_dir: Path) -> None:
    for rel in languages.pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        if 'class="md-select__link"' not in text:
            continue
        expected = "es" if rel.startswith("es/") else "en"
        assert f'<html lang="{expected}"' in text, rel


def test_a_translated_page_names_both_versions_and_a_default(site_dir: Path) -> None:
    for rel in spanish_pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        found = {lang: url for url, lang in ALTERNATE.findall(text)}
        assert set(found) == {"en", "es", "x-default"}, rel
        assert resolve(site_dir, rel, found["es"]) == (site_dir / rel).resolve(), rel
        english = resolve(site_dir, rel, found["en"])
        assert english == (site_dir / rel.removeprefix("es/")).resolve() and english.is_file(), rel
        # ... and the English page names the Spanish one back.
        back = {lang: url for url, lang in ALTERNATE.findall(english.read_text(encoding="utf-8"))}
        assert resolve(site_dir, str(english.relative_to(site_dir.resolve())), back["es"]) == (site_dir / rel).resolve()


def test_a_page_without_translation_claims_none_and_its_switch_leads_to_the_spanish_home(site_dir: Path) -> None:
    rel = "policy/xii/index.html"
    text = (site_dir / rel).read_text(encoding="utf-8")
    assert ALTERNATE.findall(text) == [], "hreflang alternates on a page that exists in one language only"
    switch = {lang: url for url, lang, _ in SWITCH.findall(text)}
    assert resolve(site_dir, rel, switch["es"]) == (site_dir / "es/index.html").resolve()
    assert resolve(site_dir, rel, switch["en"]) == (site_dir / rel).resolve()


def test_the_switch_on_every_page_leads_to_a_page_that_exists(site_dir: Path) -> None:
    for rel in languages.pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        links = SWITCH.findall(text)
        if 'class="md-select__link"' in text:
            assert {lang for _, lang, _ in links} == {"en", "es"}, rel
        for url, lang, text_lang in links:
            assert text_lang == lang, f"{rel}: the {lang} link's text is not marked lang={lang}"
            assert resolve(site_dir, rel, url).is_file(), f"{rel}: language switch to {url} leads nowhere"


def test_every_link_of_a_spanish_page_leads_somewhere(site_dir: Path) -> None:
    for rel in spanish_pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        article = text[text.index('<article'):text.index('</article>')]
        for url in re.findall(r'<a [^>]*href="([^"#][^"]*)"', article):
            if "://" in url or url.startswith(("tel:", "mailto:")):
                continue
            target = (site_dir / rel).parent.joinpath(url.split("#")[0].split("?")[0])
            assert target.is_file() or (target / "index.html").is_file(), f"{rel}: {url} leads nowhere"


def test_a_spanish_page_says_the_bulletin_is_english_and_links_it(site_dir: Path) -> None:
    text = (site_dir / "es/index.html").read_text(encoding="utf-8")
    assert "El texto oficial" in text and "solo existe en inglés" in text
    assert re.search(r'<a href="\.\./policy/" hreflang="en">', text), "the home page does not link the English bulletin"
    # Our summary of the rules is marked as ours, with the English source linked.
    assert "nuestro resumen" in text
    assert re.search(r'<a href="\.\./policy/xv/" hreflang="en">', text)


def test_glossary_tooltips_on_spanish_pages_are_spanish(site_dir: Path, root: Path) -> None:
    spanish = languages.spanish_glossary(root)
    seen = 0
    for rel in spanish_pages(site_dir):
        for title, term in re.findall(r'<abbr title="([^"]*)"[^>]*>([^<]*)</abbr>', (site_dir / rel).read_text(encoding="utf-8")):
            assert html.unescape(title) == spanish[html.unescape(term)], f"{rel}: {term} explained as {title!r}"
            seen += 1
    assert seen > 0, "no glossary term explained on any Spanish page"


def test_a_term_a_spanish_page_shows_without_spanish_wording_stops_the_build(site_dir: Path) -> None:
    text = '<p><abbr title="Los Angeles Unified School District: ...">LAUSD</abbr></p>'
    with pytest.raises(languages.LanguageError, match=r"policy_data/glossary\.yaml: term 'LAUSD' .* es/index\.html"):
        languages.localise_abbreviations(text, "es/index.html", {})


def test_the_spanish_glossary_holds_every_term_with_spanish_wording(site_dir: Path, root: Path) -> None:
    terms = yaml.safe_load((root / "policy_data/glossary.yaml").read_text(encoding="utf-8"))["terms"]
    text = (site_dir / "es/reference/glossary/index.html").read_text(encoding="utf-8")
    for term in terms:
        if "es" in term:
            assert f'id="{term["id"]}"' in text, term["id"]
        else:
            assert f'id="{term["id"]}"' not in text, f"{term['id']} shown on the Spanish glossary without Spanish wording"


# Our own words around every page (the theme's settings, the version line, the footer) in English:
# none of them may show on a Spanish page.
ENGLISH_FRAME = [
    "Switch to dark mode", "Switch to light mode", "Permanent link", "Skip to content",
    "Whole bulletin, to print", "PDF of the whole bulletin", "replaces BUL-", "LAUSD eLibrary",
    "August 12, 2024", "Made with", "Page not found",
]


def visible_words(text: str) -> str:
    """The page's words a reader meets: text and the attributes read aloud, without scripts."""
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + attributes)


def test_the_frame_of_every_spanish_page_is_spanish(site_dir: Path) -> None:
    pages = spanish_pages(site_dir) + ["es/404.html"]
    for rel in pages:
        words = visible_words((site_dir / rel).read_text(encoding="utf-8"))
        found = [phrase for phrase in ENGLISH_FRAME if phrase in words]
        assert not found, f"{rel}: English in the page's frame: {found}"
        assert "12 de agosto de 2024 · reemplaza a BUL-4926.3" in words, rel
        assert "Cambiar a modo oscuro" in words and "Cambiar a modo claro" in words, rel


def test_a_missing_spanish_address_gets_a_404_page_in_spanish(site_dir: Path) -> None:
    text = (site_dir / "es" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in text
    words = visible_words(text)
    assert "404: no encontramos esta página" in words
    # Material's own words, the site's name and the navigation, in Spanish.
    assert "Saltar a contenido" in words and "Buscar" in words
    assert "BUL-4926.4: inscripción, asistencia y bajas" in words
    assert re.search(r'<a href="/es/"[^>]*>\s*página de inicio\s*</a>', text), "no way back to the Spanish home page"
    # An error page is served at any depth (/es/a/b/c): its addresses are absolute.
    assert 'href="/assets/stylesheets/' in text and 'href="../' not in text


def test_the_root_404_page_stays_english(site_dir: Path) -> None:
    """The Spanish build writes its own 404 page; it must not replace the English one."""
    text = (site_dir / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in text
    words = visible_words(text)
    assert "404 - Page not found" in words and "Skip to content" in words
    for spanish in ("Saltar a contenido", "Inicializando búsqueda", "inscripción, asistencia y bajas", "Cambiar a modo"):
        assert spanish not in words, f"Spanish on the English 404 page: {spanish!r}"
