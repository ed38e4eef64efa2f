"""The whole bulletin on one page, in the bulletin's reading order, for printing and for the PDF.

    policy/bulletin.md  ->  /policy/bulletin/   (policy_tools.pdf prints it to the PDF)

Made from the very pages the site shows (policy_pages, reference_pages), so the printed text is the published text:
each page's headings move one level down under its own part heading, and links into any page that
is part of this one become links within it (the PDF keeps them working). Excluded from search,
which already finds every paragraph on its own page.
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policy_tools.site_index import SiteIndex

PAGE = "policy/bulletin.md"
# Bulletin order: Purpose, Major Changes, the Guidelines' introduction, sections I-XVI, then the end
# matter. The overview page holds Purpose and Guidelines; it is split around Major Changes.
FRONT = ("policy/index.md", "policy/whats-new.md")
_GUIDELINES = re.compile(r"^## .*\{ #guidelines \}", re.MULTILINE)
_HOW_TO_READ = re.compile(r"^## .*\{ #how-to-read \}", re.MULTILINE)
END = ("reference/authority.md", "reference/related-resources.md", "reference/assistance.md")

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)
_MD_LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def order(index: "SiteIndex") -> list[str]:
    return [*FRONT, *(f"policy/{s.id}.md" for s in index.bulletin.sections), *END]


def _rebase(body: str, source: str, included: set[str]) -> str:
    def link(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source), match.group(1)))
        anchor = match.group(2) or ""
        # Statute links keep opening the Authority page's entry (one place for every statute link).
        if target in included and anchor and target != "reference/authority.md":
            return f"]({anchor})"
        return f"]({posixpath.relpath(target, posixpath.dirname(PAGE))}{anchor})"

    return _MD_LINK.sub(link, body)


def _split_overview(body: str) -> tuple[str, str]:
    """(About + Purpose, the Guidelines' introduction); our "How to read" part is left out."""
    guidelines = _GUIDELINES.search(body)
    if guidelines is None:
        return body, ""
    how_to = _HOW_TO_READ.search(body, guidelines.start())
    return body[: guidelines.start()], body[guidelines.start(): how_to.start() if how_to else len(body)]


def page(index: "SiteIndex", pages: dict[str, str]) -> str:
    parts = order(index)
    included = set(parts)
    number = index.number
    title = f"{number}, the whole bulletin"
    lines = [
        "---",
        f'title: "{title}"',
        f'description: "All of {number} on one page, in the bulletin’s order, to print or save as PDF."',
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {title} {{ #bulletin }}",
        "",
        '<p class="policy-print-hint" data-search-exclude="true">Every part of the bulletin in its own order, '
        "with each paragraph’s permanent address when printed. Print this page, or use the PDF made from it.</p>",
        "",
    ]
    bodies: list[tuple[str, str]] = []
    later = ""
    for source in parts:
        body = _FRONT_MATTER.sub("", pages[source], count=1).strip("\n")
        if source == "policy/index.md":
            body, later = _split_overview(body)
        bodies.append((source, body))
        if source == "policy/whats-new.md" and later:
            bodies.append(("policy/index.md", later))
    for source, body in bodies:
        body = _HEADING.sub(lambda m: "#" + m.group(1) + " ", body.strip("\n"))
        lines += ['<div class="policy-part" markdown>', "", _rebase(body, source, included), "", "</div>", ""]
    return "\n".join(lines)
