"""Prepare step: the generated Spanish pages (issue 14), `docs/<page>.es.md`, published under /es/.

The bulletin stays in English: a Spanish page links the English paragraph or section it draws on
(marked `hreflang="en"`), never a translation presented as the bulletin. Only the Spanish pages are
built in Spanish (mkdocs.yml, i18n `fallback_to_default: false`), so a link from a Spanish page to
an English one is written as raw HTML with the built address (`../../../policy/xv/#xv-b`), not as a
Markdown file the Spanish build does not hold.

- `reference/glossary.es.md`: every glossary term with Spanish wording (`es` in
  policy_data/glossary.yaml), under the same anchors as the English glossary (`#term-misis`).
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from policy_tools.files import write_if_changed
from policy_tools.linkify import Found, escape, linkify
from policy_tools.links import official_url, page_url
from policy_tools.policy_data import load_bulletin
from policy_tools.site_index import SiteIndex, statute_of

GLOSSARY_PAGE = "reference/glossary.md"
# linkify writes Markdown links; a link to an English page is marked, then written as raw HTML.
ENGLISH = "english:"
ENGLISH_LINK_RE = re.compile(r"\[(?P<text>[^\]]*)\]\(english:(?P<url>[^)]*)\)")


def to_site_root(page: str) -> str:
    """From the Spanish page of `page` (`es/<page_url>`) up to the site root."""
    return "../" * ("es/" + page_url(page)).count("/")


def english_link(writer: SiteIndex, page: str, ident: str) -> str:
    """A link from a Spanish page to the English paragraph or part `ident`, marked as English."""
    target = writer.targets[ident]
    url = to_site_root(page) + page_url(target.page) + (f"#{target.anchor}" if target.anchor else "")
    # Raw HTML: MkDocs checks Markdown links against the files of the Spanish build, which holds no
    # English page (tests/site checks every built link instead).
    return f'<a href="{url}" hreflang="en" lang="en">{html.escape(target.label)}</a>'


def text_md(writer: SiteIndex, text: str, page: str) -> str:
    """Our Spanish wording as Markdown, every statute a link (to Authority, in English, or the official text)."""
    root = to_site_root(page)

    def href(found: Found) -> str | None:
        if found.kind != "statute":
            return None
        if found.key in writer.statutes:
            return f"{ENGLISH}{root}reference/authority/#{found.key}"
        return official_url(*statute_of(found.key))

    linked = linkify(" ".join(text.split()), href, writer.number)
    return ENGLISH_LINK_RE.sub(lambda m: f'<a href="{m["url"]}" hreflang="en">{m["text"]}</a>', linked)


def glossary_page(writer: SiteIndex) -> str:
    page = GLOSSARY_PAGE
    terms = [t for t in writer.bulletin.glossary if t.es is not None]
    lines = [
        "---",
        "title: Glosario",
        "description: Palabras y siglas del boletín BUL-4926.4 que aparecen en las páginas para las familias, en palabras sencillas.",
        "---",
        "",
        "# Glosario",
        "",
        "Palabras y siglas que aparecen en las páginas para las familias. Las definiciones son nuestras.",
        "Entre paréntesis va la palabra en inglés, tal como aparece en el boletín oficial.",
        "",
    ]
    for term in sorted(terms, key=lambda t: t.es.term.lower() if t.es else ""):
        es = term.es
        assert es is not None
        name = es.term
        english = term.term
        head = escape(name)
        if es.expansion:
            head += f": {escape(es.expansion)}"
        if english != name:
            head += f' (en inglés: <i lang="en">{html.escape(english)}</i>)'
        definition = text_md(writer, es.definition, page)
        used = [english_link(writer, page, ident) for ident in term.used_in if ident in writer.targets]
        if used:
            definition += f" En el boletín, en inglés: {', '.join(used)}."
        lines += [f"{head} {{ #{term.id} }}", f":   {definition}", ""]
    return "\n".join(lines)


def run(root: Path) -> None:
    writer = SiteIndex(load_bulletin(root))
    write_if_changed(root / "docs" / "reference" / "glossary.es.md", glossary_page(writer))
