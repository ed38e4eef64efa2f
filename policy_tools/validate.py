"""Check every file in policy_data/ against its JSON Schema, then across files.

    python -m policy_tools.validate      # prints each problem as `file line N: `field`: what to fix`

Every policy_data/**/*.yaml must match a glob in SCHEMAS (a file with no schema is an error, so
nothing unchecked is ever published). Cross-file checks: ids unique across the bulletin and the
glossary, every `applies_to`/`used_in` id exists, duty and number quotes are exact substrings of
their paragraph's `text`, sections I-XVI and their letters in order, every OCR correction
still applies to the source, each section page is in mkdocs.yml's nav under its topic, and the
calculator rules agree with the bulletin (policy_tools.rules_check: sources, numbers, the flow).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from policy_tools.data_ids import _glob_match, check_ids
from policy_tools.nav import check_nav
from policy_tools.published_history import check_published
from policy_tools.rules_check import check_numbers, check_printed_numbers, check_restated_thresholds, check_sources, check_withdrawal
from policy_tools.source_text import CORRECTIONS, corrected_source
from policy_tools.yamlio import ROOT, LoadedYaml, PolicyDataError, format_path, load, mappings, stop_on

# File glob (relative to policy_data/, `*` does not cross "/") -> schema in policy_data/schemas/;
# `{stem}` is the file's name without .yaml (rules/excused.yaml -> rules-excused.schema.json).
# Add a row for every new kind of file.
SCHEMAS: dict[str, str] = {
    "bulletin/meta.yaml": "bulletin-meta.schema.json",
    "bulletin/front.yaml": "bulletin-front.schema.json",
    "bulletin/sections/*.yaml": "bulletin-section.schema.json",
    "bulletin/authority.yaml": "bulletin-authority.schema.json",
    "bulletin/related_resources.yaml": "bulletin-related-resources.schema.json",
    "bulletin/assistance.yaml": "bulletin-assistance.schema.json",
    "glossary.yaml": "glossary.schema.json",
    "ocr_corrections.yaml": "ocr-corrections.schema.json",
    "published_ids.yaml": "published_ids.schema.json",
    "rules/*.yaml": "rules-{stem}.schema.json",
    "examples/*.yaml": "examples-{stem}.schema.json",
    "search.yaml": "search.schema.json",
    "wording/*.yaml": "wording.schema.json",
}


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"]

# Extra checks other modules may register: (glob, function(root, loaded files) -> problems).
CrossCheck = Callable[[Path, dict[str, LoadedYaml]], Iterator[PolicyDataError]]
CROSS_CHECKS: list[CrossCheck] = []


def schema_for(rel: str) -> str | None:
    found = next((schema for pattern, schema in SCHEMAS.items() if _glob_match(rel, pattern)), None)
    return found.format(stem=Path(rel).stem) if found else None


def _registry(schema_dir: Path) -> Registry:
    resources = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def _explain(error: ValidationError) -> tuple[list[str | int], str]:
    """Field path and a message that says what to change."""
    path: list[str | int] = list(error.absolute_path)
    value = error.instance
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        return path + [name], f"missing: add `{name}`"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        fields = ", ".join(sorted(error.schema.get("properties", {})))
        return path + ([extra[0]] if extra else []), f"unknown field: remove it or fix its spelling (allowed: {fields})"
    if error.validator == "type":
        return path, f"must be of type {error.validator_value}, found {type(value).__name__} {value!r}"
    if error.validator in ("enum", "const"):
        allowed: list[Any] = error.validator_value if error.validator == "enum" else [error.validator_value]
        return path, f"{value!r} is not allowed: use one of {', '.join(map(str, allowed))}"
    if error.validator == "pattern":
        hint = error.schema.get("description", f"the pattern {error.validator_value}")
        return path, f"{value!r} is not in the expected form: {hint}"
    if error.validator in ("minItems", "minLength"):
        return path, "must not be empty"
    if error.validator == "uniqueItems":
        return path, "has the same entry twice: remove the duplicate"
    return path, error.message


# Each file's outcome by its bytes and the schemas' (file -> (key, loaded file or None, problems)):
# the live preview (policy_tools.watch) validates after every save in one process, where all but
# one file are unchanged. A build checks each file once either way.
_CHECKED: dict[Path, tuple[tuple[str, str, str], LoadedYaml | None, list[PolicyDataError]]] = {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_schemas(root: Path) -> tuple[dict[str, LoadedYaml], list[PolicyDataError]]:
    base = root / "policy_data"
    registry = _registry(base / "schemas")
    schemas = _digest(b"".join(p.name.encode() + p.read_bytes() for p in sorted((base / "schemas").glob("*.json"))))
    validators: dict[str, Draft202012Validator] = {}
    loaded: dict[str, LoadedYaml] = {}
    problems: list[PolicyDataError] = []
    for path in sorted(base.rglob("*.yaml")):
        rel = path.relative_to(base).as_posix()
        if rel.startswith("source/"):
            continue
        key = (_digest(path.read_bytes()), schemas, str(schema_for(rel)))
        known = _CHECKED.get(path)
        if known is not None and known[0] == key:
            _, doc_known, found = known
            problems.extend(found)
            if doc_known is not None:
                loaded[rel] = doc_known
            continue
        before = len(problems)
        _check_file(path, rel, base, registry, validators, loaded, problems)
        _CHECKED[path] = (key, loaded.get(rel), problems[before:])
    return loaded, problems


def _check_file(path: Path, rel: str, base: Path, registry: Any, validators: dict[str, Draft202012Validator],
                loaded: dict[str, LoadedYaml], problems: list[PolicyDataError]) -> None:
    """One file against its schema: its problems appended to `problems`, or it joins `loaded`."""
    schema_name = schema_for(rel)
    if schema_name is None:
        problems.append(
            PolicyDataError(path, None, "", "no schema checks this file: add a row to SCHEMAS in policy_tools/validate.py")
        )
        return
    try:
        doc = load(path)
    except PolicyDataError as exc:
        problems.append(exc)
        return
    if schema_name not in validators:
        schema_path = base / "schemas" / schema_name
        if not schema_path.is_file():
            problems.append(PolicyDataError(path, None, "", f"its schema policy_data/schemas/{schema_name} is missing"))
            return
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        validators[schema_name] = Draft202012Validator(schema, registry=registry)
    not_finite = [doc.error(where, f"`{_yaml_number(value)}` is not a number a rule can use: write a finite number, like 10")
                  for value, where in _non_finite(doc.data, [])]
    if not_finite:  # NaN passes every minimum and maximum: refuse it before the schema
        problems.extend(not_finite)
        return
    errors = sorted(validators[schema_name].iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        field, message = _explain(error)
        problems.append(PolicyDataError(path, doc.line_of(field), format_path(field), message))
    if not errors:
        loaded[rel] = doc


def _non_finite(node: Any, where: list[str | int]) -> Iterator[tuple[float, list[str | int]]]:
    if isinstance(node, float) and not math.isfinite(node):
        yield node, where
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _non_finite(value, where + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _non_finite(value, where + [i])


def _yaml_number(value: float) -> str:
    return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"


def check_quotes(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Duties, numbers and references quote their own `text`, so a reader can find them in the bulletin."""
    for rel, doc in loaded.items():
        if not rel.startswith("bulletin/"):
            continue
        for owner, where in _objects_with_text(doc.data, []):
            for key in ("duties", "numbers"):
                for i, item in enumerate(owner.get(key) or []):
                    if item["quote"] not in " ".join(owner["text"].split()):
                        yield doc.error(
                            where + [key, i, "quote"],
                            f"{item['quote']!r} is not in this part's `text`: copy the words exactly from `text`",
                        )
            for i, reference in enumerate(owner.get("references") or []):
                if reference not in " ".join(owner["text"].split()):
                    yield doc.error(
                        where + ["references", i],
                        f"{reference!r} is not in this part's `text`: list references as printed",
                    )
            for i, reference in enumerate(owner.get("references_not_linked") or []):
                if reference not in (owner.get("references") or []):
                    yield doc.error(
                        where + ["references_not_linked", i],
                        f"{reference!r} is not in this part's `references`: list it there too, as printed",
                    )


