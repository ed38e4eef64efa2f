"""Excused-absence limits: which absences fit within their reason's cap (Major Changes 3, XI.f).

Caps, periods and sources come from `policy_data/rules/excused.yaml`. Absences are sorted by date
(then by the order given, for equal keys) before any cap is counted, so the order of entry never
changes the result (reading `cap_order`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import rules
from .errors import InputError
from .limits import FIRST_YEAR, LAST_YEAR, quote, unknown_field
from .reasons import Reason, reason, reading_source

WEEKEND = (5, 6)  # Saturday, Sunday: never school days (E.C. § 60901(c)(1) counts "exclusive of Saturdays and Sundays")


@dataclass(frozen=True)
class Cap:
    reason: str
    name: str
    days: int
    per: str
    summary: str
    source: dict[str, Any]
    statute: dict[str, Any] | None


@dataclass(frozen=True)
class Config:
    caps: dict[str, Cap]
    uncapped: dict[str, str]
    uncapped_source: dict[str, Any]
    school_month_weekdays: int  # weeks x days per week (E.C. § 37201(a): 4 x 5)
    school_month_source: dict[str, Any]
    school_month_statute: str
    school_year_max_days: int
    period_labels: dict[str, str]
    readings: dict[str, dict[str, Any]]


@functools.cache
def config() -> Config:
    data = rules.section("excused")
    caps = {
        item["id"]: Cap(
            reason=item["id"],
            name=item["name"],
            days=int(item["cap"]["days"]),
            per=item["cap"]["per"],
            summary=" ".join(item["summary"].split()),
            source=dict(item["source"]),
            statute=dict(item["statute"]) if item.get("statute") else None,
        )
        for item in data["capped"]
    }
    return Config(
        caps=caps,
        uncapped={item["id"]: item["name"] for item in data["uncapped"]},
        uncapped_source=dict(data["uncapped_source"]),
        school_month_weekdays=int(data["calendar"]["school_month_weeks"]) * int(data["calendar"]["school_month_week_days"]),
        school_month_source=dict(data["calendar"]["school_month_source"]),
        school_month_statute=" ".join(data["calendar"]["school_month_statute"].split()),
        school_year_max_days=int(data["calendar"]["school_year_max_days"]),
        period_labels={key: value["label"] for key, value in data["periods"].items()},
        readings={item["id"]: dict(item) for item in data["readings"]},
    )


def _source(source: Mapping[str, Any]) -> dict[str, Any]:
    out = {"kind": source["kind"], "id": source["id"], "label": source["label"]}
    if "url" in source:
        out["url"] = source["url"]
    return out


# YYYY-MM-DD in the digits 0-9 and nothing else: date.fromisoformat also reads week dates
# ("2024-W37-1"), the basic form ("20240909") and other scripts' digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(value: object, field: str, label: str) -> dt.date:
    if value is None or isinstance(value, str) and not value.strip():
        raise InputError(field, f"{label} is missing: give a date as YYYY-MM-DD, like 2024-09-09.")
    if not isinstance(value, str):
        raise InputError(field, f"{label} must be a date as text, YYYY-MM-DD, like \"2024-09-09\", not {quote(value)}.")
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"{label} “{quote(text)}” is not a date: write it as YYYY-MM-DD, like 2024-09-09.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(field, f"{label} ({day}) is not in a school year this calculator knows: give a date from {FIRST_YEAR} to {LAST_YEAR}.")
    return day


def _refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], where: str, what: str) -> None:
    unknown = sorted((key for key in data if key not in allowed), key=str)
    if unknown:
        field = unknown_field(unknown[0], where)
        raise InputError(field, f"Unknown field “{quote(unknown[0])}” in {what}: use only {', '.join(allowed)}.")


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


@dataclass(frozen=True)
class Calendar:
    first_day: dt.date
    second_semester_start: dt.date
    last_day: dt.date
    non_school_days: frozenset[dt.date]
    winter_break: WinterBreak | None
    # school day → (semester 1|2, school month 1..)
    school_days: dict[dt.date, tuple[int, int]]
    months: tuple[Month, ...]

    def why_not_school_day(self, day: dt.date) -> str | None:
        if day < self.first_day or day > self.last_day:
            return f"is outside the school year ({self.first_day} to {self.last_day})"
        if day.weekday() in WEEKEND:
            return f"is a {day.strftime('%A')}"
        if self.winter_break is not None and day in self.winter_break:
            return f"is in the winter break ({self.winter_break.first_day} to {self.winter_break.last_day})"
        if day in self.non_school_days:
            return "is listed as a non-school day"
        return None


def _winter_break(data: object, first: dt.date, last: dt.date) -> WinterBreak | None:
    """`{"first_day", "last_day", "excluded"?}` (excluded unless the calendar says false)."""
    if data is None:
        return None
    field = "calendar.winter_break"
    if not isinstance(data, Mapping):
        raise InputError(field, "The winter break must be {\"first_day\": \"2024-12-16\", \"last_day\": \"2025-01-10\"}, with \"excluded\": false if the district counts it in school months.")
    unknown = sorted(set(data) - {"first_day", "last_day", "excluded"})
    if unknown:
        raise InputError(unknown_field(unknown[0], field), f"Unknown winter break field “{quote(unknown[0])}”: use first_day, last_day and (optionally) excluded.")
    start = _date(data.get("first_day"), f"{field}.first_day", "The first day of the winter break")
    end = _date(data.get("last_day"), f"{field}.last_day", "The last day of the winter break")
    if end < start:
        raise InputError(f"{field}.last_day", f"The winter break ends ({end}) before it starts ({start}): check both dates.")
    if start <= first or end >= last:
        raise InputError(f"{field}.first_day" if start <= first else f"{field}.last_day", f"The winter break ({start} to {end}) must fall inside the school year, after the first day ({first}) and before the last day ({last}).")
    excluded = data.get("excluded", True)
    if not isinstance(excluded, bool):
        raise InputError(f"{field}.excluded", "Whether the winter break is excluded from school months must be true or false.")
    return WinterBreak(start, end, excluded)


def calendar(data: object) -> Calendar:
    if not isinstance(data, Mapping):
        raise InputError("calendar", "Give the school calendar: {\"first_day\": \"2024-08-14\", \"second_semester_start\": \"2025-01-13\", \"last_day\": \"2025-06-11\", \"non_school_days\": [...]}.")
    _refuse_unknown(data, ("first_day", "second_semester_start", "last_day", "non_school_days", "winter_break"), "calendar", "the calendar")
    first = _date(data.get("first_day"), "calendar.first_day", "The first day of school")
    second = _date(data.get("second_semester_start"), "calendar.second_semester_start", "The first day of the second semester")
    last = _date(data.get("last_day"), "calendar.last_day", "The last day of school")
    if last < first:
        raise InputError("calendar.last_day", f"The last day ({last}) is before the first day ({first}): check both dates.")
    if (last - first).days >= config().school_year_max_days:  # E.C. § 37200: July 1 to June 30
        raise InputError("calendar.last_day", f"The school year from {first} to {last} is longer than a year: check the dates.")
    if not first < second <= last:
        raise InputError("calendar.second_semester_start", f"The second semester must start after the first day ({first}) and by the last day ({last}), not on {second}.")
    raw = data.get("non_school_days", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InputError("calendar.non_school_days", "Non-school days must be a list of dates, like [\"2024-11-11\"].")
    off: set[dt.date] = set()
    for index, item in enumerate(raw):
        field = f"calendar.non_school_days[{index}]"
        day = _date(item, field, f"Non-school day {index + 1}")
        if day < first or day > last:
            raise InputError(field, f"Non-school day {day} is outside the school year ({first} to {last}): remove it or fix the date.")
        off.add(day)
    winter = _winter_break(data.get("winter_break"), first, last)
    for field, label, day in (("calendar.first_day", "The first day", first), ("calendar.last_day", "The last day", last), ("calendar.second_semester_start", "The first day of the second semester", second)):
        if day.weekday() in WEEKEND or day in off or (winter is not None and day in winter):
            what = f"a {day.strftime('%A')}" if day.weekday() in WEEKEND else "listed as a non-school day" if day in off else "in the winter break"
            raise InputError(field, f"{label} ({day}) is {what}: it must be a school day.")
    school_days, months = _school_months(first, second, last, off, winter)
    return Calendar(first, second, last, frozenset(off), winter, school_days, months)


def _school_months(
    first: dt.date, second: dt.date, last: dt.date, off: set[dt.date], winter: WinterBreak | None
) -> tuple[dict[dt.date, tuple[int, int]], tuple[Month, ...]]:
    """School months per E.C. § 37201(a) (readings `school_month_weeks`, `winter_break`): runs of
    20 weekdays from the first day, holidays and other weekdays without school counted in, the
    weekdays of an excluded winter break left out. Returns each school day's (semester, month)."""
    length = config().school_month_weekdays
    school_days: dict[dt.date, tuple[int, int]] = {}
    spans: list[list[Any]] = []  # [first, last, weekdays, school days] per month
    day, counted = first, 0
    while day <= last:
        if day.weekday() not in WEEKEND:
            in_break = winter is not None and day in winter
            if not (in_break and winter is not None and winter.excluded):
                month = counted // length + 1
                counted += 1
                if month > len(spans):
                    spans.append([day, day, 0, 0])
                span = spans[month - 1]
                span[1], span[2] = day, span[2] + 1
                if not in_break and day not in off:
                    school_days[day] = (1 if day < second else 2, month)
                    span[3] += 1
        day += dt.timedelta(days=1)
    return school_days, tuple(Month(n, s[0], s[1], s[2], s[3]) for n, s in enumerate(spans, start=1))


