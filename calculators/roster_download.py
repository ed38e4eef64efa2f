"""The download of a computed roster (CSV, Excel): every row but blank ones, in row order, with
the file's cells as read, then the results or the problem; formula-safe."""
from __future__ import annotations

import csv
import io
import re
from operator import methodcaller
from typing import Any

from .errors import InputError
from .roster_compute import BLANK, PROBLEM, Computed

DOWNLOADS = ("csv", "xlsx")

# Spreadsheet programs run a cell starting with one of these as a formula (a leading ' keeps it text).
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def download_header(done: Computed) -> list[str]:
    return ["Row", *done.headers, "Days enrolled (computed)", "Attendance rate (%)", "Absence rate (%)",
            *(f"Chronic: {d.name}" for d in done.cfg.definitions), "LAUSD band", "Days that can still be missed", "Problem"]


def _results_cells(done: Computed) -> list[list[Any]]:
    """Per code, the result cells of the download; the last entries are for problem rows."""
    at = {name: done.position(name) for name in done.fields}
    names = {band.id: band.name for band in done.cfg.bands.items}
    out = []
    for values in done.results:
        out.append([values[at["enrolled"]], values[at["attendance_rate"]], values[at["absence_rate"]],
                    *("yes" if values[at[d.id]] else "no" for d in done.cfg.definitions),
                    names[values[at["band"]]], "" if values[at["days_can_miss"]] is None else values[at["days_can_miss"]]])
    return out


def safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: a leading ' keeps =, +, -, @ text."""
    text = "" if value is None else str(value)
    return "'" + text if FORMULA_START.match(text) else text


def download_rows(done: Computed) -> Any:
    """Every row but blank ones, in row order: the file's cells, then the results or the problem."""
    width = len(done.headers)
    results = _results_cells(done)
    empty = [""] * (len(results[0]) if results else 5 + len(done.cfg.definitions))
    for index, (code, cells) in enumerate(zip(done.codes, done.rows.all_cells())):
        if code == BLANK:
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        if code == PROBLEM:
            problem = done.problems[index]
            yield [problem["row"], *cells, *empty, problem["message"]]
        else:
            yield [done.first_row + index, *cells, *results[code], ""]
    # Rows the reader could not place (an unclosed quote above the header) come last.
    placed = {id(p) for p in done.problems.values()}
    for problem in done.errors:
        if problem.get("field") == "csv" and id(problem) not in placed:
            yield [problem["row"], *[""] * width, *empty, problem["message"]]


def _safe_row(row: list[Any]) -> list[str]:
    return list(map(safe, row))


def write_csv(done: Computed, out: Any) -> None:
    """The CSV download into `out`. A text file kept as blocks (what a district export is) is written
    a chunk of lines at a time: a student's row is its cells written as CSV (a comma-separated line
    without quotes is that already; other lines by the csv module, a chunk at once) between its row
    number and its results' cells (written once per distinct result), exactly what the csv module
    writes for those cells; rows with a problem or a cell a spreadsheet would run as a formula go
    through the csv module one by one."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_safe_row(download_header(done)))
    rows = done.rows
    if rows.blocks is None or any(e.get("field") == "csv" for e in done.errors):
        writer.writerows(map(_safe_row, download_rows(done)))
        return
    result_cells = _results_cells(done)
    results_text = []
    for cells in result_cells:
        text = io.StringIO()
        csv.writer(text, lineterminator="").writerow(_safe_row([*cells, ""]))
        results_text.append(text.getvalue())
    empty = [""] * (len(result_cells[0]) if result_cells else 5 + len(done.cfg.definitions))
    line_of = "{},{},{}\r\n".format
    delimiter, stride = rows.delimiter, rows.stride
    # A line holding a cell that starts as a formula would (found in the cells as read).
    formula_in_line = re.compile(f"(?:^|{re.escape(delimiter)})[=+\\-@\t]", re.MULTILINE)
    special = set(done.problems)
    at = -1
    while True:  # blank rows (left out of the download), found at C speed
        try:
            at = done.codes.index(BLANK, at + 1)
        except ValueError:
            break
        special.add(at)
    pad = [""] * stride
    for chunk, (base, lines) in enumerate(rows.line_chunks()):
        joined = "\n".join(lines)
        chunk_special = {i - base for i in special if base <= i < base + len(lines)}
        position, number = 0, 0
        for match in formula_in_line.finditer(joined):
            number += joined.count("\n", position, match.start())
            position = match.start()
            chunk_special.add(number)
        plain = delimiter == "," and chunk not in rows.uneven  # a comma-separated line without quotes, every cell
        if not plain:
            written = io.StringIO()
            split = (lambda line: (line.split(delimiter) + pad)[:stride]) if chunk in rows.uneven else methodcaller("split", delimiter)
            csv.writer(written, lineterminator="\n").writerows(map(split, lines))
            texts = written.getvalue().split("\n")
            del written
        else:
            texts = lines
        del joined
        start = 0
        for index in [*sorted(chunk_special), len(lines)]:
            if index > start:
                out.write("".join(map(line_of, range(done.first_row + base + start, done.first_row + base + index),
                                      texts[start:index], map(results_text.__getitem__, done.codes[base + start : base + index]))))
            if index < len(lines):
                code = done.codes[base + index]
                cells = lines[index].split(delimiter)
                cells += [""] * (stride - len(cells))
                if code == PROBLEM:
                    problem = done.problems[base + index]
                    writer.writerow(_safe_row([problem["row"], *cells, *empty, problem["message"]]))
                elif code != BLANK:
                    writer.writerow(_safe_row([done.first_row + base + index, *cells, *result_cells[code], ""]))
            start = index + 1


def results_csv(done: Computed) -> str:
    out = io.StringIO()
    write_csv(done, out)
    return out.getvalue()


def results_xlsx(done: Computed, path: str) -> None:
    try:
        import openpyxl
    except ImportError:
        raise InputError("view.download", "The Excel download needs the openpyxl package: install it, or download CSV.") from None
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Results")
    sheet.append(download_header(done))
    for row in download_rows(done):
        # Text stays text (a formula-looking cell is never a formula in a write-only sheet's string).
        sheet.append([value if isinstance(value, (int, float)) else safe(value) for value in row])
    book.save(path)


def download(done: Computed, kind: str, path: str | None) -> dict[str, Any]:
    assert path is not None
    if kind == "xlsx":
        results_xlsx(done, path)
        name, media = "chronic-absence-results.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            write_csv(done, out)
        name, media = "chronic-absence-results.csv", "text/csv;charset=utf-8"
    return {"path": path, "name": name, "type": media, "rows": sum(1 for code in done.codes if code != BLANK)}

