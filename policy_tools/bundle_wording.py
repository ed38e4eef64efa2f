"""Prepare step: check the calculators' words, then bundle them for the wheel.

`policy_data/wording/<lang>.yaml` → `calculators/wording.json` (`{lang: words}`), read by
`calculators.wording`. English (`en.yaml`) is the reference: every other language must have
exactly its keys, and each sentence exactly its {placeholders}, so a translation can never make a
result fail at run time. The rules' ids that need words (chronic definitions, the withdrawal
flow's questions, answers, situations and steps) must each have them. Problems name file, line
and field, like policy_tools.validate.
"""
from __future__ import annotations

import json
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from calculators.formats import LANGUAGES as FORMAT_LANGUAGES
from calculators.wording import BUNDLE_NAME, DEFAULT
from policy_tools.files import write_if_changed
from policy_tools.yamlio import LoadedYaml, PolicyDataError, load

Where = list[str | int]
# Rules files whose own words (readings, practices, situations' readings) every language must have.
TRANSLATED_RULES = ("chronic.yaml", "excused.yaml", "withdrawal.yaml")
# Keys about the language itself, not sentences to compare with English.
OWN = ("lang", "language")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _leaves(node: Any, where: Where) -> Iterator[tuple[Where, Any]]:
    """(path, sentence) for every sentence; a {one, other} pair is one leaf."""
    if isinstance(node, dict) and not (set(node) == {"one", "other"}):
        for key, value in node.items():
            yield from _leaves(value, where + [key])
    else:
        yield where, node


def _texts(leaf: Any) -> list[str]:
    return [leaf["one"], leaf["other"]] if isinstance(leaf, dict) else [str(leaf)]


def _get(node: Any, where: Where) -> Any:
    for key in where:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def check_file(doc: LoadedYaml, reference: LoadedYaml | None) -> Iterator[PolicyDataError]:
    data = doc.data
    if data.get("lang") != doc.path.stem:
        yield doc.error(["lang"], f"`lang` must be the file's name, `{doc.path.stem}`")
    if doc.path.stem not in FORMAT_LANGUAGES:
        yield doc.error(["lang"], f"calculators.formats has no number and date formats for `{doc.path.stem}`: add it to LANGUAGES there")
    for where, leaf in _leaves({k: v for k, v in data.items() if k not in OWN}, []):
        for text in _texts(leaf):
            try:
                names = _placeholders(text)
            except ValueError as exc:
                yield doc.error(where, f"{exc}: write a literal brace as {{{{ or }}}}")
                continue
            for name in names:
                if not name.isidentifier():
                    yield doc.error(where, f"placeholder {{{name}}} must be a plain name, like {{days}}")
        if reference is None:
            continue
        expected = _get(reference.data, where)
        if expected is None:
            yield doc.error(where, f"`{'.'.join(map(str, where))}` is not in {reference.path.name}: remove it or add it there first")
            continue
        if isinstance(expected, dict) != isinstance(leaf, dict):
            shape = "a {one, other} pair" if isinstance(expected, dict) else "one sentence"
            yield doc.error(where, f"must be {shape}, as in {reference.path.name}")
            continue
        want = set().union(*(_placeholders(t) for t in _texts(expected)))
        got = set().union(*(_placeholders(t) for t in _texts(leaf)))
        if got != want:
            yield doc.error(where, f"uses {{{', '.join(sorted(got)) or 'no placeholder'}}} but {reference.path.name} uses {{{', '.join(sorted(want)) or 'no placeholder'}}}: use the same names")
    if reference is not None:
        for where, _ in _leaves({k: v for k, v in reference.data.items() if k not in OWN}, []):
            if _get(data, where) is None:
                yield doc.error(where[:-1], f"`{'.'.join(map(str, where))}` is missing: translate it from {reference.path.name}")


