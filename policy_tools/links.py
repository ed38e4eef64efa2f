"""Links between pages, and from any text on a page to what it cites.

    page_url("policy/xii.md")          -> "policy/xii/"   (the URL MkDocs gives a page)
    official_url("EDC", "48205", None) -> the statute's official text
    Links(index).text_md(text, page)   -> Markdown in which every statute, bulletin and address is a link
    Links(index).link_to(page, "xii-c")-> "[XII.c](xii.md#xii-c)"

Links between pages are Markdown links to `.md` files with anchors, so `mkdocs build --strict`
checks every one of them.
"""
from __future__ import annotations

import posixpath
import re

from policy_tools.linkify import Found, escape, linkify
from policy_tools.site_index import GenerateError, SiteIndex, bare_section, statute_of


def official_url(code: str, section: str, title: int | str | None) -> str | None:
    """Where the official text of a statute is read (issue 4)."""
    bare = bare_section(section)
    if code == "EDC":
        return f"https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=EDC&sectionNum={bare}"
    if code == "CCR":
        return f"https://www.law.cornell.edu/regulations/california/{title}-CCR-{bare}"
    if code == "USC":
        return f"https://www.law.cornell.edu/uscode/text/{title}/{bare}"
    return None


def page_url(page: str) -> str:
    """Directory URL MkDocs gives a page: `policy/xii.md` -> `policy/xii/`, `index.md` -> ``."""
    stem = page[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def md_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link to a Markdown file, the form MkDocs validates (file and anchor)."""
    path = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{path}#{anchor}" if anchor else path


def url_link(from_page: str, to_url: str) -> str:
    """Relative link from a page to a built URL (for raw HTML MkDocs does not rewrite)."""
    depth = page_url(from_page).count("/")
    return "../" * depth + to_url


class Links:
    def __init__(self, index: SiteIndex) -> None:
        self.index = index

    def link_to(self, from_page: str, ident: str, label: str | None = None) -> str:
        target = self.index.targets.get(ident)
        if target is None:
            resource = self.index.resource_for(ident)
            if resource is None and not self.index.resources and re.match(r"(bul|ref)-", ident):
                # related_resources.yaml lists no bulletin yet: the page exists, its entries do not.
                return f"[{escape(ident.upper())}]({md_link(from_page, 'reference/related-resources.md')})"
            if resource is None:
                raise GenerateError(f"`{ident}` is not the id of any bulletin part, paragraph or related resource")
            return f"[{escape(resource.number)}]({md_link(from_page, 'reference/related-resources.md', resource.key)})"
        text = escape(label or target.label)
        return f"[{text}]({md_link(from_page, target.page, target.anchor)})"

    def text_md(self, text: str, page: str, unlinked: frozenset[str] = frozenset()) -> str:
        """Markdown for any text on a page (bulletin wording, notes, definitions, readings): every
        statute, bulletin and address in it a link (DESIGN.md: a statute to its Authority entry, or
        to its official text when the Authority page has no entry for it). References printed in
        `unlinked` stay plain text: the bulletin's own lists give them another title."""

        def href(found: Found) -> str | None:
            if found.kind == "statute":
                if found.key in self.index.statutes:
                    return md_link(page, "reference/authority.md", found.key)
                return official_url(*statute_of(found.key))
            if found.kind == "reference":
                if found.printed in unlinked:
                    return None
                resource = self.index.resource_for(found.key)
                if resource is not None:
                    return md_link(page, "reference/related-resources.md", resource.key)
                return self.index.elibrary
            return found.key

        return linkify(text, href, self.index.number)
