"""Excused-absence caps per incident, semester, school month and year; calendar validation."""
from __future__ import annotations

from typing import Any

import pytest

from calculators import excused
from calculators.errors import InputError

CALENDAR = {"first_day": "2024-08-14", "second_semester_start": "2025-01-13", "last_day": "2025-06-11", "non_school_days": ["2024-09-02", "2024-11-11"]}


def run(absences: list[dict[str, Any]], calendar: dict[str, Any] | None = None) -> dict[str, Any]:
    return excused.from_input({"calendar": calendar or CALENDAR, "absences": absences})


def test_the_issue_example() -> None:
    result = run([{"date": "2024-09-09", "reason": "funeral", "incident": "a"}])
    assert result["absences"] == [{
        "date": "2024-09-09", "reason": "funeral", "incident": "a", "semester": 1, "school_month": 1,
        "excused": True, "exceeds": None, "period": "incident a", "count_in_period": 1,
    }]
    assert result["remaining"][0] == {"reason": "funeral", "period": "incident a", "period_label": "per incident: incident a", "limit": 5, "used": 1, "remaining": 4, "not_excused": 0}


def test_school_months_are_20_school_days_from_the_first_day() -> None:
    # 14 Aug (Wed) … 11 Sep is 20 school days without Labor Day (2 Sep): month 1; 12 Sep: month 2.
    result = run([{"date": d, "reason": "illness"} for d in ("2024-09-11", "2024-09-12")])
    assert [a["school_month"] for a in result["absences"]] == [1, 2]
    assert result["calendar"]["school_days"] == 214


def test_semester_boundary() -> None:
    result = run([{"date": "2025-01-10", "reason": "religious_retreat"}, {"date": "2025-01-13", "reason": "religious_retreat"}])
    assert [(a["semester"], a["excused"]) for a in result["absences"]] == [(1, True), (2, True)]


def test_over_cap_days_do_not_use_the_cap() -> None:
    days = ["2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10", "2024-10-11"]
    result = run([{"date": d, "reason": "grief_support", "incident": "x"} for d in days])
    assert [a["excused"] for a in result["absences"]] == [True, True, True, False, False]
    assert result["absences"][3]["exceeds"] == "3 days per incident (incident x)"
    assert result["remaining"] == [{"reason": "grief_support", "period": "incident x", "period_label": "per incident: incident x", "limit": 3, "used": 3, "remaining": 0, "not_excused": 2}]


def test_uncapped_reasons_are_always_excused() -> None:
    days = [f"2024-10-{d:02d}" for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14)]
    result = run([{"date": d, "reason": "illness"} for d in days])
    assert all(a["excused"] for a in result["absences"]) and result["remaining"] == []
    assert any(r["source"]["id"] == "edc-48205" for r in result["reasons"])


def test_statutes_outside_the_authority_list_carry_a_url() -> None:
    result = run([{"date": "2024-10-01", "reason": "religious_instruction"}])
    month = next(r for r in result["reasons"] if r["rule"] == "school_month")
    assert month["source"]["id"] == "edc-37201" and month["source"]["url"].startswith("https://leginfo.legislature.ca.gov/")


@pytest.mark.parametrize(
    ("absences", "field", "words"),
    [
        ([{"date": "2024-09-07", "reason": "illness"}], "absences[0].date", "Saturday"),
        ([{"date": "2024-11-11", "reason": "illness"}], "absences[0].date", "non-school day"),
        ([{"date": "2024-08-13", "reason": "illness"}], "absences[0].date", "outside the school year"),
        ([{"date": "2024-13-01", "reason": "illness"}], "absences[0].date", "YYYY-MM-DD"),
        ([{"date": "2024-10-01", "reason": "vacation"}], "absences[0].reason", "not known"),
        ([{"date": "2024-10-01", "reason": "funeral"}], "absences[0].incident", "needs an incident key"),
        ([{"date": "2024-10-01", "reason": "illness"}, {"date": "2024-10-01", "reason": "illness"}], "absences[1].date", "list each date once"),
        ("x", "absences", "must be a list"),
        ([3], "absences[0]", "must be an object"),
    ],
)
def test_bad_absences(absences: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        excused.from_input({"calendar": CALENDAR, "absences": absences})
    assert caught.value.field == field and words in caught.value.message


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"last_day": "2024-08-01"}, "calendar.last_day", "before the first day"),
        ({"second_semester_start": "2024-08-14"}, "calendar.second_semester_start", "must start after"),
        ({"first_day": "2024-08-17"}, "calendar.first_day", "Saturday"),
        ({"non_school_days": ["2026-01-01"]}, "calendar.non_school_days[0]", "outside the school year"),
        ({"non_school_days": "2024-11-11"}, "calendar.non_school_days", "list of dates"),
        ({"first_day": None}, "calendar.first_day", "missing"),
    ],
)
def test_bad_calendar(change: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        run([], {**CALENDAR, **change})
    assert caught.value.field == field and words in caught.value.message
