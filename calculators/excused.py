"""Excused-absence limits: which absences fit within their reason's max (Major Changes 3, XI.f:
"max five days per incident"; a family page calls a max a limit).

Maxes, periods and sources come from `policy_data/rules/excused.yaml`; every word a family reads
(answers, reason names, errors) from `excused` in policy_data/wording/<lang>.yaml. An absence is
one date or a date range (its school days; weekends and days without school are skipped). Absences
are sorted by date (then by the order given, for equal keys) before any max is counted, so the
order of entry never changes the result (reading `cap_order`). The calendar is asked for only
where a max needs it (NEEDS).

This module counts each school day against its reason's max; the rules are excused_rules, the
input as entered excused_input, the calendar school_calendar, the words of the answer excused_answer.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .excused_answer import answer, reasons
from .excused_input import Absence, Problems, Row, input_error, read_rows
from .excused_rules import NEEDS, Config, Max, config, max_text, needs, reason_name
from .limits import quote, unknown_field
from .reasons import source_of
from .school_calendar import WEEKEND, Calendar, build_calendar, calendar, calendar_input, range_text
from .wording import date, say

# What other modules and the tests use from here (the rules and the calendar live apart).
__all__ = ["NEEDS", "WEEKEND", "Absence", "Calendar", "Config", "Max", "Row", "calculate", "calendar", "config", "from_input", "needs", "reason_name"]


def _days(rows: Sequence[Row], cal: Calendar, problems: Problems) -> tuple[list[Absence], dict[int, list[dt.date]]]:
    """Each row's school days (weekends and days without school in a range are skipped and listed
    in `skipped`); a single date that is no school day, or a day given twice, is an error."""
    seen: dict[dt.date, int] = {}
    out: list[Absence] = []
    skipped: dict[int, list[dt.date]] = {}
    for row in rows:
        n = row.index + 1
        field = f"absences[{row.index}].date"
        where = range_text(row.first, row.last)
        if row.first == row.last:
            problem = cal.why_not_school_day(row.first)
            if problem:
                problems.add(input_error(field, "not_a_school_day", row=n, day=date(row.first), problem=problem))
                continue
        elif row.first < cal.start or row.last > cal.end:
            outside = row.first if row.first < cal.start else row.last
            problems.add(input_error(field if outside == row.first else f"absences[{row.index}].last_date", "range_outside", row=n, range=where,
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
            problems.add(input_error(field, "range_no_school_day", row=n, range=where))
            continue
        for day in days:
            if day in seen:
                problems.add(input_error(field, "same_day_twice", row=n, day=date(day), other=seen[day] + 1))
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
        return say("excused.period.incident_dates", range=range_text(row.first, row.last))
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
        return say("excused.period.semester", n=semester, range=range_text(min(days), max(days)))
    if reason_max.per == "school_month":
        assert month is not None
        return cal.months[month - 1].text()
    return say("excused.period.school_year", range=range_text(min(cal.school_days), max(cal.school_days)))


def _check_needs(rows: Sequence[Row], cal: Calendar, problems: Problems) -> None:
    """A reason limited per semester or per school month needs that part of the calendar."""
    cfg = config()
    # A date given but refused (not a date, not a school day) is already reported: not "missing".
    asked: set[str] = {error.field.removeprefix("calendar.") for error in problems.items if error.field.startswith("calendar.")}
    for row in rows:
        for name in needs(row.reason):
            have = cal.first_day if name == "first_day" else cal.second_semester_start
            if have is None and name not in asked:
                asked.add(name)
                problems.add(input_error(f"calendar.{name}", f"needs_{name}", reason=reason_name(row.reason), max=max_text(cfg.maxes[row.reason])))


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
                entry["status_text"] = say("excused.status_over", max=max_text(reason_max))
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
            {"reason": reason_max.reason, "name": reason_max.name, "max_days": reason_max.days, "per": reason_max.per, "period_label": cfg.period_labels[reason_max.per], "source": source_of(reason_max.source)}
            for reason_max in cfg.maxes.values()
        ],
        "summary": summary,
        "answer": answer(summary, remaining, texts, by_index, skipped or {}, items),
        "reasons": reasons(ordered, cfg, cal),
    }


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"calendar"?: {...}, "absences": [{"date", "last_date"?,
    "reason", "incident"?}]}`. Every problem is found before any is reported (InputErrors)."""
    if not isinstance(data, Mapping):
        raise input_error("input", "input_shape")
    unknown = sorted((key for key in data if key not in ("calendar", "absences")), key=str)
    if unknown:
        raise input_error(unknown_field(unknown[0]), "input_unknown", field_name=quote(unknown[0]))
    problems = Problems()
    given = calendar_input(data.get("calendar"), problems)
    rows = read_rows(data.get("absences", []), problems)
    anchor = min((row.first for row in rows), default=None)
    cal = build_calendar(given, anchor, problems)
    _check_needs(rows, cal, problems)
    items, skipped = _days(rows, cal, problems)
    problems.raise_any()
    return calculate(cal, items, rows, skipped)
