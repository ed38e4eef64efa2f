"""Fuzzing kept in the suite (issue 17): any JSON value through the browser bridge, any bytes as a
roster. Never a crash, always a located message: `handle` answers every request with JSON, an
`ok: false` names a field and says what to do, and every roster row error names its row.

Bounded: a fixed number of examples each, seeded (derandomize), no deadline per example; the
whole module runs in well under 30 s (pytest --durations shows it).
"""
from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import bridge

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
CALCULATORS = ("chronic", "roster", "excused", "withdrawal")
FIELDS = {
    "chronic": ["enrolled", "absent", "days_left"],
    "roster": ["csv"],
    "excused": ["calendar", "absences"],
    "withdrawal": ["situation", "due_diligence_documented", "flow"],
}

# Scalars a user or a broken page could send, with the values that once slipped through.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["180", "17.5", "١٨٠", "１７", "1e3", "NaN", "-0", " 5 ", "2024-09-09", "2024-W37-1",
                     "20240909xx", "9999-12-31", "0001-01-01", "illness", "funeral", "\x1b[2J", "a\\1b"]),
)
# Keys: often the ones the calculators read, so a random object reaches past the first check.
KEYS = st.one_of(st.sampled_from(["calculator", "input", "csv", "enrolled", "absent", "days_left", "calendar", "absences",
                                  "date", "reason", "incident", "situation", "flow"]), st.text(max_size=12))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-08-14", "2025-01-13", "2025-06-11", "2024-09-09", "9999-12-31", "9999-12-01", "0001-01-01"]),
)
# Deep nesting, as text: the parser must never be asked to recurse 100,000 times.
NESTED = st.integers(min_value=1, max_value=200_000).map(lambda n: '{"calculator": "excused", "input": ' + "[" * n + "]" * n + "}")


@st.composite
def calculator_input(draw: st.DrawFn) -> dict[str, Any]:
    """A request shaped like the page's, with any values: reaches past the first checks."""
    name = draw(st.sampled_from(CALCULATORS))
    keys = FIELDS[name] + ["extra"]
    data = draw(st.dictionaries(st.sampled_from(keys), JSON, max_size=4))
    if name == "excused" and draw(st.booleans()):
        data["calendar"] = {"first_day": draw(DATES), "second_semester_start": draw(DATES), "last_day": draw(DATES),
                            "non_school_days": draw(st.lists(DATES, max_size=3))}
        data["absences"] = draw(st.lists(st.dictionaries(st.sampled_from(["date", "reason", "incident", "x"]),
                                                         st.one_of(DATES, JSON), max_size=4), max_size=4))
    return {"calculator": name, "input": data}


def located(answer_text: str) -> dict[str, Any]:
    """The answer is JSON; a refusal names a field and says what to do."""
    answer = json.loads(answer_text)
    assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool), answer
    if answer["ok"]:
        assert isinstance(answer["result"], dict)
    else:
        error = answer["error"]
        assert isinstance(error["field"], str) and error["field"], error
        assert isinstance(error["message"], str) and len(error["message"]) > 10, error
    return answer


@FUZZ
@given(JSON)
def test_any_json_value_as_the_request(value: Any) -> None:
    located(bridge.handle(json.dumps(value)))


@FUZZ
@given(st.sampled_from(CALCULATORS), JSON)
def test_any_json_value_as_a_calculators_input(name: str, value: Any) -> None:
    located(bridge.handle(json.dumps({"calculator": name, "input": value})))


@FUZZ
@given(calculator_input())
def test_page_shaped_requests_with_any_values(request: dict[str, Any]) -> None:
    located(bridge.handle(json.dumps(request)))


@FUZZ
@given(st.one_of(st.text(max_size=200), NESTED))
def test_any_text_as_the_request(text: str) -> None:
    located(bridge.handle(text))


# Roster files: any bytes, and bytes that look like a roster with bad cells.
CELLS = st.sampled_from(["180", "17", "17.5", "", " ", "-1", "abc", "1e3", "١٨٠", "nan", "inf", "1_000", "99999999999999999999",
                         '"A, B"', '"', "\x00", "\x1b[31m", "0", "366", "367", "0.5", ".5", "+3"])
SEPARATORS = st.sampled_from([",", ";", "\t"])
ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def roster_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    sep, end = draw(SEPARATORS), draw(ENDINGS)
    header = draw(st.sampled_from([["student", "days enrolled", "days absent"], ["enrolled", "absent"], ["Name", "Absences", "Enrolled Days", "x"],
                                   ["absent"], [], ["a", "b"]]))
    rows = draw(st.lists(st.lists(st.one_of(CELLS, st.text(max_size=6)), max_size=5), max_size=8))
    text = end.join(sep.join(row) for row in [header, *rows])
    prefix = draw(st.sampled_from(["", "\ufeff", "\n\n"]))
    return (prefix + text).encode("utf-8", errors="surrogatepass")


@FUZZ
@given(roster_bytes())
def test_any_bytes_as_a_roster(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")  # as the CLI reads a file; the page decodes strictly too
    except UnicodeDecodeError:
        return  # "not UTF-8 text" (tests/quality/bad_inputs.yaml has the binary cases)
    answer = located(bridge.handle(json.dumps({"calculator": "roster", "input": {"csv": text}})))
    if not answer["ok"]:
        assert answer["error"]["field"] == "csv", answer
        return
    result = answer["result"]
    rows = result["rows"]
    lengths = {len(column) for column in rows.values() if column is not None}
    assert len(lengths) <= 1, "the result's columns differ in length"
    assert result["summary"]["students"] == len(rows["row"])
    for error in result["errors"]:
        assert isinstance(error["row"], int) and error["row"] >= 2, error  # row 1 is the header
        assert error["field"] and len(error["message"]) > 10, error
