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

import json
import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from policy_tools.nav import check_nav
from policy_tools.rules_check import check_numbers, check_printed_numbers, check_sources, check_withdrawal
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

# Files whose every `id` key defines an id (in the other files `id` may be a reference).
ID_FILES = ("bulletin/*.yaml", "bulletin/sections/*.yaml", "glossary.yaml")

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"]

# Extra checks other modules may register: (glob, function(root, loaded files) -> problems).
CrossCheck = Callable[[Path, dict[str, LoadedYaml]], Iterator[PolicyDataError]]
CROSS_CHECKS: list[CrossCheck] = []


def _glob_match(rel: str, pattern: str) -> bool:
    return rel.count("/") == pattern.count("/") and fnmatch(rel, pattern)


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


def check_schemas(root: Path) -> tuple[dict[str, LoadedYaml], list[PolicyDataError]]:
    base = root / "policy_data"
    registry = _registry(base / "schemas")
    validators: dict[str, Draft202012Validator] = {}
    loaded: dict[str, LoadedYaml] = {}
    problems: list[PolicyDataError] = []
    for path in sorted(base.rglob("*.yaml")):
        rel = path.relative_to(base).as_posix()
        if rel.startswith("source/"):
            continue
        schema_name = schema_for(rel)
        if schema_name is None:
            problems.append(
                PolicyDataError(path, None, "", "no schema checks this file: add a row to SCHEMAS in policy_tools/validate.py")
            )
            continue
        try:
            doc = load(path)
        except PolicyDataError as exc:
            problems.append(exc)
            continue
        if schema_name not in validators:
            schema_path = base / "schemas" / schema_name
            if not schema_path.is_file():
                problems.append(PolicyDataError(path, None, "", f"its schema policy_data/schemas/{schema_name} is missing"))
                continue
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
            validators[schema_name] = Draft202012Validator(schema, registry=registry)
        not_finite = [doc.error(where, f"`{_yaml_number(value)}` is not a number a rule can use: write a finite number, like 10")
                      for value, where in _non_finite(doc.data, [])]
        if not_finite:  # NaN passes every minimum and maximum: refuse it before the schema
            problems.extend(not_finite)
            continue
        errors = sorted(validators[schema_name].iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            field, message = _explain(error)
            problems.append(PolicyDataError(path, doc.line_of(field), format_path(field), message))
        if not errors:
            loaded[rel] = doc
    return loaded, problems


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


PUBLISHED = "policy_data/published_ids.yaml"


def ever_published(root: Path) -> tuple[dict[str, str], bool] | None:
    """Every id any committed version of published_ids.yaml records (ids and `moved` keys), with
    the first commit seen holding it ("abc1234 2026-11-30"), and whether the clone is shallow
    (then only the commits it holds are known). None without git history (a tarball)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    log = git("log", "--format=%H %h %cs", "--", PUBLISHED)
    if log is None or not log.strip():
        return None
    seen: dict[str, str] = {}
    for line in log.splitlines():
        full, short, day = line.split()
        text = git("show", f"{full}:{PUBLISHED}")
        try:
            data = yaml.safe_load(text or "") or {}
        except yaml.YAMLError:
            continue  # a broken old version records nothing we can read
        if not isinstance(data, dict):
            continue
        ids: list[Any] = data["ids"] if isinstance(data.get("ids"), list) else []
        moved: dict[Any, Any] = data["moved"] if isinstance(data.get("moved"), dict) else {}
        for ident in [*ids, *moved]:
            if isinstance(ident, str):
                seen[ident] = f"{short} {day}"  # log is newest first: ends on the oldest commit
    return seen, (git("rev-parse", "--is-shallow-repository") or "").strip() == "true"


def check_published(root: Path, loaded: dict[str, LoadedYaml]) -> Iterator[PolicyDataError]:
    """Published ids only grow, and each one leads somewhere: to its part, or through `moved` to
    the part that replaced it (README, "Permanent paragraph addresses")."""
    doc = loaded.get("published_ids.yaml")
    if doc is None:
        return
    current = known_ids(loaded)
    ids: list[str] = list(doc.data.get("ids") or [])
    moved: dict[str, str] = dict(doc.data.get("moved") or {})
    for i, ident in enumerate(ids):
        if ident not in current and ident not in moved:
            yield doc.error(
                ["ids", i],
                f"`{ident}` was published (a trainer may link /ref/{ident}/) but is no longer in policy_data: "
                f"add `{ident}: <the id that replaces it>` under `moved:`",
            )
    for old, new in moved.items():
        if old in current:
            yield doc.error(["moved", old], f"`{old}` still exists in policy_data: remove this `moved` entry")
        elif new not in current:
            yield doc.error(["moved", old], f"`{new}` is not an id in policy_data: name the current id that replaces `{old}`")
    history = ever_published(root)
    if history is None:
        return
    seen, shallow = history
    recorded = set(ids) | set(moved)
    for ident, commit in seen.items():
        if ident not in recorded:
            yield doc.error(
                ["ids"],
                f"`{ident}` was recorded as published (commit {commit}) and is missing: published ids are append-only, "
                f"put it back under `ids:` (and under `moved:` if it left policy_data)",
            )
    if shallow:
        print(f"validate: {PUBLISHED} checked against the commits this shallow clone holds only; "
              "a full clone (git fetch --unshallow) checks its whole history", file=sys.stderr)



CROSS_CHECKS.extend([check_ids, check_quotes, check_order, check_corrections, check_nav,
                     check_sources, check_numbers, check_printed_numbers, check_withdrawal, check_published])


def check(root: Path) -> list[PolicyDataError]:
    """Every problem found, schema problems first; cross-file checks only run on valid files."""
    loaded, problems = check_schemas(root)
    if problems:
        return problems
    for cross_check in CROSS_CHECKS:
        problems.extend(cross_check(root, loaded))
    return problems


def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def run(root: Path) -> None:
    """The first prepare step: print every problem and stop the build (exit 1) if there is one."""
    stop_on(check(root), "validate", "policy_data/")
    print("validate: policy_data/ is valid", file=sys.stderr)


if __name__ == "__main__":
    run(ROOT)
