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
    ("enrolled", "absent", "state", "lausd", "strict", "attendance", "absence"),
    [
        (180, 17, False, True, True, 90.56, 9.44),  # the example: 163/180 = 90.555…%
        (180, 18, True, True, True, 90.0, 10.0),  # 18/180 = exactly 10%: "10% or more"
        (180, 17.5, False, True, True, 90.28, 9.72),  # half a day under the state's 18
        # LAUSD reads the rate in whole percent (reading lausd_whole_percent): 15 of 180 is chronic.
        (180, 14, False, False, False, 92.22, 7.78),  # 166/180 = 92.22% is 92%: Basic, not chronic
        (180, 14.5, False, True, False, 91.94, 8.06),  # 165.5/180 = 91.94% is 91%
        (180, 15, False, True, False, 91.67, 8.33),  # LAUSD Pupil Services: "miss 15 days or more"
        (180, 16, False, True, False, 91.11, 8.89),  # read strictly 91.11% > 91%; LAUSD: 91%
        (180, 16.5, False, True, True, 90.83, 9.17),  # 163.5/180 = 90.83%
        (100, 9, False, True, True, 91.0, 9.0),  # exactly 91%: "91% or below" in both readings
        (100, 8, False, False, False, 92.0, 8.0),  # exactly 92%: not chronic in either
        (100, 8.5, False, True, False, 91.5, 8.5),
        (250, 21.5, False, True, False, 91.4, 8.6),  # 228.5/250 = 91.4%: 91% for LAUSD, above 91% strictly
        (250, 20, False, False, False, 92.0, 8.0),
        (10, 1, True, True, True, 90.0, 10.0),
        (10, 0, False, False, False, 100.0, 0.0),
        (10, 10, True, True, True, 0.0, 100.0),
        (1, 0.5, True, True, True, 50.0, 50.0),
    ],
)
def test_thresholds(enrolled: Any, absent: Any, state: bool, lausd: bool, strict: bool, attendance: float, absence: float) -> None:
    result = calc(enrolled, absent)
    assert (result["chronic_state"], result["chronic_lausd"], result["chronic_lausd_strict"]) == (state, lausd, strict)
    assert (result["attendance_rate"], result["absence_rate"]) == (attendance, absence)
    assert result["band"]["chronic"] is lausd  # the chronic bands are exactly LAUSD's chronic


@pytest.mark.parametrize(
    ("absent", "band", "whole"),
    [
        (0, "advanced", 100),
        (0.5, "proficient", 99),  # 99.72% is 99%: only no absence at all is Advanced
        (1, "proficient", 99),
        (7, "proficient", 96),  # 96.11%
        (8, "basic", 95),  # 95.56%
        (14, "basic", 92),  # 92.22%
        (15, "below_basic", 91),  # 91.67%
        (23, "below_basic", 87),  # 87.22%
        (24, "far_below_basic", 86),  # 86.67%: the table says Below Basic (recorded, see below)
        (25, "far_below_basic", 86),  # 86.11%
        (180, "far_below_basic", 0),
    ],
)
def test_lausd_bands_in_a_180_day_year(absent: Any, band: str, whole: int) -> None:
    result = calc(180, absent)
    assert result["band"]["id"] == band
    assert result["attendance_percent_whole"] == whole


def test_bands_agree_with_the_table_at_every_boundary_but_24() -> None:
    """The rules data keeps LAUSD's own absences column; the percent agrees with it at each of its
    boundaries in a 180-day year, except 24 absences, which the data records as a disagreement."""
    bands = rules.section("chronic")["bands"]
    assert bands["year_days"] == 180
    disagree = {item["absent"] for item in bands["disagreements"]}
    for item in bands["items"]:
        numbers = [int(n) for n in item["absences_in_year"].replace("–", " ").replace("or more", "").split()]
        for absent in numbers:
            found = calc(180, absent)["band"]["id"]
            if absent in disagree:
                assert found != item["id"]
            else:
                assert found == item["id"], f"{absent} absences: {found}, table {item['id']}"
    assert disagree == {24}
    note = calc(180, 24)["band"]["note"]
    assert note and "Below Basic" in note and "Far Below Basic" in note
    assert calc(180, 25)["band"]["note"] is None and calc(181, 24)["band"]["note"] is None


