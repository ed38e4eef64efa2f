"""The site index: where every id lives (targets) and who cites what (statutes, related bulletins).

Built once from the bulletin in one walk over its parts; every page writer and the link module read
it. `SiteIndex(bulletin).targets["xii-c"]` is the page, anchor and label of paragraph XII.c;
`.statutes["edc-48205"].cited_in` the ids of the blocks citing E.C. § 48205.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from policy_tools.linkify import find_citations, reference_key, statute_id
from policy_tools.bulletin_records import Statute
from policy_tools.policy_data import Bulletin


class GenerateError(Exception):
    """The data cannot be turned into pages; the message names the file, id and the fix."""


@dataclass(frozen=True)
class Target:
    """Where an id lives: the page, the anchor on it ("" for the top) and how it is labelled."""

    page: str
    anchor: str
    label: str
    context: str = ""      # e.g. the section title, shown beside the label


@dataclass
class StatuteEntry:
    id: str
    code: str
    section: str
    title: int | str | None
    label: str
    name: str = ""          # the Authority list's title ("Authorized Excused Absences")
    listed: bool = False    # printed under Authority
    cited_in: list[str] = field(default_factory=list)


@dataclass
class Resource:
    key: str                # anchor: bul-6718.0
    number: str
    title: str
    date: str
    link: str | None
    note: str = ""
    cited_in: list[str] = field(default_factory=list)


def bare_section(section: str) -> str:
    """`60901(c)(1)` -> `60901`, `49060 et seq.` -> `49060`: the official text is per section."""
    return re.sub(r"\(.*$|\s+et\s+seq\.$", "", section)


def statute_of(key: str) -> tuple[str, str, str | None]:
    """A statute id back to (code, section, title): `ccr-5-306` -> ("CCR", "306", "5")."""
    code, *rest = key.split("-")
    return code.upper(), rest[-1], rest[0] if len(rest) == 2 else None


class SiteIndex:
    def __init__(self, bulletin: Bulletin) -> None:
        self.bulletin = bulletin
        self.number = bulletin.meta.number
        self.elibrary = bulletin.related_resources.elibrary
        self.targets: dict[str, Target] = {}
        self.statutes: dict[str, StatuteEntry] = {}
        self.resources: dict[str, Resource] = {}
        self.resource_alias: dict[str, str] = {}
        self._index_targets()
        self._index_resources()
        self._index_statutes()

    def _add_target(self, ident: str, target: Target) -> None:
        if ident in self.targets:
            raise GenerateError(f"id `{ident}` is used twice in policy_data/bulletin: ids must be unique")
        self.targets[ident] = target

    def _index_targets(self) -> None:
        b = self.bulletin
        for part in b.front.overview_parts():
            self._add_target(part.id, Target("policy/index.md", part.id, part.title))
        self._add_target(b.front.major_changes.id, Target("policy/whats-new.md", "", "Major Changes"))
        for change in b.front.changes():
            self._add_target(change.id, Target("policy/whats-new.md", change.id, f"Major change {change.label}"))
        for section in b.sections:
            page = f"policy/{section.id}.md"
            self._add_target(section.id, Target(page, "", f"{section.numeral}. {section.title}"))
            for paragraph in section.paragraphs:
                self._add_target(paragraph.id, Target(page, paragraph.id, paragraph.label, section.title))
        self._add_target(b.authority.id, Target("reference/authority.md", "", "Authority"))
        self._add_target(b.related_resources.id, Target("reference/related-resources.md", "", "Related Resources"))
        self._add_target(b.assistance.id, Target("reference/assistance.md", "", "Assistance"))
        attachments = b.assistance.attachments
        self._add_target(attachments.id, Target("reference/assistance.md", attachments.id, "Attachments"))

    def _index_resources(self) -> None:
        for entry in self.bulletin.related_resources.bulletins:
            key = reference_key(entry.number)
            self.resources[key] = Resource(entry.id, entry.number, entry.title, entry.date, entry.link, entry.note)
        # The text often cites a bulletin without its revision ("BUL-6718" for BUL-6718.0).
        bases: dict[str, list[str]] = {}
        for key in self.resources:
            bases.setdefault(key.split(".")[0], []).append(key)
        self.resource_alias = {base: keys[0] for base, keys in bases.items() if len(keys) == 1}

    def resource_for(self, key: str) -> Resource | None:
        if key in self.resources:
            return self.resources[key]
        if "." not in key and key in self.resource_alias:
            return self.resources[self.resource_alias[key]]
        return None

    def _statute(self, code: str, section: str, title: int | str | None) -> StatuteEntry:
        ident = statute_id(code, section, title)
        if ident not in self.statutes:
            bare = bare_section(section)
            label = Statute(code=code, section=bare, title=int(title) if title is not None else None).label
            self.statutes[ident] = StatuteEntry(ident, code, bare, title, label)
        return self.statutes[ident]

    def _index_statutes(self) -> None:
        for citation in self.bulletin.authority.citations:
            for statute in citation.statutes:
                record = self._statute(statute.code, statute.section, statute.title)
                record.listed = True
                record.name = record.name or citation.title
        # "Cited in": the structured `statutes` of each block, and any citation its text prints.
        for block in self.bulletin.blocks():
            ids = []
            for s in block.statutes:
                record = self._statute(s.code, s.section, s.title)
                if s.et_seq and not record.listed:
                    record.label = s.label  # as printed: "E.C. § 49060 et seq." (XIV.a)
                ids.append(record.id)
            for found in find_citations(block.text, self.number):
                if found.kind == "statute":
                    ids.append(self._statute(*statute_of(found.key)).id)
                elif found.kind == "reference":
                    resource = self.resource_for(found.key)
                    if resource and block.id not in resource.cited_in:
                        resource.cited_in.append(block.id)
            for ident in ids:
                if block.id not in self.statutes[ident].cited_in:
                    self.statutes[ident].cited_in.append(block.id)
