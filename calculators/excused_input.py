"""The excused-absence input as entered, each part checked on its own: the absences (a date or a
date range, a reason, an incident name) and the dates a calendar gives. Every problem is collected
(Problems), in the order the page asks for the fields, so a page lists them all at once.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError, InputErrors
from .excused_rules import config
from .limits import FIRST_YEAR, LAST_YEAR, quote, unknown_field
from .wording import date, say

# Problems collected before the calculator gives up (a page lists them all; a pasted file with
# thousands of bad rows must not answer with thousands of lines).
MAX_PROBLEMS = 30


def input_error(field: str, key: str, n: Any = None, **values: Any) -> InputError:
    """An input error in the reader's language (`excused.errors.<key>` in the wording)."""
    return InputError(field, say(f"excused.errors.{key}", n=n, **values))


class Problems:
    """Every problem of an input, collected so a page can list them all at once."""

    def __init__(self) -> None:
        self.items: list[InputError] = []

    def add(self, error: InputError) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(error)

    def get(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except InputError as exc:
            self.add(exc)
            return None

    def raise_any(self) -> None:
        if self.items:
            raise InputErrors(sorted(self.items, key=_form_order))


# The page asks for the absences first, then the calendar dates they need: problems are listed in
# that order (sorted is stable, so problems of one field keep the order found).
_PARTS = ("date", "last_date", "reason", "incident")
_CALENDAR_ORDER = ("first_day", "second_semester_start", "last_day", "non_school_days", "winter_break")
_FIELD = re.compile(r"absences\[(\d+)\](?:\.(\w+))?|calendar(?:\.(\w+))?")


def _form_order(error: InputError) -> tuple[int, int, int]:
    match = _FIELD.match(error.field)
    if match is None:
        return (2, 0, 0)
    if match[1] is not None:
        part = match[2] or ""
        return (0, int(match[1]), _PARTS.index(part) if part in _PARTS else len(_PARTS))
    name = match[3] or ""
    return (1, _CALENDAR_ORDER.index(name) if name in _CALENDAR_ORDER else len(_CALENDAR_ORDER), 0)


# YYYY-MM-DD in the digits 0-9 and nothing else: date.fromisoformat also reads week dates
# ("2024-W37-1"), the basic form ("20240909") and other scripts' digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def blank(value: object) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def read_date(value: object, field: str, label: str) -> dt.date:
    if blank(value):
        raise input_error(field, "date_missing", label=label)
    if not isinstance(value, str):
        raise input_error(field, "date_not_text", label=label, value=quote(value))
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise input_error(field, "date_not_a_date", label=label, value=quote(text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # The date as the results write it (and as a date picker shows it, in words), not ISO 8601.
        raise input_error(field, "date_year", label=label, value=date(day), first=str(FIRST_YEAR), last=str(LAST_YEAR))
    return day


def refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], where: str, what: str) -> None:
    unknown = sorted((key for key in data if key not in allowed), key=str)
    if unknown:
        field = unknown_field(unknown[0], where)
        raise input_error(field, "unknown_field", field_name=quote(unknown[0]), what=what, allowed=", ".join(allowed))


@dataclass(frozen=True)
class Row:
    """One absence as entered: a date, or a date range (`last_date`), with one reason."""
    index: int  # position as given, for messages and the tie-break
    first: dt.date
    last: dt.date
    reason: str
    incident: str | None


@dataclass(frozen=True)
class Absence:
    index: int  # the row it came from
    date: dt.date
    reason: str
    incident: str | None
    row_first: dt.date  # the row's first day: an unnamed incident is its row


def read_rows(data: object, problems: Problems) -> list[Row]:
    """The absences as entered, each checked on its own (the calendar comes later)."""
    cfg = config()
    if data is None:
        return []
    if not isinstance(data, list):
        raise input_error("absences", "absences_shape")
    out: list[Row] = []
    known = sorted(cfg.maxes) + sorted(cfg.no_max)
    for index, item in enumerate(data):
        where = f"absences[{index}]"
        n = index + 1
        if not isinstance(item, Mapping):
            problems.add(input_error(where, "absence_shape", row=n))
            continue
        try:
            refuse_unknown(item, ("date", "last_date", "reason", "incident"), where, say("excused.fields.absence", row=n))
        except InputError as exc:
            problems.add(exc)
            continue
        first = problems.get(read_date, item.get("date"), f"{where}.date", say("excused.fields.date", row=n))
        last = first
        if not blank(item.get("last_date")):
            last = problems.get(read_date, item.get("last_date"), f"{where}.last_date", say("excused.fields.last_date", row=n))
            if first is not None and last is not None and last < first:
                problems.add(input_error(f"{where}.last_date", "range_order", row=n, first=date(first), last=date(last)))
                last = None
            elif first is not None and last is not None and (last - first).days >= cfg.school_year_max_days:
                problems.add(input_error(f"{where}.last_date", "range_too_long", row=n))
                last = None
        why = item.get("reason")
        if not isinstance(why, str) or why.strip() not in cfg.maxes and why.strip() not in cfg.no_max:
            if blank(why):
                problems.add(input_error(f"{where}.reason", "reason_missing", row=n))
            else:
                problems.add(input_error(f"{where}.reason", "reason_unknown", row=n, given=quote(why) if isinstance(why, str) else quote(why), known=", ".join(known)))
            why = None
        incident = item.get("incident")
        key: str | None = None
        if incident is not None and (not isinstance(incident, (str, int)) or isinstance(incident, bool)):
            problems.add(input_error(f"{where}.incident", "incident_shape", row=n))
        elif incident is not None:
            key = str(incident).strip() or None
            if key is not None and len(key) > 40:
                problems.add(input_error(f"{where}.incident", "incident_too_long", row=n, given=quote(key)))
                key = None
        if first is None or last is None or why is None:
            continue
        out.append(Row(index, first, last, why.strip(), key))
    return out
