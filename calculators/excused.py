"""Excused-absence limits: which absences fit within their reason's max (Major Changes 3, XI.f:
"max five days per incident"; a family page calls a max a limit).

Maxes, periods and sources come from `policy_data/rules/excused.yaml`; every word a family reads
(answers, reason names, errors) from `excused` in policy_data/wording/<lang>.yaml. An absence is
one date or a date range (its school days; weekends and days without school are skipped). Absences
are sorted by date (then by the order given, for equal keys) before any max is counted, so the
order of entry never changes the result (reading `cap_order`). The calendar is asked for only
where a max needs it (NEEDS).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import rules
from .errors import InputError, InputErrors
from .limits import FIRST_YEAR, LAST_YEAR, quote, unknown_field
from .reasons import Reason, reason, reading_source
from .wording import date, join, lookup, own, say, weekday

WEEKEND = (5, 6)  # Saturday, Sunday: never school days (E.C. § 60901(c)(1) counts "exclusive of Saturdays and Sundays")


@dataclass(frozen=True)
class Max:
    reason: str
    name: str
    days: int
    per: str
    summary: str
    source: dict[str, Any]
    statute: dict[str, Any] | None


@dataclass(frozen=True)
class Config:
    maxes: dict[str, Max]
    no_max: dict[str, str]
    no_max_source: dict[str, Any]
    school_month_weekdays: int  # weeks x days per week (E.C. § 37201(a): 4 x 5)
    school_month_source: dict[str, Any]
    school_month_statute: str
    school_year_max_days: int
    period_labels: dict[str, str]
    readings: dict[str, dict[str, Any]]
    items: dict[str, dict[str, Any]]  # each reason with a max as rules data has it (its `es` wording too)


@functools.cache
def config() -> Config:
    data = rules.section("excused")
    maxes = {
        item["id"]: Max(
            reason=item["id"],
            name=item["name"],
            days=int(item["max"]["days"]),
            per=item["max"]["per"],
            summary=" ".join(item["summary"].split()),
            source=dict(item["source"]),
            statute=dict(item["statute"]) if item.get("statute") else None,
        )
        for item in data["with_max"]
    }
    return Config(
        maxes=maxes,
        no_max={item["id"]: item["name"] for item in data["no_max"]},
        no_max_source=dict(data["no_max_source"]),
        school_month_weekdays=int(data["calendar"]["school_month_weeks"]) * int(data["calendar"]["school_month_week_days"]),
        school_month_source=dict(data["calendar"]["school_month_source"]),
        school_month_statute=" ".join(data["calendar"]["school_month_statute"].split()),
        school_year_max_days=int(data["calendar"]["school_year_max_days"]),
        period_labels={key: value["label"] for key, value in data["periods"].items()},
        readings={item["id"]: dict(item) for item in data["readings"]},
        items={item["id"]: dict(item) for item in data["with_max"]},
    )


# The calendar dates a max's period needs (the page asks for them only when a chosen reason needs
# them): a semester starts on the second semester's first day, a school month counts from the first
# day of school (E.C. § 37201(a)). Per incident and per school year need none: a school year runs
# from July 1 to June 30 (E.C. § 37200) when the calendar gives no first or last day.
NEEDS = {"semester": ("second_semester_start",), "school_month": ("first_day",)}
# Problems collected before the calculator gives up (a page lists them all; a pasted file with
# thousands of bad rows must not answer with thousands of lines).
MAX_PROBLEMS = 30


def needs(reason_id: str) -> tuple[str, ...]:
    """The calendar fields (`first_day`, `second_semester_start`) absences for this reason need."""
    reason_max = config().maxes.get(reason_id)
    return NEEDS.get(reason_max.per, ()) if reason_max else ()


def _source(source: Mapping[str, Any]) -> dict[str, Any]:
    out = {"kind": source["kind"], "id": source["id"], "label": source["label"]}
    if "url" in source:
        out["url"] = source["url"]
    return out


def _problem(field: str, key: str, n: Any = None, **values: Any) -> InputError:
    """An input error in the reader's language (`excused.errors.<key>` in the wording)."""
    return InputError(field, say(f"excused.errors.{key}", n=n, **values))


