"""Typed, read-only view of policy_data/bulletin/ and policy_data/glossary.yaml for generators.

    from policy_tools.policy_data import load_bulletin
    bulletin = load_bulletin(ROOT)
    for section in bulletin.sections:            # I..XVI, in bulletin order
        section.id, section.numeral, section.title, section.text
        for paragraph in section.paragraphs:     # a, b, c ... in order
            paragraph.id, paragraph.label        # "xii-c", "XII.c"
            paragraph.text                       # corrected bulletin wording
            paragraph.statutes[0].id, .label     # "edc-48205", "E.C. § 48205"
    bulletin.by_id["xii-c"]                      # any id: section, paragraph, front-matter part,
                                                 # citation, related bulletin, contact, glossary term
    bulletin.statutes()                          # every statute cited, with the ids citing it

    corrected_source(ROOT).entries               # the OCR text after policy_data/ocr_corrections.yaml
    split_sentences(text)                        # how the fidelity test cuts text into sentences

Sections and paragraphs are dataclasses; the other parts (`meta`, `front`, `authority`,
`related_resources`, `assistance`, `glossary`) are the YAML mappings as written, whose shapes are
fixed by policy_data/schemas/*.schema.json. This module does not validate: run
`python -m policy_tools.validate` (the first prepare step) for messages naming file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Bulletin:
    meta: dict[str, Any]
    front: dict[str, Any]
    sections: list[Section]
    authority: dict[str, Any]
    related_resources: dict[str, Any]
    assistance: dict[str, Any]
    glossary: dict[str, Any]
    by_id: dict[str, Any] = field(default_factory=dict)

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    def statutes(self) -> dict[str, tuple[Statute, list[str]]]:
        """Every statute cited by a paragraph: id -> (statute, ids of the paragraphs citing it)."""
        out: dict[str, tuple[Statute, list[str]]] = {}
        for paragraph in self.paragraphs():
            for statute in paragraph.statutes:
                out.setdefault(statute.id, (statute, []))[1].append(paragraph.id)
        return out


def _paragraph(section: dict[str, Any], data: dict[str, Any]) -> Paragraph:
    return Paragraph(
        id=data["id"],
        section_id=section["id"],
        numeral=section["numeral"],
        letter=data["letter"],
        text=data["text"],
        letter_restored=bool(data.get("letter_restored", False)),
        statutes=[Statute.from_yaml(s) for s in data.get("statutes", [])],
        references=list(data.get("references", [])),
        roles=list(data.get("roles", [])),
        duties=[Duty(**d) for d in data.get("duties", [])],
        numbers=[Number(**n) for n in data.get("numbers", [])],
        note=data.get("note", ""),
    )


def load_section(path: Path) -> Section:
    data = load(path).data
    return Section(
        id=data["id"],
        numeral=data["numeral"],
        title=data["title"],
        text=data["text"],
        topic=data["topic"],
        paragraphs=[_paragraph(data, p) for p in data["paragraphs"]],
        note=data.get("note", ""),
        path=path,
    )


def _index(bulletin: Bulletin) -> dict[str, Any]:
    """Every id a page or /ref/ link may name, mapped to the object that owns it."""
    by_id: dict[str, Any] = {}
    for key in ("purpose", "background", "major_changes", "guidelines"):
        part = bulletin.front.get(key)
        if isinstance(part, dict) and "id" in part:
            by_id[part["id"]] = part
    for item in bulletin.front.get("major_changes", {}).get("items", []):
        by_id[item["id"]] = item
        for sub in item.get("items", []):
            by_id[sub["id"]] = sub
    for section in bulletin.sections:
        by_id[section.id] = section
        for paragraph in section.paragraphs:
            by_id[paragraph.id] = paragraph
    for part, key in ((bulletin.authority, "citations"), (bulletin.related_resources, "bulletins")):
        by_id[part["id"]] = part
        for entry in part.get(key, []):
            by_id.setdefault(entry["id"], entry)
    by_id[bulletin.assistance["id"]] = bulletin.assistance
    for contact in bulletin.assistance.get("contacts", []):
        by_id[contact["id"]] = contact
        for item in contact.get("items", []):
            by_id[item["id"]] = item
    by_id[bulletin.assistance["attachments"]["id"]] = bulletin.assistance["attachments"]
    for term in bulletin.glossary.get("terms", []):
        by_id[term["id"]] = term
    return by_id


def load_bulletin(root: Path) -> Bulletin:
    """Read every bulletin file under `root`/policy_data in bulletin order."""
    base = root / "policy_data"
    bulletin_dir = base / "bulletin"
    sections = [load_section(p) for p in sorted((bulletin_dir / "sections").glob("*.yaml"))]
    bulletin = Bulletin(
        meta=load(bulletin_dir / "meta.yaml").data,
        front=load(bulletin_dir / "front.yaml").data,
        sections=sections,
        authority=load(bulletin_dir / "authority.yaml").data,
        related_resources=load(bulletin_dir / "related_resources.yaml").data,
        assistance=load(bulletin_dir / "assistance.yaml").data,
        glossary=load(base / "glossary.yaml").data,
    )
    bulletin.by_id.update(_index(bulletin))
    return bulletin


# --- The OCR source, corrected as recorded in policy_data/ocr_corrections.yaml -----------------

SOURCE = Path("policy_data/source/BUL-4926.4.ocr.txt")
CORRECTIONS = Path("policy_data/ocr_corrections.yaml")

# A sentence ends at . ! or ? (after any closing quote or bracket) before a capital letter, a quote
# or a bracket; never after the abbreviations E.C. and U.S.C., which are followed by "Section".
_SENTENCE_END = re.compile(r"(?<!E\.C\.)(?<!U\.S\.C\.)(?<=[.!?])([\"”’)\]]*)\s+(?=[A-Z\"“(\[])")


def split_sentences(text: str) -> list[str]:
    """Sentences of one `text` field or source entry, whitespace collapsed."""
    flat = " ".join(text.split())
    return [s for s in _SENTENCE_END.sub(lambda m: m.group(1) + "\n", flat).split("\n") if s]


@dataclass(frozen=True)
class CorrectedSource:
    entries: list[str]             # paragraphs, headings and list entries, in source order
    links: list[str]               # the Related Resources link lines, in source order


def corrected_source(root: Path) -> CorrectedSource:
    """Apply ocr_corrections.yaml to the OCR source (the steps are described at its top)."""
    loaded = load(root / CORRECTIONS)
    config = loaded.data
    text = (root / SOURCE).read_text(encoding="utf-8")
    for index, fix in enumerate(config["corrections"]):
        pattern = fix["find"] if fix.get("regex") else re.escape(fix["find"])
        replacement: str = fix["replace"]
        text, matched = re.subn(pattern, lambda _match: replacement, text)  # taken literally, no \1
        if matched != fix.get("count", 1):
            raise loaded.error(
                ["corrections", index, "find"],
                f"matched {matched} times in {SOURCE}, expected {fix.get('count', 1)}: "
                "fix `find` or `count` so the correction still applies",
            )
    noise = [re.compile(n["pattern"]) for n in config["noise"]]
    link = re.compile(config["links"]["pattern"])
    marker = re.compile("^(?:" + "|".join(m["pattern"] for m in config["markers"]) + r")(?:\s+|$)")
    lists = config["lists"]
    glue = tuple(config["join_without_space_after"])

    entries: list[str] = []
    links: list[str] = []
    current = ""
    part: dict[str, Any] | None = None

    def flush() -> None:
        nonlocal current
        if current:
            entries.append(current)
        current = ""

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if link.fullmatch(line):
            links.append(line)
            continue
        if any(n.fullmatch(line) for n in noise):
            continue
        if part is not None and re.search(part["to"], line):
            part = None
        if part is None:
            part = next((p for p in lists if re.search(p["from"], line)), None)
        prefix = marker.match(line)
        if prefix:
            flush()
            line = line[prefix.end():]
        elif part is not None and re.search(part["item"], line):
            flush()
        if not line:
            continue
        current = current + line if current.endswith(glue) else f"{current} {line}".strip()
    flush()
    return CorrectedSource(entries, links)


def bulletin_texts(root: Path) -> list[tuple[Path, list[str | int], str]]:
    """Every `text` field of the bulletin files: (file, field path, text), in file order."""
    out: list[tuple[Path, list[str | int], str]] = []

    def walk(path: Path, node: Any, where: list[str | int]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    out.append((path, where + [key], value))
                else:
                    walk(path, value, where + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(path, value, where + [i])

    for path in bulletin_files(root):
        walk(path, load(path).data, [])
    return out


def bulletin_files(root: Path) -> list[Path]:
    """The bulletin's files in reading order: meta, front, sections I-XVI, authority ... assistance."""
    base = root / "policy_data" / "bulletin"
    return (
        [base / "meta.yaml", base / "front.yaml"]
        + sorted((base / "sections").glob("*.yaml"))
        + [base / "authority.yaml", base / "related_resources.yaml", base / "assistance.yaml"]
    )
