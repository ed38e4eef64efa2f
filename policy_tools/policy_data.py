"""Typed, read-only records of policy_data/bulletin/ and policy_data/glossary.yaml.

    from policy_tools.policy_data import load_bulletin
    bulletin = load_bulletin(ROOT)
    for section in bulletin.sections:            # I..XVI, in bulletin order
        section.id, section.numeral, section.title, section.text
        for paragraph in section.paragraphs:     # a, b, c ... in order
            paragraph.id, paragraph.label        # "xii-c", "XII.c"
            paragraph.text                       # corrected bulletin wording
            paragraph.statutes[0].id, .label     # "edc-48205", "E.C. § 48205"
    bulletin.blocks()                            # every block of wording, in bulletin order: front
                                                 # matter parts, Major Changes items, paragraphs
    bulletin.by_id["xii-c"]                      # any id: section, paragraph, front-matter part,
                                                 # citation, related bulletin, contact, glossary term
    bulletin.statutes()                          # every statute cited, with the ids citing it

Every part is a record of policy_tools.bulletin_records, whose fields are the keys its schema
allows, spelled the same. This module does not validate: run `python -m policy_tools.validate`
(the first prepare step) for messages naming file and line.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass, field
from pathlib import Path

from policy_tools.bulletin_records import (
    Assistance, Authority, Block, Front, Meta, Paragraph, Part, RelatedResources, Section, Statute, Term, load_section,
)
from policy_tools.yamlio import load

# A section's `topic` and the nav group (mkdocs.yml) and heading it is listed under.
TOPICS = {"enrollment": "Enrollment", "attendance": "Attendance", "withdrawal": "Withdrawal"}


@dataclass(frozen=True)
class Bulletin:
    meta: Meta
    front: Front
    sections: list[Section]
    authority: Authority
    related_resources: RelatedResources
    assistance: Assistance
    glossary: list[Term]
    by_id: dict[str, Part] = field(default_factory=dict)
    # ocr_corrections.yaml entries with `kind: editorial` (the bulletin's own slips), by `in` id
    editorial: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    def blocks(self) -> Iterator[Block]:
        """Every block of bulletin wording shown on the policy pages, in bulletin order."""
        front = self.front
        yield from (p for p in (front.purpose, front.background, front.major_changes) if p is not None)
        yield from front.changes()
        yield front.guidelines
        yield from self.paragraphs()

    def parts(self) -> Iterator[Part]:
        """Everything with an id, in bulletin order (the glossary last)."""
        yield from self.blocks()
        yield from self.sections
        yield self.authority
        yield from self.authority.citations
        yield self.related_resources
        yield from self.related_resources.bulletins
        yield self.assistance
        for contact in self.assistance.contacts:
            yield contact
            yield from contact.items
        yield self.assistance.attachments
        yield from self.glossary

    def statutes(self) -> dict[str, tuple[Statute, list[str]]]:
        """Every statute cited by a paragraph: id -> (statute, ids of the paragraphs citing it)."""
        out: dict[str, tuple[Statute, list[str]]] = {}
        for paragraph in self.paragraphs():
            for statute in paragraph.statutes:
                out.setdefault(statute.id, (statute, []))[1].append(paragraph.id)
        return out


def load_bulletin(root: Path) -> Bulletin:
    """Read every bulletin file under `root`/policy_data in bulletin order."""
    base = root / "policy_data"
    bulletin_dir = base / "bulletin"
    meta = load(bulletin_dir / "meta.yaml").data
    bulletin = Bulletin(
        meta=Meta(**meta),
        front=Front.from_yaml(load(bulletin_dir / "front.yaml").data),
        sections=[load_section(p) for p in sorted((bulletin_dir / "sections").glob("*.yaml"))],
        authority=Authority.from_yaml(load(bulletin_dir / "authority.yaml").data),
        related_resources=RelatedResources.from_yaml(load(bulletin_dir / "related_resources.yaml").data),
        assistance=Assistance.from_yaml(load(bulletin_dir / "assistance.yaml").data),
        glossary=[Term.from_yaml(t) for t in load(base / "glossary.yaml").data["terms"]],
    )
    for part in bulletin.parts():
        bulletin.by_id.setdefault(part.id, part)
    corrections = base / "ocr_corrections.yaml"
    if corrections.is_file():
        for fix in load(corrections).data.get("corrections", []):
            if fix.get("kind") == "editorial":
                bulletin.editorial.setdefault(str(fix["in"]), []).append(dict(fix))
    return bulletin
