"""The one walk over the calculator rules' sources (policy_data/rules/*.yaml).

A source is any mapping `{kind: paragraph | statute | practice, id: ...}` (under `source`, `see` ...). The
bundle step checks that each exists, the policy pages link a paragraph to the calculators applying
it ("Apply it"), the calculator pages list them.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policy_tools.yamlio import LoadedYaml, Where, load, mappings
RULES = Path("policy_data") / "rules"
# A paragraph or part of the bulletin, a statute, or an entry of the file's `practices` (LAUSD's own
# published practice, with its citation).
KINDS = ("paragraph", "statute", "practice")


def rules_files(root: Path) -> dict[str, LoadedYaml]:
    """Every rules file, by stem (`chronic`, `excused`, `withdrawal`), with its line numbers."""
    return {path.stem: load(path) for path in sorted((root / RULES).glob("*.yaml"))}


def sources(node: Any) -> Iterator[tuple[dict[str, Any], Where]]:
    """Every source in `node`, in file order, with its field path."""
    for mapping, where in mappings(node):
        if mapping.get("kind") in KINDS and isinstance(mapping.get("id"), str):
            yield mapping, where


def unique_sources(node: Any) -> list[dict[str, Any]]:
    """Each source once (by kind and id), in file order."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for source, _ in sources(node):
        found.setdefault((source["kind"], source["id"]), source)
    return list(found.values())


def applied_in(root: Path) -> dict[str, list[str]]:
    """Paragraph id -> the rules files (stems) whose rules cite it."""
    out: dict[str, list[str]] = {}
    for stem, doc in rules_files(root).items():
        for source, _ in sources(doc.data):
            found = out.setdefault(source["id"], []) if source["kind"] == "paragraph" else []
            if source["kind"] == "paragraph" and stem not in found:
                found.append(stem)
    return out
