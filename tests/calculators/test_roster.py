"""Roster CSV: header variants, BOM/CRLF/blank lines, row errors with row numbers, summary."""
from __future__ import annotations

from typing import Any

import pytest

from calculators import chronic, roster
from calculators.errors import InputError


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    columns = result["rows"]
    return [{key: (values[i] if values is not None else None) for key, values in columns.items()} for i in range(len(columns["row"]))]


def test_good_and_bad_rows_side_by_side() -> None:
    text = "Student,Days Enrolled,Days Absent\nA,180,17\nB,180,18\nC,180,190\nD,100,9\nE,abc,3\n"
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [2, 3, 5]
    assert result["rows"]["label"] == ["A", "B", "D"]
    assert [(e["row"], e["label"], e["field"]) for e in result["errors"]] == [(4, "C", "absent"), (6, "E", "enrolled")]
    assert "more than days enrolled" in result["errors"][0]["message"]
    assert result["summary"] == {
        "students": 3,
        "rows_with_errors": 2,
        "chronic": {"chronic_state": 1, "chronic_lausd": 3},
        "share": {"chronic_state": 33.33, "chronic_lausd": 100.0},
        "chronic_strict": {"chronic_lausd": 3},
        "bands": {"advanced": 0, "proficient": 0, "basic": 0, "below_basic": 3, "far_below_basic": 0},
    }


@pytest.mark.parametrize("fast", [True, False])
def test_bands_and_strict_reading_per_row_and_counted(fast: bool) -> None:
    """14, 15, 16 absences in 180 days: LAUSD counts 15 and 16 as chronic (Below Basic), the strict
    reading neither; the summary counts students per band. The same on the fast path (whole numbers)
    and the careful one (a quoted label)."""
    label = (lambda s: s) if fast else (lambda s: f'"{s}"')
    lines = ["label,enrolled,absent"] + [f"{label(n)},{e},{a}" for n, e, a in (
        ("A", 180, 0), ("B", 180, 7), ("C", 180, 14), ("D", 180, 15), ("E", 180, 16), ("F", 180, 24), ("G", 90, 7),
    )]
    result = roster.calculate_csv("\n".join(lines) + "\n")
    rows = result["rows"]
    assert rows["chronic_lausd"] == [False, False, False, True, True, True, False]
    assert rows["chronic_lausd_strict"] == [False, False, False, False, False, True, False]
    assert rows["band"] == ["advanced", "proficient", "basic", "below_basic", "below_basic", "far_below_basic", "basic"]
    summary = result["summary"]
    assert summary["bands"] == {"advanced": 1, "proficient": 1, "basic": 2, "below_basic": 2, "far_below_basic": 1}
    assert summary["chronic"]["chronic_lausd"] == 3 and summary["chronic_strict"] == {"chronic_lausd": 1}
    assert [b["id"] for b in result["bands"]] == list(summary["bands"])
    strict = [r for r in result["reasons"] if r["rule"] == "chronic_lausd_strict"]
    assert strict and "1 of 7 students would be chronic" in strict[0]["text"]


def test_bom_crlf_blank_lines_and_semicolons() -> None:
    text = "\ufeffName;Enrolled Days;Absences\r\n\r\nA;180;17\r\n;;\r\nB;180;16.5\r\n\r\n"
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [3, 5]  # blank line 2 and the empty row 4 are skipped
    assert result["rows"]["absent"] == [17, 16.5]
    assert result["errors"] == []
    assert result["columns"] == {"label": "Name", "enrolled": "Enrolled Days", "absent": "Absences"}


def test_no_label_column_and_extra_columns() -> None:
    result = roster.calculate_csv("grade,enrolled,absent,school\n5,180,17,X\n")
    assert result["rows"]["label"] is None
    assert result["ignored_columns"] == ["grade", "school"]
    assert result["rows"]["chronic_lausd"] == [True]


def test_quoted_fields() -> None:
    result = roster.calculate_csv('label,enrolled,absent\n"Lee, Ana",180,"17"\n')
    assert result["rows"]["label"] == ["Lee, Ana"]
    assert result["rows"]["attendance_rate"] == [90.56]


def test_short_row_is_an_error() -> None:
    result = roster.calculate_csv("label,enrolled,absent\nA,180\nB,180,2\n")
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(2, "absent")]
    assert result["rows"]["row"] == [3]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("label,absent\nA,3\n", "no enrolled column"),
        ("label,enrolled\nA,3\n", "no absent column"),
        ("enrolled,absent,days absent\n1,1,1\n", "two absent columns"),
    ],
)
def test_whole_file_errors(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        roster.calculate_csv(text)
    assert caught.value.field == "csv" and words in caught.value.message


def test_header_only_gives_an_empty_summary() -> None:
    result = roster.calculate_csv("enrolled,absent\n")
    assert result["summary"]["students"] == 0 and result["summary"]["share"]["chronic_state"] is None


@pytest.mark.parametrize("body", ["180,17\n100,9\n289,26\n", "180,17.5\n100,9\n", "180,17\n\n100,9\n"])
def test_rows_equal_the_single_calculator(body: str) -> None:
    """The fast (whole days), half-day and careful paths all give the single calculator's numbers."""
    result = roster.calculate_csv("enrolled,absent\n" + body)
    for row in rows_of(result):
        single = chronic.calculate(chronic.check(row["enrolled"], row["absent"]))
        for key in ("enrolled", "absent", "attendance_rate", "absence_rate", "chronic_state", "chronic_lausd"):
            assert row[key] == single[key], (key, row)
