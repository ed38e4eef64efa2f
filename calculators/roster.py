"""Chronic absence for every row of a roster (CSV, text or .xlsx), with row-level errors (section XV).

Shape of the result: DESIGN.md, "Calculator inputs and results". In short: `rows` holds one array
per field (row *i* of the result is index *i* of every array), `other_columns` carries every other
input column, `errors` and `left_out` (totals rows) name their spreadsheet row and column.

This module is the entry (the bridge, the CLI); the work is in modules named by their job:
- `table_file`: the file as numbered rows of text (encodings, quotes, .xlsx);
- `roster_columns`: the header row and which column is which;
- `roster_body`: the body rows as columns of text, and the totals rows among them;
- `roster_compute`: every row's days read as the single calculator reads them, and its results;
- `roster_answer`: the summary, reasons and notes, every row spelled out, the column step;
- `roster_view`: the kept roster's pages, sorts, filters and breakdown; `roster_download`: its download.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import chronic
from .errors import InputError
from .roster_answer import SAMPLE_ROWS, columns_step, columns_step_of, other_columns, summary_counts, summary_result, to_result
from .roster_columns import COLUMN_NAMES, ROLE_NAMES, ROLES, Layout, check_choice, confident, find_layout, letter, missing_columns
from .roster_compute import BLANK, NEAR_DAYS, PROBLEM, Computed, Progress, bulk, check_row, compute, result_fields
from .table_file import Table, read_path, read_text

__all__ = [
    "BLANK", "COLUMN_NAMES", "NEAR_DAYS", "PROBLEM", "ROLE_NAMES", "ROLES", "SAMPLE_ROWS", "Computed", "Layout", "Progress",
    "calculate_csv", "calculate_table", "check_choice", "check_row", "columns_step", "columns_step_of", "compute",
    "compute_table", "confident", "find_layout", "from_input", "letter", "missing_columns", "other_columns", "read_input",
    "result_fields", "summary_counts", "summary_result", "to_result",
]


def compute_table(table: Table, chosen: Mapping[str, str] | None = None, progress: Progress | None = None) -> Computed:
    layout = find_layout(table, check_choice(chosen))
    with bulk():
        done = compute(table, layout, chronic.config(), progress)
    done.encoding = table.encoding
    return done


def calculate_table(table: Table, chosen: Mapping[str, str] | None = None, step: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    if step == "columns":
        return columns_step(table, find_layout(table, check_choice(chosen)))
    done = compute_table(table, chosen, progress)
    with bulk():
        return to_result(done)


def calculate_csv(text: str, chosen: Mapping[str, str] | None = None) -> dict[str, Any]:
    return calculate_table(read_text(text), chosen)


def read_input(data: Mapping[str, Any], progress: Progress | None = None) -> Table:
    """The table of `{"csv": "<text>"}` or `{"file": "<path>", "name": "roster.xlsx"}`."""
    if isinstance(data.get("file"), str):
        path = Path(data["file"])
        name = str(data.get("name") or path)
        if progress:
            progress(0.05, "reading")
        try:
            return read_path(path, name)
        except FileNotFoundError:
            raise InputError("file", f"{name} does not exist: give the path of the roster file.") from None
        except IsADirectoryError:
            raise InputError("file", f"{name} is a folder: give the path of the roster file.") from None
        except OSError as exc:
            raise InputError("file", f"{name} cannot be read ({exc.strerror}): check the path and permissions.") from None
        except InputError as exc:
            raise InputError("file", exc.message) from None
    text = data.get("csv")
    if not isinstance(text, str):
        raise InputError("csv", "Send the roster as text: {\"csv\": \"Student ID,Days Enrolled,Days Absent\\n...\"}.")
    return read_text(text)


INPUT_KEYS = ("csv", "file", "name", "columns", "step", "view", "breakdown")


def from_input(data: Mapping[str, Any], progress: Progress | None = None) -> dict[str, Any]:
    """The bridge and CLI entry: `{"csv": "<text>"}` or `{"file": "<path>", "name": "roster.xlsx"}`,
    with optional `"columns": {role: header}`, `"step": "columns" | "auto"`, `"breakdown":
    "<header>"` and `"view": {...}` (the page: keep the result here, answer with its summary and
    one page of rows; `{"view": {...}}` alone asks the kept result for another page, a sort, a
    filter, a breakdown or the download; calculators.roster_view)."""
    from . import roster_view  # the view imports the answer and compute modules, and this one is the entry

    if not isinstance(data, Mapping):
        raise InputError("csv", "Send the roster as {\"csv\": \"...\"} or {\"file\": \"path\"}.")
    step = data.get("step")
    if step not in (None, "columns", "auto"):
        raise InputError("step", "“step” is either absent (compute), \"columns\" (show the column step) or \"auto\" (compute when the columns are clear, else show the column step).")
    if "csv" not in data and "file" not in data and "view" in data:
        return roster_view.view_held(data["view"])
    field_name = "file" if isinstance(data.get("file"), str) else "csv"
    if "view" in data:
        roster_view.release()  # a new roster replaces the kept one: never two in memory at once
    with bulk():
        table = read_input(data, progress)
        try:
            layout = find_layout(table, check_choice(data.get("columns")))
            if step == "columns" or (step == "auto" and not confident(layout)):
                return columns_step(table, layout)
            done = compute(table, layout, chronic.config(), progress)
        except InputError as exc:
            raise InputError(field_name if exc.field == "csv" else exc.field, exc.message) from None
        done.encoding = table.encoding
        del table
        if "view" in data:
            result = roster_view.hold(done, data["view"], data.get("breakdown"))
        else:
            result = to_result(done)
            if data.get("breakdown") is not None:
                result["breakdown"] = roster_view.breakdown(done, data["breakdown"])
    if step == "auto":
        result["column_step"] = columns_step_of(done)
    return result
