"""The pieces every generated page is made of: front matter and heading, a paragraph block with its
permanent address and copy-link button, our notes, "cited in" links and table cells.

`PageWriter` holds the site index and the links; policy_pages and reference_pages extend it.
"""
from __future__ import annotations

import datetime
import html
import re
from typing import Any

from policy_tools.bulletin_records import Authority, RelatedResources
from policy_tools.citation import Citer
from policy_tools.linkify import escape
from policy_tools.links import Links, url_link
from policy_tools.site_index import SiteIndex
from policy_tools.site_url import site_url


class PageWriter:
    def __init__(self, index: SiteIndex) -> None:
        self.index = index
        self.b = index.bulletin
        self.number = index.number
        self.links = Links(index)
        # "Cite this" (issue 16): absolute permanent addresses under SITE_URL.
        meta = index.bulletin.meta
        self.citer = Citer(meta.number, meta.title, bulletin_date(meta.date), site_url())

    def text_md(self, text: str, page: str, unlinked: frozenset[str] = frozenset()) -> str:
        return self.links.text_md(text, page, unlinked)

    def link_to(self, from_page: str, ident: str, label: str | None = None) -> str:
        return self.links.link_to(from_page, ident, label)

    def head(self, title: str, anchor: str = "", description: str = "") -> list[str]:
        lines = ["---", f"title: {yaml_str(title)}"]
        if description:
            lines.append(f"description: {yaml_str(description)}")
        lines += ["---", "", f"# {escape(title)}" + (f" {{ #{anchor} }}" if anchor else ""), ""]
        return lines

    def part_head(self, part: Authority | RelatedResources, page: str, description: str) -> list[str]:
        """The heading of a page that shows one part of the bulletin, then the part's own introduction."""
        lines = self.head(part.title, part.id, description=description)
        return lines + [self.text_md(part.text, page), ""] if part.text else lines

    def pinpoint(self, ident: str) -> str:
        """How a citation points into the bulletin: "XII.c", "section XII", "Major change 6.b"."""
        if ident in {s.id for s in self.b.sections}:
            return f"section {ident.upper()}"
        target = self.index.targets.get(ident)
        return target.label if target else ident

    def copy_button(self, ident: str, label: str, page: str) -> str:
        ref = url_link(page, f"ref/{ident}/")
        return (
            f'<p class="policy-actions" data-search-exclude="true"><button type="button" class="policy-copy" '
            f'data-ref="{html.escape(ref)}">Copy link<span class="policy-visually-hidden"> to '
            f"{html.escape(label)}</span></button> {self.citer.button(ident, self.pinpoint(ident), label)}</p>"
        )

    def block(self, ident: str, label: str, body_md: str, page: str, extra: str = "") -> str:
        """A paragraph with its label (a link to its permanent address) and a copy-link button."""
        ref = url_link(page, f"ref/{ident}/")
        name = self.index.targets[ident].label
        label_html = (
            f'<a class="policy-label" href="{html.escape(ref)}" title="Permanent address of {html.escape(name)}">'
            f"{html.escape(label)}</a>"
        )
        # data-label names the entry in search (policy_tools.search_index); data-address is printed.
        parts = [
            f'<div class="policy-paragraph" id="{ident}" data-label="{html.escape(name)}" '
            f'data-address="{html.escape(self.citer.address(ident))}" markdown>',
            f"{label_html} {body_md}",
            "",
        ]
        if extra:
            parts += [extra, ""]
        parts += [self.copy_button(ident, name, page), "</div>", ""]
        return "\n".join(parts)

    def editorial_md(self, ident: str, page: str) -> str:
        """The bulletin's own slips corrected in `ident` (ocr_corrections.yaml `kind: editorial`),
        labelled apart from OCR fixes, with the words as printed."""
        items = " ".join(
            f"The bulletin prints “{escape(fix['find'])}”; corrected to “{escape(fix['replace'])}”. "
            f"{self.text_md(' '.join(str(fix['note']).split()), page)}"
            for fix in self.b.editorial[ident]
        )
        return f'<p class="policy-note policy-editorial" markdown>*Editorial correction (ours; the bulletin’s own slip, not OCR damage):* {items}</p>'

    def note_md(self, note: str, page: str) -> str:
        # The label is ours: search neither indexes nor highlights it (class policy-ours).
        return (
            '<p class="policy-note" markdown><em class="policy-ours">Note (ours, not the bulletin’s):</em> '
            f'{self.text_md(" ".join(note.split()), page)}</p>'
        )

    def cited(self, ident: str, page: str) -> str:
        """A link to a block, with its section title when it has one: "XII.c (Withdrawal Procedures)"."""
        target = self.index.targets[ident]
        link = self.link_to(page, ident)
        return f"{link} ({escape(target.context)})" if target.context else link


def bulletin_date(value: str) -> str:
    """"August 12, 2024", as the bulletin prints its date."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


def amount(value: Any, unit: str) -> str:
    """A number with its unit as a reader says it: "15 minutes", "91%", "week 2 of school"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = unit.replace("_", " ")
    if unit == "percent":
        return f"{value}%"
    if unit == "grade":
        return f"grade {value}"
    if " of " in words and not words.startswith(("years", "year ")):
        # An ordinal position ("week_of_school" 2): "week 2 of school", as "the second week of school".
        head, tail = words.split(" of ", 1)
        return f"{head} {value} of {tail}"
    if value == 1:
        words = re.sub(r"\b(day|week|year|minute|time|goal|school|absence|hour|month)s\b", r"\1", words, count=1)
    return f"{value} {words}"


def cell(text: Any) -> str:
    return escape(" ".join(str(text).split()))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
