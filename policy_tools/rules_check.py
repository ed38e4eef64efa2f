"""Cross-checks of policy_tools.validate on the calculator rules (policy_data/rules/*.yaml).

- every `source` points at something that exists: a paragraph or part id of the bulletin data, a
  statute of the bulletin's Authority list (a statute the bulletin does not list carries `url`),
  or an entry of the file's `practices` (LAUSD's own published practice, with its citation);
- every number a rule takes from a paragraph is the number that paragraph prints: a rule mapping
  whose `source` (or `see`) is a paragraph may hold only values among the paragraph's `numbers`,
  and its `summary` says the same number; a paragraph's `numbers` quote it in its own words;
- our prose that restates a threshold ("91% or below" in the glossary, an example, a reading, a
  page) says the percent a rule of that comparison holds;
- the withdrawal flow only leads to known questions and situations, each worded.

Problems name file, line and field, like every check of the validator.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policy_tools.rule_sources import sources
from policy_tools.yamlio import LoadedYaml, PolicyDataError, Where, format_path, mappings

# Numbers the bulletin spells out: "max five days per incident", "the second week", "once per day".
_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]
_ORDINALS = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
]
_TIMES = {1: "once", 2: "twice"}


def prints(value: float | int, text: str) -> bool:
    """Whether `text` states `value`, in figures ("91%", "15 minutes") or in words ("five days")."""
    figure = str(int(value)) if float(value).is_integer() else str(value)
    if re.search(rf"(?<![\d.]){re.escape(figure)}(?![\d]|\.\d)", text):
        return True
    if not float(value).is_integer() or not 0 <= value < len(_WORDS):
        return False
    words = {_WORDS[int(value)], _ORDINALS[int(value)], _TIMES.get(int(value), "")} - {""}
    return any(re.search(rf"\b{word}\b", text, re.IGNORECASE) for word in words)


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


def _rule_values(rule: dict[str, Any], where: Where) -> Iterator[tuple[float | int, Where]]:
    """The numbers a rule sets (`percent: 91`, `max: {days: 5}`), not those of its sources."""
    for key, value in rule.items():
        if isinstance(value, bool) or key in ("source", "see"):
            continue
        if isinstance(value, (int, float)):
            yield value, where + [key]
        elif isinstance(value, dict) and value.get("kind") not in ("paragraph", "statute"):
            yield from _rule_values(value, where + [key])


def check_numbers(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """A number lives in the paragraph that prints it; the rule taking it must hold the same one."""
    parts = _bulletin_parts(loaded)
    for doc in _rules(loaded).values():
        for rule, where in mappings(doc.data):
            cited = [rule[k] for k in ("source", "see") if isinstance(rule.get(k), dict) and rule[k].get("kind") == "paragraph"]
            for source in cited:
                if source["id"] not in parts:
                    continue  # check_sources reports it
                part_doc, part_where, part = parts[source["id"]]
                printed = [n["value"] for n in part.get("numbers", [])]
                for value, at in _rule_values(rule, where):
                    if value not in printed:
                        numbers = ", ".join(map(str, printed)) or "none"
                        yield doc.error(
                            at,
                            f"{value} is not a number {source['id']} prints ({part_doc.path.relative_to(root / 'policy_data')} "
                            f"line {part_doc.line_of(part_where + ['numbers'])}: `numbers` {numbers}): the rule and the "
                            "paragraph must agree; change the one that is wrong",
                        )
                    elif isinstance(rule.get("summary"), str) and not prints(value, rule["summary"]):
                        yield doc.error(where + ["summary"], f"does not say {value}, the number of {'.'.join(map(str, at))}: reword it")


def check_printed_numbers(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Each entry of a paragraph's `numbers` quotes its value (91 in "an attendance rate of 91% or below")."""
    for rel, doc in sorted(loaded.items()):
        if not rel.startswith("bulletin/"):
            continue
        for part, where in mappings(doc.data):
            for i, number in enumerate(part.get("numbers") or []):
                if isinstance(number, dict) and not prints(number["value"], number["quote"]):
                    yield doc.error(where + ["numbers", i, "value"], f"{number['value']} is not in its `quote` {number['quote']!r}: fix the value or the quote")


# A rule's threshold restated in our own prose (the glossary, the worked examples, the readings, the
# wording, our notes on paragraphs, the hand-written pages): "91% or below" there must be the value a rule of that comparison
# holds, so changing `percent: 91` to 90 (and XV.b with it) stops the build at every sentence still
# saying 91. The bulletin's paragraphs and a rule's own summary are check_numbers' part; LAUSD's
# practices are outside documents quoted as published, not our restatement.
RESTATED = {
    "at_most": re.compile(r"(\d+(?:[.,]\d+)?)\s?%\s+(?:or\s+(?:below|less)|o\s+menos)\b"),
    "at_least": re.compile(r"(\d+(?:[.,]\d+)?)\s?%\s+(?:or\s+more|o\s+más)"),
}
# Hand-written pages (the generated ones are in subfolders of docs/).
PROSE_PAGES = ("docs", "policy_tools/calculator_templates")