def check_rules(root: Path, doc: LoadedYaml) -> Iterator[PolicyDataError]:
    """Every id the rules give a reader needs words in the reference language."""
    rules = root / "policy_data" / "rules"
    needs: list[tuple[Where, str]] = []
    if (rules / "chronic.yaml").is_file():
        for item in load(rules / "chronic.yaml").data["definitions"]:
            needs.append((["chronic", "definitions", item["id"]], "chronic definition"))
    if (rules / "withdrawal.yaml").is_file():
        data = load(rules / "withdrawal.yaml").data
        for question in data["flow"]["questions"]:
            needs.append((["withdrawal", "questions", question["id"]], "withdrawal question"))
            needs += [(["withdrawal", "answers", answer["id"]], "withdrawal answer") for answer in question["answers"]]
        needs += [(["withdrawal", "situations", item["id"]], "withdrawal situation") for item in data["situations"]]
        needs += [(["withdrawal", "steps", item["id"]], "withdrawal step") for item in data["steps"]]
    if (rules / "excused.yaml").is_file():
        data = load(rules / "excused.yaml").data
        # A family reads each reason by its name in their language, never its id.
        for group in ("with_max", "no_max"):
            needs += [(["excused", "reasons", item["id"]], "excused-absence reason") for item in data[group]]
        needs += [(["excused", "maxes", period], "excused-absence period") for period in data["periods"]]
    for where, what in needs:
        if _get(doc.data, where) is None:
            yield doc.error(where[:-1], f"the {what} `{where[-1]}` (policy_data/rules/) has no words: add `{'.'.join(map(str, where))}`")


def check_rules_words(root: Path, lang: str) -> Iterator[PolicyDataError]:
    """Our words inside the rules (readings: label, reading, why; practices: label) in `lang`."""
    for path in sorted((root / "policy_data" / "rules").glob("*.yaml")):
        doc = load(path)
        for group, keys in (("readings", ("label", "reading", "why")), ("practices", ("label", "citation")), ("situations", ("reading", "why")), ("with_max", ("summary",))):
            items = doc.data.get(group) if isinstance(doc.data, dict) else None
            for index, item in enumerate(items if isinstance(items, list) else []):
                for key in keys:
                    if key in item and not (isinstance(item.get(lang), dict) and item[lang].get(key)):
                        yield doc.error([group, index], f"`{group}.{item.get('id', index)}.{lang}.{key}` is missing: add the {lang} wording of `{key}`")


def check(root: Path) -> list[PolicyDataError]:
    folder = root / "policy_data" / "wording"
    reference_path = folder / f"{DEFAULT}.yaml"
    if not reference_path.is_file():
        return [PolicyDataError(reference_path, None, "", "the English wording is missing: every other language is checked against it")]
    reference = load(reference_path)
    problems = list(check_file(reference, None)) + list(check_rules(root, reference))
    for path in sorted(folder.glob("*.yaml")):
        if path != reference_path:
            problems += check_file(load(path), reference)
            # Only the calculators with a page in every language so far (chronic, excused, withdrawal); the
            # others' readings are English until their pages are translated.
            problems += [p for p in check_rules_words(root, path.stem) if p.file.name in TRANSLATED_RULES]
    return problems


def bundle_text(root: Path) -> str:
    folder = root / "policy_data" / "wording"
    data = {path.stem: load(path).data for path in sorted(folder.glob("*.yaml"))}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_bundle(root: Path, folder: Path) -> Path:
    path = folder / BUNDLE_NAME
    write_if_changed(path, bundle_text(root))
    return path


def is_fresh(root: Path) -> bool:
    """Whether calculators/wording.json holds exactly today's words (the tests ask before using it)."""
    path = root / "calculators" / BUNDLE_NAME
    return path.is_file() and path.read_text(encoding="utf-8") == bundle_text(root)


def run(root: Path) -> None:
    problems = check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"bundle_wording: {len(problems)} problem(s) in policy_data/wording/", file=sys.stderr)
        raise SystemExit(1)
    write_bundle(root, root / "calculators")


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
