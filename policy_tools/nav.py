"""Cross-check of policy_tools.validate: each section page sits in mkdocs.yml's nav under its topic.

The section's `topic` (enrollment | attendance | withdrawal) names the nav group (Enrollment,
Attendance, Withdrawal) its generated page `policy/<id>.md` must be listed under.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from policy_tools.policy_data import TOPICS
from policy_tools.yamlio import LoadedYaml, PolicyDataError


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name:` and `!ENV` tags only MkDocs resolves."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_groups(config: Path) -> dict[str, str]:
    """Page -> the title of the nav group it is listed under ("" at the top level)."""
    nav = yaml.load(config.read_text(encoding="utf-8"), Loader=_LenientLoader).get("nav") or []
    where: dict[str, str] = {}

    def walk(items: Any, group: str) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str):
                where[item] = group
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value, str(title))
                    elif isinstance(value, str):
                        where[value] = group

    walk(nav, "")
    return where


def nav_problems(root: Path, sections: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str]]:
    """(section id, what to change in mkdocs.yml) for each (id, numeral, topic) listed elsewhere."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return
    where = nav_groups(config)
    for ident, numeral, topic in sections:
        page = f"policy/{ident}.md"
        group = TOPICS.get(topic, topic.title())
        if where.get(page) != group:
            found = f"under “{where[page]}”" if page in where else "missing"
            yield ident, f"mkdocs.yml nav: {page} (section {numeral}, topic {topic}) is {found}; list it under “{group}”"


def check_nav(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """The validator's cross-check: each problem is reported on the `topic` of the section's file."""
    docs = {doc.data["id"]: doc for rel, doc in sorted(loaded.items()) if rel.startswith("bulletin/sections/")}
    sections = [(ident, doc.data["numeral"], doc.data["topic"]) for ident, doc in docs.items()]
    for ident, message in nav_problems(root, sections):
        yield docs[ident].error(["topic"], message)
