"""The bulletin's version line on every page, and the footer's print and PDF links (issue 16).

    BUL-4926.4, August 12, 2024 · replaces BUL-4926.3      (a link to LAUSD's eLibrary)

Written from policy_data (bulletin/meta.yaml; the eLibrary address the bulletin itself gives, in
bulletin/related_resources.yaml `elibrary`) as two theme partials that overrides/main.html and
overrides/partials/copyright.html include, so no template repeats a date or a number:

    overrides/partials/generated/version.html, overrides/partials/generated/footer.html

Both are generated (gitignored). A step of policy_tools.prepare: run(root).
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

from policy_tools.files import write_if_changed
from policy_tools.page_parts import bulletin_date
from policy_tools.policy_data import Bulletin, load_bulletin

OUT = Path("overrides/partials/generated")


def pdf_name(number: str) -> str:
    """The PDF of the whole bulletin, made by policy_tools.pdf: assets/BUL-4926.4.pdf."""
    return f"assets/{number}.pdf"


def version_text(bulletin: Bulletin) -> str:
    meta = bulletin.meta
    text = f"{meta.number}, {bulletin_date(meta.date)}"
    if meta.replaces:
        text += f" · replaces {meta.replaces}"
    return text


def elibrary(bulletin: Bulletin) -> str:
    value = bulletin.related_resources.elibrary
    if not isinstance(value, str) or not value.startswith("http"):
        raise ValueError("policy_data/bulletin/related_resources.yaml: field `elibrary`: the eLibrary address the bulletin gives is missing")
    return value


def partials(bulletin: Bulletin) -> dict[str, str]:
    number = bulletin.meta.number
    line = html.escape(version_text(bulletin))
    link = (
        f'<a class="policy-version__link" href="{html.escape(elibrary(bulletin))}">{line}'
        '<span class="policy-visually-hidden"> (LAUSD eLibrary)</span></a>'
    )
    # The print date is filled in by docs/assets/js/copy-link.js when the page is shown or printed.
    version = (
        f'<p class="policy-version policy-ours">{link}'
        '<span class="policy-print-date" data-print-date></span></p>\n'
    )
    footer = (
        '<p class="policy-footer">'
        f"{line} · "
        f"<a href=\"{{{{ 'policy/bulletin/' | url }}}}\">Whole bulletin, to print</a> · "
        f"<a href=\"{{{{ '{pdf_name(number)}' | url }}}}\" download>PDF of the whole bulletin</a>"
        "</p>\n"
    )
    return {"version.html": version, "footer.html": footer}


def run(root: Path) -> None:
    bulletin = load_bulletin(root)
    changed = sum(write_if_changed(root / OUT / name, text) for name, text in partials(bulletin).items())
    print(f"version_line: {changed} partial(s) changed", file=sys.stderr)