class _Problems:
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


def _blank(value: object) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def _date(value: object, field: str, label: str) -> dt.date:
    if _blank(value):
        raise _problem(field, "date_missing", label=label)
    if not isinstance(value, str):
        raise _problem(field, "date_not_text", label=label, value=quote(value))
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _problem(field, "date_not_a_date", label=label, value=quote(text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _problem(field, "date_year", label=label, value=text, first=str(FIRST_YEAR), last=str(LAST_YEAR))
    return day


def _refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], where: str, what: str) -> None:
    unknown = sorted((key for key in data if key not in allowed), key=str)
    if unknown:
        field = unknown_field(unknown[0], where)
        raise _problem(field, "unknown_field", field_name=quote(unknown[0]), what=what, allowed=", ".join(allowed))


def _school_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """July 1 to June 30 (E.C. § 37200): the school year a day falls in."""
    start = dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return start, dt.date(start.year + 1, 6, 30)


def _range_text(first: dt.date, last: dt.date) -> str:
    return date(first) if first == last else say("excused.range", first=date(first), last=date(last))


@dataclass(frozen=True)
class WinterBreak:
    first_day: dt.date
    last_day: dt.date
    excluded: bool  # left out of the count of school months (reading `winter_break`)

    def __contains__(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Month:
    number: int
    first_day: dt.date
    last_day: dt.date
    weekdays: int  # weekdays counted in it (E.C. § 37201(a): 20, the last month may be fewer)
    school_days: int

    def entry(self) -> dict[str, Any]:
        return {"month": self.number, "first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(), "weekdays": self.weekdays, "school_days": self.school_days}

    def label(self) -> str:
        return f"school month {self.number}, {self.first_day.isoformat()} to {self.last_day.isoformat()}"

    def text(self) -> str:
        return say("excused.period.school_month", n=self.number, range=_range_text(self.first_day, self.last_day))


@dataclass(frozen=True)
class Calendar:
    first_day: dt.date | None  # None: not given (the school year then starts on July 1)
    second_semester_start: dt.date | None
    last_day: dt.date | None  # None: not given (the school year then ends on June 30)
    start: dt.date  # the first day, or July 1
    end: dt.date  # the last day, or June 30
    non_school_days: frozenset[dt.date]
    winter_break: WinterBreak | None
    # school day → (semester 1|2 or None without a second semester, school month 1.. or None
    # without a first day)
    school_days: dict[dt.date, tuple[int | None, int | None]]
    months: tuple[Month, ...]

    def why_not_school_day(self, day: dt.date) -> str | None:
        if day < self.start or day > self.end:
            key = "outside_year" if self.first_day or self.last_day else "outside_year_assumed"
            return say(f"excused.not_school_day.{key}", first=date(self.start), last=date(self.end))
        if day.weekday() in WEEKEND:
            return say("excused.not_school_day.weekend", weekday=weekday(day))
        if self.winter_break is not None and day in self.winter_break:
            return say("excused.not_school_day.winter_break", range=_range_text(self.winter_break.first_day, self.winter_break.last_day))
        if day in self.non_school_days:
            return say("excused.not_school_day.listed")
        return None


def _winter_break(data: object, start: dt.date, end: dt.date, problems: _Problems) -> WinterBreak | None:
    """`{"first_day", "last_day", "excluded"?}` (excluded unless the calendar says false)."""
    if data is None:
        return None
    field = "calendar.winter_break"
    if not isinstance(data, Mapping):
        problems.add(_problem(field, "winter_break_shape"))
        return None
    unknown = sorted(set(data) - {"first_day", "last_day", "excluded"}, key=str)
    if unknown:
        problems.add(_problem(unknown_field(unknown[0], field), "winter_break_unknown", field_name=quote(unknown[0])))
        return None
    first = problems.get(_date, data.get("first_day"), f"{field}.first_day", say("excused.fields.winter_first"))
    last = problems.get(_date, data.get("last_day"), f"{field}.last_day", say("excused.fields.winter_last"))
    excluded = data.get("excluded", True)
    if not isinstance(excluded, bool):
        problems.add(_problem(f"{field}.excluded", "winter_break_excluded"))
        return None
    if first is None or last is None:
        return None
    if last < first:
        problems.add(_problem(f"{field}.last_day", "winter_break_order", first=date(first), last=date(last)))
        return None
    if first <= start or last >= end:
        problems.add(_problem(f"{field}.first_day" if first <= start else f"{field}.last_day", "winter_break_outside",
                              range=_range_text(first, last), start=date(start), end=date(end)))
        return None
    return WinterBreak(first, last, excluded)


@dataclass(frozen=True)
class _CalendarInput:
    first: dt.date | None
    second: dt.date | None
    last: dt.date | None
    raw: Mapping[str, Any]


def _calendar_input(data: object, problems: _Problems) -> _CalendarInput:
    """The calendar's own dates, each optional (asked only when a reason needs it)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise _problem("calendar", "calendar_shape")
    _refuse_unknown(data, ("first_day", "second_semester_start", "last_day", "non_school_days", "winter_break"), "calendar", say("excused.fields.calendar"))
    values = {}
    for name in ("first_day", "second_semester_start", "last_day"):
        raw = data.get(name)
        values[name] = None if _blank(raw) else problems.get(_date, raw, f"calendar.{name}", say(f"excused.fields.{name}"))
    return _CalendarInput(values["first_day"], values["second_semester_start"], values["last_day"], data)


def _build_calendar(given: _CalendarInput, anchor: dt.date | None, problems: _Problems) -> Calendar:
    first, second, last, data = given.first, given.second, given.last, given.raw
    cfg = config()
    broken = False  # the year's own dates disagree: checks that rest on them would only repeat it
    if first and last and last < first:
        problems.add(_problem("calendar.last_day", "last_before_first", first=date(first), last=date(last)))
        last, broken = None, True
    if first and last and (last - first).days >= cfg.school_year_max_days:  # E.C. § 37200: July 1 to June 30
        problems.add(_problem("calendar.last_day", "year_too_long", first=date(first), last=date(last)))
        last, broken = None, True
    year = _school_year_of(first or last or second or anchor or dt.date(2000, 7, 1))
    start = first or year[0]
    end = last or (year[1] if first is None or year[1] > first else _school_year_of(first)[1])
    if second is not None and not broken and not start < second <= end:
        problems.add(_problem("calendar.second_semester_start", "second_semester_outside", start=date(start), end=date(end), second=date(second)))
        second = None
    raw = data.get("non_school_days", [])
    if raw is None:
        raw = []
    off: set[dt.date] = set()
    if not isinstance(raw, list):
        problems.add(_problem("calendar.non_school_days", "non_school_days_shape"))
        raw = []
    for index, item in enumerate(raw):
        field = f"calendar.non_school_days[{index}]"
        day = problems.get(_date, item, field, say("excused.fields.non_school_day", n=index + 1))
        if day is None:
            continue
        if day < start or day > end:
            problems.add(_problem(field, "non_school_day_outside", day=date(day), start=date(start), end=date(end)))
            continue
        off.add(day)
    winter = _winter_break(data.get("winter_break"), start, end, problems)
    for name, day in (("first_day", first), ("last_day", last), ("second_semester_start", second)):
        if day is None:
            continue
        if day.weekday() in WEEKEND or day in off or (winter is not None and day in winter):
            what = (say("excused.not_school_day.weekend", weekday=weekday(day)) if day.weekday() in WEEKEND
                    else say("excused.not_school_day.listed") if day in off else say("excused.not_school_day.in_winter_break"))
            problems.add(_problem(f"calendar.{name}", "calendar_day_not_school_day", label=say(f"excused.fields.{name}"), day=date(day), what=what))
    school_days, months = _school_months(start, first, second, end, off, winter)
    return Calendar(first, second, last, start, end, frozenset(off), winter, school_days, months)


def calendar(data: object) -> Calendar:
    """The school calendar alone (every date optional): raises InputErrors with every problem."""
    problems = _Problems()
    given = _calendar_input(data, problems)
    cal = _build_calendar(given, None, problems)
    problems.raise_any()
    return cal


def _school_months(
    start: dt.date, first: dt.date | None, second: dt.date | None, end: dt.date, off: set[dt.date], winter: WinterBreak | None
) -> tuple[dict[dt.date, tuple[int | None, int | None]], tuple[Month, ...]]:
    """School months per E.C. § 37201(a) (readings `school_month_weeks`, `winter_break`): runs of
    20 weekdays from the first day, holidays and other weekdays without school counted in, the
    weekdays of an excluded winter break left out. Without a first day of school there are no
    school months (none is needed). Returns each school day's (semester, month)."""
    length = config().school_month_weekdays
    school_days: dict[dt.date, tuple[int | None, int | None]] = {}
    spans: list[list[Any]] = []  # [first, last, weekdays, school days] per month
    day, counted = start, 0
    while day <= end:
        if day.weekday() not in WEEKEND:
            in_break = winter is not None and day in winter
            month: int | None = None
            if first is not None and not (in_break and winter is not None and winter.excluded):
                month = counted // length + 1
                counted += 1
                if month > len(spans):
                    spans.append([day, day, 0, 0])
                span = spans[month - 1]
                span[1], span[2] = day, span[2] + 1
                if not in_break and day not in off:
                    span[3] += 1
            if not in_break and day not in off:
                semester = None if second is None else 1 if day < second else 2
                school_days[day] = (semester, month)
        day += dt.timedelta(days=1)
    return school_days, tuple(Month(n, s[0], s[1], s[2], s[3]) for n, s in enumerate(spans, start=1))


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


def _rows(data: object, problems: _Problems) -> list[Row]:
    """The absences as entered, each checked on its own (the calendar comes later)."""
    cfg = config()
    if data is None:
        return []
    if not isinstance(data, list):
        raise _problem("absences", "absences_shape")
    out: list[Row] = []
    known = sorted(cfg.maxes) + sorted(cfg.no_max)
    for index, item in enumerate(data):
        where = f"absences[{index}]"
        n = index + 1
        if not isinstance(item, Mapping):
            problems.add(_problem(where, "absence_shape", row=n))
            continue
        try:
            _refuse_unknown(item, ("date", "last_date", "reason", "incident"), where, say("excused.fields.absence", row=n))
        except InputError as exc:
            problems.add(exc)
            continue
        first = problems.get(_date, item.get("date"), f"{where}.date", say("excused.fields.date", row=n))
        last = first
        if not _blank(item.get("last_date")):
            last = problems.get(_date, item.get("last_date"), f"{where}.last_date", say("excused.fields.last_date", row=n))
            if first is not None and last is not None and last < first:
                problems.add(_problem(f"{where}.last_date", "range_order", row=n, first=date(first), last=date(last)))
                last = None
            elif first is not None and last is not None and (last - first).days >= cfg.school_year_max_days:
                problems.add(_problem(f"{where}.last_date", "range_too_long", row=n))
                last = None
        why = item.get("reason")
        if not isinstance(why, str) or why.strip() not in cfg.maxes and why.strip() not in cfg.no_max:
            if _blank(why):
                problems.add(_problem(f"{where}.reason", "reason_missing", row=n))
            else:
                problems.add(_problem(f"{where}.reason", "reason_unknown", row=n, given=quote(why) if isinstance(why, str) else quote(why), known=", ".join(known)))
            why = None
        incident = item.get("incident")
        key: str | None = None
        if incident is not None and (not isinstance(incident, (str, int)) or isinstance(incident, bool)):
            problems.add(_problem(f"{where}.incident", "incident_shape", row=n))
        elif incident is not None:
            key = str(incident).strip() or None
            if key is not None and len(key) > 40:
                problems.add(_problem(f"{where}.incident", "incident_too_long", row=n, given=quote(key)))
                key = None
        if first is None or last is None or why is None:
            continue
        out.append(Row(index, first, last, why.strip(), key))
    return out


def _days(rows: Sequence[Row], cal: Calendar, problems: _Problems) -> tuple[list[Absence], dict[int, list[dt.date]]]:
    """Each row's school days (weekends and days without school in a range are skipped and listed
    in `skipped`); a single date that is no school day, or a day given twice, is an error."""
    seen: dict[dt.date, int] = {}
    out: list[Absence] = []
    skipped: dict[int, list[dt.date]] = {}
    for row in rows:
        n = row.index + 1
        field = f"absences[{row.index}].date"
        where = _range_text(row.first, row.last)
        if row.first == row.last:
            problem = cal.why_not_school_day(row.first)
            if problem:
                problems.add(_problem(field, "not_a_school_day", row=n, day=date(row.first), problem=problem))
                continue
        elif row.first < cal.start or row.last > cal.end:
            outside = row.first if row.first < cal.start else row.last
            problems.add(_problem(field if outside == row.first else f"absences[{row.index}].last_date", "range_outside", row=n, range=where,
                                  problem=cal.why_not_school_day(outside) or ""))
            continue
        days = []
        day = row.first
        while day <= row.last:
            if day in cal.school_days:
                days.append(day)
            elif day.weekday() not in WEEKEND:
                skipped.setdefault(row.index, []).append(day)
            day += dt.timedelta(days=1)
        if not days:
            problems.add(_problem(field, "range_no_school_day", row=n, range=where))
            continue
        for day in days:
            if day in seen:
                problems.add(_problem(field, "same_day_twice", row=n, day=date(day), other=seen[day] + 1))
                break
        else:
            for day in days:
                seen[day] = row.index
                out.append(Absence(row.index, day, row.reason, row.incident, row.first))
    return out, skipped


def _period(reason_max: Max, absence: Absence, cal: Calendar) -> str:
    semester, month = cal.school_days[absence.date]
    if reason_max.per == "incident":
        # An absence entered without an incident name is one incident with the days entered with it.
        return f"incident {absence.incident}" if absence.incident else f"incident of {absence.row_first.isoformat()}"
    if reason_max.per == "semester":
        return f"semester {semester}"
    if reason_max.per == "school_month":
        assert month is not None  # a first day of school is required for these (NEEDS)
        return cal.months[month - 1].label()
    if reason_max.per == "school_year":
        return "school year"
    raise ValueError(f"excused rule {reason_max.reason}: unknown period {reason_max.per!r}")


def _period_text(reason_max: Max, absence: Absence, cal: Calendar, rows: Mapping[int, Row]) -> str:
    """The period as a family reads it: the event's name or its dates, semester 1, school month 2."""
    semester, month = cal.school_days[absence.date]
    if reason_max.per == "incident":
        if absence.incident:
            return say("excused.period.incident_named", name=absence.incident)
        row = rows[absence.index]
        return say("excused.period.incident_dates", range=_range_text(row.first, row.last))
    if reason_max.per == "semester":
        assert cal.second_semester_start is not None
        second = cal.second_semester_start
        # From its first to its last school day (the day before the second semester may be a Sunday).
        days = [d for d in cal.school_days if (d < second if semester == 1 else d >= second)]
        # Without the first (or last) day of school, that end of the year is not known: say only
        # the end the second semester sets.
        if semester == 1 and cal.first_day is None:
            return say("excused.period.semester_until", n=semester, last=date(max(days)))
        if semester == 2 and cal.last_day is None:
            return say("excused.period.semester_from", n=semester, first=date(min(days)))
        return say("excused.period.semester", n=semester, range=_range_text(min(days), max(days)))
    if reason_max.per == "school_month":
        assert month is not None
        return cal.months[month - 1].text()
    return say("excused.period.school_year", range=_range_text(min(cal.school_days), max(cal.school_days)))


def _check_needs(rows: Sequence[Row], cal: Calendar, problems: _Problems) -> None:
    """A reason limited per semester or per school month needs that part of the calendar."""
    cfg = config()
    # A date given but refused (not a date, not a school day) is already reported: not "missing".
    asked: set[str] = {error.field.removeprefix("calendar.") for error in problems.items if error.field.startswith("calendar.")}
    for row in rows:
        for name in needs(row.reason):
            have = cal.first_day if name == "first_day" else cal.second_semester_start
            if have is None and name not in asked:
                asked.add(name)
                problems.add(_problem(f"calendar.{name}", f"needs_{name}", reason=reason_name(row.reason), max=_max_text(cfg.maxes[row.reason])))


def reason_name(reason_id: str) -> str:
    """The reason as a family reads it (`excused.reasons` in the wording), never its id."""
    return str(lookup("excused.reasons")[reason_id])


def _max_text(reason_max: Max) -> str:
    return say(f"excused.maxes.{reason_max.per}", n=reason_max.days)


def calculate(cal: Calendar, items: Sequence[Absence], rows: Sequence[Row] = (), skipped: Mapping[int, list[dt.date]] | None = None) -> dict[str, Any]:
    cfg = config()
    by_index = {row.index: row for row in rows} or {
        a.index: Row(a.index, a.row_first, max(b.date for b in items if b.index == a.index), a.reason, a.incident) for a in items
    }
    used: dict[tuple[str, str], int] = {}
    texts: dict[tuple[str, str], str] = {}
    results: dict[tuple[int, dt.date], dict[str, Any]] = {}
    ordered_items = sorted(items, key=lambda a: (a.date, a.index))
    for absence in ordered_items:
        semester, month = cal.school_days[absence.date]
        entry: dict[str, Any] = {
            "date": absence.date.isoformat(),
            "reason": absence.reason,
            "incident": absence.incident,
            "semester": semester,
            "school_month": month,
            "school_month_first_day": cal.months[month - 1].first_day.isoformat() if month else None,
            "school_month_last_day": cal.months[month - 1].last_day.isoformat() if month else None,
            "excused": True,
            "exceeds": None,
            "period": None,
            "count_in_period": None,
            "date_text": date(absence.date),
            "reason_name": reason_name(absence.reason),
            "counted_in": None,
            "status_text": say("excused.status_excused"),
        }
        reason_max = cfg.maxes.get(absence.reason)
        if reason_max is not None:
            period = _period(reason_max, absence, cal)
            key = (reason_max.reason, period)
            texts[key] = _period_text(reason_max, absence, cal, by_index)
            count = used.get(key, 0)
            entry["period"] = period
            entry["counted_in"] = texts[key]
            if count < reason_max.days:
                used[key] = count + 1
                entry["count_in_period"] = count + 1
            else:
                used.setdefault(key, count)
                entry["excused"] = False
                entry["exceeds"] = f"{reason_max.days} {'day' if reason_max.days == 1 else 'days'} {cfg.period_labels[reason_max.per]} ({period})"
                entry["status_text"] = say("excused.status_over", max=_max_text(reason_max))
        results[(absence.index, absence.date)] = entry
    ordered = [results[(a.index, a.date)] for a in ordered_items]
    over: dict[tuple[str, str], int] = {}
    for entry in ordered:
        if not entry["excused"]:
            over[(entry["reason"], entry["period"])] = over.get((entry["reason"], entry["period"]), 0) + 1
    remaining = [
        {
            "reason": reason_id,
            "period": period,
            "period_label": f"{cfg.period_labels[cfg.maxes[reason_id].per]}: {period}",
            "max_days": cfg.maxes[reason_id].days,
            "used": count,
            "remaining": cfg.maxes[reason_id].days - count,
            "not_excused": over.get((reason_id, period), 0),
        }
        for (reason_id, period), count in sorted(used.items())
    ]
    summary = {
        "absences": len(ordered),
        "excused": sum(1 for e in ordered if e["excused"]),
        "not_excused": sum(1 for e in ordered if not e["excused"]),
    }
    return {
        "calculator": "excused",
        "calendar": {
            "first_day": cal.first_day.isoformat() if cal.first_day else None,
            "second_semester_start": cal.second_semester_start.isoformat() if cal.second_semester_start else None,
            "last_day": cal.last_day.isoformat() if cal.last_day else None,
            "start": cal.start.isoformat(),
            "end": cal.end.isoformat(),
            "non_school_days": sorted(day.isoformat() for day in cal.non_school_days),
            "winter_break": (
                {"first_day": cal.winter_break.first_day.isoformat(), "last_day": cal.winter_break.last_day.isoformat(), "excluded": cal.winter_break.excluded}
                if cal.winter_break is not None else None
            ),
            "school_days": len(cal.school_days),
            "school_months": len(cal.months),
            "months": [month.entry() for month in cal.months],
        },
        "absences": ordered,
        "remaining": remaining,
        "maxes": [
            {"reason": reason_max.reason, "name": reason_max.name, "max_days": reason_max.days, "per": reason_max.per, "period_label": cfg.period_labels[reason_max.per], "source": _source(reason_max.source)}
            for reason_max in cfg.maxes.values()
        ],
        "summary": summary,
        "answer": _answer(summary, remaining, texts, by_index, skipped or {}, items),
        "reasons": _reasons(ordered, cfg, cal),
    }


def _answer(
    summary: Mapping[str, int], remaining: Sequence[Mapping[str, Any]], texts: Mapping[tuple[str, str], str],
    rows: Mapping[int, Row], skipped: Mapping[int, list[dt.date]], items: Sequence[Absence],
) -> dict[str, Any]:
    """The result in a family's words, first on the page: how many days are excused, how much of
    each max is used (the picture and its text), and the days a date range skipped."""
    cfg = config()
    if summary["absences"] == 0:
        headline = say("excused.headline_none")
    elif summary["not_excused"] == 0:
        headline = say("excused.headline_all", n=summary["absences"])
    else:
        headline = say("excused.headline_excused", n=summary["excused"]) + " " + say("excused.headline_over", n=summary["not_excused"])
    maxes = []
    for item in remaining:
        reason_max = cfg.maxes[item["reason"]]
        period = texts[(item["reason"], item["period"])]
        text = say("excused.max_used", period=period, used=item["used"], max=say("common.days", n=reason_max.days))
        text += " " + (say("excused.max_left", n=item["remaining"]) if item["remaining"] else say("excused.max_none_left"))
        if item["not_excused"]:
            text += " " + say("excused.max_over", n=item["not_excused"])
        maxes.append({
            "reason": reason_max.reason, "name": reason_name(reason_max.reason), "period": period, "max_text": _max_text(reason_max),
            "max_days": reason_max.days, "used": item["used"], "remaining": item["remaining"], "not_excused": item["not_excused"], "text": text,
        })
    counts: dict[int, int] = {}
    for absence in items:
        counts[absence.index] = counts.get(absence.index, 0) + 1
    # Each absence as entered, in date order (so the order of entry never changes the answer).
    entries = [
        {"first": row.first.isoformat(), "last": row.last.isoformat(), "reason": row.reason, "reason_name": reason_name(row.reason),
         "incident": row.incident, "dates": _range_text(row.first, row.last), "school_days": counts.get(row.index, 0),
         "text": say("excused.entry", reason=reason_name(row.reason), dates=_range_text(row.first, row.last), days=say("common.school_days", n=counts.get(row.index, 0)))}
        for row in sorted(rows.values(), key=lambda r: (r.first, r.index))
    ]
    notes = []
    for index in sorted(skipped, key=lambda i: (rows[i].first, i)):
        days = skipped[index]
        notes.append(say("excused.skipped", n=len(days), days=join([date(d) for d in days]), range=_range_text(rows[index].first, rows[index].last)))
    return {
        "headline": headline,
        "entries": entries,
        "maxes": maxes,
        "notes": notes,
        # Headings and labels for the page to lay the result out (sentences with {n} filled there).
        "words": dict(lookup("excused.result")),
    }


def _reasons(ordered: Sequence[Mapping[str, Any]], cfg: Config, cal: Calendar) -> list[Reason]:
    out: list[Reason] = []
    present = {entry["reason"] for entry in ordered}
    for reason_max in cfg.maxes.values():
        if reason_max.reason not in present:
            continue
        # Our summary of the bulletin's rule, in the reader's language (rules data `es.summary`).
        out.append(reason(reason_max.reason, own(cfg.items[reason_max.reason], "summary"), reason_max.source))
        if reason_max.statute is not None:
            out.append({"rule": reason_max.reason, "text": say("excused.why_statute", name=say(f"excused.reasons.{reason_max.reason}")), "source": _source(reason_max.statute)})
        if reason_max.per == "school_month":
            # The statute's words, exactly (English); the Spanish wording says so.
            out.append({"rule": "school_month", "text": say("excused.statute_quote", quote=cfg.school_month_statute), "source": _source(cfg.school_month_source)})
            out.append(_reading(cfg, "school_month_weeks"))
            if cal.winter_break is not None:
                out.append(_reading(cfg, "winter_break"))
            out.append(_reading(cfg, "religious_instruction_days"))
        if reason_max.per == "semester":
            out.append(_reading(cfg, "semester_split"))
        if reason_max.per == "incident" and not any(r["rule"] == "incident_key" for r in out):
            out.append(_reading(cfg, "incident_key"))
        if reason_max.per == "school_year" and cal.first_day is None and cal.last_day is None and not any(r["rule"] == "school_year_dates" for r in out):
            out.append(_reading(cfg, "school_year_dates"))
    no_max = sorted(present & set(cfg.no_max))
    if no_max:
        names = "; ".join(say(f"excused.reasons.{key}") for key in no_max)
        out.append(reason("no_max", say("excused.why_no_max", names=names), cfg.no_max_source))
    if any(entry["period"] for entry in ordered):
        out.append(_reading(cfg, "cap_order"))
    return out


def _reading(cfg: Config, key: str) -> Reason:
    item = cfg.readings[key]
    return reason(key, own(item, "reading"), reading_source(item))


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"calendar"?: {...}, "absences": [{"date", "last_date"?,
    "reason", "incident"?}]}`. Every problem is found before any is reported (InputErrors)."""
    if not isinstance(data, Mapping):
        raise _problem("input", "input_shape")
    unknown = sorted((key for key in data if key not in ("calendar", "absences")), key=str)
    if unknown:
        raise _problem(unknown_field(unknown[0]), "input_unknown", field_name=quote(unknown[0]))
    problems = _Problems()
    given = _calendar_input(data.get("calendar"), problems)
    rows = _rows(data.get("absences", []), problems)
    anchor = min((row.first for row in rows), default=None)
    cal = _build_calendar(given, anchor, problems)
    _check_needs(rows, cal, problems)
    items, skipped = _days(rows, cal, problems)
    problems.raise_any()
    return calculate(cal, items, rows, skipped)
