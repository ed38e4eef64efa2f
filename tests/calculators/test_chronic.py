"""Chronic absence at and around every threshold (values checked by hand against XV.a and XV.b)."""
from __future__ import annotations

from typing import Any

import pytest

from calculators import chronic, rules
from calculators.errors import InputError


def calc(enrolled: Any, absent: Any, days_left: Any = None) -> dict[str, Any]:
    return chronic.calculate(chronic.check(enrolled, absent, days_left))


def by_id(result: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(item for item in result["definitions"] if item["id"] == ident)


@pytest.mark.parametrize(
    ("enrolled", "absent", "state", "lausd", "attendance", "absence"),
    [
        (180, 17, False, True, 90.56, 9.44),  # the example: 163/180 = 90.555…%
        (180, 18, True, True, 90.0, 10.0),  # 18/180 = exactly 10%: "10% or more"
        (180, 17.5, False, True, 90.28, 9.72),  # half a day under the state's 18
        (180, 16, False, False, 91.11, 8.89),  # 164/180 = 91.11% > 91%
        (180, 16.5, False, True, 90.83, 9.17),  # 163.5/180 = 90.83%
        (100, 9, False, True, 91.0, 9.0),  # exactly 91%: "91% or below"
        (100, 8.5, False, False, 91.5, 8.5),
        (250, 21.5, False, False, 91.4, 8.6),  # 228.5/250 = 91.4% is not "91% or below" (reading exact_rate)
        (10, 1, True, True, 90.0, 10.0),
        (10, 0, False, False, 100.0, 0.0),
        (10, 10, True, True, 0.0, 100.0),
        (1, 0.5, True, True, 50.0, 50.0),
    ],
)
def test_thresholds(enrolled: Any, absent: Any, state: bool, lausd: bool, attendance: float, absence: float) -> None:
    result = calc(enrolled, absent)
    assert (result["chronic_state"], result["chronic_lausd"]) == (state, lausd)
    assert (result["attendance_rate"], result["absence_rate"]) == (attendance, absence)


def test_rounding_never_shows_a_threshold_the_rate_is_not_on() -> None:
    # 263/289 = 91.0034…%: rounded to 2 decimals it would read 91.00 yet is not chronic.
    result = calc(289, 26)
    assert result["chronic_lausd"] is False
    assert result["attendance_rate"] == 91.003


def test_days_can_miss_without_days_left() -> None:
    result = calc(180, 10)
    # State: 18 of 180 is 10%, so up to 17.5 stays under: 7.5 more.
    assert by_id(result, "chronic_state")["chronic_at_absences"] == 18
    assert by_id(result, "chronic_state")["days_can_miss"] == 7.5
    # LAUSD: 91% of 180 is reached at 16.2 absences, i.e. 16.5 in half days; up to 16: 6 more.
    assert by_id(result, "chronic_lausd")["chronic_at_absences"] == 16.5
    assert by_id(result, "chronic_lausd")["days_can_miss"] == 6
    assert result["projection"] is None


def test_already_chronic_can_miss_nothing() -> None:
    assert by_id(calc(180, 17), "chronic_lausd")["days_can_miss"] == 0


def test_days_left_projection_and_must_attend() -> None:
    result = calc(100, 17, 80)  # whole year 180 days
    state, lausd = by_id(result, "chronic_state"), by_id(result, "chronic_lausd")
    assert state["can_stay_under"] is True and state["days_can_miss"] == 0.5 and state["must_attend"] == 79.5
    # 17 absences already reach LAUSD's 16.5 for a 180-day year: chronic whatever happens next.
    assert lausd["can_stay_under"] is False and lausd["must_attend"] is None and lausd["days_can_miss"] == 0
    # Now (100 days): 17% absent, chronic under both.
    assert result["chronic_state"] and result["chronic_lausd"]
    best = result["projection"]["if_attends_all_remaining"]
    assert (best["absent"], best["attendance_rate"], best["chronic_state"], best["chronic_lausd"]) == (17, 90.56, False, True)
    pace = result["projection"]["at_current_pace"]
    assert pace["absent"] == 30.5  # 17/100 × 180 = 30.6, nearest half day
    assert result["enrolled_means"] and any(r["rule"] == "enrolled_period" for r in result["reasons"])


def test_can_miss_every_day_left() -> None:
    state = by_id(calc(100, 0, 5), "chronic_state")
    assert state["days_can_miss"] == 5 and state["must_attend"] == 0


def test_reasons_cite_their_sources() -> None:
    reasons = {r["rule"]: r["source"] for r in calc(180, 17.5)["reasons"]}
    assert reasons["chronic_state"] == {"kind": "statute", "id": "edc-60901", "label": "E.C. § 60901(c)(1)"}
    assert reasons["chronic_lausd"] == {"kind": "paragraph", "id": "xv-b", "label": "XV.b"}
    assert reasons["exact_rate"]["kind"] == "reading"
    assert reasons["half_days"]["kind"] == "reading"


@pytest.mark.parametrize(
    ("enrolled", "absent", "days_left", "field", "words"),
    [
        (180, 190, None, "absent", "more than days enrolled"),
        (180, -1, None, "absent", "cannot be negative"),
        (180, "x", None, "absent", "must be a number"),
        (180, "", None, "absent", "empty"),
        (180, None, None, "absent", "missing"),
        (0, 0, None, "enrolled", "more than 0"),
        (-5, 0, None, "enrolled", "more than 0"),
        (180.5, 0, None, "enrolled", "whole number"),
        (180, 17.3, None, "absent", "whole or half days"),
        (180, "1e3", None, "absent", "must be a number"),
        (180, float("nan"), None, "absent", "must be a number"),
        (180, 17, -1, "days_left", "0 or more"),
        (180, 17, 2.5, "days_left", "whole number"),
        (True, 17, None, "enrolled", "missing"),
    ],
)
def test_bad_input_says_what_to_fix(enrolled: Any, absent: Any, days_left: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        chronic.check(enrolled, absent, days_left)
    assert caught.value.field == field
    assert words in caught.value.message


def test_thresholds_come_from_the_rules_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Change LAUSD's percent in the data and the answer changes: the code holds no threshold."""
    data = rules.load()
    changed = {**data, "chronic": {**data["chronic"], "definitions": [
        {**d, "percent": 90} if d["id"] == "chronic_lausd" else d for d in data["chronic"]["definitions"]
    ]}}
    monkeypatch.setattr(rules, "load", lambda: changed)
    chronic.config.cache_clear()
    try:
        assert calc(180, 17)["chronic_lausd"] is False  # 90.56% is above a 90% line
    finally:
        chronic.config.cache_clear()
