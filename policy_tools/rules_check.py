"""Cross-checks of policy_tools.validate on the calculator rules (policy_data/rules/*.yaml).

- every `source` points at something that exists: a paragraph or part id of the bulletin data, a
  statute of the bulletin's Authority list (a statute the bulletin does not list carries `url`),
  or an entry of the file's `practices` (LAUSD's own published practice, with its citation);
- the withdrawal flow only leads to known questions and situations, each worded.

Problems name file, line and field, like every check of the validator.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policy_tools.rule_sources import sources
from policy_tools.yamlio import LoadedYaml, PolicyDataError, Where, mappings

def _rules(loaded: dict[str, LoadedYaml]) -> dict[str, LoadedYaml]:
    return {rel: doc for rel, doc in sorted(loaded.items()) if rel.startswith("rules/")}


def _bulletin_parts(loaded: dict[str, LoadedYaml]) -> dict[str, tuple[LoadedYaml, Where, dict[str, Any]]]:
    """Every id defined in the bulletin files -> (file, field path, the mapping it names)."""
    out: dict[str, tuple[LoadedYaml, Where, dict[str, Any]]] = {}
    for rel, doc in sorted(loaded.items()):
        if rel.startswith("bulletin/"):
            for mapping, where in mappings(doc.data):
                if isinstance(mapping.get("id"), str):
                    out.setdefault(mapping["id"], (doc, where, mapping))
    return out


def check_sources(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    parts = _bulletin_parts(loaded)
    statutes = {ident for ident, (doc, _, _) in parts.items() if doc.path.name == "authority.yaml"}
    for doc in _rules(loaded).values():
        practices = {item["id"] for item in doc.data.get("practices", [])}
        for source, where in sources(doc.data):
            if source["kind"] == "practice" and source["id"] not in practices:
                yield doc.error(where + ["id"], f"`{source['id']}` is not an id of this file's `practices`: add it there (citation, url) or fix the id")
            if source["kind"] == "paragraph" and (source["id"] not in parts or source["id"] in statutes):
                yield doc.error(where + ["id"], f"`{source['id']}` is not a paragraph or part id of the bulletin data: fix the id")
            if source["kind"] == "statute" and source["id"] not in statutes and "url" not in source:
                yield doc.error(where + ["id"], f"`{source['id']}` is not in the bulletin's Authority list: add `url` (its official code page) or fix the id")


def check_withdrawal(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    doc = loaded.get("rules/withdrawal.yaml")
    if doc is not None:
        yield from _check_withdrawal(doc)


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
