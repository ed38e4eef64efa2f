"""Excused-absence maxes per incident, semester, school month and year; calendar validation."""
from __future__ import annotations

from typing import Any

import pytest

from calculators import excused
from calculators.errors import InputError, InputErrors

CALENDAR = {"first_day": "2024-08-14", "second_semester_start": "2025-01-13", "last_day": "2025-06-11", "non_school_days": ["2024-09-02", "2024-11-11"]}


def run(absences: list[dict[str, Any]], calendar: dict[str, Any] | None = None) -> dict[str, Any]:
    return excused.from_input({"calendar": calendar or CALENDAR, "absences": absences})


def test_the_issue_example() -> None:
    result = run([{"date": "2024-09-09", "reason": "funeral", "incident": "a"}])
    assert result["absences"] == [{
        "date": "2024-09-09", "reason": "funeral", "incident": "a", "semester": 1, "school_month": 1,
        "school_month_first_day": "2024-08-14", "school_month_last_day": "2024-09-10",
        "excused": True, "exceeds": None, "period": "incident a", "count_in_period": 1,
        # The same day in a family's words: the date as they read it, the reason's name, no id.
        "date_text": "Mon, Sep 9, 2024", "reason_name": "Funeral, or grieving for a close family member who died",
        "counted_in": "a", "status_text": "Yes, excused",
    }]
    assert result["remaining"][0] == {"reason": "funeral", "period": "incident a", "period_label": "per incident: incident a", "max_days": 5, "used": 1, "remaining": 4, "not_excused": 0}


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
    assert any(r["rule"] == "winter_break" for r in result["reasons"]) is False  # no reason with a max
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


def test_over_max_days_do_not_use_the_max() -> None:
    days = ["2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10", "2024-10-11"]
    result = run([{"date": d, "reason": "grief_support", "incident": "x"} for d in days])
    assert [a["excused"] for a in result["absences"]] == [True, True, True, False, False]
    assert result["absences"][3]["exceeds"] == "3 days per incident (incident x)"
    assert result["remaining"] == [{"reason": "grief_support", "period": "incident x", "period_label": "per incident: incident x", "max_days": 3, "used": 3, "remaining": 0, "not_excused": 2}]