def test_strict_reading_is_shown_where_it_disagrees() -> None:
    lausd = by_id(calc(180, 15), "chronic_lausd")
    assert lausd["chronic"] is True and lausd["strict"]["chronic"] is False
    assert lausd["strict"]["disagrees"] is True
    assert "Read strictly, 91.67% is above 91%" in lausd["strict"]["text"]
    assert any(r["rule"] == "chronic_lausd_strict" for r in calc(180, 15)["reasons"])
    # 17 of 180 (90.56%) is chronic either way and nothing more can be missed: nothing to show.
    same = by_id(calc(180, 17), "chronic_lausd")["strict"]
    assert same["disagrees"] is False and same["text"] is None
    assert not any(r["rule"] == "chronic_lausd_strict" for r in calc(180, 17)["reasons"])
    # The state definition has one reading only.
    assert by_id(calc(180, 15), "chronic_state")["strict"] is None


def test_rounding_never_shows_a_threshold_the_rate_is_not_on() -> None:
    # 263/289 = 91.0034…%: rounded to 2 decimals it would read 91.00, and read strictly it is not
    # chronic; LAUSD reads it as 91%.
    result = calc(289, 26)
    assert result["chronic_lausd_strict"] is False and result["chronic_lausd"] is True
    assert result["attendance_rate"] == 91.003


def test_days_can_miss_without_days_left() -> None:
    result = calc(180, 10)
    # State: 18 of 180 is 10%, so up to 17.5 stays under: 7.5 more.
    assert by_id(result, "chronic_state")["chronic_at_absences"] == 18
    assert by_id(result, "chronic_state")["days_can_miss"] == 7.5
    # LAUSD: below 92% from 14.4 absences, i.e. 14.5 in half days; up to 14: 4 more.
    lausd = by_id(result, "chronic_lausd")
    assert lausd["chronic_at_absences"] == 14.5 and lausd["days_can_miss"] == 4
    # Read strictly, 91% of 180 is reached at 16.2 absences, 16.5 in half days; up to 16: 6 more.
    assert lausd["strict"]["chronic_at_absences"] == 16.5 and lausd["strict"]["days_can_miss"] == 6
    assert "6 more days could be missed, against 4" in lausd["strict"]["text"]
    assert result["projection"] is None


@pytest.mark.parametrize(("absent", "more"), [(14, 0), (13, 1), (15, 0), (16, 0)])
def test_days_that_can_still_be_missed_in_180_days(absent: int, more: int) -> None:
    """A family whose child has 14 absences in 180 days is told no more day can be missed (a
    half day more is 91.94%, 91%); with 15 or 16 the child is already chronic."""
    assert by_id(calc(180, absent), "chronic_lausd")["days_can_miss"] == more


def test_already_chronic_can_miss_nothing() -> None:
    assert by_id(calc(180, 17), "chronic_lausd")["days_can_miss"] == 0


def test_days_left_projection_and_must_attend() -> None:
    result = calc(100, 17, 80)  # whole year 180 days
    state, lausd = by_id(result, "chronic_state"), by_id(result, "chronic_lausd")
    assert state["can_stay_under"] is True and state["days_can_miss"] == 0.5 and state["must_attend"] == 79.5
    # 17 absences already reach LAUSD's 14.5 for a 180-day year: chronic whatever happens next.
    assert lausd["can_stay_under"] is False and lausd["must_attend"] is None and lausd["days_can_miss"] == 0
    # Now (100 days): 17% absent, chronic under both.
    assert result["chronic_state"] and result["chronic_lausd"]
    best = result["projection"]["if_attends_all_remaining"]
    assert (best["absent"], best["attendance_rate"], best["chronic_state"], best["chronic_lausd"]) == (17, 90.56, False, True)
    assert best["band"]["id"] == "below_basic"
    pace = result["projection"]["at_current_pace"]
    assert pace["absent"] == 30.5  # 17/100 × 180 = 30.6, nearest half day
    assert pace["band"]["id"] == "far_below_basic"
    assert result["enrolled_means"] and any(r["rule"] == "enrolled_period" for r in result["reasons"])


