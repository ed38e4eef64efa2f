"""Chronic absence under the state's and LAUSD's definitions (BUL-4926.4 section XV).

All numbers come from `policy_data/rules/chronic.yaml`. Both definitions are turned into one exact
integer test on the share of days absent, so no rate is ever rounded before it is compared
(reading `exact_rate`): "attendance rate at most p%" is "absence share at least (100 - p)%".
Day counts are held in units of the absence step (half days), so all arithmetic is on integers.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import rules
from .errors import InputError
from .numbers import brief, parse_days, show, text
from .reasons import Reason, reason, reading_source

# How each (measure, comparison) of the rules data reads as a test on the absence share.
_COMPARISONS = {
    ("absence_rate", "at_least"): (False, False),  # (measured on attendance?, strict?)
    ("absence_rate", "more_than"): (False, True),
    ("attendance_rate", "at_most"): (True, False),
    ("attendance_rate", "below"): (True, True),
}
_WORDS = {"at_least": "or more", "more_than": "more than", "at_most": "or below", "below": "below"}


@dataclass(frozen=True)
class Definition:
    id: str
    name: str
    summary: str
    measure: str
    comparison: str
    percent: Fraction
    source: dict[str, Any]
    see: dict[str, Any] | None
    # chronic when absent * share_den >= share_num * enrolled (strict: >)
    share_num: int
    share_den: int
    strict: bool

    def is_chronic(self, absent: int, enrolled: int) -> bool:
        left, right = absent * self.share_den, self.share_num * enrolled
        return left > right if self.strict else left >= right

    def chronic_at(self, enrolled: int) -> int:
        """Fewest absences (in steps) that make `enrolled` steps chronic."""
        product = self.share_num * enrolled
        if self.strict:
            return product // self.share_den + 1
        return -(-product // self.share_den)

    def threshold_text(self) -> str:
        word = "attendance rate" if self.measure == "attendance_rate" else "absent on"
        shown = text(self.percent)
        if self.measure == "attendance_rate":
            return f"{word} {shown}% {_WORDS[self.comparison]}"
        return f"{word} {shown}% {_WORDS[self.comparison]} of days enrolled"


@dataclass(frozen=True)
class Config:
    definitions: tuple[Definition, ...]
    step: Fraction  # smallest part of a day that can be absent
    max_days: int  # the most days one school year holds (reading `school_year_days`)
    readings: dict[str, dict[str, Any]]


def _definition(data: Mapping[str, Any]) -> Definition:
    key = (data["measure"], data["comparison"])
    if key not in _COMPARISONS:
        raise ValueError(f"chronic rule {data['id']}: unknown measure/comparison {key}")
    on_attendance, strict = _COMPARISONS[key]
    percent = Fraction(str(data["percent"]))
    share = 1 - percent / 100 if on_attendance else percent / 100
    return Definition(
        id=data["id"],
        name=data["name"],
        summary=data["summary"],
        measure=data["measure"],
        comparison=data["comparison"],
        percent=percent,
        source=dict(data["source"]),
        see=dict(data["see"]) if data.get("see") else None,
        share_num=share.numerator,
        share_den=share.denominator,
        strict=strict,
    )


@functools.cache
def config() -> Config:
    data = rules.section("chronic")
    readings = {item["id"]: dict(item) for item in data["readings"]}
    return Config(
        definitions=tuple(_definition(item) for item in data["definitions"]),
        step=Fraction(str(readings["half_days"]["absence_step"])),
        max_days=int(readings["school_year_days"]["max_days"]),
        readings=readings,
    )


def percent_shown(part: int, whole: int, avoid: Fraction | None = None) -> float:
    """100 * part / whole, rounded half up to 2 decimals; more decimals if rounding would land on
    `avoid` (a threshold) while the exact rate is not on it (reading `exact_rate`)."""
    decimals = 2
    while True:
        shown: int = 10**decimals
        units = (part * shown * 200 // whole + 1) // 2
        value = Fraction(units, shown)
        if avoid is None or value != avoid or Fraction(100 * part, whole) == avoid or decimals >= 12:
            return units / shown
        decimals += 1


def threshold_for(cfg: Config, measure: str) -> Fraction | None:
    """The percent a definition compares `measure` with (to keep rounding off it)."""
    for definition in cfg.definitions:
        if definition.measure == measure:
            return definition.percent
    return None


def rates(absent: int, enrolled: int, cfg: Config) -> tuple[float, float]:
    """(attendance rate, absence rate) in percent, as shown; absent and enrolled in steps."""
    return (
        percent_shown(enrolled - absent, enrolled, threshold_for(cfg, "attendance_rate")),
        percent_shown(absent, enrolled, threshold_for(cfg, "absence_rate")),
    )


@dataclass(frozen=True)
class Days:
    """Validated input, in whole days (Fractions keep half days exact)."""

    enrolled: Fraction
    absent: Fraction
    days_left: Fraction | None


def check(enrolled: object, absent: object, days_left: object = None) -> Days:
    cfg = config()
    e = parse_days(enrolled, "enrolled", "Days enrolled", "180")
    if e.denominator != 1:
        raise InputError("enrolled", f"Days enrolled must be a whole number of school days, like 180, not {brief(e)}.")
    if e <= 0:
        raise InputError("enrolled", f"Days enrolled must be more than 0 (it was {brief(e)}): enter the school days the student has been enrolled so far.")
    if e > cfg.max_days:
        raise InputError("enrolled", f"Days enrolled cannot be more than {cfg.max_days}, the most days a school year has (it was {brief(e)}): enter the school days the student has been enrolled so far this year, like 180.")
    a = parse_days(absent, "absent", "Days absent")
    if a < 0:
        raise InputError("absent", f"Days absent cannot be negative (it was {brief(a)}): enter 0 or more.")
    if (a / cfg.step).denominator != 1:
        raise InputError("absent", f"Days absent must be in whole or half days, like 17 or 17.5, not {brief(a)}.")
    if a > e:  # so days absent are bounded by the school year too
        raise InputError("absent", f"Days absent ({brief(a)}) is more than days enrolled ({text(e)}): absences are counted among the days enrolled, so enter at most {text(e)}.")
    left: Fraction | None = None
    if days_left is not None and not (isinstance(days_left, str) and not days_left.strip()):
        left = parse_days(days_left, "days_left", "Days left", "40")
        if left.denominator != 1 or left < 0:
            raise InputError("days_left", f"Days left must be a whole number of school days, 0 or more, like 40, not {brief(left)}.")
        if e + left > cfg.max_days:  # days left are in the same school year (reading `enrolled_period`)
            raise InputError("days_left", f"Days enrolled ({text(e)}) plus days left ({brief(left)}) is more than {cfg.max_days}, the most days a school year has: enter the school days left in this school year, like 40.")
    return Days(e, a, left)


def _status(absent: int, enrolled: int, cfg: Config) -> dict[str, Any]:
    attendance, absence = rates(absent, enrolled, cfg)
    out: dict[str, Any] = {"attendance_rate": attendance, "absence_rate": absence}
    for definition in cfg.definitions:
        out[definition.id] = definition.is_chronic(absent, enrolled)
    return out


def calculate(days: Days) -> dict[str, Any]:
    cfg = config()
    per_day = 1 / cfg.step
    e = int(days.enrolled * per_day)
    a = int(days.absent * per_day)
    left = int(days.days_left * per_day) if days.days_left is not None else 0
    total = e + left  # the counting period (reading `enrolled_period`)
    step_days = cfg.step

    def as_days(steps: int) -> int | float:
        return show(steps * step_days)

    now = _status(a, e, cfg)
    result: dict[str, Any] = {
        "calculator": "chronic",
        "enrolled": show(days.enrolled),
        "absent": show(days.absent),
        "attended": show(days.enrolled - days.absent),
        "days_left": show(days.days_left) if days.days_left is not None else None,
        **now,
        "definitions": [],
        "enrolled_means": cfg.readings["enrolled_period"]["reading"],
        "projection": None,
        "reasons": [],
    }
    reasons: list[Reason] = result["reasons"]
    for definition in cfg.definitions:
        chronic_now = now[definition.id]
        chronic_at = min(definition.chronic_at(total), total + 1)
        can_miss = max(0, chronic_at - 1 - a)
        entry: dict[str, Any] = {
            "id": definition.id,
            "name": definition.name,
            "summary": definition.summary,
            "threshold": definition.threshold_text(),
            "chronic": chronic_now,
            "period_days": as_days(total),
            # None: no number of absences within the period reaches the threshold
            "chronic_at_absences": as_days(chronic_at) if chronic_at <= total else None,
            "days_can_miss": as_days(min(can_miss, left) if days.days_left is not None else can_miss),
            "source": dict(definition.source),
        }
        if days.days_left is not None:
            stay_under = a < chronic_at
            entry["can_stay_under"] = stay_under
            entry["must_attend"] = as_days(left - min(can_miss, left)) if stay_under else None
        result["definitions"].append(entry)
        measured = (
            f"attendance rate {now['attendance_rate']}% ({text(days.enrolled - days.absent)} of {text(days.enrolled)} days attended)"
            if definition.measure == "attendance_rate"
            else f"absent {text(days.absent)} of {text(days.enrolled)} days enrolled = {now['absence_rate']}%"
        )
        verdict = "chronic" if chronic_now else "not chronic"
        reasons.append(reason(definition.id, f"{definition.name}: {measured}; chronic means {definition.threshold_text()}, so {verdict}.", definition.source))
    if days.days_left is not None:
        pace = Fraction(a, e) * total  # absences by year end if the current share holds
        pace_steps = int(pace + Fraction(1, 2))
        result["projection"] = {
            "year_end_enrolled": as_days(total),
            "if_attends_all_remaining": {"absent": as_days(a), **_status(a, total, cfg)},
            "at_current_pace": {"absent": as_days(pace_steps), **_status(pace_steps, total, cfg)},
        }
    exact = cfg.readings["exact_rate"]
    reasons.append(reason("exact_rate", exact["reading"], reading_source(exact)))
    if days.days_left is not None:
        period = cfg.readings["enrolled_period"]
        reasons.append(reason("enrolled_period", period["reading"], reading_source(period)))
    if days.absent.denominator != 1:
        half = cfg.readings["half_days"]
        reasons.append(reason("half_days", half["reading"], reading_source(half)))
    return result


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"enrolled": 180, "absent": 17, "days_left": 40}`."""
    if not isinstance(data, Mapping):
        raise InputError("input", "Send an object like {\"enrolled\": 180, \"absent\": 17}.")
    unknown = sorted(set(data) - {"enrolled", "absent", "days_left"})
    if unknown:
        raise InputError(unknown[0], f"Unknown field “{unknown[0]}”: use enrolled, absent and (optionally) days_left.")
    return calculate(check(data.get("enrolled"), data.get("absent"), data.get("days_left")))
