"""Chronic absence under the state's and LAUSD's definitions (BUL-4926.4 section XV).

All numbers come from `policy_data/rules/chronic.yaml`, read by chronic_rules. Both definitions
are turned into one exact integer test on the share of days absent, so no rate is ever rounded
before it is compared (reading `exact_rate`): "attendance rate at most p%" is "absence share at least (100 - p)%".
A definition read in whole percent (`rate_in: whole_percent`, LAUSD's own reading
`lausd_whole_percent`) moves its line first: the rate with its fraction dropped is at most p%
exactly when the rate is below p + 1%. The literal test is kept beside it (the strict reading).
Day counts are held in units of the absence step (half days), so all arithmetic is on integers.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .chronic_rules import Band, Config as Config, Definition as Definition, Test as Test, config as config
from . import chronic_answer
from .errors import InputError
from .limits import quote, unknown_field
from .numbers import brief, parse_days, show, text, typed
from .reasons import Reason, reason, reading_source
from .wording import own, say


def band_entry(cfg: Config, absent: int, enrolled: int, step: Fraction) -> dict[str, Any]:
    """The LAUSD attendance band of `absent` of `enrolled` steps, as results show it."""
    band = cfg.bands.of(enrolled - absent, enrolled)
    whole = (enrolled - absent) * 100 // enrolled
    entry: dict[str, Any] = {
        "id": band.id,
        "name": say(f"chronic.bands.{band.id}"),
        "range": band_range(band),
        "absences_in_year": band.absences_in_year,
        "year_days": cfg.bands.year_days,
        "chronic": band.chronic,
        "source": _localised_source(cfg, cfg.bands.source),
        "note": None,
    }
    # Where LAUSD's own table and the percent part ways (24 of 180): say so, follow the percent.
    if enrolled * step == cfg.bands.year_days:
        for item in cfg.bands.disagreements:
            if Fraction(str(item["absent"])) == absent * step and item["percent_band"] == band.id:
                table = next(b for b in cfg.bands.items if b.id == item["table_band"])
                entry["note"] = say(
                    "chronic.band_table_note", absent=item["absent"], year_days=cfg.bands.year_days,
                    table=say(f"chronic.bands.{table.id}"), whole=whole, band=say(f"chronic.bands.{band.id}"),
                )
    return entry


def band_range(band: Band) -> str:
    """"87–91%" in the reader's language ("87–91 %"), from the band's whole-percent bounds."""
    if band.low == band.high:
        return say("chronic.band_range_one", high=band.high)
    if band.low == 0:
        return say("chronic.band_range_below", limit=band.high + 1)
    return say("chronic.band_range", low=band.low, high=band.high)


def percent_shown(part: int, whole: int, avoid: Fraction | None = None) -> float:
    """100 * part / whole, rounded half up to 2 decimals; more decimals if rounding would land on
    `avoid` (a threshold) while the exact rate is not on it (reading `exact_rate`). Integers only
    (a roster calls this for every distinct pair of counts)."""
    decimals = 2
    while True:
        shown: int = 10**decimals
        units = (part * shown * 200 // whole + 1) // 2
        # units / shown == avoid, and 100 * part / whole == avoid, compared as integers.
        if (avoid is None or units * avoid.denominator != avoid.numerator * shown
                or 100 * part * avoid.denominator == avoid.numerator * whole or decimals >= 12):
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

    def label(field: str) -> str:
        return say(f"chronic.fields.{field}")

    def example(field: str) -> str:
        return say(f"chronic.examples.{field}")

    e = parse_days(enrolled, "enrolled", label("enrolled"), example("enrolled"))
    if e.denominator != 1:
        raise InputError("enrolled", say("chronic.errors.enrolled_whole", given=typed(enrolled)))
    if e <= 0:
        raise InputError("enrolled", say("chronic.errors.enrolled_positive", given=brief(e)))
    if e > cfg.max_days:
        raise InputError("enrolled", say("chronic.errors.enrolled_max", max=cfg.max_days, given=brief(e)))
    a = parse_days(absent, "absent", label("absent"), example("absent"))
    if a < 0:
        raise InputError("absent", say("chronic.errors.absent_negative", given=brief(a)))
    if (a / cfg.step).denominator != 1:
        raise InputError("absent", say("chronic.errors.absent_half", given=typed(absent)))
    if a > e:  # so days absent are bounded by the school year too
        raise InputError("absent", say("chronic.errors.absent_over", given=brief(a), enrolled=show(e)))
    left: Fraction | None = None
    if days_left is not None and not (isinstance(days_left, str) and not days_left.strip()):
        left = parse_days(days_left, "days_left", label("days_left"), example("days_left"))
        if left.denominator != 1 or left < 0:
            raise InputError("days_left", say("chronic.errors.days_left_whole", given=typed(days_left)))
        if e + left > cfg.max_days:  # days left are in the same school year (reading `enrolled_period`)
            raise InputError("days_left", say("chronic.errors.days_left_max", enrolled=show(e), given=brief(left), max=cfg.max_days))
    return Days(e, a, left)


def _status(absent: int, enrolled: int, cfg: Config) -> dict[str, Any]:
    """Rates, each definition's status (and `<id>_strict`, the strict reading, where a definition
    reads its rate in whole percent), and the LAUSD band."""
    attendance, absence = rates(absent, enrolled, cfg)
    out: dict[str, Any] = {"attendance_rate": attendance, "absence_rate": absence}
    for definition in cfg.definitions:
        out[definition.id] = definition.is_chronic(absent, enrolled)
        if definition.literal is not None:
            out[f"{definition.id}_strict"] = definition.literal.is_chronic(absent, enrolled)
    out["attendance_percent_whole"] = (enrolled - absent) * 100 // enrolled
    out["band"] = band_entry(cfg, absent, enrolled, cfg.step)
    return out


def _can_miss(test: Test, a: int, total: int, left: int, with_left: bool, as_days: Any) -> dict[str, Any]:
    """Chronic at, days that can still be missed (and, with days left, whether the student can
    stay under and how many of the days left must be attended) for one test."""
    chronic_at = min(test.chronic_at(total), total + 1)
    can_miss = max(0, chronic_at - 1 - a)
    entry: dict[str, Any] = {
        "period_days": as_days(total),
        # None: no number of absences within the period reaches the threshold
        "chronic_at_absences": as_days(chronic_at) if chronic_at <= total else None,
        "days_can_miss": as_days(min(can_miss, left) if with_left else can_miss),
    }
    if with_left:
        stay_under = a < chronic_at
        entry["can_stay_under"] = stay_under
        entry["must_attend"] = as_days(left - min(can_miss, left)) if stay_under else None
    return entry


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
        "enrolled_means": own(cfg.readings["enrolled_period"], "reading"),
        "projection": None,
        "reasons": [],
    }
    reasons: list[Reason] = result["reasons"]
    with_left = days.days_left is not None
    for definition in cfg.definitions:
        chronic_now = now[definition.id]
        entry: dict[str, Any] = {
            "id": definition.id,
            "name": chronic_answer.name(definition.id),
            "verdict": chronic_answer.verdict(chronic_now),
            "summary": definition.summary,
            "threshold": definition.threshold_text(),
            "chronic": chronic_now,
            **_can_miss(definition.test, a, total, left, with_left, as_days),
            "source": dict(definition.source),
            "strict": None,
        }
        measured = (
            say("chronic.measured_attendance", attendance_rate=now["attendance_rate"], attended=show(days.enrolled - days.absent), enrolled=show(days.enrolled))
            if definition.measure == "attendance_rate"
            else say("chronic.measured_absence", absent=show(days.absent), enrolled=show(days.enrolled), absence_rate=now["absence_rate"])
        )
        if definition.literal is not None:
            measured += say("chronic.measured_whole", whole=now["attendance_percent_whole"])
        verdict = say("chronic.reason_chronic" if chronic_now else "chronic.reason_not_chronic")
        reasons.append(reason(definition.id, say("chronic.reason", name=entry["name"], measured=measured, threshold=definition.threshold_text(), verdict=verdict), definition.source))
        if definition.literal is not None:
            strict = {
                "threshold": definition.threshold_text(strictly=True),
                "chronic": now[f"{definition.id}_strict"],
                **_can_miss(definition.literal, a, total, left, with_left, as_days),
            }
            # what a reader acts on: the status, the days that can still be missed, the days to attend
            keys = ("chronic", "days_can_miss", "can_stay_under", "must_attend")
            strict["disagrees"] = any(strict.get(key) != entry.get(key) for key in keys)
            strict["text"] = _strict_text(definition, now, strict, entry) if strict["disagrees"] else None
            entry["strict"] = strict
            reading = cfg.readings["lausd_whole_percent"]
            for item in definition.practice:
                practice = cfg.practices[item["id"]]
                reasons.append(reason(definition.id, own(practice, "citation"), _practice_source(practice)))
            reasons.append(reason("lausd_whole_percent", own(reading, "reading"), reading_source(reading)))
            if strict["text"]:
                reasons.append(reason(f"{definition.id}_strict", strict["text"], reading_source(reading)))
        result["definitions"].append(entry)
    band = now["band"]
    reasons.append(reason("band", _band_text(band, now["attendance_percent_whole"]), band["source"]))
    if band["note"]:
        reasons.append(reason("band_note", band["note"], band["source"]))
    if days.days_left is not None:
        pace = Fraction(a, e) * total  # absences by year end if the current share holds
        pace_steps = int(pace + Fraction(1, 2))
        result["projection"] = {
            "year_end_enrolled": as_days(total),
            "if_attends_all_remaining": _projected(cfg, a, total, as_days, "chronic.projection_all_remaining"),
            "at_current_pace": _projected(cfg, pace_steps, total, as_days, "chronic.projection_pace"),
        }
    exact = cfg.readings["exact_rate"]
    reasons.append(reason("exact_rate", own(exact, "reading"), reading_source(exact)))
    if days.days_left is not None:
        period = cfg.readings["enrolled_period"]
        reasons.append(reason("enrolled_period", own(period, "reading"), reading_source(period)))
    if days.absent.denominator != 1:
        half = cfg.readings["half_days"]
        reasons.append(reason("half_days", own(half, "reading"), reading_source(half)))
    result["answer"] = chronic_answer.answer(result)
    return result


def _localised_source(cfg: Config, source: Mapping[str, Any]) -> dict[str, Any]:
    """A rules source with its label in the reader's language (a practice's `es.label`)."""
    if source.get("kind") == "practice" and source.get("id") in cfg.practices:
        return {**source, "label": own(cfg.practices[source["id"]], "label")}
    return dict(source)


def _practice_source(practice: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": "practice", "id": practice["id"], "label": own(practice, "label"), "url": practice["url"]}


def _band_text(band: Mapping[str, Any], whole: int) -> str:
    key = "chronic.band_reason_chronic" if band["chronic"] else "chronic.band_reason"
    absences = str(band["absences_in_year"]).replace(" or more", say("chronic.or_more"))
    return say(key, band=band["name"], range=band["range"], absences=absences, year_days=band["year_days"], whole=whole)


def _strict_text(definition: Definition, now: Mapping[str, Any], strict: Mapping[str, Any], entry: Mapping[str, Any]) -> str:
    """The strict reading, said where it gives another answer than LAUSD's."""
    rate = now["attendance_rate"]
    limit = show(definition.percent)
    if strict["chronic"] != entry["chronic"]:
        side = say("chronic.strict.at_or_below" if strict["chronic"] else "chronic.strict.above")
        verdict = say("chronic.reason_chronic" if strict["chronic"] else "chronic.reason_not_chronic")
        if not strict["chronic"]:
            verdict += say("chronic.strict.could_miss", n=strict["days_can_miss"])
        lausd = say("chronic.reason_chronic" if entry["chronic"] else "chronic.reason_not_chronic")
        return say("chronic.strict.differs", rate=rate, side=side, limit=limit, verdict=verdict, whole=now["attendance_percent_whole"], lausd=lausd)
    if strict["chronic_at_absences"] is None:
        return say("chronic.strict.never")
    return say(
        "chronic.strict.at", n=strict["days_can_miss"], at=strict["chronic_at_absences"], period=strict["period_days"],
        lausd_more=entry["days_can_miss"],
    )


