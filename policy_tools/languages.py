"""Post-build step: link every page to the same page in the other language (issue 14).

The Spanish pages live under `es/` (`es/calculators/chronic-absence/` beside
`calculators/chronic-absence/`); only pages with a Spanish text exist there. For each page this
step writes, as relative addresses so the site works under any base path:

- `<link rel="alternate" hreflang="...">` in the head for each language the page exists in (itself
  included), plus `x-default` (English): never a link to a page that does not exist;
- the header's language switch (Material's selector): each language's link goes to the same page
  in that language, or to that language's home page when the page has no translation; the link
  text carries its own `lang` (WCAG 3.1.2, language of parts).

It also gives the glossary tooltips of Spanish pages their Spanish wording: the abbreviations
appended to every page are English (`docs/includes/abbreviations.md`); on a Spanish page each
`<abbr>` takes the term's `es.definition` from policy_data/glossary.yaml, and a term shown on a
Spanish page without one stops the build naming the file and key.

Plain Python over the built HTML, so any builder (MkDocs, Zensical) gets the same result.
docs/assets/js/languages.js keeps the query string and the fragment when the switch is used, so a
calculator's answer survives the change of language.
"""
from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

from policy_tools.bulletin_records import Term
from policy_tools.files import write_if_changed
from policy_tools.reference_pages import tooltip
from policy_tools.yamlio import load

DEFAULT = "en"
LANGUAGES = ("en", "es")  # the first is the default, published at the site root
GLOSSARY = "policy_data/glossary.yaml"
PERMALINK_ES = "Enlace permanente"

ALTERNATE_RE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
SELECT_LINK_RE = re.compile(r'<a href="[^"]*" hreflang="(?P<lang>[a-z-]+)" class="md-select__link"(?: lang="[a-z-]+")?>')
ABBR_RE = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<term>[^<]*)</abbr>')
HEAD_END = "</head>"
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!-- Read by Material\'s language selector (policy_tools.languages); the site map is /sitemap.xml. -->\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
)


class LanguageError(Exception):
    pass


def language_of(rel: str) -> tuple[str, str]:
    """`es/calculators/x/index.html` -> ("es", "calculators/x/index.html")."""
    first, _, rest = rel.partition("/")
    if first in LANGUAGES and first != DEFAULT and rest:
        return first, rest
    return DEFAULT, rel


def path_in(lang: str, key: str) -> str:
    return key if lang == DEFAULT else f"{lang}/{key}"


def relative_url(from_rel: str, to_rel: str) -> str:
    """Address of the page `to_rel` (`.../index.html`) from the page `from_rel` (directory URLs)."""
    target = os.path.dirname(to_rel) or "."
    start = os.path.dirname(from_rel) or "."
    url = os.path.relpath(target, start).replace(os.sep, "/")
    return "./" if url == "." else url + "/"


def spanish_glossary(root: Path) -> dict[str, str]:
    """Term as printed -> Spanish tooltip text, for every glossary term with an `es` part."""
    found: dict[str, str] = {}
    for term in (Term.from_yaml(entry) for entry in load(root / GLOSSARY).data["terms"]):
        if term.es is not None:
            # The same key and title as the English tooltips (reference_pages.tooltip): "E.C." is "E.C".
            key, title = tooltip(term.term, term.es.expansion, term.es.definition)
            found[key] = title
    return found


def localise_abbreviations(text: str, rel: str, glossary: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        term = html.unescape(match["term"])
        if term not in glossary:
            raise LanguageError(
                f"{GLOSSARY}: term {term!r} appears on the Spanish page {rel} but has no Spanish wording:"
                f" add `es: {{definition: ...}}` to that term"
            )
        return f'<abbr title="{html.escape(glossary[term], quote=True)}">{match["term"]}</abbr>'

    return ABBR_RE.sub(swap, text)


def page_links(site: Path, rel: str) -> tuple[dict[str, str], dict[str, str]]:
    """(alternates: lang -> url of the same page, switch: lang -> url the language switch uses)."""
    _, key = language_of(rel)
    alternates: dict[str, str] = {}
    switch: dict[str, str] = {}
    for lang in LANGUAGES:
        other = path_in(lang, key)
        if (site / other).is_file():
            alternates[lang] = switch[lang] = relative_url(rel, other)
        else:
            switch[lang] = relative_url(rel, path_in(lang, "index.html"))
    return alternates, switch


def rewrite(text: str, site: Path, rel: str, glossary: dict[str, str]) -> str:
    lang, _ = language_of(rel)
    alternates, switch = page_links(site, rel)
    text = ALTERNATE_RE.sub("", text)
    if len(alternates) > 1:
        head_links = "".join(f'<link rel="alternate" href="{url}" hreflang="{code}">\n' for code, url in alternates.items())
        head_links += f'<link rel="alternate" href="{alternates[DEFAULT]}" hreflang="x-default">\n'
        text = text.replace(HEAD_END, head_links + HEAD_END, 1)

    def select(match: re.Match[str]) -> str:
        code = match["lang"]
        return f'<a href="{switch[code]}" hreflang="{code}" class="md-select__link" lang="{code}">'

    text = SELECT_LINK_RE.sub(select, text)
    if lang == "es":
        text = localise_abbreviations(text, rel, glossary)
        # The headings' anchor title comes from the toc extension, one setting for every language.
        text = text.replace('title="Permanent link"', f'title="{PERMALINK_ES}"')
    return text


def alternate_sitemaps(site: Path, rels: list[str]) -> None:
    """An empty sitemap.xml beside every page that is some page's hreflang alternate.

    Material's language selector script fetches `sitemap.xml` relative to each
    `<link rel="alternate">` of a page (it expects language home pages there); without a file the
    browser logs a 404 on every translated page. Material's instant navigation reads the root
    sitemap, never these."""
    for rel in rels:
        if rel == "index.html":
            continue  # the root sitemap the builder writes
        write_if_changed(site / Path(rel).parent / "sitemap.xml", EMPTY_SITEMAP)


def pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name == "index.html" and not p.relative_to(site).as_posix().startswith(("ref/", "assets/"))
    )


def run_site(site: Path, root: Path | None = None) -> None:
    root = root or Path(__file__).resolve().parents[1]
    glossary = spanish_glossary(root)
    translated: list[str] = []
    try:
        for rel in pages(site):
            path = site / rel
            text = path.read_text(encoding="utf-8")
            if 'class="md-select__link"' not in text:
                continue
            write_if_changed(path, rewrite(text, site, rel, glossary))
            if len(page_links(site, rel)[0]) > 1:
                translated.append(rel)
    except LanguageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    alternate_sitemaps(site, translated)
    # Each language has its own 404 page (overrides/404.html, policy_tools/mkdocs_hooks.py): the
    # root's in English, es/404.html in Spanish. A build that lost either fails here.
    for lang in LANGUAGES:
        not_found = site / path_in(lang, "404.html")
        if not not_found.is_file() or f'<html lang="{lang}"' not in not_found.read_text(encoding="utf-8"):
            print(f"error: {not_found.relative_to(site)}: no 404 page in {lang!r} (overrides/404.html, policy_tools/mkdocs_hooks.py)", file=sys.stderr)
            raise SystemExit(1)


def spanish_pages(site: Path) -> list[str]:
    """Every Spanish page of the built site, as site-relative paths."""
    return [rel for rel in pages(site) if language_of(rel)[0] == "es"]
