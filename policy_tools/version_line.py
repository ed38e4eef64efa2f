"""The bulletin's version line on every page, and the footer's print and PDF links (issue 16).

    BUL-4926.4, August 12, 2024 · replaces BUL-4926.3      (a link to LAUSD's eLibrary)

Written from policy_data (bulletin/meta.yaml; the eLibrary address the bulletin itself gives, in
bulletin/related_resources.yaml `elibrary`) as two theme partials that overrides/main.html and
overrides/partials/copyright.html include, so no template repeats a date or a number:

    overrides/partials/generated/version.html, overrides/partials/generated/footer.html

Both are generated (gitignored). A step of policy_tools.prepare: run(root).

Each partial holds the line in every language, chosen by the page's `theme.language` (the Spanish
build's is `es`, issue 14): on a Spanish page the date is written the Spanish way (Babel's formats,
calculators.formats) and the links say that the whole bulletin and its PDF are in English, the
official text, with `hreflang="en"`.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

from calculators import formats
from policy_tools.files import write_if_changed
from policy_tools.page_parts import bulletin_date
from policy_tools.policy_data import Bulletin, load_bulletin

OUT = Path("overrides/partials/generated")


def pdf_name(number: str) -> str:
    """The PDF of the whole bulletin, made by policy_tools.pdf: assets/BUL-4926.4.pdf."""
    return f"assets/{number}.pdf"


# The words around the bulletin's number and date, per language (English is the default).
WORDS = {
    "en": {
        "replaces": "replaces {number}",
        "elibrary": " (LAUSD eLibrary)",
        "whole": "Whole bulletin, to print",
        "pdf": "PDF of the whole bulletin",
        "link_lang": "",
    },
    "es": {
        "replaces": "reemplaza a {number}",
        "elibrary": " (biblioteca en línea del LAUSD, en inglés)",
        "whole": "Boletín completo para imprimir (en inglés)",
        "pdf": "PDF del boletín completo (en inglés)",
        "link_lang": ' hreflang="en"',
    },
}


def version_text(bulletin: Bulletin, lang: str = "en") -> str:
    meta = bulletin.meta
    date = bulletin_date(meta.date) if lang == "en" else formats.long_date(str(meta.date), lang)
    text = f"{meta.number}, {date}"
    if meta.replaces:
        text += " · " + WORDS[lang]["replaces"].format(number=meta.replaces)
    return text


def elibrary(bulletin: Bulletin) -> str:
    value = bulletin.related_resources.elibrary
    if not isinstance(value, str) or not value.startswith("http"):
        raise ValueError("policy_data/bulletin/related_resources.yaml: field `elibrary`: the eLibrary address the bulletin gives is missing")
    return value


def _partials_in(bulletin: Bulletin, lang: str) -> dict[str, str]:
    words = WORDS[lang]
    number = bulletin.meta.number
    line = html.escape(version_text(bulletin, lang))
    link = (
        f'<a class="policy-version__link" href="{html.escape(elibrary(bulletin))}"{words["link_lang"]}>{line}'
        f'<span class="policy-visually-hidden">{html.escape(words["elibrary"])}</span></a>'
    )
    # The print date is filled in by docs/assets/js/copy-link.js when the page is shown or printed.
    version = (
        f'<p class="policy-version policy-ours">{link}'
        '<span class="policy-print-date" data-print-date></span></p>\n'
    )
    footer = (
        '<p class="policy-footer">'
        f"{line} · "
        f"<a href=\"{{{{ 'policy/bulletin/' | url }}}}\"{words['link_lang']}>{html.escape(words['whole'])}</a> · "
        f"<a href=\"{{{{ '{pdf_name(number)}' | url }}}}\"{words['link_lang']} download>{html.escape(words['pdf'])}</a>"
        "</p>\n"
    )
    return {"version.html": version, "footer.html": footer}


def partials(bulletin: Bulletin) -> dict[str, str]:
    """Each partial with one branch per language other than English, English last (the default)."""
    english = _partials_in(bulletin, "en")
    out = {}
    for name, text in english.items():
        branches = "".join(
            f'{{% {"if" if i == 0 else "elif"} config.theme.language == "{lang}" %}}\n{_partials_in(bulletin, lang)[name]}'
            for i, lang in enumerate(lang for lang in WORDS if lang != "en")
        )
        out[name] = f"{branches}{{% else %}}\n{text}{{% endif %}}\n" if branches else text
    return out


def run(root: Path) -> None:
    bulletin = load_bulletin(root)
    changed = sum(write_if_changed(root / OUT / name, text) for name, text in partials(bulletin).items())
    print(f"version_line: {changed} partial(s) changed", file=sys.stderr)
