"""The roster the page keeps in Python: pages, sorts, filters, breakdowns, downloads, and the fast
paths a district file takes giving the same answers as the plain reading."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from calculators import chronic, roster
from calculators.errors import InputError


from calc_helpers import as_records, csv_module_download, rows_of


# --- The page's path: the roster kept in Python, asked for pages, sorts, filters, breakdowns --------

SCHOOL = (
    "Student ID,Student Name,Grade,Days Enrolled,Days Absent\n"
    + "".join(f"{100 + i},S{i:02d},{3 + i % 3},180,{i}\n" for i in range(30))
    + "200,Bad,3,180,x\nTotal,,,5400,435\n"
)


def kept(text: str = SCHOOL, **view: Any) -> dict[str, Any]:
    return roster.from_input({"csv": text, "view": view})


def ask(**view: Any) -> dict[str, Any]:
    return roster.from_input({"view": view})


def test_the_page_gets_the_summary_and_one_page_never_every_row() -> None:
    full = roster.calculate_csv(SCHOOL)
    page = kept(page_size=10)
    assert page["rows"] is None and "values" not in page["other_columns"][0]
    assert page["summary"] == full["summary"] and page["reasons"] == full["reasons"]
    view = page["view"]
    assert (view["total"], view["pages"], view["first"]) == (32, 4, 1)
    assert [r["row"] for r in view["rows"]] == list(range(2, 12))
    # Each row's results are the full result's (and so the single calculator's).
    first = view["rows"][0]
    assert first["cells"] == ["100", "S00", "3", "180", "0"] and first["kind"] == "student"
    for key in ("enrolled", "absent", "attendance_rate", "chronic_lausd", "chronic_state", "band", "days_can_miss", "near"):
        assert [r["results"][key] for r in view["rows"]] == full["rows"][key][:10], key


def test_sorting_filtering_and_paging_the_kept_roster() -> None:
    kept()
    lowest = ask(sort="attendance_rate", page_size=3)["view"]["rows"]
    assert [r["cells"][1] for r in lowest] == ["S29", "S28", "S27"]
    highest = ask(sort="attendance_rate", descending=True, page_size=3)["view"]["rows"]
    assert [r["cells"][1] for r in highest] == ["S00", "S01", "S02"]
    # Rows without a rate (the bad row, the totals row) come last, whichever the direction.
    last = ask(sort="attendance_rate", descending=True, page=3, page_size=10)["view"]["rows"]
    assert [r["kind"] for r in last] == ["error", "left_out"]
    by_name = ask(sort="name", descending=True, page_size=2)["view"]["rows"]
    assert [r["cells"][1] for r in by_name] == ["S29", "S28"]
    chronic_rows = ask(filter="chronic", page_size=500)["view"]
    expected = [i for i in range(30) if i * 100 >= 10 * 180 or (180 - i) * 100 // 180 <= 91]
    assert [r["cells"][1] for r in chronic_rows["rows"]] == [f"S{i:02d}" for i in expected]
    assert all(r["results"]["chronic_any"] for r in chronic_rows["rows"])
    near = ask(filter="near", page_size=500)["view"]["rows"]
    assert [r["cells"][4] for r in near] == ["13", "14", "16", "17"]
    problems = ask(filter="problems")["view"]["rows"]
    assert [(r["row"], r["kind"]) for r in problems] == [(32, "error"), (33, "left_out")]
    assert "column E" in problems[0]["message"] and "totals row" in problems[1]["message"]
    assert ask(page=99, page_size=10)["view"]["page"] == 3  # past the end: the last page
    grades = ask(sort="column-C", page_size=500)["view"]["rows"]
    assert [r["cells"][2] for r in grades][:11] == ["3"] * 11  # 10 students and the bad row of grade 3


def test_the_breakdown_is_counted_in_python_for_the_cli_and_the_page() -> None:
    full = roster.from_input({"csv": SCHOOL, "breakdown": "Grade"})
    groups = {g["value"]: g for g in full["breakdown"]["groups"]}
    assert list(groups) == ["3", "4", "5"]  # the totals row (no grade) is no student, so no blank group
    assert sum(g["students"] for g in groups.values()) == full["summary"]["students"] == 30
    rows = rows_of(full)
    grades = full["other_columns"][0]["values"]
    for grade, group in groups.items():
        mine = [r for r, g in zip(rows, grades) if g == grade]
        assert group["students"] == len(mine)
        assert group["chronic"] == {d: sum(r[d] for r in mine) for d in ("chronic_state", "chronic_lausd")}
        assert group["near"] == sum(r["near"] for r in mine)
        assert sum(group["bands"].values()) == len(mine)
    kept()
    assert ask(breakdown="C")["breakdown"] == full["breakdown"]  # the page asks by column letter
    with pytest.raises(InputError) as caught:
        ask(breakdown="Nope")
    assert caught.value.field == "breakdown" and "“Grade”" in caught.value.message


def test_the_download_has_every_input_column_and_the_results(tmp_path: Path) -> None:
    text = 'student,grade,enrolled,absent\n"=HYPERLINK(""x"")",5,180,3\nB,@SUM(1),180,17\nC,6,180,abc\n\n'
    kept(text)
    path = tmp_path / "out.csv"
    answer = ask(download="csv", path=str(path))["download"]
    assert answer["rows"] == 3 and answer["name"].endswith(".csv")
    import csv as csvlib
    table = list(csvlib.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["Row"] for r in table] == ["2", "3", "4"]
    assert table[0]["student"].startswith("'=") and table[1]["grade"] == "'@SUM(1)"
    assert table[1]["Chronic: LAUSD definition"] == "yes" and table[1]["LAUSD band"] == "Below Basic"
    assert table[1]["Attendance rate (%)"] == "90.56" and table[2]["absent"] == "abc" and "column D" in table[2]["Problem"]


def test_the_excel_download_opens_with_the_same_cells(tmp_path: Path) -> None:
    import openpyxl  # pinned in requirements.lock: missing, the test fails (never skips)
    kept()
    path = tmp_path / "out.xlsx"
    ask(download="xlsx", path=str(path))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["Row", "Student ID", "Student Name", "Grade", "Days Enrolled", "Days Absent"]
    assert rows[1][0] == 2 and rows[1][2] == "S00" and len(rows) == 33


def test_a_view_without_a_kept_roster_or_with_a_bad_field_is_explained() -> None:
    from calculators import roster_view

    roster_view._held = None
    with pytest.raises(InputError) as caught:
        ask(page=0)
    assert caught.value.field == "view" and "choose the file again" in caught.value.message
    kept()
    for view, field in (({"filter": "odd"}, "view.filter"), ({"sort": "nope"}, "view.sort"), ({"page": -1}, "view.page"), ({"colour": 1}, "view.colour")):
        with pytest.raises(InputError) as caught:
            ask(**view)
        assert caught.value.field == field, view


def test_the_auto_step_computes_when_the_columns_are_clear_and_asks_when_not() -> None:
    clear = roster.from_input({"csv": SCHOOL, "step": "auto", "view": {}})
    assert clear["summary"]["students"] == 30 and clear["column_step"]["confident"]
    assert clear["column_step"]["columns"]["absent"] == "Days Absent"
    doubtful = roster.from_input({"csv": "enrolled,absent,total absences\n180,17,3\n", "step": "auto"})
    assert doubtful["step"] == "columns" and not doubtful["confident"]
    missing = roster.from_input({"csv": "Pupil,Possible,Missed\nA,180,17\n", "step": "auto"})
    assert missing["step"] == "columns" and missing["missing"]


def test_a_new_roster_replaces_the_kept_one_before_it_is_read() -> None:
    from calculators import roster_view

    kept()
    with pytest.raises(InputError):
        roster.from_input({"csv": "", "view": {}})  # an empty file: refused, and the last roster let go
    assert roster_view._held is None
    with pytest.raises(InputError) as caught:
        ask(page=0)
    assert caught.value.field == "view"


def test_each_pairs_results_equal_the_plain_reading_of_the_rules() -> None:
    """The roster's pair results (rules looked up once) equal chronic.rates, is_chronic, chronic_at
    and Bands.of on every (enrolled, absent) pair a school year holds, value and type."""
    from calculators.roster_compute import _pair_results, pair_results

    cfg = chronic.config()
    per_day = int(1 / cfg.step)
    fast = pair_results(cfg, per_day)
    for e in range(per_day, (cfg.max_days + 1) * per_day, per_day):
        for a in range(e + 1):
            got, plain = fast(e, a), _pair_results(e, a, cfg, per_day)
            assert got == plain and list(map(type, got)) == list(map(type, plain)), (e, a)


def test_a_file_split_in_chunks_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are split into cells a chunk at a time: rows, totals and bad rows in any chunk keep their
    spreadsheet row numbers, and the answer is the same as one chunk's."""
    from calculators import roster_body

    lines = ["Student ID,Student Name,Grade,Days Enrolled,Days Absent"]
    for i in range(40):
        absent = "abc" if i % 7 == 3 else "190" if i == 20 else str(i % 30)
        lines.append(f"{100 + i},Pupil {i},{i % 3},180,{absent}")
    lines.insert(30, "Total,,,5400,300")
    text = "\n".join(lines) + "\n"
    whole = roster.calculate_csv(text)
    monkeypatch.setattr(roster_body, "CHUNK_ROWS", 4)
    # A text file is chunked by characters (whole lines): a few lines, one, or lines longer than a chunk.
    for chars in (70, 40, 10):
        monkeypatch.setattr(roster_body, "CHUNK_CHARS", chars)
        done = roster.compute_table(roster.read_text(text))
        assert done.rows.blocks is not None and len(done.rows.spans) > 5
        assert roster.calculate_csv(text) == whole, chars
        assert roster.calculate_csv(text.replace('Pupil 1,', '"Pupil 1",')) == whole, chars  # quoted: records, CHUNK_ROWS
        assert [done.rows.cells(i) for i in range(done.rows.count)] == [line.split(",") for line in lines[1:]]
    assert [e["row"] for e in whole["errors"]] == [5, 12, 19, 22, 26, 34, 41]
    assert whole["errors"][3]["message"].startswith("Row 22 (Pupil 20), column E (“Days Absent”): ")
    assert [r["row"] for r in whole["left_out"]] == [31]
    assert whole["rows"]["row"][:3] == [2, 3, 4] and len(whole["rows"]["row"]) == 40 - 7


