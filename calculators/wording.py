"""The calculators' words, per language: `policy_data/wording/<lang>.yaml`, bundled as `wording.json`.

Results are built in one language at a time: the bridge (request `lang`) and the CLI (`--lang`)
wrap the calculation in `using(lang)`, and the calculators ask `say("chronic.so_far_chronic", ...)`
for each sentence. A language the bundle does not hold is refused (`InputError` on field `lang`),
never silently replaced by English. The build (policy_tools.bundle_wording) checks that every
language has exactly the keys and placeholders of English, so `say` never meets a missing key.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from . import bundle, formats
from .errors import InputError

BUNDLE_NAME = "wording.json"
DEFAULT = "en"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default=DEFAULT)


@functools.cache
def load() -> dict[str, Any]:
    """Every language's words, from the bundle (the wheel never reads policy_data/)."""
    data: dict[str, Any] = bundle.read(BUNDLE_NAME)
    return data


def languages() -> list[str]:
    return sorted(load())


def check_lang(lang: object) -> str:
    """`lang` if the calculators speak it, else an InputError that says which languages they do."""
    if lang is None:
        return DEFAULT
    known = languages()
    if not isinstance(lang, str) or lang.strip().lower() not in known:
        shown = lang if isinstance(lang, str) else json.dumps(lang)
        raise InputError("lang", f"Unknown language “{shown}”: use one of {', '.join(known)}.")
    return lang.strip().lower()


@contextlib.contextmanager
def using(lang: object) -> Iterator[str]:
    """Build results in `lang` inside the block (refused with InputError if unknown)."""
    token = _current.set(check_lang(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


def lookup(key: str) -> Any:
    """The raw entry at dotted `key` ("withdrawal.questions") in the current language."""
    node: Any = load()[current()]
    for part in key.split("."):
        node = node[part]
    return node


def own(item: Mapping[str, Any], key: str) -> str:
    """Our words in rules data (a reading's `label`, `reading`, `why`) in the current language: the
    item's `<lang>` part (`es: {reading: ...}`), English otherwise. The build checks that every
    reading has each language (policy_tools.bundle_wording), so the English is never a fallback."""
    lang = current()
    part = item.get(lang) if lang != DEFAULT else None
    value = part.get(key) if isinstance(part, Mapping) else None
    return " ".join(str(value if value is not None else item[key]).split())


def number(value: Any) -> str:
    """A number as this language writes it (Babel's formats, calculators.formats): 1,234.5 (en),
    1.234,5 (es); 17.0 as 17."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number(value, current())


def date(value: Any) -> str:
    """2024-10-07 as this language writes a day: "Mon, Oct 7, 2024"."""
    return formats.date(value, current())


def weekday(value: Any) -> str:
    """2024-09-14 -> "Saturday" in this language."""
    return formats.weekday(value, current())


def join(items: list[str]) -> str:
    """"a, b, and c" in this language."""
    return formats.join(items, current())


def _field(value: Any, format_spec: str) -> str:
    """One value of a sentence: numbers the language's way; `{rate:percent}` a percentage ("91,67 %"),
    `{day:date}` a date ("lun, 7 oct 2024"), `{day:long_date}` ("7 de octubre de 2024")."""
    lang = current()
    if format_spec == "percent":
        return formats.percent(int(value) if isinstance(value, float) and value.is_integer() else value, lang)
    if format_spec == "date":
        return formats.date(value, lang)
    if format_spec == "long_date":
        return formats.long_date(value, lang)
    if format_spec:
        raise ValueError(f"unknown format {format_spec!r}: use percent, date or long_date")
    return number(value)


class _Shown:
    """A value as a sentence shows it. str.format_map asks each field's `__format__`, and does the
    rest in C: string.Formatter's own loop, in Python, was most of a roster's time on bad rows
    (116,000 of them: 340,000 sentences)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, format_spec: str) -> str:
        return _field(self.value, format_spec)


def say(key: str, n: Any = None, **values: Any) -> str:
    """The sentence at `key`, filled with `values` (numbers, percentages and dates written the
    language's way). A {one, other} entry is chosen by `n`, which is also available as {n}."""
    entry = lookup(key)
    if isinstance(entry, Mapping):
        entry = entry["one"] if n == 1 else entry["other"]
    if n is not None:
        values["n"] = n
    return str(entry).format_map({name: _Shown(value) for name, value in values.items()})
