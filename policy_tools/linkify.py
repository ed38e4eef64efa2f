"""Bulletin wording -> Markdown in which every statute, bulletin and web address is a link.

The text is the bulletin's own (fields named `text`); this module only escapes it for Markdown and
wraps citations in links, so the words a reader sees are exactly the words of the data.
Statute ids follow DESIGN.md (`edc-48205`, `ccr-5-306`, `usc-20-1232g`); a subdivision such as
`60901(c)(1)` stays in the link text but not in the id, because the official text is per section.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# "E.C. § 48205", "E.C. §§ 48432.5, 48853, 48853.5", "Education Code § 48200",
# "California Education Code Sections 49060 et seq., 49073 et seq.", "E.C. Section 48260.5".
_EDC_PREFIX = r"(?:California\s+)?(?:E\.C\.|Education\s+Code)\s*(?:§§?|Sections?)\s*"
_SECTION = r"\d+(?:\.\d+)?(?:\([a-z0-9]+\))*(?:\s+et\s+seq\.)?"
_SECTION_LIST = rf"{_SECTION}(?:(?:\s*,\s*|\s*,?\s+and\s+){_SECTION})*"
_SECTION_ONE = re.compile(rf"({_SECTION})")
_CITATION = re.compile(
    rf"(?P<edc>{_EDC_PREFIX}{_SECTION_LIST})"
    rf"|(?P<ccr>CCR,\s*Title\s*(?P<ccr_title>\d+),\s*§\s*(?P<ccr_section>\d+(?:\.\d+)?))"
    rf"|(?P<usc>(?P<usc_title>\d+)\s+U\.S\.C\.\s*(?:§|Section)\s*(?P<usc_section>\d+[a-z]?))"
    # "BUL-6718.0", "REF-5464.11", "REF 123501.3" as printed; never the bulletin's own number.
    # A number that goes on with a letter ("BUL-5655.x", a family of bulletins) is no reference.
    rf"|(?P<ref>\b(?:BUL|REF)(?:-|\s)\s?(?P<ref_number>\d+(?:\.\d+)?)(?![\d.]*[A-Za-z]))"
    rf"|(?P<url>https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:])"
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]>#|{}])")


def escape(text: str) -> str:
    """Escape text so Markdown shows it as written (no emphasis, links or HTML from the data)."""
    # Python-Markdown has no backslash escape for "<", so it becomes an entity.
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def external_link(text_md: str, url: str) -> str:
    """A link off the site, marked so the print stylesheet can spell out its address."""
    return f"[{text_md}]({url}){{ .policy-external }}"


def statute_id(code: str, section: str, title: int | str | None = None) -> str:
    """`edc-48205`, `ccr-5-306`, `usc-20-1232g` (DESIGN.md: lower case, `.` kept)."""
    bare = re.sub(r"\(.*$|\s+et\s+seq\.$", "", section.strip())
    parts = [code.lower()] + ([str(title)] if title is not None else []) + [bare]
    return "-".join(parts)


def reference_key(printed: str) -> str:
    """`BUL- 5417.2` and `BUL-5417.2` -> `bul-5417.2`: the anchor of a Related Resources entry."""
    match = re.match(r"\s*(BUL|REF)\W*\s*(\d+(?:\.\d+)?)", printed, re.IGNORECASE)
    if not match:
        return re.sub(r"[^a-z0-9.]+", "-", printed.lower()).strip("-")
    return f"{match.group(1).lower()}-{match.group(2)}"


@dataclass(frozen=True)
class Found:
    """A citation found in text: `kind` is statute | reference | url."""

    kind: str
    key: str            # statute id, reference key or the URL
    printed: str        # the words as they appear


def find_citations(text: str, own_number: str = "") -> list[Found]:
    return [found for _, _, found in _scan(text, own_number)]


def _scan(text: str, own_number: str) -> list[tuple[int, int, Found]]:
    """(start, end, Found) for every citation; an E.C. list yields one entry per section."""
    out: list[tuple[int, int, Found]] = []
    for match in _CITATION.finditer(text):
        if match.group("edc"):
            first = True
            for number in _SECTION_ONE.finditer(match.group("edc")):
                # The first link also covers "E.C. §", so the reader clicks the whole citation.
                start = match.start() if first else match.start() + number.start()
                end = match.start() + number.end()
                out.append((start, end, Found("statute", statute_id("EDC", number.group(1)), text[start:end])))
                first = False
        elif match.group("ccr"):
            key = statute_id("CCR", match.group("ccr_section"), match.group("ccr_title"))
            out.append((match.start(), match.end(), Found("statute", key, match.group(0))))
        elif match.group("usc"):
            key = statute_id("USC", match.group("usc_section"), match.group("usc_title"))
            out.append((match.start(), match.end(), Found("statute", key, match.group(0))))
        elif match.group("ref"):
            key = reference_key(match.group(0))
            if own_number and key == reference_key(own_number):
                continue
            out.append((match.start(), match.end(), Found("reference", key, match.group(0))))
        else:
            out.append((match.start(), match.end(), Found("url", match.group("url"), match.group(0))))
    return out


def _write(text: str, href: Callable[[Found], str | None], own_number: str,
           plain: Callable[[str], str], link: Callable[[Found, str], str]) -> str:
    """`text` with each citation for which `href` gives an address written by `link`, the rest by `plain`."""
    pieces: list[str] = []
    position = 0
    for start, end, found in _scan(text, own_number):
        target = href(found)
        if target is None:
            continue
        pieces.append(plain(text[position:start]))
        pieces.append(link(found, target))
        position = end
    pieces.append(plain(text[position:]))
    return "".join(pieces)


def linkify(text: str, href: Callable[[Found], str | None], own_number: str = "") -> str:
    """Markdown for `text`: each citation for which `href` gives an address becomes a link."""

    def link(found: Found, target: str) -> str:
        # An address printed as the link text needs no second copy on paper: no print class.
        if "://" in target and found.kind != "url":
            return external_link(escape(found.printed), target)
        return f"[{escape(found.printed)}]({target})"

    return _write(text, href, own_number, escape, link)


def linkify_html(text: str, href: Callable[[Found], str | None], own_number: str = "", attributes: str = "") -> str:
    """HTML for `text`, as `linkify` writes Markdown: for pages whose links MkDocs cannot check
    (a Spanish page linking English ones, with `attributes` such as ` hreflang="en"`)."""
    import html

    def link(found: Found, target: str) -> str:
        return f'<a href="{html.escape(target)}"{attributes}>{html.escape(found.printed)}</a>'

    return _write(text, href, own_number, html.escape, link)