def test_a_file_with_empty_lines_stays_on_the_fast_path_with_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty line (a blank row, as exports end or separate their rows) is a row of empty cells:
    the file is still split a chunk at a time (not one record per row) and answers exactly as the
    reading of its lines one record per row does (rows of unequal width), blank rows counted, every
    row number kept."""
    from calculators import roster_body

    text = "\nStudent ID,Student Name,Grade,Days Enrolled,Days Absent\n\n1,Ann,9,180,17\n\n\n2,Bo,9,180,abc\n3,Cy,10,180,2\n\n"
    for chars in (1 << 20, 12):
        monkeypatch.setattr(roster_body, "CHUNK_CHARS", chars)
        done = roster.compute_table(roster.read_text(text))
        assert done.rows.blocks is not None
        fast = roster.calculate_csv(text)
        assert roster.compute_table(as_records(roster.read_text(text))).rows.blocks is None
        assert roster.calculate_table(as_records(roster.read_text(text))) == fast
    result = roster.calculate_csv(text)
    assert result["rows"]["row"] == [4, 8] and [e["row"] for e in result["errors"]] == [7]
    assert result["summary"]["blank_rows"] == 4  # rows 3, 5, 6 and 9 (the last line break ends row 9)


def test_text_columns_sort_in_natural_order_on_the_fast_path_too() -> None:
    """A text column with numbers in it sorts as a person sorts it ("Grade 9" before "Grade 10",
    case ignored); the fast string keys give `_natural`'s order on any such texts."""
    import random

    from calculators.roster_view import _natural, _text_order

    rng = random.Random(15)
    alphabet = ["a", "B", "z", " ", "-", "é", "É", "0", "1", "2", "9", "00", "10", "ß", "_"]
    for _ in range(200):
        values = list({"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(40)})
        keys = {tuple(_natural(v)) for v in values}
        if len(keys) < len(values):  # equal in the natural order ("007" and "7"): either order is right
            continue
        rank = _text_order(values)
        assert sorted(values, key=rank.__getitem__) == sorted(values, key=_natural), values
    grades = ["Grade 10", "grade 9", "Grade 1", "Kinder", "Grade 11A", "Grade 11"]
    assert sorted(grades, key=_text_order(grades).__getitem__) == ["Grade 1", "grade 9", "Grade 10", "Grade 11", "Grade 11A", "Kinder"]
    odd = ["x\t2", "x\t10", "n" + "9" * 40, "n" + "1" + "0" * 40]  # control characters, a long number: _natural itself
    assert sorted(odd, key=_text_order(odd).__getitem__) == sorted(odd, key=_natural)


def test_the_csv_download_written_by_lines_equals_the_csv_module_cell_by_cell() -> None:
    """A comma-separated file is written a chunk of lines at a time; every row (students, bad rows,
    totals, blank rows left out, cells a spreadsheet would run as formulas) is exactly what the csv
    module writes from the same cells, formula-safe."""
    from calculators.roster_download import results_csv

    text = ("Student ID,Student Name,Grade,Days Enrolled,Days Absent\n1,=HYPERLINK(1),9,180,17\n2,Ann,10,180,-1\n,,,,\n"
            "3,+x,@y,180,abc\n4,Bo,\t1,180,3\nTotal,,,360,20\n5,-z,1,100,9\n6,Cy,2,180,40\n")
    done = roster.compute_table(roster.read_text(text))
    assert done.rows.blocks is not None  # the text path (a row of empty cells is as wide as the header)
    assert results_csv(done) == csv_module_download(done)
    lines = results_csv(done).split("\r\n")
    assert lines[1].startswith("2,1,'=HYPERLINK(1),9,180,17,") and lines[6].startswith("8,5,'-z,1,100,9,")
    assert len(lines) == 1 + 7 + 1  # header, every row but the blank one, the final line break


def test_a_roster_let_go_is_freed_at_once_not_by_the_cyclic_collector() -> None:
    """The kept roster is let go before the next file is read (release), and nothing holds it then:
    the explanation of its bad rows keeps no traceback, whose frames would keep every local of the
    computation alive until the collector ran (in the browser, two district files in a heap that
    never shrinks). Checked with the collector paused, as it is while a roster is computed."""
    import gc
    import weakref

    from calculators import roster_view

    text = "Student,Days Enrolled,Days Absent\nA,180,17\nB,180,abc\nC,90,200\n"
    enabled = gc.isenabled()
    gc.disable()
    try:
        roster.from_input({"csv": text, "view": {}})
        kept = weakref.ref(roster_view.held())
        roster_view.release()
        assert kept() is None
    finally:
        if enabled:
            gc.enable()
