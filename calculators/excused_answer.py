"""The excused-absence answer in a family's words, first on the page (the headline, how much of
each max is used, each absence as entered, the days a range skipped), and the reasons behind it
(our summary of each rule, the statutes, the readings that applied).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .excused_input import Absence, Row
from .excused_rules import Config, config, max_text, reason_name
from .reasons import Reason, reason, reading_source, source_of
from .school_calendar import Calendar, range_text
from .wording import date, join, lookup, own, say

def answer(
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
            "reason": reason_max.reason, "name": reason_name(reason_max.reason), "period": period, "max_text": max_text(reason_max),
            "max_days": reason_max.days, "used": item["used"], "remaining": item["remaining"], "not_excused": item["not_excused"], "text": text,
        })
    counts: dict[int, int] = {}
    for absence in items:
        counts[absence.index] = counts.get(absence.index, 0) + 1
    # Each absence as entered, in date order (so the order of entry never changes the answer).
    entries = [
        {"first": row.first.isoformat(), "last": row.last.isoformat(), "reason": row.reason, "reason_name": reason_name(row.reason),
         "incident": row.incident, "dates": range_text(row.first, row.last), "school_days": counts.get(row.index, 0),
         "text": say("excused.entry", reason=reason_name(row.reason), dates=range_text(row.first, row.last), days=say("common.school_days", n=counts.get(row.index, 0)))}
        for row in sorted(rows.values(), key=lambda r: (r.first, r.index))
    ]
    notes = []
    for index in sorted(skipped, key=lambda i: (rows[i].first, i)):
        days = skipped[index]
        notes.append(say("excused.skipped", n=len(days), days=join([date(d) for d in days]), range=range_text(rows[index].first, rows[index].last)))
    return {
        "headline": headline,
        "entries": entries,
        "maxes": maxes,
        "notes": notes,
        # Headings and labels for the page to lay the result out (sentences with {n} filled there).
        "words": dict(lookup("excused.result")),
    }


def reasons(ordered: Sequence[Mapping[str, Any]], cfg: Config, cal: Calendar) -> list[Reason]:
    out: list[Reason] = []
    present = {entry["reason"] for entry in ordered}
    for reason_max in cfg.maxes.values():
        if reason_max.reason not in present:
            continue
        # Our summary of the bulletin's rule, in the reader's language (rules data `es.summary`).
        out.append(reason(reason_max.reason, own(cfg.items[reason_max.reason], "summary"), reason_max.source))
        if reason_max.statute is not None:
            out.append({"rule": reason_max.reason, "text": say("excused.why_statute", name=say(f"excused.reasons.{reason_max.reason}")), "source": source_of(reason_max.statute)})
        if reason_max.per == "school_month":
            # The statute's words, exactly (English); the Spanish wording says so.
            out.append({"rule": "school_month", "text": say("excused.statute_quote", quote=cfg.school_month_statute), "source": source_of(cfg.school_month_source)})
            out.append(reading(cfg, "school_month_weeks"))
            if cal.winter_break is not None:
                out.append(reading(cfg, "winter_break"))
            out.append(reading(cfg, "religious_instruction_days"))
        if reason_max.per == "semester":
            out.append(reading(cfg, "semester_split"))
        if reason_max.per == "incident" and not any(r["rule"] == "incident_key" for r in out):
            out.append(reading(cfg, "incident_key"))
        if reason_max.per == "school_year" and cal.first_day is None and cal.last_day is None and not any(r["rule"] == "school_year_dates" for r in out):
            out.append(reading(cfg, "school_year_dates"))
    no_max = sorted(present & set(cfg.no_max))
    if no_max:
        names = "; ".join(say(f"excused.reasons.{key}") for key in no_max)
        out.append(reason("no_max", say("excused.why_no_max", names=names), cfg.no_max_source))
    if any(entry["period"] for entry in ordered):
        out.append(reading(cfg, "cap_order"))
    return out


def reading(cfg: Config, key: str) -> Reason:
    item = cfg.readings[key]
    return reason(key, own(item, "reading"), reading_source(item))
