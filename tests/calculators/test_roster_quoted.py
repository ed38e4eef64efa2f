"""A district export with quoted cells (a comma inside a name) or ragged rows stays on the fast path
(the file's text in blocks, split a chunk at a time) and answers exactly as the plain reading by
the csv module, one record per row: the same cells, row numbers, messages, pages and download."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from calculators import roster, roster_body, table_file
from calculators.roster_download import results_csv
from calc_helpers import as_records

# Names with a comma inside quotes, a "" escape, a quoted totals label, a quoted bad cell, a quoted
# cell a spreadsheet would run as a formula, an empty line, and a row with a comma only in quotes.
QUOTED = (
    'Student ID,Student Name,Grade,Days Enrolled,Days Absent\n'
    + "".join(f'{100 + i},"Lee{i}, A.",{"K" if i % 2 else "1"},180,{i % 40}\n' for i in range(30))
    + '200,"O""Brien, Pat",2,180,"17"\n'
    + '201,"Diaz, C.",2,180,"x, y"\n'
    + '202,"=HYPERLINK(""a,b"")",3,180,5\n'
    + '\n'
    + '"Grand Total, ",,,5400,300\n'
    + '"1, 2","Subtotal",,360,9\n'
    + '203,"Ng, Bo",3,"180",abc\n'
)


def answers(text: str, path: Path) -> dict[str, Any]:
    """Everything a user sees of one file: the whole result, the kept roster's pages (sorted by name,
    the problems), its breakdown, the CSV download, and each row's cells as a page shows them."""
    path.write_text(text, encoding="utf-8")
    table = table_file.read_path(path, "roster.csv")
    done = roster.compute_table(table)
    whole = roster.calculate_table(table_file.read_path(path, "roster.csv"))
    pages = [roster.from_input({"file": str(path), "name": "roster.csv", "view": {"sort": "name", "page_size": 500}})["view"]]
    pages.append(roster.from_input({"view": {"filter": "problems"}})["view"])
    pages.append(roster.from_input({"view": {"breakdown": "Grade"}})["breakdown"])
    return {"fast": done.rows.blocks is not None, "result": whole, "pages": pages, "download": results_csv(done),
            "cells": [done.rows.cells(i) for i in range(done.rows.count) if done.codes[i] != roster.BLANK]}


