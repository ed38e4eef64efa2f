"""The policy pages: /policy/ (purpose, guidelines), /policy/whats-new/ (Major Changes) and one page
per section (/policy/xii/), every paragraph with its permanent address and copy-link button."""
from __future__ import annotations

import html

from calculators.registry import applying
from policy_tools.linkify import escape
from policy_tools.links import md_link
from policy_tools.page_parts import PageWriter, bulletin_date
from policy_tools.bulletin_records import Change, Section
from policy_tools.policy_data import TOPICS
from policy_tools.site_index import SiteIndex


class PolicyPages(PageWriter):
    def __init__(self, index: SiteIndex, applied_in: dict[str, list[str]] | None = None) -> None:
        super().__init__(index)
        # block id -> rules files (policy_data/rules/<stem>.yaml) citing it ("Apply it" links).
        self.applied_in = applied_in or {}

    def pages(self) -> dict[str, str]:
        out = {"policy/index.md": self.overview_page(), "policy/whats-new.md": self.whats_new_page()}
        for section in self.b.sections:
            out[f"policy/{section.id}.md"] = self.section_page(section)
        return out

    def overview_page(self) -> str:
        page = "policy/index.md"
        meta = self.b.meta
        lines = self.head(f"About {self.number}", description=f"Purpose of {self.number} and how its guidelines are organized.")
        lines += [
            f"**{escape(self.number)}**, *{escape(meta.title)}*, "
            f"{escape(bulletin_date(meta.date))}, {escape(meta.division)}."
            + (f" It replaces {self.text_md(meta.replaces, page)}." if meta.replaces else ""),
            "",
        ]
        for part in self.b.front.overview_parts():
            lines += [f"## {escape(part.title)} {{ #{part.id} }}", "", self.text_md(part.text, page), ""]
            lines += [self.copy_button(part.id, part.title, page), ""]
            if part is self.b.front.guidelines:
                lines += self._section_list(page)
        lines += [
            "## How to read these pages { #how-to-read }",
            "",
            "Headings and paragraph labels keep the bulletin’s numbering: paragraph *c* of section XII is "
            f"labelled XII.c and has the address `/ref/xii-c/`, which always leads to it. The scanned "
            "bulletin lost many paragraph letters; they are restored in order. Text in grey boxes marked "
            "*Note* is ours, not the bulletin’s. "
            f"[What changed from {escape(meta.replaces or 'the previous bulletin')}]"
            f"({md_link(page, 'policy/whats-new.md')}) lists every Major Change with the paragraphs it touches.",
            "",
        ]
        return "\n".join(lines)

    def _section_list(self, page: str) -> list[str]:
        lines: list[str] = []
        for topic, name in TOPICS.items():
            sections = [s for s in self.b.sections if s.topic == topic]
            if not sections:
                continue
            lines += [f"**{name}**", ""]
            lines += [f"- {self.link_to(page, s.id)}" for s in sections]
            lines.append("")
        return lines

    def whats_new_page(self) -> str:
        page = "policy/whats-new.md"
        changes = self.b.front.major_changes
        lines = self.head(
            f"What's new in {self.number}",
            changes.id,
            description=f"Every Major Change of {self.number}, linked to the paragraphs it applies to.",
        )
        if changes.text:
            lines += [self.text_md(changes.text, page), ""]
            lines += [self.copy_button(changes.id, "Major Changes", page), ""]
        for change in self.b.front.changes():
            label = change.label if change.letter else f"{change.label}."
            block = self.block(change.id, label, self.text_md(change.text, page), page, self._applies(change, page))
            if change.letter:
                block = block.replace('class="policy-paragraph"', 'class="policy-paragraph policy-subitem"', 1)
            lines.append(block)
        return "\n".join(lines)

    def _applies(self, change: Change, page: str) -> str:
        links = []
        sections = {s.id for s in self.b.sections}
        for ident in change.applies_to:
            target = self.index.targets.get(ident)
            link = self.link_to(page, ident)
            if target is not None and target.context:
                link += f" ({escape(target.context)})"
            elif target is not None and target.anchor == "" and ident in sections:
                link = self.link_to(page, ident, f"Section {target.label}")
            links.append(link)
        out = f'<p class="policy-applies" markdown>Applies to: {"; ".join(links)}</p>' if links else ""
        if change.note:
            out += ("\n\n" if out else "") + self.note_md(change.note, page)
        apply_it = self._apply_it(change.id, page)
        return f"{out}\n\n{apply_it}" if out and apply_it else out or apply_it

    def _apply_it(self, ident: str, page: str) -> str:
        rules = self.applied_in.get(ident, [])
        if not rules:
            return ""
        calculators = [applying(stem) for stem in rules]
        links = [f"[{escape(c.title)}]({md_link(page, f'calculators/{c.page}.md')})" for c in calculators]
        return f'<p class="policy-apply" markdown>Apply it: {", ".join(links)}</p>'

    def section_page(self, section: Section) -> str:
        page = f"policy/{section.id}.md"
        title = f"{section.numeral}. {section.title}"
        lines = self.head(title, section.id, description=f"{self.number} section {section.numeral}: {section.title}.")
        lines += [
            f'<p class="policy-section-meta">{TOPICS.get(section.topic, section.topic.title())} · '
            f"{html.escape(self.number)} section {section.numeral} · printed heading: {html.escape(section.text)}</p>",
            "",
            self.copy_button(section.id, f"section {section.numeral}", page),
            "",
        ]
        lines += [self.editorial_md(section.id, page), ""] if section.id in self.b.editorial else []
        for paragraph in section.paragraphs:
            notes = [self._apply_it(paragraph.id, page)]
            notes.append(self.note_md(paragraph.note, page) if paragraph.note else "")
            # the other reading of a paragraph whose letter the OCR lost entirely (its id stays)
            notes.append(self.note_md(paragraph.letter_reading, page) if paragraph.letter_reading else "")
            notes.append(self.editorial_md(paragraph.id, page) if paragraph.id in self.b.editorial else "")
            extra = "\n\n".join(part for part in notes if part)
            body = self.text_md(paragraph.text, page, frozenset(paragraph.references_not_linked))
            lines.append(self.block(paragraph.id, paragraph.label, body, page, extra))
        if section.note:
            lines += [self.note_md(section.note, page), ""]
        return "\n".join(lines)
