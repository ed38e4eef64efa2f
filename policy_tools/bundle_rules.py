"""Prepare step: check the calculator rules against the bulletin, then bundle them for the wheel.

`policy_data/rules/*.yaml` → `calculators/rules.json`. The calculators read only this bundle when
installed (Pyodide has no PyYAML and no policy_data/). Before writing, every `source` must point
at something that exists: a paragraph or part id of the bulletin data, or a statute of the
bulletin's Authority list (or, for a statute the bulletin does not list, carry its `url`), or an
entry of the file's `practices` (LAUSD's own published practice, with its citation); the
withdrawal flow must only lead to known questions and situations. Problems are reported with file,
line and field, like policy_tools.validate. Written atomically and only when the content changed,
since several builds may run at once.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from calculators.rules import BUNDLE_NAME, rules_from_yaml
from policy_tools.yamlio import LoadedYaml, PolicyDataError, load
from policy_tools.files import write_if_changed

Where = list[str | int]


def bundle_text(root: Path) -> str:
    data = rules_from_yaml(root / "policy_data" / "rules")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _bulletin_ids(root: Path) -> tuple[set[str], set[str]]:
    """(paragraph and part ids, statute ids of the Authority list) from policy_data/bulletin."""
    ids: set[str] = set()
    statutes: set[str] = set()

    def walk(node: Any, into: set[str]) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                into.add(node["id"])
            for value in node.values():
                walk(value, into)
        elif isinstance(node, list):
            for value in node:
                walk(value, into)

    bulletin = root / "policy_data" / "bulletin"
    for path in sorted(bulletin.rglob("*.yaml")):
        walk(load(path).data, statutes if path.name == "authority.yaml" else ids)
    return ids, statutes


def _sources(node: Any, where: Where) -> Iterator[tuple[dict[str, Any], Where]]:
    if isinstance(node, dict):
        if node.get("kind") in ("paragraph", "statute", "practice") and "id" in node:
            yield node, where
        for key, value in node.items():
            yield from _sources(value, where + [key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sources(value, where + [index])


def check(root: Path) -> list[PolicyDataError]:
    rules_dir = root / "policy_data" / "rules"
    if not (root / "policy_data" / "bulletin").is_dir():
        return []  # nothing to check against yet
    ids, statutes = _bulletin_ids(root)
    problems: list[PolicyDataError] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        doc = load(path)
        practices = {item.get("id") for item in doc.data.get("practices", []) if isinstance(item, dict)} if isinstance(doc.data, dict) else set()
        for source, where in _sources(doc.data, []):
            if source["kind"] == "practice" and source["id"] not in practices:
                problems.append(doc.error(where + ["id"], f"`{source['id']}` is not an id of this file's `practices`: add it there (citation, url) or fix the id"))
            if source["kind"] == "paragraph" and source["id"] not in ids:
                problems.append(doc.error(where + ["id"], f"`{source['id']}` is not a paragraph or part id of the bulletin data: fix the id"))
            if source["kind"] == "statute" and source["id"] not in statutes and "url" not in source:
                problems.append(doc.error(where + ["id"], f"`{source['id']}` is not in the bulletin's Authority list: add `url` (its official code page) or fix the id"))
        if path.stem == "withdrawal":
            problems += _check_withdrawal(doc)
    return problems


def _check_withdrawal(doc: LoadedYaml) -> Iterator[PolicyDataError]:
    data = doc.data
    documents = {item["id"] for item in data["documents"]}
    steps = {item["id"] for item in data["steps"]}
    situations = {item["id"] for item in data["situations"]}
    for i, item in enumerate(data["situations"]):
        for j, key in enumerate(item["documents"]):
            if key not in documents:
                yield doc.error(["situations", i, "documents", j], f"`{key}` is not a document id: use one of {', '.join(sorted(documents))}")
        for j, key in enumerate(item["steps"]):
            if key not in steps:
                yield doc.error(["situations", i, "steps", j], f"`{key}` is not a step id: use one of {', '.join(sorted(steps))}")
    questions = {item["id"] for item in data["flow"]["questions"]}
    if data["flow"]["start"] not in questions:
        yield doc.error(["flow", "start"], f"`{data['flow']['start']}` is not a question id")
    for i, question in enumerate(data["flow"]["questions"]):
        if question["id"] not in data["wording"]["questions"]:
            yield doc.error(["flow", "questions", i, "id"], f"question `{question['id']}` has no wording: add it under wording.questions")
        for j, answer in enumerate(question["answers"]):
            if "next" in answer and answer["next"] not in questions:
                yield doc.error(["flow", "questions", i, "answers", j, "next"], f"`{answer['next']}` is not a question id")
            if "situation" in answer and answer["situation"] not in situations:
                yield doc.error(["flow", "questions", i, "answers", j, "situation"], f"`{answer['situation']}` is not a situation id")
            if answer["id"] not in data["wording"]["answers"]:
                yield doc.error(["flow", "questions", i, "answers", j, "id"], f"answer `{answer['id']}` has no wording: add it under wording.answers")


def run(root: Path) -> None:
    problems = check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"bundle_rules: {len(problems)} problem(s) in policy_data/rules/", file=sys.stderr)
        raise SystemExit(1)
    bundle = root / "calculators" / BUNDLE_NAME
    if not write_if_changed(bundle, bundle_text(root)):
        # Same content but older than a rules file (a checkout touched it): mark it current, or
        # calculators.rules would take it for stale and read the YAML in another key order.
        newest = max((path.stat().st_mtime for path in (root / "policy_data" / "rules").glob("*.yaml")), default=0.0)
        if bundle.stat().st_mtime < newest:
            bundle.touch()


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
