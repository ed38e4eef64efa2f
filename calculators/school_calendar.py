"""The school calendar an excused-absence answer counts in: its school days (weekends, listed days
without school and a winter break left out), semesters, and school months (E.C. § 37201(a): runs
of four weeks of five weekdays from the first day of school, readings `school_month_weeks` and
`winter_break`). Every date is optional; a school year runs July 1 to June 30 (E.C. § 37200).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .excused_input import Problems, blank, input_error, read_date, refuse_unknown
from .excused_rules import config
from .limits import quote, unknown_field
from .wording import date, say, weekday

WEEKEND = (5, 6)  # Saturday, Sunday: never school days (E.C. § 60901(c)(1) counts "exclusive of Saturdays and Sundays")


def school_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """July 1 to June 30 (E.C. § 37200): the school year a day falls in."""
    start = dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return start, dt.date(start.year + 1, 6, 30)


def range_text(first: dt.date, last: dt.date) -> str:
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
        return say("excused.period.school_month", n=self.number, range=range_text(self.first_day, self.last_day))


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
            return say("excused.not_school_day.winter_break", range=range_text(self.winter_break.first_day, self.winter_break.last_day))
        if day in self.non_school_days:
            return say("excused.not_school_day.listed")
        return None


def read_winter_break(data: object, start: dt.date, end: dt.date, problems: Problems) -> WinterBreak | None:
    """`{"first_day", "last_day", "excluded"?}` (excluded unless the calendar says false)."""
    if data is None:
        return None
    field = "calendar.winter_break"
    if not isinstance(data, Mapping):
        problems.add(input_error(field, "winter_break_shape"))
        return None
    unknown = sorted(set(data) - {"first_day", "last_day", "excluded"}, key=str)
    if unknown:
        problems.add(input_error(unknown_field(unknown[0], field), "winter_break_unknown", field_name=quote(unknown[0])))
        return None
    first = problems.get(read_date, data.get("first_day"), f"{field}.first_day", say("excused.fields.winter_first"))
    last = problems.get(read_date, data.get("last_day"), f"{field}.last_day", say("excused.fields.winter_last"))
    excluded = data.get("excluded", True)
    if not isinstance(excluded, bool):
        problems.add(input_error(f"{field}.excluded", "winter_break_excluded"))
        return None
    if first is None or last is None:
        return None
    if last < first:
        problems.add(input_error(f"{field}.last_day", "winter_break_order", first=date(first), last=date(last)))
        return None
    if first <= start or last >= end:
        problems.add(input_error(f"{field}.first_day" if first <= start else f"{field}.last_day", "winter_break_outside",
                              range=range_text(first, last), start=date(start), end=date(end)))
        return None
    return WinterBreak(first, last, excluded)


@dataclass(frozen=True)
class CalendarInput:
    first: dt.date | None
    second: dt.date | None
    last: dt.date | None
    raw: Mapping[str, Any]


def calendar_input(data: object, problems: Problems) -> CalendarInput:
    """The calendar's own dates, each optional (asked only when a reason needs it)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise input_error("calendar", "calendar_shape")
    refuse_unknown(data, ("first_day", "second_semester_start", "last_day", "non_school_days", "winter_break"), "calendar", say("excused.fields.calendar"))
    values = {}
    for name in ("first_day", "second_semester_start", "last_day"):
        raw = data.get(name)
        values[name] = None if blank(raw) else problems.get(read_date, raw, f"calendar.{name}", say(f"excused.fields.{name}"))
    return CalendarInput(values["first_day"], values["second_semester_start"], values["last_day"], data)


def build_calendar(given: CalendarInput, anchor: dt.date | None, problems: Problems) -> Calendar:
    first, second, last, data = given.first, given.second, given.last, given.raw
    cfg = config()
    broken = False  # the year's own dates disagree: checks that rest on them would only repeat it
    if first and last and last < first:
        problems.add(input_error("calendar.last_day", "last_before_first", first=date(first), last=date(last)))
        last, broken = None, True
    if first and last and (last - first).days >= cfg.school_year_max_days:  # E.C. § 37200: July 1 to June 30
        problems.add(input_error("calendar.last_day", "year_too_long", first=date(first), last=date(last)))
        last, broken = None, True
    year = school_year_of(first or last or second or anchor or dt.date(2000, 7, 1))
    start = first or year[0]
    end = last or (year[1] if first is None or year[1] > first else school_year_of(first)[1])
    if second is not None and not broken and not start < second <= end:
        problems.add(input_error("calendar.second_semester_start", "second_semester_outside", start=date(start), end=date(end), second=date(second)))
        second = None
    raw = data.get("non_school_days", [])
    if raw is None:
        raw = []
    off: set[dt.date] = set()
    if not isinstance(raw, list):
        problems.add(input_error("calendar.non_school_days", "non_school_days_shape"))
        raw = []
    for index, item in enumerate(raw):
        field = f"calendar.non_school_days[{index}]"
        day = problems.get(read_date, item, field, say("excused.fields.non_school_day", n=index + 1))
        if day is None:
            continue
        if day < start or day > end:
            problems.add(input_error(field, "non_school_day_outside", day=date(day), start=date(start), end=date(end)))
            continue
        off.add(day)
    winter = read_winter_break(data.get("winter_break"), start, end, problems)
    for name, day in (("first_day", first), ("last_day", last), ("second_semester_start", second)):
        if day is None:
            continue
        if day.weekday() in WEEKEND or day in off or (winter is not None and day in winter):
            what = (say("excused.not_school_day.weekend", weekday=weekday(day)) if day.weekday() in WEEKEND
                    else say("excused.not_school_day.listed") if day in off else say("excused.not_school_day.in_winter_break"))
            problems.add(input_error(f"calendar.{name}", "calendar_day_not_school_day", label=say(f"excused.fields.{name}"), day=date(day), what=what))
    school_days, months = school_months(start, first, second, end, off, winter)
    return Calendar(first, second, last, start, end, frozenset(off), winter, school_days, months)


def calendar(data: object) -> Calendar:
    """The school calendar alone (every date optional): raises InputErrors with every problem."""
    problems = Problems()
    given = calendar_input(data, problems)
    cal = build_calendar(given, None, problems)
    problems.raise_any()
    return cal


def school_months(
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