def _texts(data: Any, where: Where) -> Iterator[tuple[str, Where]]:
    if isinstance(data, str):
        yield data, where
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, where + [key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, where + [index])


def _thresholds(root: Path, loaded: dict[str, LoadedYaml]) -> dict[str, list[tuple[float | int, LoadedYaml, Where]]]:
    """Each comparison's percents, from rules that agree with the paragraph they cite (a rule that
    does not is check_numbers' one problem to fix first)."""
    parts = _bulletin_parts(loaded)
    out: dict[str, list[tuple[float | int, LoadedYaml, Where]]] = {key: [] for key in RESTATED}
    for doc in _rules(loaded).values():
        for rule, where in mappings(doc.data):
            value = rule.get("percent")
            if rule.get("comparison") not in RESTATED or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            cited = [rule[k]["id"] for k in ("source", "see") if isinstance(rule.get(k), dict) and rule[k].get("kind") == "paragraph"]
            if all(ident in parts and value in [n["value"] for n in parts[ident][2].get("numbers", [])] for ident in cited):
                out[rule["comparison"]].append((value, doc, where))
    return out


def check_restated_thresholds(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Every "N% or below" / "N% or more" in our prose is a threshold a rule sets (rules/*.yaml)."""
    thresholds = _thresholds(root, loaded)
    own_summaries = {(id(doc), tuple(where + ["summary"])) for rules in thresholds.values() for _, doc, where in rules}

    def wrong(text: str) -> Iterator[tuple[int, str]]:
        """(offset, message) for each restated threshold no rule holds."""
        for comparison, pattern in RESTATED.items():
            for match in pattern.finditer(text):
                said = float(match[1].replace(",", "."))
                held = thresholds[comparison]
                if held and all(said != value for value, _, _ in held):
                    rules = "; ".join(f"{value} in {doc.path.relative_to(root / 'policy_data')} line {doc.line_of(w + ['percent'])} "
                                      f"(`{format_path(w + ['percent'])}`)" for value, doc, w in held)
                    yield match.start(), (f"says {' '.join(match[0].split())!r}, but the rules' threshold is {rules}: restate "
                                          "the rule's number here, or fix the rule")

    for rel, doc in sorted(loaded.items()):
        if not rel.startswith(("glossary", "examples/", "rules/", "wording/", "bulletin/")):
            continue
        for text, where in _texts(doc.data, []):
            if rel.startswith("bulletin/") and where[-1:] != ["note"]:
                continue  # the bulletin's own words: check_numbers ties them to the rules
            if rel.startswith("rules/") and (where[:1] == ["practices"] or (id(doc), tuple(where)) in own_summaries):
                continue
            for _, message in wrong(text):
                yield doc.error(where, message)
    for folder in PROSE_PAGES:
        for page in sorted((root / folder).glob("*.md")):
            text = page.read_text(encoding="utf-8")
            for offset, message in wrong(text):
                yield PolicyDataError(page, text.count("\n", 0, offset) + 1, "", message)


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
        for part in ("steps", "steps_once_allowed"):
            for j, key in enumerate(item.get(part, [])):
                if key not in steps:
                    yield doc.error(["situations", i, part, j], f"`{key}` is not a step id: use one of {', '.join(sorted(steps))}")
        if item.get("steps_once_allowed") and item["withdraw"] != "after_due_diligence":
            yield doc.error(["situations", i, "steps_once_allowed"], "only a situation with withdraw: after_due_diligence has steps once withdrawal is allowed: list them under steps")
    questions = {item["id"] for item in data["flow"]["questions"]}
    if data["flow"]["start"] not in questions:
        yield doc.error(["flow", "start"], f"`{data['flow']['start']}` is not a question id")
    # Each question and answer needs words too: policy_tools.bundle_wording checks that.
    for i, question in enumerate(data["flow"]["questions"]):
        for j, answer in enumerate(question["answers"]):
            if "next" in answer and answer["next"] not in questions:
                yield doc.error(["flow", "questions", i, "answers", j, "next"], f"`{answer['next']}` is not a question id")
            if "situation" in answer and answer["situation"] not in situations:
                yield doc.error(["flow", "questions", i, "answers", j, "situation"], f"`{answer['situation']}` is not a situation id")
