"""The bulletin's OCR source after policy_data/ocr_corrections.yaml, and its wording cut into sentences.

    corrected_source(ROOT).entries               # the OCR text after policy_data/ocr_corrections.yaml
    split_sentences(text)                        # how the fidelity test cuts text into sentences
    bulletin_texts(ROOT)                         # every `text` field of the bulletin files

The fidelity test compares the two sides; policy_tools.validate checks that every correction
still applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_tools.yamlio import load

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
