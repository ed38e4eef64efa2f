"""Numbers, percentages, dates and lists written the reader's way (issue 14): "91,67 %" in Spanish.

The formats are Babel's (CLDR), read at build time into `formats.json` by
`policy_tools.bundle_formats` and shipped in the wheel, so Pyodide needs no 11 MB Babel wheel.
The calculators never import Babel or policy_tools (calculators.bundle);
tests/calculators/test_formats.py checks every function here against Babel's own output.
"""
from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from . import bundle

BUNDLE_NAME = "formats.json"
LANGUAGES = ("en", "es")


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = bundle.read(BUNDLE_NAME)
    return data


def language(lang: str) -> dict[str, Any]:
    languages: dict[str, dict[str, Any]] = _data()["languages"]
    return languages[lang]


def number(value: float | int, lang: str = "en") -> str:
    """17.5 -> "17.5" (en), "17,5" (es); 1234 -> "1,234" / "1.234"; every digit of `value` kept."""
    f = language(lang)
    if isinstance(value, bool):
        raise TypeError("a number, not a truth value")
    text = str(value) if isinstance(value, int) else f"{value:.10f}".rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + str(f["group"]).join(groups)
    return out + (str(f["decimal"]) + fraction if fraction else "")


def percent(value: float | int, lang: str = "en") -> str:
    """A rate already in percent: 91.67 -> "91.67%" (en), "91,67 %" (es, with a no-break space)."""
    f = language(lang)
    return f"{f['percent_prefix']}{number(value, lang)}{f['percent_suffix']}"


def _pattern(day: datetime.date, pattern: str, f: dict[str, Any]) -> str:
    """Apply a CLDR date pattern (the fields our skeletons use: y, M, d, E; 'quoted' literals)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(pattern[i + 1 : end] or "'")
            i = end + 1
            continue
        run = 1
        while i + run < len(pattern) and pattern[i + run] == ch:
            run += 1
        if ch == "y":
            out.append(str(day.year) if run != 2 else f"{day.year % 100:02d}")
        elif ch in "ML":
            out.append(str(day.month) if run == 1 else f"{day.month:02d}" if run == 2
                       else f["months_abbreviated" if run == 3 else "months_wide"][day.month - 1])
        elif ch == "d":
            out.append(str(day.day) if run == 1 else f"{day.day:02d}")
        elif ch in "Ec":
            out.append(f["days_wide" if run == 4 else "days_abbreviated"][day.weekday()])
        elif ch.isalpha():
            raise ValueError(f"date pattern field {ch * run!r} is not supported")
        else:
            out.append(ch * run)
        i += run
    return "".join(out)


def _day(value: datetime.date | str) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def date(value: datetime.date | str, lang: str = "en") -> str:
    """2024-10-07 -> "Mon, Oct 7, 2024" (en), "lun, 7 oct 2024" (es)."""
    f = language(lang)
    return _pattern(_day(value), f["date"], f)


def weekday(value: datetime.date | str, lang: str = "en") -> str:
    """2024-09-14 -> "Saturday" (en), "sábado" (es)."""
    return str(language(lang)["days_wide"][_day(value).weekday()])


def long_date(value: datetime.date | str, lang: str = "en") -> str:
    """2024-08-12 -> "August 12, 2024" (en), "12 de agosto de 2024" (es)."""
    f = language(lang)
    return _pattern(_day(value), f["long_date"], f)


def join(items: Sequence[str], lang: str = "en") -> str:
    """["a", "b", "c"] -> "a, b, and c" (en), "a, b y c" (es)."""
    f = language(lang)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return str(f["list_two"]).replace("{0}", items[0]).replace("{1}", items[1])
    text = str(f["list_end"]).replace("{0}", items[-2]).replace("{1}", items[-1])
    for item in reversed(items[1:-2]):
        text = str(f["list_middle"]).replace("{0}", item).replace("{1}", text)
    return str(f["list_start"]).replace("{0}", items[0]).replace("{1}", text)
