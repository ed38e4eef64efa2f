"""Roster files as offices export them: headers, encodings, row numbers, totals, bad rows, columns kept."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from calculators import bridge, chronic, roster
from calculators.errors import InputError
from calculators.table_file import read_bytes
from calc_helpers import rows_of




def from_bytes(data: bytes, tmp_path: Path, name: str = "roster.csv", **extra: Any) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return roster.from_input({"file": str(path), "name": name, **extra})


def test_good_and_bad_rows_side_by_side() -> None:
    text = "Student,Days Enrolled,Days Absent\nA,180,17\nB,180,18\nC,180,190\nD,100,9\nE,abc,3\n"
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [2, 3, 5]
    assert result["rows"]["name"] == ["A", "B", "D"]
    assert [(e["row"], e["label"], e["field"], e["letter"]) for e in result["errors"]] == [(4, "C", "absent", "C"), (6, "E", "enrolled", "B")]
    assert result["errors"][0]["message"].startswith("Row 4 (C), column C (“Days Absent”): ")
    assert "more than days enrolled" in result["errors"][0]["message"]
    summary = result["summary"]
    assert (summary["students"], summary["rows_with_errors"], summary["chronic"]) == (3, 2, {"chronic_state": 1, "chronic_lausd": 3})
    assert summary["share"] == {"chronic_state": 33.33, "chronic_lausd": 100.0}
    assert summary["chronic_strict"] == {"chronic_lausd": 3}
    assert summary["bands"] == {"advanced": 0, "proficient": 0, "basic": 0, "below_basic": 3, "far_below_basic": 0}


@pytest.mark.parametrize("quoted", [False, True])
def test_bands_and_strict_reading_per_row_and_counted(quoted: bool) -> None:
    """14, 15, 16 absences in 180 days: LAUSD counts 15 and 16 as chronic (Below Basic), the strict
    reading neither; the summary counts students per band, with or without quotes."""
    label = (lambda s: f'"{s}"') if quoted else (lambda s: s)
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
    single = chronic.calculate(chronic.check("180", "15"))
    assert single["band"]["id"] == rows["band"][3]


def test_the_exports_the_issue_names() -> None:
    """ID and name both kept; Days in Membership / Total Absences; Days Present + Days Absent."""
    both = roster.calculate_csv("Student ID,Student Name,Days Enrolled,Days Absent\n1001,A. Lee,180,17\n")
    assert both["rows"]["id"] == ["1001"] and both["rows"]["name"] == ["A. Lee"]
    membership = roster.calculate_csv("Perm ID,Days in Membership,Total Absences\n7,180,18\n")
    assert membership["columns"] == {"id": "Perm ID", "enrolled": "Days in Membership", "absent": "Total Absences"}
    assert membership["rows"]["chronic_state"] == [True]
    present = roster.calculate_csv("Name,Days Present,Days Absent\nA,163,17\nB,162.5,17.5\n")
    assert present["rows"]["enrolled"] == [180, 180] and present["rows"]["absent"] == [17, 17.5]
    assert present["rows"]["present"] == ["163", "162.5"]
    assert any("present" in note and "plus days absent" in note for note in present["notes"])


def test_title_rows_above_the_header_are_skipped_and_reported() -> None:
    text = "Attendance by student,,,\nSchool: Lincoln HS,,,\n\nStudent ID,Name,Days Enrolled,Days Absent\n1,A,180,17\n"
    result = roster.calculate_csv(text)
    assert result["header_row"] == 4 and result["rows"]["row"] == [5]
    assert [t["row"] for t in result["title_rows"]] == [1, 2]
    assert "row 4" in result["notes"][0] and "Attendance by student" in result["notes"][0]


def test_totals_and_subtotals_are_left_out_with_a_message() -> None:
    text = "Student,Grade,Enrolled,Absent\nA,5,180,17\nB,5,180,18\nSubtotal,5,360,35\nC,6,100,9\n,Grand Total,460,44\n"
    result = roster.calculate_csv(text)
    assert result["rows"]["name"] == ["A", "B", "C"] and result["summary"]["students"] == 3
    assert [(r["row"], r["label"]) for r in result["left_out"]] == [(4, "Subtotal"), (6, "Grand Total")]
    assert "left out of the counts" in result["left_out"][0]["message"]
    assert result["errors"] == []


def test_every_other_column_and_values_beyond_the_header_are_kept() -> None:
    text = "student,grade,enrolled,absent,school\nA,5,180,17,X\nB,6,180,3,Y,late note\n"
    result = roster.calculate_csv(text)
    other = {c["header"]: c["values"] for c in result["other_columns"]}
    assert other == {"grade": ["5", "6"], "school": ["X", "Y"], "Column F": ["", "late note"]}
    assert any("column F" in note for note in result["notes"])


def test_row_numbers_equal_the_spreadsheet_rows() -> None:
    """A quoted line break, U+2028, NEL and a form feed inside a cell never start a new row."""
    text = 'name,enrolled,absent\n"two\nlines",180,17\nA\u2028B,180,1\nC\x85D,180,2\nE\x0cF,180,3\n\n"G",180,bad\n'
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [2, 3, 4, 5]
    assert result["rows"]["name"] == ["two\nlines", "A\u2028B", "C\x85D", "E\x0cF"]
    assert [e["row"] for e in result["errors"]] == [7]


def test_an_unclosed_quote_is_named_with_its_row_and_the_rest_still_computes() -> None:
    text = 'name,enrolled,absent\nA,180,17\n"B,180,17\nC,180,3\nD,100,9\n'
    result = roster.calculate_csv(text)
    assert result["rows"]["name"] == ["A", "C", "D"] and result["rows"]["row"] == [2, 4, 5]
    [error] = result["errors"]
    assert error["row"] == 3 and "quote" in error["message"] and "never closed" in error["message"]


def test_blank_rows_are_counted_but_skipped() -> None:
    text = "\ufeffName;Enrolled Days;Absences\r\n\r\nA;180;17\r\n;;\r\nB;180;16.5\r\n\r\n"
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [3, 5]
    assert result["rows"]["absent"] == [17, 16.5]
    assert result["errors"] == [] and result["summary"]["blank_rows"] == 3  # rows 2, 4 and 6


def test_short_row_names_the_empty_column() -> None:
    result = roster.calculate_csv("label,enrolled,absent\nA,180\nB,180,2\n")
    [error] = result["errors"]
    assert (error["row"], error["field"]) == (2, "absent")
    assert error["message"] == "Row 2 (A), column C (“absent”): Days absent is empty: enter a number of days, like 17 or 17.5."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("label,absent\nA,3\n", "no enrolled column"),
        ("label,enrolled\nA,3\n", "no absent column"),
    ],
)
def test_whole_file_errors(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        roster.calculate_csv(text)
    assert caught.value.field == "csv" and words in caught.value.message


def test_two_candidate_columns_use_the_first_and_say_so() -> None:
    result = roster.calculate_csv("enrolled,absent,total absences\n180,17,3\n")
    assert result["columns"]["absent"] == "absent"
    assert any("Two columns could be days absent" in n for n in result["notes"])


def test_the_column_step_proposes_and_the_chosen_columns_are_used() -> None:
    text = "Pupil,Possible,Missed,Grade\nA,180,17,5\nB,180,2,6\n"
    step = roster.from_input({"csv": text, "step": "columns"})
    assert step["step"] == "columns" and step["headers"] == ["Pupil", "Possible", "Missed", "Grade"]
    assert step["columns"] == {"name": "Pupil"} and "no enrolled column" in step["missing"]
    assert step["sample"][0] == ["A", "180", "17", "5"] and step["data_rows"] == 2
    with pytest.raises(InputError):
        roster.from_input({"csv": text})
    result = roster.from_input({"csv": text, "columns": {"name": "Pupil", "enrolled": "Possible", "absent": "Missed"}})
    assert result["rows"]["chronic_lausd"] == [True, False]
    with pytest.raises(InputError) as caught:
        roster.from_input({"csv": text, "columns": {"enrolled": "Nope", "absent": "Missed"}})
    assert caught.value.field == "columns" and "“Nope”" in caught.value.message


def test_header_only_gives_an_empty_summary_without_null_percent() -> None:
    result = roster.calculate_csv("enrolled,absent\n")
    assert result["summary"]["students"] == 0 and result["summary"]["share"]["chronic_state"] is None
    assert "0 of 0 students" in result["reasons"][0]["text"]
    one = roster.calculate_csv("enrolled,absent\n180,17\n")
    assert "of 1 student." in one["reasons"][0]["text"]


@pytest.mark.parametrize("body", ["180,17\n100,9\n289,26\n", "180,17.5\n100,9\n", "180,17\n\n100,9\n", '"180",17\n100,"9.5"\n'])
def test_rows_equal_the_single_calculator(body: str) -> None:
    result = roster.calculate_csv("enrolled,absent\n" + body)
    for row in rows_of(result):
        single = chronic.calculate(chronic.check(row["enrolled"], row["absent"]))
        for key in ("enrolled", "absent", "attendance_rate", "absence_rate", "chronic_state", "chronic_lausd"):
            assert row[key] == single[key], (key, row)


@pytest.mark.parametrize("value", ["1.50000000000000001", "17.0000000000000000001", "1e1", "1_0", "١٧", "inf"])
@pytest.mark.parametrize("quoted", [False, True])
def test_a_value_is_read_as_the_single_calculator_reads_it(value: str, quoted: bool) -> None:
    """The issue's case: 1.50000000000000001 was 1.5 in an unquoted roster, refused elsewhere."""
    cell = f'"{value}"' if quoted else value
    result = roster.calculate_csv(f"enrolled,absent\n180,{cell}\n180,{cell}\n100,9\n")
    try:
        single: Any = chronic.calculate(chronic.check("180", value))
    except InputError as exc:
        single = exc
    if isinstance(single, InputError):
        assert [e["row"] for e in result["errors"]] == [2, 3]
        assert result["errors"][0]["message"].endswith(single.message)
    else:
        assert result["rows"]["absent"][:2] == [single["absent"]] * 2


