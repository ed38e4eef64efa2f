"""The bulletin's parts as typed, read-only records, one per kind of YAML mapping.

Every record is a frozen dataclass whose fields are the keys its schema (policy_data/schemas/)
allows, spelled the same; `from_yaml` builds it from data the validator has already checked.
`policy_tools.policy_data.load_bulletin` reads them all.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from policy_tools.yamlio import load

# How each code is printed in the bulletin, so labels read like the source.
_CODE_LABEL = {"EDC": "E.C.", "CCR": "CCR", "USC": "U.S.C."}


@dataclass(frozen=True)
class Statute:
    code: str                      # EDC | CCR | USC
    section: str                   # "48205", "48204.2", "1232g"
    title: int | None = None       # CCR title 5, U.S.C. title 20
    subdivision: str = ""          # "(c)(1)"
    et_seq: bool = False

    @property
    def id(self) -> str:
        """Anchor on /reference/authority/: edc-48205, ccr-5-306, usc-20-1232g (DESIGN.md)."""
        parts = [self.code.lower()] + ([str(self.title)] if self.title is not None else []) + [self.section]
        return "-".join(parts)

    @property
    def label(self) -> str:
        """As a reader would cite it: "E.C. § 60901(c)(1)", "CCR, Title 5, § 306", "20 U.S.C. § 1232g"."""
        tail = " et seq." if self.et_seq else ""
        if self.code == "CCR":
            return f"CCR, Title {self.title}, § {self.section}{self.subdivision}{tail}"
        if self.code == "USC":
            return f"{self.title} U.S.C. § {self.section}{self.subdivision}{tail}"
        return f"{_CODE_LABEL[self.code]} § {self.section}{self.subdivision}{tail}"

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Statute:
        return cls(
            code=data["code"],
            section=str(data["section"]),
            title=data.get("title"),
            subdivision=data.get("subdivision", ""),
            et_seq=bool(data.get("et_seq", False)),
        )


@dataclass(frozen=True)
class Duty:
    role: str
    quote: str                     # an exact substring of the paragraph's text


@dataclass(frozen=True)
class Number:
    value: float | int
    unit: str                      # snake_case: minutes, days_per_incident, percent ...
    quote: str                     # an exact substring of the paragraph's text
    summary: str                   # our words: what the number limits


@dataclass(frozen=True)
class Paragraph:
    id: str                        # "xii-c"
    section_id: str                # "xii"
    numeral: str                   # "XII"
    letter: str                    # "c"
    text: str
    letter_restored: bool = False  # the OCR lost the letter; restored by order
    statutes: list[Statute] = field(default_factory=list)
    references: list[str] = field(default_factory=list)   # as printed: BUL-6718, REF-5464.11
    roles: list[str] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    note: str = ""                 # our words: readings chosen, printed errors kept
    # references printed here that the bulletin's own lists give another title: not linked
    references_not_linked: list[str] = field(default_factory=list)
    letter_lost: bool = False      # the OCR shows no letter and no mark at all
    letter_reading: str = ""       # our words: the other reading of such a paragraph

    @property
    def label(self) -> str:
        return f"{self.numeral}.{self.letter}"


@dataclass(frozen=True)
class Section:
    id: str                        # "xii"
    numeral: str                   # "XII"
    title: str                     # "Withdrawal Procedures"
    text: str                      # heading as printed: "WITHDRAWAL PROCEDURES"
    topic: str                     # enrollment | attendance | withdrawal
    paragraphs: list[Paragraph]
    note: str = ""
    path: Path | None = None



def _statutes(data: dict[str, Any]) -> list[Statute]:
    return [Statute.from_yaml(s) for s in data.get("statutes", [])]


def _duties(data: dict[str, Any]) -> list[Duty]:
    return [Duty(**d) for d in data.get("duties", [])]


def _numbers(data: dict[str, Any]) -> list[Number]:
    return [Number(**n) for n in data.get("numbers", [])]


@dataclass(frozen=True)
class Meta:
    id: str
    number: str                    # "BUL-4926.4"
    title: str
    date: str                      # ISO date: "2024-08-12"
    replaces: str
    division: str
    pages: int | None = None
    manual: str = ""
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class FrontPart:
    """Purpose, Background, the Major Changes introduction, the Guidelines introduction."""

    id: str
    title: str
    text: str
    note: str = ""
    statutes: list[Statute] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> FrontPart:
        return cls(
            id=data["id"], title=data["title"], text=data["text"], note=data.get("note", ""),
            statutes=_statutes(data), references=list(data.get("references", [])),
            roles=list(data.get("roles", [])), duties=_duties(data), numbers=_numbers(data),
        )


@dataclass(frozen=True)
class Change:
    """A Major Changes item (`number` 1-8) or one of its sub-items (`letter` a, b ...)."""

    id: str                        # "mc-3", "mc-3-a"
    label: str                     # "3", "3.a"
    text: str
    applies_to: list[str]
    number: int
    letter: str = ""
    manual_sections: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    note: str = ""
    items: list[Change] = field(default_factory=list)
    # Major Changes print no statute and name no duty; kept so every block reads the same.
    statutes: list[Statute] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)

    @classmethod
    def from_yaml(cls, data: dict[str, Any], parent: int | None = None) -> Change:
        number = parent if parent is not None else data["number"]
        letter = data.get("letter", "")
        return cls(
            id=data["id"], label=f"{number}.{letter}" if letter else str(number), text=data["text"],
            applies_to=list(data["applies_to"]), number=number, letter=letter,
            manual_sections=list(data.get("manual_sections", [])), references=list(data.get("references", [])),
            numbers=_numbers(data), note=data.get("note", ""),
            items=[cls.from_yaml(sub, number) for sub in data.get("items", [])],
        )


@dataclass(frozen=True)
class Front:
    purpose: FrontPart
    major_changes: FrontPart
    items: list[Change]            # Major Changes 1-8
    guidelines: FrontPart
    background: FrontPart | None = None   # BUL-4926.4 prints none (front.yaml `note`)
    note: str = ""

    def overview_parts(self) -> list[FrontPart]:
        """The parts shown on /policy/, in bulletin order."""
        return [p for p in (self.purpose, self.background, self.guidelines) if p is not None]

    def changes(self) -> Iterator[Change]:
        """Every Major Changes item, each followed by its sub-items."""
        for item in self.items:
            yield item
            yield from item.items

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Front:
        changes = data["major_changes"]
        return cls(
            purpose=FrontPart.from_yaml(data["purpose"]),
            major_changes=FrontPart.from_yaml(changes),
            items=[Change.from_yaml(item) for item in changes["items"]],
            guidelines=FrontPart.from_yaml(data["guidelines"]),
            background=FrontPart.from_yaml(data["background"]) if "background" in data else None,
            note=data.get("note", ""),
        )


@dataclass(frozen=True)
class Citation:
    """One line of the Authority list as printed, and the statutes it names."""

    id: str                        # the anchor of its first statute
    text: str
    statutes: list[Statute]
    title: str = ""
    note: str = ""
    title_not_in_bulletin: str = ""       # the regulation's own heading, when the bulletin prints none


@dataclass(frozen=True)
class Authority:
    id: str
    title: str
    text: str
    citations: list[Citation]
    note: str = ""

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Authority:
        citations = [
            Citation(
                id=c["id"], text=c["text"], statutes=_statutes(c), title=c.get("title", ""), note=c.get("note", ""),
                title_not_in_bulletin=c.get("title_not_in_bulletin", {}).get("title", ""),
            )
            for c in data["citations"]
        ]
        return cls(id=data["id"], title=data["title"], text=data["text"], citations=citations, note=data.get("note", ""))


@dataclass(frozen=True)
class RelatedBulletin:
    id: str                        # "bul-6718.0"
    number: str                    # "BUL-6718.0"
    title: str
    date: str                      # as printed: "August 2023"
    text: str
    link: str | None               # None: the bulletin prints no link
    note: str = ""


@dataclass(frozen=True)
class RelatedResources:
    id: str
    title: str
    text: str
    elibrary: str
    bulletins: list[RelatedBulletin]
    note: str = ""

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> RelatedResources:
        bulletins = [RelatedBulletin(**b) for b in data["bulletins"]]
        return cls(id=data["id"], title=data["title"], text=data["text"], elibrary=data["elibrary"],
                   bulletins=bulletins, note=data.get("note", ""))


@dataclass(frozen=True)
class ContactItem:
    id: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    text: str
    phone: str = ""
    access_code: str = ""
    topics: str = ""
    note: str = ""
    items: list[ContactItem] = field(default_factory=list)


@dataclass(frozen=True)
class Attachments:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Assistance:
    id: str
    title: str
    text: str
    contacts: list[Contact]
    attachments: Attachments
    note: str = ""

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Assistance:
        contacts = [
            Contact(**{**c, "items": [ContactItem(**i) for i in c.get("items", [])]}) for c in data["contacts"]
        ]
        return cls(id=data["id"], title=data["title"], text=data["text"], contacts=contacts,
                   attachments=Attachments(**data["attachments"]), note=data.get("note", ""))


@dataclass(frozen=True)
class TermWording:
    """Our wording of a glossary term in another language (`es`), for that language's pages."""

    term: str
    definition: str
    expansion: str = ""


