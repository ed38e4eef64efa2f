"""The reference pages: Authority (every statute, "cited in" back links), Related Resources,
Assistance, Glossary, the views built from structured data (Responsibilities by role, Time limits
and numbers) and the glossary's abbreviations that Material shows on hover."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from policy_tools.linkify import escape, external_link, statute_id
from policy_tools.links import official_url
from policy_tools.page_parts import PageWriter, amount, cell, slug
from policy_tools.bulletin_records import Block, Citation, Contact, ContactItem
from policy_tools.site_index import StatuteEntry

# Display order and names of the roles a duty names (DESIGN.md, section file `roles`).
ROLE_NAMES = {
    "principal": "Principal",
    "school_administrator": "School administrator",
    "teacher": "Teacher",
    "designated_school_staff": "Designated school staff",
    "school_staff": "School staff",
    "parent_guardian": "Parent/guardian",
    "student": "Student",
    "district_office": "District office",
}
ABBREVIATIONS = "includes/abbreviations.md"
T = TypeVar("T")


class ReferencePages(PageWriter):
    def pages(self) -> dict[str, str]:
        return {
            "reference/authority.md": self.authority_page(),
            "reference/related-resources.md": self.resources_page(),
            "reference/assistance.md": self.assistance_page(),
            "reference/glossary.md": self.glossary_page(),
            "reference/roles.md": self.roles_page(),
            "reference/time-limits.md": self.time_limits_page(),
            ABBREVIATIONS: self.abbreviations(),
        }

    def authority_page(self) -> str:
        page = "reference/authority.md"
        data = self.b.authority
        lines = self.part_head(data, page, "Every statute and regulation the bulletin cites, with its official text and the paragraphs citing it.")
        for citation in data.citations:
            lines += self._citation(citation, page)
        others = sorted((s for s in self.index.statutes.values() if not s.listed), key=_statute_order)
        if others:
            lines += [
                "## Also cited in the text { #also-cited }",
                "",
                "The guidelines cite these as well, though the bulletin’s Authority list does not name them.",
                "",
            ]
            for entry in others:
                lines += [f"### {escape(entry.label)} {{ #{entry.id} }}", "", self._statute_facts(entry, page), ""]
        return "\n".join(lines)

    def _citation(self, citation: Citation, page: str) -> list[str]:
        """One line of the Authority list as printed; each statute it names keeps its own anchor."""
        entries = [self.index.statutes[statute_id(s.code, s.section, s.title)] for s in citation.statutes]
        anchor = citation.id
        lines = [f"## {escape(' '.join(citation.text.split()))} {{ #{anchor} }}", ""]
        if len(entries) == 1:
            lines += [self._statute_facts(entries[0], page), ""]
        else:
            lines.append('<ul class="policy-statutes" markdown>')
            for entry in entries:
                ident = "" if entry.id == anchor else f' id="{entry.id}"'
                lines.append(f"<li{ident} markdown>{self._statute_facts(entry, page)}</li>")
            lines += ["</ul>", ""]
        if citation.title_not_in_bulletin:
            lines += [self.note_md(f"Title of the regulation, not printed in the bulletin: {citation.title_not_in_bulletin}.", page), ""]
        if citation.note:
            lines += [self.note_md(citation.note, page), ""]
        return lines

    def _statute_facts(self, entry: StatuteEntry, page: str) -> str:
        url = official_url(entry.code, entry.section, entry.title)
        parts = [f"Official text: {external_link(escape(entry.label), url)}."] if url else []
        if entry.cited_in:
            parts.append("Cited in: " + ", ".join(self.cited(ident, page) for ident in entry.cited_in) + ".")
        else:
            parts.append("No paragraph of the bulletin cites it in its text.")
        return " ".join(parts)

    def resources_page(self) -> str:
        page = "reference/related-resources.md"
        lines = self.part_head(self.b.related_resources, page, "The bulletins and references BUL-4926.4 points to, with their links.")
        elibrary = self.index.elibrary
        lines += [f"The District’s eLibrary: {external_link(escape(elibrary), elibrary)}", ""]
        lines += ['<ul class="policy-resources" markdown>']
        for resource in self.index.resources.values():
            title = escape(resource.title)
            name = external_link(title, resource.link) if resource.link else title
            cited = ""
            if resource.cited_in:
                cited = " Cited in: " + ", ".join(self.cited(i, page) for i in resource.cited_in) + "."
            no_link = "" if resource.link else " (no link printed; search the eLibrary)"
            note = f" *Note (ours):* {self.text_md(' '.join(resource.note.split()), page)}" if resource.note else ""
            lines.append(
                f'<li id="{resource.key}" markdown>**{escape(resource.number)}**, {name}, '
                f"{escape(resource.date)}{no_link}.{cited}{note}</li>"
            )
        lines += ["</ul>", ""]
        return "\n".join(lines)

    def assistance_page(self) -> str:
        page = "reference/assistance.md"
        data = self.b.assistance
        lines = self.head("Assistance", data.id,
                          description="Who to contact for help with enrollment, attendance and withdrawal.")
        attachments = data.attachments
        lines += [f"## Attachments {{ #{attachments.id} }}", "", self.text_md(attachments.text, page), ""]
        lines += ["## Contacts { #contacts }", ""]
        if data.text:
            lines += [self.text_md(data.text, page), ""]
        for contact in data.contacts:
            lines.append(self._contact(contact, page, ""))
            lines += [self._contact(item, page, "    ") for item in contact.items]
        lines.append("")
        return "\n".join(lines)

    def _contact(self, contact: Contact | ContactItem, page: str, indent: str) -> str:
        line = self.text_md(contact.text, page)
        # A phone number is a link, so a family on a phone can call it with one tap.
        line = re.sub(
            r"\((\d{3})\) (\d{3})-(\d{4})", lambda m: f"[{m.group(0)}](tel:+1{m.group(1)}{m.group(2)}{m.group(3)})", line
        )
        return f"{indent}- {line}"

    def glossary_page(self) -> str:
        page = "reference/glossary.md"
        lines = self.head("Glossary", "glossary", description="Acronyms and terms used in BUL-4926.4, in plain words.")
        lines += ["Acronyms and terms of the bulletin, in plain words. On other pages, hover over or tab to a "
                  "dotted-underlined term to see its meaning.", ""]
        for term in sorted(self.b.glossary, key=lambda t: t.term.lower()):
            anchor = term.id or slug(term.term)
            head = escape(term.term) + (f" ({escape(term.expansion)})" if term.expansion else "")
            definition = self.text_md(" ".join(term.definition.split()), page)
            # What the bulletin never prints is marked as ours (glossary.yaml term_ours, expansion_ours).
            if term.term_ours:
                definition += f" *(The acronym is ours: the bulletin writes “{escape(term.expansion)}” in full and never uses “{escape(term.term)}”.)*"
            elif term.expansion_ours:
                definition += f" *(The expansion is ours: the bulletin uses “{escape(term.term)}” but never spells it out.)*"
            used = [self.link_to(page, ident) for ident in term.used_in
                    if ident in self.index.targets or self.index.resource_for(ident)]
            if used:
                definition += f" Used in: {', '.join(used)}."
            lines += [f"{head} {{ #{anchor} }}", f":   {definition}", ""]
        return "\n".join(lines)

    def roles_page(self) -> str:
        page = "reference/roles.md"
        lines = self.head("Responsibilities by role", "roles",
                          description="What the principal, teachers, school staff and families must do under BUL-4926.4, each linked to its paragraph.")
        lines += ["What each role must or should do, quoted from the bulletin and linked to the paragraph that says it.", ""]
        by_role: dict[str, list[tuple[str, str]]] = {}
        for owner, duty in per_block(self.b.blocks(), lambda block: block.duties):
            by_role.setdefault(duty.role, []).append((owner, duty.quote))
        roles = [r for r in ROLE_NAMES if r in by_role] + sorted(r for r in by_role if r not in ROLE_NAMES)
        for role in roles:
            name = ROLE_NAMES.get(role, role.replace("_", " ").capitalize())
            lines += [f"## {escape(name)} {{ #{role.replace('_', '-')} }}", ""]
            for owner, quote in by_role[role]:
                lines.append(f"- “{escape(' '.join(quote.split()))}” — {self.cited(owner, page)}")
            lines.append("")
        return "\n".join(lines)

    def time_limits_page(self) -> str:
        page = "reference/time-limits.md"
        lines = self.head("Time limits and numbers", "time-limits",
                          description="Every deadline, max and number BUL-4926.4 sets, in one table linked to its paragraph.")
        lines += [
            "Every deadline, max and number the bulletin sets, in bulletin order. The wording column quotes "
            "the bulletin; the first column is our summary.",
            "",
            "| What it applies to | Number | Bulletin wording | Where |",
            "| --- | --- | --- | --- |",
        ]
        for owner, number in per_block(self.b.blocks(), lambda block: block.numbers):
            lines.append(
                f"| {cell(number.summary)} | {cell(amount(number.value, number.unit))} | "
                f"“{cell(number.quote)}” | {self.cited(owner, page)} |"
            )
        lines.append("")
        return "\n".join(lines)

    def abbreviations(self) -> str:
        """Material shows these on hover and focus wherever the term appears (abbr extension)."""
        lines: list[str] = []
        for term in self.b.glossary:
            key, title = tooltip(term.term, term.expansion, term.definition)
            if key and "]" not in key:
                lines.append(f"*[{key}]: {title}")
        return "\n".join(lines) + "\n"


def tooltip(term: str, expansion: str, definition: str) -> tuple[str, str]:
    """(abbreviation key, title) of a glossary term, as Material shows it on hover and focus."""
    # Python-Markdown matches \bTERM\b, which never holds after a final ".": "E.C." -> "E.C".
    definition = " ".join(definition.split())
    return term.strip().rstrip("."), f"{expansion}: {definition}" if expansion else definition


def per_block(blocks: Iterable[Block], facts: Callable[[Block], list[T]]) -> Iterator[tuple[str, T]]:
    """(block id, fact) for each duty or number of each block, in bulletin order."""
    for block in blocks:
        for fact in facts(block):
            yield block.id, fact


def _statute_order(entry: StatuteEntry) -> tuple[str, float, str]:
    number = re.match(r"\d+(?:\.\d+)?", entry.section)
    return (entry.code, float(number.group(0)) if number else 0.0, entry.section)
