"""Ids in policy_data: which files define them, every id unique across files, and links to them.

Split from policy_tools.validate (which registers `check_ids` among its cross-file checks) so the id
rules read on one page: the bulletin and glossary define an id with every `id` key; rules and
examples define their own, and refer to the bulletin with `{kind: paragraph, id: ...}`.
"""
from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from policy_tools.yamlio import ROOT, LoadedYaml, PolicyDataError, mappings

# Files whose every `id` key defines an id (in the other files `id` may be a reference).
ID_FILES = ("bulletin/*.yaml", "bulletin/sections/*.yaml", "glossary.yaml")


def _glob_match(rel: str, pattern: str) -> bool:
    return rel.count("/") == pattern.count("/") and fnmatch(rel, pattern)

def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)

def _walk_ids(node: Any, where: list[str | int]) -> Iterator[tuple[str, list[str | int]]]:
    for mapping, at in mappings(node, where):
        if isinstance(mapping.get("id"), str):
            yield mapping["id"], at + ["id"]


def _walk_key(node: Any, key: str, where: list[str | int]) -> Iterator[tuple[Any, list[str | int]]]:
    for mapping, at in mappings(node, where):
        if key in mapping:
            yield mapping[key], at + [key]


def known_ids(loaded: dict[str, LoadedYaml]) -> dict[str, tuple[LoadedYaml, list[str | int]]]:
    """Every id defined in the bulletin and glossary: id -> (file, field path)."""
    out: dict[str, tuple[LoadedYaml, list[str | int]]] = {}
    for rel, doc in loaded.items():
        if any(_glob_match(rel, pattern) for pattern in ID_FILES):
            for ident, where in _walk_ids(doc.data, []):
                out.setdefault(ident, (doc, where))
    return out


_READING_ORDER = ["bulletin/meta.yaml", "bulletin/front.yaml", "bulletin/sections/", "bulletin/authority.yaml",
                  "bulletin/related_resources.yaml", "bulletin/assistance.yaml", "glossary.yaml", "rules/", "examples/"]

# Keys whose lists hold ids that are values local to their parent (a question's answers "yes" and
# "no"): unique within the list, not across policy_data.
LOCAL_ID_LISTS = ("answers",)


def defined_ids(rel: str, data: Any) -> Iterator[tuple[str, list[str | int]]]:
    """Every id a file defines, with its field path. In the bulletin and glossary every `id`
    defines one; elsewhere (rules, examples) an object with a `kind` is a reference to a source
    (`{kind: paragraph, id: xv-b}`), an example's `expect` repeats result ids, and answers are
    local to their question."""
    if any(_glob_match(rel, pattern) for pattern in ID_FILES):
        yield from _walk_ids(data, [])
        return

    def walk(node: Any, where: list[str | int]) -> Iterator[tuple[str, list[str | int]]]:
        if isinstance(node, dict):
            if "kind" in node and where:
                return
            if isinstance(node.get("id"), str):
                yield node["id"], where + ["id"]
            for key, value in node.items():
                if key != "expect" and key not in LOCAL_ID_LISTS:
                    yield from walk(value, where + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, where + [i])

    yield from walk(data, [])


def _local_id_lists(node: Any, where: list[str | int]) -> Iterator[tuple[list[Any], list[str | int]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in LOCAL_ID_LISTS and isinstance(value, list):
                yield value, where + [key]
            yield from _local_id_lists(value, where + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _local_id_lists(value, where + [i])


def _reading_order(rel: str) -> tuple[int, str]:
    position = next((i for i, start in enumerate(_READING_ORDER) if rel.startswith(start)), len(_READING_ORDER))
    return position, rel


def check_ids(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    seen: dict[str, tuple[LoadedYaml, list[str | int]]] = {}
    # One namespace for every file, rules and examples included (two rules with one id would make
    # a calculator report one definition under the other's name). In reading order, so the second
    # use of an id (the one to change) is the one reported.
    for rel, doc in sorted(loaded.items(), key=lambda item: _reading_order(item[0])):
        for items, list_where in _local_id_lists(doc.data, []):
            local: dict[str, int] = {}
            for i, item in enumerate(items):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str) and ident in local:
                    yield doc.error(list_where + [i, "id"], f"id `{ident}` is already used by item {local[ident] + 1} of this list: choose another")
                elif isinstance(ident, str):
                    local[ident] = i
        for ident, where in defined_ids(rel, doc.data):
            if ident in seen:
                first, first_where = seen[ident]
                yield doc.error(
                    where,
                    f"id `{ident}` is already used in {_name(first.path)} line {first.line_of(first_where)}: "
                    "ids must be unique across policy_data; choose another",
                )
            else:
                seen[ident] = (doc, where)
    bulletin_ids = known_ids(loaded)
    for rel, doc in loaded.items():
        # Only the bulletin and glossary link to bulletin ids this way; rules name their own ids.
        if not any(_glob_match(rel, pattern) for pattern in ID_FILES):
            continue
        for key in ("applies_to", "used_in"):
            for value, where in _walk_key(doc.data, key, []):
                for i, ident in enumerate(value if isinstance(value, list) else []):
                    if ident not in bulletin_ids:
                        yield doc.error(where + [i], f"`{ident}` is not an id of any section, paragraph or part: fix the id")