@dataclass(frozen=True)
class Absence:
    index: int  # position as given, for messages and the tie-break
    date: dt.date
    reason: str
    incident: str | None


def absences(data: object, cal: Calendar) -> list[Absence]:
    cfg = config()
    if not isinstance(data, list):
        raise InputError("absences", "Absences must be a list like [{\"date\": \"2024-09-09\", \"reason\": \"funeral\", \"incident\": \"a\"}].")
    out: list[Absence] = []
    seen: dict[dt.date, int] = {}
    known = sorted(cfg.caps) + sorted(cfg.uncapped)
    for index, item in enumerate(data):
        where = f"absences[{index}]"
        label = f"Absence {index + 1}"
        if not isinstance(item, Mapping):
            raise InputError(where, f"{label} must be an object like {{\"date\": \"2024-09-09\", \"reason\": \"illness\"}}.")
        _refuse_unknown(item, ("date", "reason", "incident"), where, label.lower())
        day = _date(item.get("date"), f"{where}.date", f"The date of absence {index + 1}")
        problem = cal.why_not_school_day(day)
        if problem:
            raise InputError(f"{where}.date", f"{label} on {day} {problem}, not a school day: fix the date or the calendar.")
        if day in seen:
            raise InputError(f"{where}.date", f"{label} is on {day}, like absence {seen[day] + 1}: a day counts once, so list each date once.")
        seen[day] = index
        why = item.get("reason")
        if not isinstance(why, str) or why.strip() not in cfg.caps and why.strip() not in cfg.uncapped:
            shown = quote(why) if isinstance(why, str) else "nothing"
            raise InputError(f"{where}.reason", f"{label} has reason “{shown}”, which is not known: use one of {', '.join(known)}.")
        why = why.strip()
        incident = item.get("incident")
        if incident is not None and not isinstance(incident, (str, int)) or isinstance(incident, bool):
            raise InputError(f"{where}.incident", f"{label}: the incident key must be a short text, like \"a\".")
        incident_key = str(incident).strip() if incident is not None else None
        if incident_key is not None and len(incident_key) > 40:
            raise InputError(f"{where}.incident", f"{label}: the incident key “{quote(incident_key)}” is too long: use a short text, like \"a\".")
        cap = cfg.caps.get(why)
        if cap is not None and cap.per == "incident" and not incident_key:
            raise InputError(f"{where}.incident", f"{label} ({why}, {day}) needs an incident key: days of the same incident share one, like \"a\".")
        out.append(Absence(index, day, why, incident_key))
    return out