def _objects_with_text(node: Any, where: list[str | int]) -> Iterator[tuple[dict[str, Any], list[str | int]]]:
    return ((mapping, at) for mapping, at in mappings(node, where) if isinstance(mapping.get("text"), str))


def check_order(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Sections I-XVI, one per file NN-<id>.yaml; letters a, b, c ...; Major Changes 1, 2, 3 ..."""
    sections = sorted(rel for rel in loaded if _glob_match(rel, "bulletin/sections/*.yaml"))
    for position, rel in enumerate(sections, start=1):
        doc = loaded[rel]
        data = doc.data
        numeral = ROMAN[position - 1] if position <= len(ROMAN) else "?"
        if data["numeral"] != numeral:
            yield doc.error(["numeral"], f"file {position} of the sections must be section {numeral}, not {data['numeral']}")
        if data["id"] != data["numeral"].lower():
            yield doc.error(["id"], f"must be the numeral in lower case: `{data['numeral'].lower()}`")
        expected_name = f"{position:02d}-{data['id']}.yaml"
        if Path(rel).name != expected_name:
            yield doc.error([], f"rename the file to {expected_name} (position {position}, id {data['id']})")
        for i, paragraph in enumerate(data["paragraphs"]):
            letter = chr(ord("a") + i)
            if paragraph["letter"] != letter:
                yield doc.error(["paragraphs", i, "letter"], f"paragraph {i + 1} must have letter `{letter}`")
            if paragraph["id"] != f"{data['id']}-{paragraph['letter']}":
                yield doc.error(["paragraphs", i, "id"], f"must be `{data['id']}-{paragraph['letter']}`")
    if len(sections) != len(ROMAN) and sections:
        doc = loaded[sections[-1]]
        yield doc.error([], f"the bulletin has {len(ROMAN)} sections (I-XVI); found {len(sections)} files")
    front = loaded.get("bulletin/front.yaml")
    if front is not None:
        for i, item in enumerate(front.data["major_changes"]["items"]):
            where: list[str | int] = ["major_changes", "items", i]
            if item["number"] != i + 1 or item["id"] != f"mc-{i + 1}":
                yield front.error(where, f"item {i + 1} must have `number: {i + 1}` and `id: mc-{i + 1}`")
            for j, sub in enumerate(item.get("items", [])):
                letter = chr(ord("a") + j)
                if sub["letter"] != letter or sub["id"] != f"mc-{i + 1}-{letter}":
                    yield front.error(where + ["items", j], f"must have `letter: {letter}` and `id: mc-{i + 1}-{letter}`")


def check_corrections(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    doc = loaded.get("ocr_corrections.yaml")
    if doc is None:
        return
    for key in ("noise", "markers", "lists"):
        for i, entry in enumerate(doc.data[key]):
            for field in ("pattern", "from", "to", "item"):
                if field in entry:
                    try:
                        re.compile(entry[field])
                    except re.error as exc:
                        yield doc.error([key, i, field], f"not a valid regular expression: {exc}")
    try:
        corrected_source(root)
    except PolicyDataError as exc:
        yield exc
    except re.error as exc:
        yield PolicyDataError(root / CORRECTIONS, None, "", f"a regular expression is invalid: {exc}")


CROSS_CHECKS.extend([check_ids, check_quotes, check_order, check_corrections, check_nav,
                     check_sources, check_numbers, check_printed_numbers, check_restated_thresholds, check_withdrawal, check_published])


def check(root: Path) -> list[PolicyDataError]:
    """Every problem found, schema problems first; cross-file checks only run on valid files."""
    loaded, problems = check_schemas(root)
    if problems:
        return problems
    for cross_check in CROSS_CHECKS:
        problems.extend(cross_check(root, loaded))
    return problems


def run(root: Path) -> None:
    """The first prepare step: print every problem and stop the build (exit 1) if there is one."""
    stop_on(check(root), "validate", "policy_data/")
    print("validate: policy_data/ is valid", file=sys.stderr)


if __name__ == "__main__":
    run(ROOT)
