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
        "school_month_first_day": "2024-08-14", "school_month_last_day": "2024-09-10",
        "excused": True, "exceeds": None, "period": "incident a", "count_in_period": 1,
    }]
    assert result["remaining"][0] == {"reason": "funeral", "period": "incident a", "period_label": "per incident: incident a", "limit": 5, "used": 1, "remaining": 4, "not_excused": 0}


def test_school_months_are_four_weeks_of_five_weekdays_from_the_first_day() -> None:
    """E.C. § 37201(a): 20 weekdays, legal holidays included. From Wednesday 14 August, month 1
    ends on Tuesday 10 September with Labor Day (2 September) counted in; 11 September is month 2.
    Counting only school days (the old, wrong reading) would have put 11 September in month 1."""
    result = run([{"date": d, "reason": "illness"} for d in ("2024-09-10", "2024-09-11")])
    assert [a["school_month"] for a in result["absences"]] == [1, 2]
    assert [(a["school_month_first_day"], a["school_month_last_day"]) for a in result["absences"]] == [
        ("2024-08-14", "2024-09-10"), ("2024-09-11", "2024-10-08"),
    ]
    assert result["calendar"]["school_days"] == 214
    months = result["calendar"]["months"]
    assert months[0] == {"month": 1, "first_day": "2024-08-14", "last_day": "2024-09-10", "weekdays": 20, "school_days": 19}
    assert all(m["weekdays"] == 20 for m in months[:-1]) and result["calendar"]["school_months"] == len(months)


def test_a_holiday_in_the_first_four_weeks_does_not_move_month_2() -> None:
    """The same year with and without the Labor Day holiday: month 2 starts on 11 September both ways."""
    plain = {**CALENDAR, "non_school_days": []}
    for calendar in (CALENDAR, plain):
        result = run([{"date": "2024-09-11", "reason": "illness"}], calendar)
        assert result["absences"][0]["school_month"] == 2
        assert result["absences"][0]["school_month_first_day"] == "2024-09-11"


def test_religious_instruction_on_the_first_day_of_month_2_is_excused() -> None:
    """Four religious-instruction days in month 1, then 11 September: excused (a new school month)."""
    days = ["2024-08-14", "2024-08-21", "2024-08-28", "2024-09-04", "2024-09-10", "2024-09-11"]
    result = run([{"date": d, "reason": "religious_instruction"} for d in days])
    assert [a["excused"] for a in result["absences"]] == [True, True, True, True, False, True]
    assert result["absences"][4]["exceeds"] == "4 days per school month (school month 1, 2024-08-14 to 2024-09-10)"
    assert result["remaining"][1]["period_label"] == "per school month: school month 2, 2024-09-11 to 2024-10-08"
    statute = next(r for r in result["reasons"] if r["rule"] == "school_month")
    assert statute["text"].startswith("“A school month is 20 days or four weeks of five days each, including legal holidays")
    assert statute["source"]["label"] == "E.C. § 37201(a)"
    assert any(r["rule"] == "school_month_weeks" for r in result["reasons"])


WINTER = {"first_day": "2024-12-23", "last_day": "2025-01-03"}


def test_an_excluded_winter_break_is_left_out_of_school_months() -> None:
    """Month 5 runs from 4 December: 13 weekdays to 20 December, then the break's 10 weekdays are
    left out, and month 5 resumes on 6 January for its last 7 weekdays (to 14 January)."""
    calendar = {**CALENDAR, "winter_break": WINTER}
    result = run([{"date": "2025-01-14", "reason": "illness"}, {"date": "2025-01-15", "reason": "illness"}], calendar)
    assert [a["school_month"] for a in result["absences"]] == [5, 6]
    assert result["absences"][0]["school_month_first_day"] == "2024-12-04"
    assert result["absences"][0]["school_month_last_day"] == "2025-01-14"
    assert result["calendar"]["months"][4]["weekdays"] == 20
    assert result["calendar"]["winter_break"] == {**WINTER, "excluded": True}
    assert any(r["rule"] == "winter_break" for r in result["reasons"]) is False  # no capped reason
    instruction = run([{"date": "2025-01-13", "reason": "religious_instruction"}], calendar)
    assert any(r["rule"] == "winter_break" for r in instruction["reasons"])


def test_a_winter_break_the_calendar_counts_is_counted() -> None:
    """excluded: false: the break's weekdays count like holidays, so month 5 ends on 31 December."""
    calendar = {**CALENDAR, "winter_break": {**WINTER, "excluded": False}}
    result = run([{"date": "2025-01-14", "reason": "illness"}], calendar)
    assert result["absences"][0]["school_month"] == 6
    assert result["calendar"]["months"][4]["last_day"] == "2024-12-31"


def test_winter_break_days_are_not_school_days() -> None:
    calendar = {**CALENDAR, "winter_break": WINTER}
    with pytest.raises(InputError) as caught:
        run([{"date": "2024-12-23", "reason": "illness"}], calendar)
    assert caught.value.field == "absences[0].date" and "winter break" in caught.value.message
    assert excused.calendar(calendar).school_days.keys().isdisjoint({excused.dt.date(2024, 12, 23)})


@pytest.mark.parametrize(
    ("winter", "field", "words"),
    [
        ({"first_day": "2025-01-03", "last_day": "2024-12-23"}, "calendar.winter_break.last_day", "before it starts"),
        ({"first_day": "2024-08-01", "last_day": "2024-08-20"}, "calendar.winter_break.first_day", "inside the school year"),
        ({"first_day": "2024-12-23"}, "calendar.winter_break.last_day", "missing"),
        ({"first_day": "2024-12-23", "last_day": "2025-01-03", "excluded": "yes"}, "calendar.winter_break.excluded", "true or false"),
        ({"first_day": "2024-12-23", "last_day": "2025-01-03", "from": 1}, "calendar.winter_break.from", "Unknown"),
        ("2024-12-23", "calendar.winter_break", "must be"),
        ({"first_day": "2025-01-06", "last_day": "2025-01-20"}, "calendar.second_semester_start", "winter break"),
    ],
)
def test_bad_winter_break_says_what_to_fix(winter: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        excused.calendar({**CALENDAR, "winter_break": winter})
    assert caught.value.field == field and words in caught.value.message


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
