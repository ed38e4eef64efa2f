"""The excused-absence rules as typed config: each reason's max (the bulletin's word: "max five
days per incident", Major Changes 3, XI.f), the period it counts over, the readings, and the
calendar dates a max needs. Read from the bundled rules (`rules.section("excused")`); a family
reads a max as a "limit" (`excused.maxes` in the wording).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from . import rules
from .wording import lookup, say


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


def needs(reason_id: str) -> tuple[str, ...]:
    """The calendar fields (`first_day`, `second_semester_start`) absences for this reason need."""
    reason_max = config().maxes.get(reason_id)
    return NEEDS.get(reason_max.per, ()) if reason_max else ()


def reason_name(reason_id: str) -> str:
    """The reason as a family reads it (`excused.reasons` in the wording), never its id."""
    return str(lookup("excused.reasons")[reason_id])


def max_text(reason_max: Max) -> str:
    return say(f"excused.maxes.{reason_max.per}", n=reason_max.days)
