"""Read policy_data YAML with line numbers, so every error can name file, line and field.

PyYAML's safe loader is used; we keep the composed node tree beside the data and map a field path
(`("paragraphs", 3, "text")`) back to the line it starts on.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
Where = list[str | int]   # a field path: ["paragraphs", 3, "text"]


class PolicyDataError(Exception):
    """A problem in a policy_data file, worded so the reader knows where and what to fix."""

    def __init__(self, file: Path | str, line: int | None, field: str, message: str) -> None:
        self.file = Path(file)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        try:
            name = self.file.resolve().relative_to(ROOT)
        except ValueError:
            name = self.file
        where = f"{name} line {self.line}" if self.line else f"{name}"
        return f"{where}: `{self.field}`: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass(frozen=True)
class LoadedYaml:
    path: Path
    data: Any
    node: yaml.Node | None

    def line_of(self, field_path: Sequence[str | int]) -> int | None:
        """1-based line where `field_path` starts; the nearest existing parent when it is missing."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for key in field_path:
            if isinstance(node, yaml.MappingNode):
                found = None
                for key_node, value_node in node.value:
                    if key_node.value == key:
                        found = value_node
                        line = key_node.start_mark.line + 1
                        break
                node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
            if node is None:
                break
        return line

    def error(self, field_path: Sequence[str | int], message: str) -> PolicyDataError:
        return PolicyDataError(self.path, self.line_of(field_path), format_path(field_path), message)


def stop_on(problems: Sequence[PolicyDataError], step: str, where: str) -> None:
    """A prepare step's end: print every problem (file, line, field) and stop the build if any."""
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{step}: {len(problems)} problem(s) in {where}", file=sys.stderr)
        raise SystemExit(1)


def format_path(field_path: Sequence[str | int]) -> str:
    out = ""
    for key in field_path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


# libyaml's parser when PyYAML has it (several times faster); the pure-Python one otherwise.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe loader that refuses duplicate keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key `{key}` (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyDataError(
            path, line, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {column}, as Windows-1252 or Latin-1 "
            "editors write): save the file as UTF-8"
        ) from None


def _line_of(event: yaml.Event) -> int | None:
    """The 1-based line an event starts on (PyYAML types its mark as optional)."""
    return event.start_mark.line + 1 if event.start_mark is not None else None


def _last_field_read(text: str) -> tuple[str, int | None]:
    """The field path (`paragraphs[2].letter`) whose value the parser was reading when the YAML
    broke, and the line that value starts on: a syntax error is often found lines below its cause
    (an unclosed quote), so the message names where the last good field began."""
    stack: list[list[Any]] = []  # [kind, key or index, expecting a key]
    line: int | None = None

    def value_starts(event: yaml.Event) -> None:
        nonlocal line
        if stack and stack[-1][0] == "seq":
            stack[-1][1] += 1
        if stack and stack[-1][0] == "map" and not stack[-1][2]:
            line = _line_of(event)
        elif stack and stack[-1][0] == "seq":
            line = _line_of(event)

    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                top = stack[-1] if stack else None
                if top is not None and top[0] == "map" and top[2]:
                    top[1], top[2] = getattr(event, "value", None), False
                    line = _line_of(event)
                else:
                    value_starts(event)
                    if top is not None and top[0] == "map":
                        top[2] = True
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                value_starts(event)
                stack.append(["map", None, True] if isinstance(event, yaml.MappingStartEvent) else ["seq", -1, False])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                if stack and stack[-1][0] == "map":
                    stack[-1][2] = True
    except yaml.YAMLError:
        pass
    path: list[str | int] = [frame[1] for frame in stack if frame[1] is not None and frame[1] != -1]
    return format_path(path), line


def load(path: Path) -> LoadedYaml:
    """Load one YAML file; bad encoding, characters, syntax and duplicate keys all become a
    PolicyDataError with a line, never a traceback."""
    text = _decode(path)
    try:
        # One parse: the node tree (for line numbers) is also what the data is built from.
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        field, field_line = _last_field_read(text)
        problem = " ".join(part for part in (exc.problem, exc.context) if part) or str(exc)
        if not field or not exc.problem:  # a duplicate key (raised while building) says it all
            raise PolicyDataError(path, line, "", f"{exc.problem or exc}") from None
        where = f"it starts at line {field_line}" if field_line != line else "it is on this line"
        raise PolicyDataError(
            path, line, field, f"not valid YAML here ({problem}); this is the last field read, {where}: "
            "check its quotes, brackets and indentation (an unclosed quote or bracket runs on to where YAML breaks)"
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise PolicyDataError(
            path, line, "", f"holds the control character U+{exc.character:04X} at column {column}, which YAML does not allow: "
            "delete it (it is often invisible; retype the words around it)"
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyDataError(path, None, "", f"cannot be read as YAML ({exc})") from None
    except RecursionError:
        raise PolicyDataError(path, None, "", "is nested too deeply to read: flatten it") from None
    return LoadedYaml(path, data, node)


def mappings(node: Any, where: Where | None = None) -> Iterator[tuple[dict[str, Any], Where]]:
    """Every mapping in `node` (itself included), in file order, each with its field path."""
    where = where or []
    if isinstance(node, dict):
        yield node, where
        for key, value in node.items():
            yield from mappings(value, where + [key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from mappings(value, where + [index])
