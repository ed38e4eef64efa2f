"""Properties that hold for every input (hypothesis): rates in range, monotone statuses, roster rows
equal single results, order never matters, and no input crashes (every failure is an InputError)."""
from __future__ import annotations

import datetime as dt
import json
import math
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import bridge, chronic, excused, roster
from calculators.errors import InputError

settings.register_profile("calculators", max_examples=150, deadline=None)
settings.load_profile("calculators")

DEFINITIONS = ("chronic_state", "chronic_lausd")


@st.composite
def enrolled_absent(draw: st.DrawFn) -> tuple[int, Fraction]:
    enrolled = draw(st.integers(min_value=1, max_value=400))
    halves = draw(st.integers(min_value=0, max_value=2 * enrolled))
    return enrolled, Fraction(halves, 2)


def calc(enrolled: int, absent: Fraction, days_left: int | None = None) -> dict[str, Any]:
    return chronic.calculate(chronic.Days(Fraction(enrolled), absent, Fraction(days_left) if days_left is not None else None))


@given(enrolled_absent())
def test_rates_stay_between_0_and_100(pair: tuple[int, Fraction]) -> None:
    result = calc(*pair)
    assert 0 <= result["attendance_rate"] <= 100 and 0 <= result["absence_rate"] <= 100


@given(enrolled_absent(), st.integers(min_value=0, max_value=200))
def test_one_more_absence_never_improves_a_status(pair: tuple[int, Fraction], days_left: int) -> None:
    enrolled, absent = pair
    if absent + Fraction(1, 2) > enrolled:
        return
    before, after = calc(enrolled, absent, days_left), calc(enrolled, absent + Fraction(1, 2), days_left)
    for key in DEFINITIONS:
        assert before[key] <= after[key]
    assert after["attendance_rate"] <= before["attendance_rate"]
    for old, new in zip(before["definitions"], after["definitions"]):
        assert new["days_can_miss"] <= old["days_can_miss"]
        assert old["can_stay_under"] >= new["can_stay_under"]


@given(enrolled_absent())
def test_status_matches_the_definitions_exactly(pair: tuple[int, Fraction]) -> None:
    """Exact arithmetic, independent of the code's integer form: 10% or more absent; 91% or below
    attending, in whole percent (fraction dropped) for LAUSD, unrounded for the strict reading."""
    enrolled, absent = pair
    result = calc(enrolled, absent)
    attending = (enrolled - absent) / enrolled
    assert result["chronic_state"] == (absent / enrolled >= Fraction(10, 100))
    assert result["chronic_lausd"] == (math.floor(attending * 100) <= 91)
    assert result["chronic_lausd_strict"] == (attending <= Fraction(91, 100))
    assert result["band"]["chronic"] == result["chronic_lausd"]


CELL = st.one_of(
    st.integers(min_value=-5, max_value=400).map(str),
    st.integers(min_value=0, max_value=800).map(lambda n: str(n / 2)),
    st.sampled_from(["", " ", "x", "1e3", "17.3", "1_0", "nan", "-0", "+3", " 7 "]),
)


@given(st.lists(st.tuples(CELL, CELL), max_size=30), st.booleans())
def test_roster_rows_equal_single_results(rows: list[tuple[str, str]], crlf: bool) -> None:
    newline = "\r\n" if crlf else "\n"
    text = "enrolled,absent" + newline + newline.join(f"{e},{a}" for e, a in rows) + newline
    result = roster.calculate_csv(text)
    good = dict(zip(result["rows"]["row"], range(len(result["rows"]["row"]))))
    errors = {e["row"]: e for e in result["errors"]}
    for number, (e, a) in enumerate(rows, start=2):
        if not e.strip() and not a.strip():
            assert number not in good and number not in errors
            continue
        try:
            single = chronic.calculate(chronic.check(e, a))
        except InputError as exc:
            assert errors[number]["message"].endswith(exc.message)  # after "Row N, column X (header): "
            continue
        index = good[number]
        for key in ("enrolled", "absent", "attendance_rate", "absence_rate", "chronic_lausd_strict", *DEFINITIONS):
            assert result["rows"][key][index] == single[key]
        assert result["rows"]["band"][index] == single["band"]["id"]


CALENDAR = {"first_day": "2024-08-14", "second_semester_start": "2025-01-13", "last_day": "2025-06-11", "non_school_days": ["2024-09-02"]}
SCHOOL_DAYS = sorted(excused.calendar(CALENDAR).school_days)
REASONS = ["funeral", "grief_support", "religious_retreat", "religious_instruction", "entertainment_permit", "illness"]


@given(
    st.lists(st.sampled_from(SCHOOL_DAYS), min_size=1, max_size=25, unique=True),
    st.data(),
)
def test_excused_order_never_matters(days: list[dt.date], data: st.DataObject) -> None:
    absences = [
        {"date": day.isoformat(), "reason": data.draw(st.sampled_from(REASONS)), "incident": data.draw(st.sampled_from(["a", "b"]))}
        for day in days
    ]
    shuffled = data.draw(st.permutations(absences))
    first = excused.from_input({"calendar": CALENDAR, "absences": absences})
    assert first == excused.from_input({"calendar": CALENDAR, "absences": shuffled})
    assert [a["date"] for a in first["absences"]] == sorted(a["date"] for a in absences)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def requests(draw: st.DrawFn) -> Any:
    calculator = draw(st.sampled_from(["chronic", "roster", "excused", "withdrawal", "other"]))
    keys = {
        "chronic": ["enrolled", "absent", "days_left"],
        "roster": ["csv"],
        "excused": ["calendar", "absences"],
        "withdrawal": ["situation", "due_diligence_documented", "flow"],
        "other": ["x"],
    }[calculator]
    value = st.one_of(JSON, st.sampled_from(["180", "17.5", "2024-09-09", "death", "funeral", "enrolled,absent\n1,1\n"]))
    data = draw(st.dictionaries(st.sampled_from(keys), value, max_size=len(keys)))
    if calculator == "excused" and draw(st.booleans()):
        data["calendar"] = CALENDAR
        data["absences"] = draw(st.lists(st.dictionaries(st.sampled_from(["date", "reason", "incident"]), value, max_size=3), max_size=3))
    return draw(st.sampled_from([{"calculator": calculator, "input": data}, data, calculator]))


@given(requests())
def test_no_input_crashes(request: Any) -> None:
    response = json.loads(bridge.handle(json.dumps(request)))
    if response["ok"]:
        assert isinstance(response["result"]["reasons"], list)
    else:
        assert set(response["error"]) == {"field", "message"} and response["error"]["message"].endswith(".")


@given(st.text(max_size=200))
def test_no_csv_crashes(text: str) -> None:
    response = json.loads(bridge.handle(json.dumps({"calculator": "roster", "input": {"csv": text}})))
    assert response["ok"] or response["error"]["field"] == "csv"