def slow(text: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The same file read as today's quoted files were: the csv module over the whole text, records."""
    with monkeypatch.context() as patch:
        patch.setattr(table_file, "unquoted", lambda blocks, delimiter: 0)
        return answers(text, path)


def test_a_quoted_file_stays_on_the_fast_path_and_answers_as_the_csv_module_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "roster.csv"
    plain = slow(QUOTED, path, monkeypatch)
    assert not plain["fast"]
    # Chunks of a few lines, blocks of a few bytes: a quote's cells in any chunk, read the same.
    for chars, read in ((1 << 20, 1 << 20), (90, 7), (20, 1)):
        monkeypatch.setattr(roster_body, "CHUNK_CHARS", chars)
        monkeypatch.setattr(table_file, "READ_BYTES", read)
        got = answers(QUOTED, path)
        assert got["fast"], chars
        assert got == {**plain, "fast": True}, chars
    result = plain["result"]
    assert result["rows"]["name"][:2] == ["Lee0, A.", "Lee1, A."] and "O\"Brien, Pat" in result["rows"]["name"]
    assert [(e["row"], e["message"].split(":")[0]) for e in result["errors"]] == [
        (33, "Row 33 (Diaz, C.), column E (“Days Absent”)"), (38, "Row 38 (Ng, Bo), column E (“Days Absent”)")]
    assert [(r["row"], r["label"]) for r in result["left_out"]] == [(36, "Grand Total,"), (37, "Subtotal")]
    assert result["left_out"][0]["cells"] == ["Grand Total, ", "", "", "5400", "300"]
    assert result["summary"]["blank_rows"] == 1
    lines = plain["download"].split("\r\n")
    assert lines[1].startswith('2,100,"Lee0, A.",1,180,0,') and lines[31].startswith('32,200,"O""Brien, Pat",2,180,17,')
    assert lines[33].startswith("""34,202,"'=HYPERLINK(""a,b"")",3,180,5,""")  # formula-safe, quoted as csv writes it


def test_a_quoted_line_break_or_unclosed_quote_late_in_the_file_reads_as_the_whole_text_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks before a quoted line break (or an unclosed quote) are kept as their records; the
    rows from there on are read by the csv module as before: every row number as in the spreadsheet."""
    path = tmp_path / "roster.csv"
    for tail in ('204,"two\nlines",3,180,4\n205,Last,3,180,6\n', '204,"open,3,180,4\n205,Last,3,180,6\n'):
        text = QUOTED + tail
        plain = slow(text, path, monkeypatch)
        for read in (1 << 20, 64, 1):
            monkeypatch.setattr(table_file, "READ_BYTES", read)
            got = answers(text, path)
            assert not got["fast"] and got == plain, read
        monkeypatch.setattr(table_file, "READ_BYTES", 1 << 20)
        assert plain["result"]["rows"]["row"][-1] == 40 and plain["result"]["rows"]["id"][-1] == "205"
    assert any(e["row"] == 39 and "never closed" in e["message"] for e in plain["result"]["errors"])


def test_ragged_rows_keep_the_fast_path_with_the_same_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row shorter than the header, one longer (its cells beyond the header kept as "Column F"),
    empty lines: only their chunk is split line by line; the answer, pages and download are those of
    the reading one record per row."""
    lines = ["Student ID,Student Name,Grade,Days Enrolled,Days Absent"]
    lines += [f"{100 + i},Pupil {i},{i % 3},180,{i % 30}" for i in range(40)]
    lines[12] = "112,Short,1,180"
    lines[25] = "125,Long,1,180,3,late note,x"
    lines[30] = ""
    lines[33] = "Total"
    text = "\n".join(lines) + "\n"
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    records = as_records(table_file.read_path(path, "roster.csv"))
    expected = roster.calculate_table(records)
    for chars in (1 << 20, 60):
        monkeypatch.setattr(roster_body, "CHUNK_CHARS", chars)
        got = answers(text, path)
        assert got["fast"]
        assert got["result"] == expected and got["download"] == results_csv(roster.compute_table(as_records(table_file.read_path(path, "roster.csv"))))
        assert got["cells"][11] == ["112", "Short", "1", "180"] and got["cells"][24][5:] == ["late note", "x"]  # as read, no cell added
    other = {c["header"]: c["values"] for c in expected["other_columns"]}
    assert other["Column F"][23] == "late note" and other["Column G"][23] == "x"
    assert [e["row"] for e in expected["errors"]] == [13] and [r["row"] for r in expected["left_out"]] == [34]
    # The same file quoted: the csv module's reading, on the fast path too.
    quoted = text.replace("Pupil 7,", '"Pupil, 7",')
    assert answers(quoted, path)["fast"] and answers(quoted, path) == {**slow(quoted, path, monkeypatch), "fast": True}


@pytest.mark.parametrize("delimiter", [";", "\t", "\x1f"])
def test_the_download_of_any_kept_text_equals_the_csv_module_cell_by_cell(delimiter: str) -> None:
    """Semicolon and tab files (a comma in a cell, no quotes) and quoted ones, written a chunk of
    lines at a time: exactly what the csv module writes from the same cells, formula-safe."""
    from calc_helpers import csv_module_download

    lines = ["Student ID;Student Name;Grade;Days Enrolled;Days Absent", "1;Lee, A.;9;180;17", "2;=SUM(1);10;180;-1",
             ";;;;", "3;Bo;@x;180;abc", "4;Cy;2;180;3", "Total;;;360;20", "5;-z;1;100;9"]
    text = "\n".join(lines).replace(";", delimiter) + "\n"
    if delimiter == "\x1f":  # the same cells quoted, comma-separated (CELL kept only between cells)
        text = "\n".join(",".join(f'"{c}"' if c else c for c in line.split(";")) for line in lines) + "\n"
    done = roster.compute_table(roster.read_text(text))
    assert done.rows.blocks is not None and done.rows.delimiter == delimiter and not done.rows.uneven
    assert results_csv(done) == csv_module_download(done)
    got = results_csv(done).split("\r\n")
    assert got[1].startswith('2,1,"Lee, A.",9,180,17,180,') and got[2].startswith("3,2,'=SUM(1),10,180,'-1,,")


def test_quotes_read_by_string_methods_read_as_the_csv_module_reads_them() -> None:
    """A block whose quotes each open or close a whole cell is read without the csv module (the
    browser's time); any block it reads is read exactly as the csv module reads it, and a block it
    leaves (a "" inside, a quote mid-cell, a quoted line break, one left open) goes to the csv module."""
    import random

    from calculators.quoted_lines import by_csv, plain_quotes

    rng = random.Random(15)
    cells = ["a", "b c", "", " ", "1,5", '"x,y"', '""', '"a""b"', '"p\nq"', '" z "', 'a"b', '"x"y', ' "q"', '"open', '",', '"\n"']
    read = 0
    for _ in range(4000):
        delimiter = rng.choice([",", ";"])
        lines = [delimiter.join(rng.choice(cells) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
        block = "\n".join(lines)
        if '"' not in block:
            continue
        fast = plain_quotes(block, delimiter)
        if fast is not None:
            read += 1
            assert fast == by_csv(block, delimiter), block
    assert read > 100  # the blocks whose quotes are all at cells' ends
    assert plain_quotes('1,"Lee, A.",K,180,4\n2,"O""Brien",1,180,x', ",") is None  # "" inside: the csv module
    assert plain_quotes('1,"Lee, A.",K,180,4\n"Total, all",,,360,9', ",") == '1\x1fLee, A.\x1fK\x1f180\x1f4\nTotal, all\x1f\x1f\x1f360\x1f9'