@dataclass(frozen=True)
class Term:
    """A glossary entry: `definition` is ours, `expansion` as the bulletin spells the term out."""

    id: str                        # "term-misis"
    term: str
    definition: str
    used_in: list[str]
    expansion: str = ""
    source: Statute | None = None
    note: str = ""
    es: TermWording | None = None      # Spanish, for the pages under /es/
    expansion_ours: bool = False       # the bulletin never prints this expansion
    term_ours: bool = False            # the bulletin never uses this acronym (it prints the words)

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> Term:
        source = Statute.from_yaml(data["source"]) if "source" in data else None
        es = TermWording(**data["es"]) if "es" in data else None
        return cls(id=data["id"], term=data["term"], definition=data["definition"], used_in=list(data["used_in"]),
                   expansion=data.get("expansion", ""), source=source, note=data.get("note", ""), es=es,
                   expansion_ours=bool(data.get("expansion_ours", False)), term_ours=bool(data.get("term_ours", False)))


# A block of bulletin wording with its structured facts (id, text, statutes, duties, numbers).
Block = Union[FrontPart, Change, Paragraph]
Part = Union[Block, Section, Citation, RelatedBulletin, Contact, ContactItem, Attachments, Authority,
             RelatedResources, Assistance, Term]


def paragraph_from_yaml(section: dict[str, Any], data: dict[str, Any]) -> Paragraph:
    return Paragraph(
        id=data["id"],
        section_id=section["id"],
        numeral=section["numeral"],
        letter=data["letter"],
        text=data["text"],
        letter_restored=bool(data.get("letter_restored", False)),
        statutes=_statutes(data),
        references=list(data.get("references", [])),
        roles=list(data.get("roles", [])),
        duties=_duties(data),
        numbers=_numbers(data),
        note=data.get("note", ""),
        references_not_linked=list(data.get("references_not_linked", [])),
        letter_lost=bool(data.get("letter_lost", False)),
        letter_reading=data.get("letter_reading", ""),
    )


def load_section(path: Path) -> Section:
    data = load(path).data
    return Section(
        id=data["id"],
        numeral=data["numeral"],
        title=data["title"],
        text=data["text"],
        topic=data["topic"],
        paragraphs=[paragraph_from_yaml(data, p) for p in data["paragraphs"]],
        note=data.get("note", ""),
        path=path,
    )