def test_reasons_with_no_max_are_always_excused() -> None:
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
        ([{"date": "2024-10-01", "reason": "funeral", "incident": "x" * 41}], "absences[0].incident", "too long"),
        ([{"date": "2024-10-08", "last_date": "2024-10-07", "reason": "illness"}], "absences[0].last_date", "ends (Mon, Oct 7, 2024) before it starts"),
        ([{"date": "2024-10-05", "last_date": "2024-10-06", "reason": "illness"}], "absences[0].date", "has no school day in it"),
        ([{"date": "2024-10-07", "last_date": "2024-10-11", "reason": "illness"}, {"date": "2024-10-10", "reason": "illness"}], "absences[1].date", "which is also in absence 1"),
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
    ],
)
def test_bad_calendar(change: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        run([], {**CALENDAR, **change})
    assert caught.value.field == field and words in caught.value.message


def test_a_date_range_is_its_school_days_and_one_incident() -> None:
    """Six funeral days in one entry (the issue's "Grandma's funeral, Oct 7-14"): the weekend is
    skipped, the five earliest school days are excused (Major Changes 3.a: five per incident), the
    sixth is not, and no incident name is needed: the days entered together are one incident."""
    result = excused.from_input({"absences": [{"date": "2024-10-07", "last_date": "2024-10-14", "reason": "funeral"}]})
    assert [(a["date"], a["excused"]) for a in result["absences"]] == [
        ("2024-10-07", True), ("2024-10-08", True), ("2024-10-09", True), ("2024-10-10", True), ("2024-10-11", True), ("2024-10-14", False),
    ]
    answer = result["answer"]
    assert answer["headline"] == "5 school days are excused. 1 school day is over a limit, so it is not excused."
    assert answer["maxes"][0]["text"] == (
        "The event of Mon, Oct 7, 2024 to Mon, Oct 14, 2024: "
        "5 of 5 days used. None left. 1 more day is over the limit, so it is not excused."
    )
    assert result["absences"][5]["status_text"] == "No: over the limit of 5 days for each event"
    assert any(r["rule"] == "incident_key" for r in result["reasons"])


def test_two_entries_with_the_same_event_name_are_one_incident() -> None:
    split = [{"date": "2024-10-07", "last_date": "2024-10-09", "reason": "funeral", "incident": "Grandma"},
             {"date": "2024-10-14", "last_date": "2024-10-16", "reason": "funeral", "incident": "Grandma"}]
    assert [a["excused"] for a in excused.from_input({"absences": split})["absences"]] == [True] * 5 + [False]
    apart = [{**split[0], "incident": None}, {**split[1], "incident": None}]
    assert all(a["excused"] for a in excused.from_input({"absences": apart})["absences"])


def test_a_holiday_in_a_range_is_not_counted_and_is_named() -> None:
    result = run([{"date": "2024-11-08", "last_date": "2024-11-13", "reason": "grief_support"}])
    assert [a["date"] for a in result["absences"]] == ["2024-11-08", "2024-11-12", "2024-11-13"]
    assert result["answer"]["notes"] == ["Mon, Nov 11, 2024 (in Fri, Nov 8, 2024 to Wed, Nov 13, 2024) has no school, so it is not counted."]


def test_the_calendar_is_needed_only_where_a_cap_counts_over_it() -> None:
    """Funeral (per incident), a work permit (per school year, July 1 to June 30) and illness need
    no calendar; a retreat needs the second semester's first day, religious instruction the first
    day of school. Every missing date is named at once, each with the reason that needs it."""
    fine = excused.from_input({"absences": [
        {"date": "2024-10-07", "reason": "funeral"}, {"date": "2025-02-03", "reason": "entertainment_permit"}, {"date": "2024-10-08", "reason": "illness"},
    ]})
    assert fine["summary"] == {"absences": 3, "excused": 3, "not_excused": 0}
    assert fine["calendar"]["start"] == "2024-07-01" and fine["calendar"]["end"] == "2025-06-30"
    assert any(r["rule"] == "school_year_dates" for r in fine["reasons"])
    with pytest.raises(InputErrors) as caught:
        excused.from_input({"absences": [{"date": "2024-10-01", "reason": "religious_retreat"}, {"date": "2024-10-02", "reason": "religious_instruction"}]})
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("calendar.first_day", "The first day of school is missing: Religious instruction (leaving school for it) is limited to 4 days each school month, and school months are counted from the first day of school."),
        ("calendar.second_semester_start", "The first day of the second semester is missing: Religious retreat is limited to 1 school day each semester."),
    ]
    semester = excused.from_input({"calendar": {"second_semester_start": "2025-01-13"}, "absences": [{"date": "2024-10-01", "reason": "religious_retreat"}]})
    assert semester["answer"]["maxes"][0]["period"] == "Semester 1 (until Fri, Jan 10, 2025)"


def test_every_problem_is_found_at_once_in_the_order_of_the_form() -> None:
    with pytest.raises(InputErrors) as caught:
        run([{"date": "2024-09-07", "reason": "illness"}, {"date": "2024-10-01"}, {"date": "2024-10-02", "reason": "vacation"}],
            {**CALENDAR, "last_day": "2024-08-01"})
    assert [p.field for p in caught.value.problems] == ["absences[0].date", "absences[1].reason", "absences[2].reason", "calendar.last_day"]
    assert "Sat, Sep 7, 2024 is a Saturday, not a school day" in caught.value.problems[0].message


def test_the_answer_never_shows_an_internal_id() -> None:
    days = [{"date": "2024-10-01", "reason": "religious_retreat"}, {"date": "2024-10-02", "reason": "religious_instruction"},
            {"date": "2024-10-03", "last_date": "2024-10-04", "reason": "justifiable_personal"}]
    result = run(days)
    answer = result["answer"]
    shown = " ".join([answer["headline"], *answer["notes"], *(c["text"] + c["name"] + c["period"] + c["max_text"] for c in answer["maxes"])])
    shown += " ".join(a["reason_name"] + a["status_text"] + (a["counted_in"] or "") for a in result["absences"])
    shown += " ".join(r["text"] for r in result["reasons"])
    for reason_id in [*excused.config().maxes, *excused.config().no_max]:
        if "_" in reason_id:
            assert reason_id not in shown