def test_projection_follows_lausd_reading() -> None:
    """150 enrolled, 12 absent, 30 left: attending every day left ends at 12 of 180 (93.33%, Basic);
    at the current pace 14.4, i.e. 14.5 of 180 (91.94%): 91%, chronic for LAUSD, not strictly."""
    result = calc(150, 12, 30)
    pace = result["projection"]["at_current_pace"]
    assert (pace["absent"], pace["chronic_lausd"], pace["chronic_lausd_strict"], pace["band"]["id"]) == (14.5, True, False, "below_basic")
    lausd = by_id(result, "chronic_lausd")
    assert (lausd["days_can_miss"], lausd["must_attend"]) == (2, 28)
    assert (lausd["strict"]["days_can_miss"], lausd["strict"]["must_attend"]) == (4, 26)


@pytest.mark.parametrize(
    ("enrolled", "absent", "lausd", "band"),
    [
        (100, 8, False, "basic"),  # 92%
        (100, 9, True, "below_basic"),  # 91%
        (90, 7, False, "basic"),  # 92.22%: a late enrolment
        (90, 7.5, True, "below_basic"),  # 91.67%
        (25, 2, False, "basic"),  # 92%
        (25, 2.5, True, "below_basic"),  # 90%
        (200, 16, False, "basic"),  # 92%
        (200, 16.5, True, "below_basic"),  # 91.75%
        (12, 1, True, "below_basic"),  # 11/12 = 91.67%: one absence in a 12-day enrolment
        (366, 29, False, "basic"),  # 92.08%
        (366, 29.5, True, "below_basic"),  # 91.94%
    ],
)
def test_other_enrolments(enrolled: int, absent: Any, lausd: bool, band: str) -> None:
    """Students enrolled for fewer or more days than 180: the same whole-percent reading."""
    result = calc(enrolled, absent)
    assert (result["chronic_lausd"], result["band"]["id"]) == (lausd, band)


def test_can_miss_every_day_left() -> None:
    state = by_id(calc(100, 0, 5), "chronic_state")
    assert state["days_can_miss"] == 5 and state["must_attend"] == 0


def test_reasons_cite_their_sources() -> None:
    reasons = {r["rule"]: r["source"] for r in calc(180, 17.5)["reasons"]}
    assert reasons["chronic_state"] == {"kind": "statute", "id": "edc-60901", "label": "E.C. § 60901(c)(1)"}
    assert reasons["exact_rate"]["kind"] == "reading"
    assert reasons["half_days"]["kind"] == "reading"
    assert reasons["lausd_whole_percent"]["kind"] == "reading"
    assert reasons["band"] == {"kind": "practice", "id": "lausd-attendance-bands", "label": "LAUSD attendance bands"}
    lausd = [r["source"] for r in calc(180, 17.5)["reasons"] if r["rule"] == "chronic_lausd"]
    assert lausd[0] == {"kind": "paragraph", "id": "xv-b", "label": "XV.b"}
    assert {s["id"] for s in lausd[1:]} == {"lausd-pupil-services-2017", "lausd-attendance-bands"}
    assert all(s["kind"] == "practice" for s in lausd[1:])


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
        (True, 17, None, "enrolled", "not true"),
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
        {**d, "percent": 89} if d["id"] == "chronic_lausd" else d for d in data["chronic"]["definitions"]
    ]}}
    monkeypatch.setattr(rules, "load", lambda: changed)
    chronic.config.cache_clear()
    try:
        assert calc(180, 17)["chronic_lausd"] is False  # 90.56% is 90%, above an 89% line
    finally:
        chronic.config.cache_clear()


def test_whole_percent_reading_comes_from_the_rules_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `rate_in: whole_percent` the definition is read strictly: 15 of 180 is not chronic."""
    data = rules.load()
    changed = {**data, "chronic": {**data["chronic"], "definitions": [
        {k: v for k, v in d.items() if k != "rate_in"} for d in data["chronic"]["definitions"]
    ]}}
    monkeypatch.setattr(rules, "load", lambda: changed)
    chronic.config.cache_clear()
    try:
        result = calc(180, 15)
        assert result["chronic_lausd"] is False and "chronic_lausd_strict" not in result
    finally:
        chronic.config.cache_clear()
