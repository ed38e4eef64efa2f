"""Day counts beyond one school year are typing mistakes (reading `school_year_days`), refused with
a message naming the field, by the single calculator and by every roster row alike."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from calculators import chronic, roster, rules
from calculators.errors import InputError

ABSURD = "99999999999999999999"


def reading() -> dict[str, Any]:
    return next(r for r in rules.section("chronic")["readings"] if r["id"] == "school_year_days")


def refused(enrolled: Any, absent: Any, days_left: Any = None) -> InputError:
    with pytest.raises(InputError) as caught:
        chronic.check(enrolled, absent, days_left)
    return caught.value


def test_the_bound_is_a_leap_years_days_and_cites_the_school_year() -> None:
    # July 1 to June 30 (E.C. § 37200) holds 366 days when it contains February 29.
    assert reading()["max_days"] == 366
    assert "E.C. § 60901(c)(1)" in reading()["why"] and "E.C. § 37200" in reading()["why"]


def test_a_full_leap_year_is_still_computed() -> None:
    result = chronic.calculate(chronic.check(366, 5, 0))
    assert (result["enrolled"], result["absent"], result["attended"]) == (366, 5, 361)


@pytest.mark.parametrize("enrolled", [ABSURD, int(ABSURD), 1e300, 367, "367"])
def test_more_days_enrolled_than_a_school_year_has(enrolled: Any) -> None:
    error = refused(enrolled, 5)
    assert error.field == "enrolled"
    assert error.message.startswith("Days enrolled cannot be more than 366")
    assert "enter the school days the student has been enrolled so far" in error.message


def test_the_message_quotes_a_long_number_briefly() -> None:
    assert len(refused("9" * 4000, 5).message) < 250
    error = refused(180, "9" * 4000)
    assert error.field == "absent" and "more than days enrolled (180)" in error.message and len(error.message) < 250


@pytest.mark.parametrize(("enrolled", "days_left"), [(300, 67), (1, 366), (180, ABSURD)])
def test_days_left_stay_in_the_same_school_year(enrolled: int, days_left: Any) -> None:
    error = refused(enrolled, 0, days_left)
    assert error.field == "days_left"
    assert "is more than 366" in error.message and "days left in this school year" in error.message


def test_days_enrolled_plus_days_left_may_fill_the_year() -> None:
    result = chronic.calculate(chronic.check(300, 5, 66))
    assert result["projection"]["year_end_enrolled"] == 366


@pytest.mark.parametrize(
    "body",
    [
        f"A,180,17\nB,{ABSURD},5\nC,100,9\n",  # whole numbers: the fast path must step aside
        f"A,180,17.5\nB,{ABSURD},5\nC,100,9\n",  # half days
        "A,180,17\nB,367,5\nC,100,9\n",
    ],
)
def test_a_roster_row_with_too_many_days_is_a_row_error(body: str) -> None:
    result = roster.calculate_csv("student,days enrolled,days absent\n" + body)
    assert result["rows"]["name"] == ["A", "C"]
    [error] = result["errors"]
    assert (error["row"], error["label"], error["field"]) == (3, "B", "enrolled")
    assert error["message"].endswith(refused(body.splitlines()[1].split(",")[1], 5).message)


@pytest.fixture
def bound_of_200(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    data = rules.load()
    changed = {**data, "chronic": {**data["chronic"], "readings": [
        {**r, "max_days": 200} if r["id"] == "school_year_days" else r for r in data["chronic"]["readings"]
    ]}}
    monkeypatch.setattr(rules, "load", lambda: changed)
    chronic.config.cache_clear()
    yield
    chronic.config.cache_clear()


@pytest.mark.usefixtures("bound_of_200")
def test_the_bound_comes_from_the_rules_data() -> None:
    """Change the data and both calculators follow: the code holds no day count."""
    assert refused(201, 5).message.startswith("Days enrolled cannot be more than 200")
    result = roster.calculate_csv("enrolled,absent\n180,17\n201,5\n")
    assert result["rows"]["row"] == [2] and [e["row"] for e in result["errors"]] == [3]