def test_the_near_filter_and_days_that_can_be_missed() -> None:
    result = roster.calculate_csv("enrolled,absent\n180,16\n180,14\n180,18\n180,12\n")
    single = chronic.calculate(chronic.check("180", "16"))
    assert result["rows"]["days_can_miss"][0] == min(d["days_can_miss"] for d in single["definitions"] if not d["chronic"])
    # 16 of 180: 2 more days make 18 (10%, state); 14 of 180: 1 more is 91% in whole percent (LAUSD);
    # 18 of 180 is chronic under both, so no line is left to be near.
    assert result["rows"]["near"] == [True, True, False, False]


# --- Files: encodings, binary, .xlsx -----------------------------------------------------------------


def test_windows_1252_and_utf16_files_are_read_and_named(tmp_path: Path) -> None:
    text = "Student Name,Días inscritos,Days Absent,Enrolled\nJosé Núñez,x,17,180\n"
    cp = from_bytes(text.encode("cp1252"), tmp_path)
    assert cp["encoding"] == "Windows-1252" and cp["rows"]["name"] == ["José Núñez"]
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        result = from_bytes(text.replace(",", "\t").encode(codec), tmp_path)
        assert result["encoding"] == "UTF-16" and result["rows"]["name"] == ["José Núñez"], codec
    assert from_bytes(text.encode("utf-8"), tmp_path)["encoding"] == "UTF-8"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bytes(range(256)) * 100, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel workbook (.xls)"),
        (b"PK\x03\x04not really a zip", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_text_get_a_clear_message(data: bytes, words: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        from_bytes(data, tmp_path)
    assert caught.value.field == "file" and words in caught.value.message


def test_xlsx_is_read_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    import openpyxl  # pinned in requirements.lock: missing, the test fails (never skips)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Attendance 2024-25"])
    sheet.append([])
    sheet.append(["Student ID", "Student Name", "Grade", "Days Enrolled", "Days Absent"])
    sheet.append([1001, "A. Lee", 5, 180, 17])
    sheet.append([1002, "B. Cruz", 5, 180.0, 17.5])
    sheet.cell(row=7, column=1, value=1003)  # row 6 left empty
    for column, value in enumerate(["C. Diaz", 6, 100, "abc"], start=2):
        sheet.cell(row=7, column=column, value=value)
    sheet.append(["Total", None, None, 460, 44])
    buffer = io.BytesIO()
    book.save(buffer)
    result = from_bytes(buffer.getvalue(), tmp_path, "roster.xlsx")
    assert result["encoding"] == "xlsx" and result["header_row"] == 3
    assert result["rows"]["row"] == [4, 5] and result["rows"]["id"] == ["1001", "1002"]
    assert result["rows"]["absent"] == [17, 17.5]
    assert [(e["row"], e["letter"]) for e in result["errors"]] == [(7, "E")]
    assert [r["row"] for r in result["left_out"]] == [8]
    assert {c["header"]: c["values"] for c in result["other_columns"]} == {"Grade": ["5", "5"]}


def test_the_bridge_reports_progress_and_keeps_row_errors_in_the_result() -> None:
    seen: list[float] = []
    response = json.loads(bridge.handle(json.dumps({"calculator": "roster", "input": {"csv": "enrolled,absent\n10,20\n"}}), lambda f, _s: seen.append(f)))
    assert response["ok"] and response["result"]["errors"][0]["row"] == 2
    assert seen == sorted(seen) and len(seen) >= 3


def test_a_file_read_directly_equals_the_same_text(tmp_path: Path) -> None:
    text = "student,days enrolled,days absent\nA,180,17\n"
    assert from_bytes(text.encode(), tmp_path)["rows"] == roster.calculate_csv(text)["rows"]
    table = read_bytes(text.encode())
    assert len(table) == 2


def test_a_file_read_a_few_bytes_at_a_time_reads_as_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A text file is read and decoded READ_BYTES at a time (its bytes never held whole): a
    character, a CR LF or a byte order mark cut between two reads, a blank line, the Windows-1252
    fallback found late in the file, and the byte named in an encoding error are as for the whole."""
    from calculators import table_file

    text = "Name,Days Enrolled,Days Absent\r\nJosé Ñúñez,180,17\r\nZoë Ågren,180,20\rBo,170,3\n\nLast,100,1\r\n"
    cases = [
        text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), (text + "Ünal 😀,90,2").encode("utf-8"),
        text.encode("utf-16"), text.encode("utf-16-be"), text.encode("cp1252"), text.encode("cp1252") + b"\x81,1,1\n",
        text.replace("\r\n", "\n").encode("utf-8") + b'"Quoted, name",180,4\n', b"\n", b"", b"\r",
    ]
    # As the whole text was always read: CR LF and CR are line breaks, the last one ends the last row.
    assert [len(read_bytes(d)) for d in (b"", b"\n", b"\r", b"\r\n", b"\n\n", b"a\r\n", b"a")] == [0, 0, 0, 0, 2, 1, 1]
    assert [read_bytes(text.encode()).row(i)[0] for i in range(6)] == ["Name", "José Ñúñez", "Zoë Ågren", "Bo", "", "Last"]
    path = tmp_path / "roster.csv"
    for data in cases:
        whole = read_bytes(data)
        path.write_bytes(data)
        for size in (1, 2, 3, 7, 1 << 20):
            monkeypatch.setattr(table_file, "READ_BYTES", size)
            got = table_file.read_path(path, "roster.csv")
            assert (got.encoding, len(got)) == (whole.encoding, len(whole)), (data, size)
            assert [got.row(i) for i in range(len(got))] == [whole.row(i) for i in range(len(whole))], (data, size)
    assert read_bytes(text.encode("cp1252") + b"\x81").encoding == "Windows-1252"
    bad = [b"\xef\xbb\xbf" + "Name,Days Enrolled,Days Absent\nJosé,180,1\n".encode("utf-8") + b"\xff,1,1\n",
           "\ufeffName,Days Enrolled,Days Absent\nJosé,180,1\n".encode("utf-16-le") + b"\x00\xd8A\x00"]
    for data in bad:
        with pytest.raises(InputError) as whole_error:
            read_bytes(data, "roster.csv")
        path.write_bytes(data)
        for size in (1, 3, 1 << 20):
            monkeypatch.setattr(table_file, "READ_BYTES", size)
            with pytest.raises(InputError) as caught:
                table_file.read_path(path, "roster.csv")
            assert caught.value.message == whole_error.value.message and "byte " in caught.value.message, size