def _period(cap: Cap, absence: Absence, cal: Calendar) -> str:
    semester, month = cal.school_days[absence.date]
    if cap.per == "incident":
        return f"incident {absence.incident}"
    if cap.per == "semester":
        return f"semester {semester}"
    if cap.per == "school_month":
        return cal.months[month - 1].label()
    if cap.per == "school_year":
        return "school year"
    raise ValueError(f"excused rule {cap.reason}: unknown period {cap.per!r}")


def calculate(cal: Calendar, items: Sequence[Absence]) -> dict[str, Any]:
    cfg = config()
    used: dict[tuple[str, str], int] = {}
    results: dict[int, dict[str, Any]] = {}
    for absence in sorted(items, key=lambda a: (a.date, a.index)):
        semester, month = cal.school_days[absence.date]
        entry: dict[str, Any] = {
            "date": absence.date.isoformat(),
            "reason": absence.reason,
            "incident": absence.incident,
            "semester": semester,
            "school_month": month,
            "school_month_first_day": cal.months[month - 1].first_day.isoformat(),
            "school_month_last_day": cal.months[month - 1].last_day.isoformat(),
            "excused": True,
            "exceeds": None,
            "period": None,
            "count_in_period": None,
        }
        cap = cfg.caps.get(absence.reason)
        if cap is not None:
            period = _period(cap, absence, cal)
            key = (cap.reason, period)
            count = used.get(key, 0)
            entry["period"] = period
            if count < cap.days:
                used[key] = count + 1
                entry["count_in_period"] = count + 1
            else:
                entry["excused"] = False
                entry["exceeds"] = f"{cap.days} {'day' if cap.days == 1 else 'days'} {cfg.period_labels[cap.per]} ({period})"
        results[absence.index] = entry
    ordered = [results[a.index] for a in sorted(items, key=lambda a: (a.date, a.index))]
    over: dict[tuple[str, str], int] = {}
    for entry in ordered:
        if not entry["excused"]:
            over[(entry["reason"], entry["period"])] = over.get((entry["reason"], entry["period"]), 0) + 1
    remaining = [
        {
            "reason": reason_id,
            "period": period,
            "period_label": f"{cfg.period_labels[cfg.caps[reason_id].per]}: {period}",
            "limit": cfg.caps[reason_id].days,
            "used": count,
            "remaining": cfg.caps[reason_id].days - count,
            "not_excused": over.get((reason_id, period), 0),
        }
        for (reason_id, period), count in sorted(used.items())
    ]
    return {
        "calculator": "excused",
        "calendar": {
            "first_day": cal.first_day.isoformat(),
            "second_semester_start": cal.second_semester_start.isoformat(),
            "last_day": cal.last_day.isoformat(),
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
        "caps": [
            {"reason": cap.reason, "name": cap.name, "limit": cap.days, "per": cap.per, "period_label": cfg.period_labels[cap.per], "source": _source(cap.source)}
            for cap in cfg.caps.values()
        ],
        "summary": {
            "absences": len(ordered),
            "excused": sum(1 for e in ordered if e["excused"]),
            "not_excused": sum(1 for e in ordered if not e["excused"]),
        },
        "reasons": _reasons(ordered, cfg, cal),
    }


def _reasons(ordered: Sequence[Mapping[str, Any]], cfg: Config, cal: Calendar) -> list[Reason]:
    out: list[Reason] = []
    present = {entry["reason"] for entry in ordered}
    for cap in cfg.caps.values():
        if cap.reason not in present:
            continue
        out.append(reason(cap.reason, cap.summary, cap.source))
        if cap.statute is not None:
            out.append({"rule": cap.reason, "text": f"{cap.name}: also set by statute", "source": _source(cap.statute)})
        if cap.per == "school_month":
            out.append({"rule": "school_month", "text": f"“{cfg.school_month_statute}”", "source": _source(cfg.school_month_source)})
            out.append(_reading(cfg, "school_month_weeks"))
            if cal.winter_break is not None:
                out.append(_reading(cfg, "winter_break"))
            out.append(_reading(cfg, "religious_instruction_days"))
        if cap.per == "semester":
            out.append(_reading(cfg, "semester_split"))
        if cap.per == "incident" and not any(r["rule"] == "incident_key" for r in out):
            out.append(_reading(cfg, "incident_key"))
    uncapped = sorted(present & set(cfg.uncapped))
    if uncapped:
        names = "; ".join(cfg.uncapped[key] for key in uncapped)
        out.append(reason("uncapped", f"Excused with no fixed limit of days: {names}.", cfg.uncapped_source))
    if any(entry["period"] for entry in ordered):
        out.append(_reading(cfg, "cap_order"))
    return out


def _reading(cfg: Config, key: str) -> Reason:
    item = cfg.readings[key]
    return reason(key, " ".join(item["reading"].split()), reading_source(item))


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"calendar": {...}, "absences": [...]}` (see issue 5)."""
    if not isinstance(data, Mapping):
        raise InputError("input", "Send {\"calendar\": {...}, \"absences\": [...]}.")
    unknown = sorted((key for key in data if key not in ("calendar", "absences")), key=str)
    if unknown:
        raise InputError(unknown_field(unknown[0]), f"Unknown field “{quote(unknown[0])}”: send only calendar and absences.")
    cal = calendar(data.get("calendar"))
    return calculate(cal, absences(data.get("absences", []), cal))