def _projected(cfg: Config, absent: int, total: int, as_days: Any, label: str) -> dict[str, Any]:
    """A year-end status, with its sentence (`text`)."""
    status = _status(absent, total, cfg)
    def verdict(key: str) -> str:
        return say("chronic.reason_chronic" if status[key] else "chronic.reason_not_chronic")

    parts = []
    for d in cfg.definitions:
        part = say("chronic.projection_verdict", verdict=verdict(d.id), by=chronic_answer.by(d.id))
        if d.literal is not None and status[f"{d.id}_strict"] != status[d.id]:
            part += say("chronic.projection_strict", verdict=verdict(f"{d.id}_strict"))
        parts.append(part)
    words = say("chronic.projection", label=say(label), absent=as_days(absent), period=as_days(total), attendance_rate=status["attendance_rate"], verdicts=", ".join(parts), band=status["band"]["name"])
    return {"absent": as_days(absent), **status, "text": words}


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"enrolled": 180, "absent": 17, "days_left": 40}`."""
    if not isinstance(data, Mapping):
        raise InputError("input", say("chronic.errors.input"))
    unknown = sorted(set(data) - {"enrolled", "absent", "days_left"})
    if unknown:
        raise InputError(unknown_field(unknown[0]), say("chronic.errors.unknown_field", field=quote(unknown[0])))
    return calculate(check(data.get("enrolled"), data.get("absent"), data.get("days_left")))
