"""Chronic absence for every row of a roster (CSV, text or .xlsx), with row-level errors (section XV).

Shape of the result: DESIGN.md, "Calculator inputs and results". In short: `rows` holds one array
per field (row *i* of the result is index *i* of every array), `other_columns` carries every other
input column, `errors` and `left_out` (totals rows) name their spreadsheet row and column.

Every value is read by the single calculator's own code (`chronic.check`), once per distinct pair
of cells: a roster repeats the same few hundred day counts, so a district file of a million rows
needs only a few thousand calls, and a value can never be read two ways. Bad rows cost only
themselves (no slow path for the whole file).
"""
from __future__ import annotations

import gc
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import compress, repeat
from pathlib import Path
from typing import Any

from . import chronic
from .errors import InputError
from .numbers import parse_days, show
from .reasons import Reason, reason, reading_source
from .table_file import Table, read_bytes, read_text

Progress = Callable[[float, str], None]

# Header names accepted for each column, after lower-casing and turning spaces, dashes, dots and
# slashes into underscores ("Days Enrolled" -> days_enrolled, "Student #" -> student_no).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "student_id", "student_no", "student_number", "student_num", "stu_id", "sis_id", "local_id",
           "ssid", "statewide_student_id", "perm_id", "district_id", "student_id_number", "no", "number"),
    "name": ("name", "student", "student_name", "label", "student_label", "full_name", "student_full_name",
             "last_first", "name_last_first", "last_name_first_name", "pupil", "pupil_name"),
    "enrolled": ("enrolled", "days_enrolled", "enrolled_days", "days_enroll", "enrollment_days", "days_of_enrollment",
                 "days_in_membership", "membership_days", "days_membership", "days_of_membership", "membership",
                 "total_days_enrolled", "days_possible", "possible_days"),
    "absent": ("absent", "days_absent", "absent_days", "absences", "days_absences", "total_absences",
               "total_days_absent", "absence_days", "total_absent", "days_absent_total", "days_of_absence"),
    "present": ("present", "days_present", "present_days", "days_attended", "attended", "attended_days",
                "total_days_present", "days_in_attendance", "attendance_days"),
}
ROLES = tuple(COLUMN_NAMES)
ROLE_NAMES = {"id": "student ID", "name": "student name", "enrolled": "days enrolled", "absent": "days absent", "present": "days present"}
HEADER_SEARCH_ROWS = 30  # title rows an export may put above its header
SAMPLE_ROWS = 5
NEAR_DAYS = 2  # the "within 2 days of a line" filter
# A totals or subtotal row, as exports and spreadsheets label them.
_TOTAL = re.compile(r"[ \t]*(?:grand[ \t]+|sub-?[ \t]*|school[ \t]+|class[ \t]+|grade[ \t]+|district[ \t]+)?(?:totals?|sum|average|avg|mean)\b[^\w\n]*", re.IGNORECASE)
_TOTAL_WORDS = ("tot", "sum", "av", "mean")
_TOTAL_LINE = re.compile(r"^" + _TOTAL.pattern + "$", re.IGNORECASE | re.MULTILINE)


def _normal(name: str) -> str:
    out = name.strip().strip('"').strip().lower().replace("#", "no")
    for char in " -./()":
        out = out.replace(char, "_")
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def letter(index: int) -> str:
    """The spreadsheet's column letter: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
class Layout:
    header_row: int  # 0-based index of the header in the table
    headers: list[str]
    roles: dict[str, int]  # role -> column index
    title_rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _guess_roles(cells: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    notes: list[str] = []
    for index, cell in enumerate(cells):
        normal = _normal(cell)
        for role, names in COLUMN_NAMES.items():
            if normal in names:
                if role in found:
                    notes.append(f"Two columns could be {ROLE_NAMES[role]} (“{cells[found[role]].strip()}” and “{cell.strip()}”): “{cells[found[role]].strip()}” was used; choose the other in the column step if it is the right one.")
                else:
                    found[role] = index
                break
    return found, notes


def _chosen_roles(cells: Sequence[str], chosen: Mapping[str, str]) -> dict[str, int] | None:
    """Column indexes for the user's choice of header names, or None when this row lacks one."""
    stripped = [c.strip() for c in cells]
    roles: dict[str, int] = {}
    for role, name in chosen.items():
        if not name:
            continue
        if name.strip() not in stripped:
            return None
        roles[role] = stripped.index(name.strip())
    return roles


def _check_choice(chosen: object) -> dict[str, str]:
    """role -> header text; "" means "no such column" (the user chose none)."""
    if chosen is None:
        return {}
    if not isinstance(chosen, Mapping):
        raise InputError("columns", "“columns” must map a role (id, name, enrolled, absent, present) to a header name.")
    out: dict[str, str] = {}
    for role, name in chosen.items():
        if role not in ROLES:
            raise InputError(f"columns.{role}", f"Unknown column role “{role}”: use {', '.join(ROLES)}.")
        if name is not None and not isinstance(name, str):
            raise InputError(f"columns.{role}", f"The {ROLE_NAMES[role]} column must be named by its header text.")
        out[role] = (name or "").strip()
    return out


def find_layout(table: Table, chosen: Mapping[str, str]) -> Layout:
    """Which row is the header and which column is which: the user's choice, else guessed."""
    best: tuple[int, int, dict[str, int], list[str]] | None = None  # (score, row, roles, notes)
    first_filled: int | None = None
    limit = min(len(table), HEADER_SEARCH_ROWS)
    for index in range(limit):
        cells = table.row(index)
        if not any(c.strip() for c in cells):
            continue
        if first_filled is None:
            first_filled = index
        if any(chosen.values()):
            picked = _chosen_roles(cells, chosen)
            if picked is not None:
                # Roles the choice does not mention are guessed, in columns it leaves free.
                guessed, notes = _guess_roles(cells)
                for role, column in guessed.items():
                    if role not in chosen and column not in picked.values():
                        picked[role] = column
                best = (9, index, picked, [])
                break
            continue
        roles, notes = _guess_roles(cells)
        score = ("absent" in roles) + ("enrolled" in roles or "present" in roles) * 2 + ("id" in roles or "name" in roles)
        if score >= 3:
            best = (score, index, roles, notes)
            break
        if roles and (best is None or score > best[0]):
            best = (score, index, roles, notes)
    if first_filled is None:
        raise InputError("csv", "The file is empty: the first line must be a header such as Student ID, Days Enrolled, Days Absent.")
    if any(chosen.values()) and best is None:
        names = ", ".join(f"“{n}”" for n in chosen.values() if n)
        raise InputError("columns", f"No row among the first {limit} has every chosen column ({names}): choose the columns again for this file.")
    if best is None:
        index, roles, notes = first_filled, {}, []
    else:
        _, index, roles, notes = best
    headers = [c.strip() for c in table.row(index)]
    layout = Layout(index, headers, roles, notes=notes)
    for above in range(index):
        cells = [c.strip() for c in table.row(above) if c.strip()]
        if cells:
            layout.title_rows.append({"row": above + 1, "text": " ".join(cells)[:120]})
    if layout.title_rows:
        rows = ", ".join(str(t["row"]) for t in layout.title_rows)
        layout.notes.insert(0, f"The header is row {index + 1}; row{'s' if len(layout.title_rows) > 1 else ''} {rows} above it (a title) {'were' if len(layout.title_rows) > 1 else 'was'} skipped: “{layout.title_rows[0]['text']}”.")
    return layout


def _missing(layout: Layout) -> str | None:
    roles = layout.roles
    row = f"the header is row {layout.header_row + 1}"
    if "absent" not in roles and "enrolled" not in roles and "present" not in roles:
        return f"The header has no enrolled column and no absent column ({row}): name them, e.g. Days Enrolled and Days Absent (or Days Present and Days Absent), or choose them in the column step."
    if "absent" not in roles:
        return f"The header has no absent column ({row}): name one column Days Absent, Absences or Total Absences, or choose it in the column step."
    if "enrolled" not in roles and "present" not in roles:
        return f"The header has no enrolled column ({row}): name one column Days Enrolled or Days in Membership (or give Days Present, and enrolled = present + absent), or choose it in the column step."
    return None


# --- Computing --------------------------------------------------------------------------------------


class _Rows:
    """The body of the table as columns of text (one list per column, padded with ""), split once."""

    def __init__(self, table: Table, start: int, width: int) -> None:
        self.count = max(0, len(table) - start)
        self.width = width
        self.delimiter = table.delimiter
        self.flat: list[str] | None = None
        self.records: list[list[str]] | None = None
        self.extra_width = 0
        self._columns: dict[int, list[str]] = {}
        self.totals: dict[int, list[tuple[int, str]]] | None = None  # body row -> [(column, text)], by _totals_flat
        if table.lines is not None:
            body = table.lines[start:]
            delimiter = table.delimiter or ","
            counts = set(map(str.count, body, repeat(delimiter)))
            if counts <= {width - 1}:
                # Every row has the header's width: split once, each column is a slice. The lines
                # are let go first (the cells replace them), so a district file is held once.
                joined = delimiter.join(body)
                del body
                table.release_lines()
                self.flat = joined.split(delimiter) if self.count else []
                self.totals = _totals_flat(joined, self.flat, width, delimiter)
            else:
                self.records = [line.split(delimiter) for line in body]
        else:
            assert table.records is not None
            self.records = table.records[start:]
        if self.records is not None:
            self.extra_width = max(0, max(map(len, self.records), default=0) - width)

    def column(self, index: int) -> list[str]:
        if index not in self._columns:
            if self.flat is not None:
                self._columns[index] = self.flat[index :: self.width] if index < self.width else [""] * self.count
            else:
                assert self.records is not None
                self._columns[index] = [r[index] if index < len(r) else "" for r in self.records]
        return self._columns[index]

    def cells(self, index: int) -> list[str]:
        if self.flat is not None:
            return self.flat[index * self.width : (index + 1) * self.width]
        assert self.records is not None
        return list(self.records[index])


def check_row(first: str, absent: str, present: bool) -> chronic.Days:
    """One row's day counts, read and checked exactly as the single calculator reads them
    (`chronic.check`); with days present, days enrolled = present + absent."""
    if not present:
        return chronic.check(first, absent)
    days_present = parse_days(first, "present", "Days present", "163")
    days_absent = parse_days(absent, "absent", "Days absent")
    if days_present < 0:
        raise InputError("present", f"Days present cannot be negative (it was {first.strip()}): enter 0 or more.")
    total = days_present + days_absent
    if total.denominator != 1:
        raise InputError("present", f"Days present plus days absent must be whole school days (here {show(total)}): enter days present in whole or half days so the two add up to whole days.")
    try:
        return chronic.check(str(total), absent)
    except InputError as exc:
        if exc.field == "enrolled":
            raise InputError("present", f"Days present plus days absent are the days enrolled ({show(total)}): {exc.message}") from None
        raise


_KEY = 1 << 12  # above the most absence steps a school year holds (366 days of 2 half days)
_REFUSED = -(1 << 40)
PROBLEM = -1  # a row's code: a row with an error, or a totals row (listed, not counted)
BLANK = -2  # a blank line or a row of empty cells


def _nonnegative(days: Fraction) -> Fraction:
    if days < 0:
        raise InputError("present", "negative")
    return days


def _steps_map(texts: Sequence[str], read: Callable[[str], Fraction], per_day: int, scale: int) -> dict[str, int]:
    """Each distinct cell text -> its value in absence steps times `scale`, or _REFUSED when the
    single calculator refuses it (the row's message is made later, by `check_row`)."""
    out: dict[str, int] = {}
    for text in set(texts):
        try:
            steps = read(text) * per_day
            out[text] = int(steps) * scale if steps.denominator == 1 and steps < _KEY else _REFUSED
        except InputError:
            out[text] = _REFUSED
    return out


def _days(steps: int, per_day: int) -> int | float:
    """`numbers.show` of steps / per_day, without a Fraction."""
    return steps // per_day if steps % per_day == 0 else steps / per_day


def result_fields(cfg: chronic.Config) -> tuple[str, ...]:
    """What each distinct (enrolled, absent) pair gives, one name per value of `_pair_results`."""
    return (("enrolled", "absent", "attendance_rate", "absence_rate", "days_can_miss", "near")
            + tuple(d.id for d in cfg.definitions)
            + tuple(f"{d.id}_strict" for d in cfg.definitions if d.literal is not None) + ("band",))


def _pair_results(e: int, a: int, cfg: chronic.Config, per_day: int) -> tuple[Any, ...]:
    attendance, absence = chronic.rates(a, e, cfg)
    lines = [d.chronic_at(e) - a for d in cfg.definitions if not d.is_chronic(a, e)]
    can_miss = _days(max(0, min(lines) - 1), per_day) if lines else None
    near = bool(lines) and min(lines) <= NEAR_DAYS * per_day
    flags = tuple(d.is_chronic(a, e) for d in cfg.definitions)
    # A definition read in whole percent (LAUSD's practice) also has its strict reading.
    strict = tuple(d.literal.is_chronic(a, e) for d in cfg.definitions if d.literal is not None)
    return (_days(e, per_day), _days(a, per_day), attendance, absence, can_miss, near, *flags, *strict, cfg.bands.of(e - a, e).id)


def _label(cells: Sequence[str], layout: Layout) -> str | None:
    parts = [cells[layout.roles[r]].strip() for r in ("name", "id") if r in layout.roles and layout.roles[r] < len(cells)]
    return next((p for p in parts if p), None)


def _totals_flat(joined: str, flat: list[str], width: int, delimiter: str) -> dict[int, list[tuple[int, str]]] | None:
    """Cells reading Total, Subtotal, Average... in a table split into `flat` cells (`joined` is
    their text): only the cells where such a word occurs are looked at, so a district file costs
    one search of its text, not a walk over its cells."""
    lower = joined.lower()
    if len(lower) != len(joined):  # a letter whose lower case is longer ("İ"): positions would shift
        return None
    hits: set[int] = set()
    for word in _TOTAL_WORDS:
        at = lower.find(word)
        while at >= 0:
            hits.add(at)
            at = lower.find(word, at + 1)
    del lower
    found: dict[int, list[tuple[int, str]]] = {}
    cell, counted = 0, 0
    for at in sorted(hits):
        cell += joined.count(delimiter, counted, at)
        counted = at
        match = _TOTAL.fullmatch(flat[cell])
        if match:
            found.setdefault(cell // width, []).append((cell % width, match.group(0).strip()))
    return found


def _totals(rows: _Rows, layout: Layout) -> dict[int, str]:
    """Rows labelled as totals (any text column says Total, Subtotal, Grand total, Average...)."""
    numbers = {layout.roles[r] for r in ("enrolled", "absent", "present") if r in layout.roles}
    if rows.totals is not None:
        by_row: dict[int, str] = {}
        for index, cells in sorted(rows.totals.items()):
            for column, text in sorted(set(cells)):
                if column not in numbers:
                    by_row.setdefault(index, text)
        return by_row
    found: dict[int, str] = {}
    for index in range(len(layout.headers)):
        if index in numbers:
            continue
        joined = "\n".join(rows.column(index))
        lower = joined.lower()
        if not any(word in lower for word in _TOTAL_WORDS):
            continue
        position, number = 0, 0
        for match in _TOTAL_LINE.finditer(joined):
            number += joined.count("\n", position, match.start())
            position = match.start()
            found.setdefault(number, match.group(0).strip())
    return found


@dataclass
class Computed:
    """A roster computed: each body row's result is a code, an index into `results` (one entry per
    distinct (enrolled, absent) pair, see `result_fields`), or PROBLEM or BLANK. A million rows hold
    a million small integers, not a million dicts; `to_result` spells every row out, and
    calculators.roster_view pages, sorts, filters, breaks down and downloads them."""

    rows: _Rows
    layout: Layout
    cfg: chronic.Config
    present: bool
    first_row: int  # spreadsheet number of the first body row
    codes: list[int]
    results: list[tuple[Any, ...]]
    fields: tuple[str, ...]
    problems: dict[int, dict[str, Any]]  # body index -> its entry in errors or left_out
    errors: list[dict[str, Any]]  # in row order
    left_out: list[dict[str, Any]]
    blank: int
    headers: list[str]  # the header's cells, then "Column F" for values beyond it
    encoding: str | None = None
    counts: Counter[int] = field(default_factory=Counter)  # code -> rows

    def position(self, name: str) -> int:
        return self.fields.index(name)

    def students(self) -> list[bool]:
        """Per body row: a student computed."""
        flags = [True] * len(self.results) + [False, False]  # codes BLANK (-2) and PROBLEM (-1) last
        return list(map(flags.__getitem__, self.codes))


def compute(table: Table, layout: Layout, cfg: chronic.Config, progress: Progress | None = None) -> Computed:
    problem = _missing(layout)
    if problem:
        raise InputError("csv", problem)
    width = len(layout.headers)
    first_row = layout.header_row + 2
    rows = _Rows(table, layout.header_row + 1, width)
    if progress:
        progress(0.3, "read")
    present = "enrolled" not in layout.roles
    first_index = layout.roles["present" if present else "enrolled"]
    absent_index = layout.roles["absent"]
    first_text = rows.column(first_index)
    absent_text = rows.column(absent_index)
    per_day = int(1 / cfg.step)
    # Each row becomes one integer key, enrolled * _KEY + absent (in steps; with days present,
    # present * _KEY + absent * (_KEY + 1), the same number); a refused cell is a large negative
    # number, so its row's key is negative and never found among the results.
    if present:
        first_map = _steps_map(first_text, lambda t: _nonnegative(parse_days(t, "present", "Days present")), per_day, _KEY)
    else:
        first_map = _steps_map(first_text, lambda t: chronic.check(t, "0").enrolled, per_day, _KEY)
    # Days absent up to a whole school year; above it, or above days enrolled, check_row explains.
    most = str(cfg.max_days)
    absent_map = _steps_map(absent_text, lambda t: chronic.check(most, t).absent, per_day, _KEY + 1 if present else 1)
    keys = list(map(operator.add, map(first_map.__getitem__, first_text), map(absent_map.__getitem__, absent_text)))
    max_steps = cfg.max_days * per_day
    code_of: dict[int, int] = {}
    results: list[tuple[Any, ...]] = []
    for key in sorted(set(keys)):
        e, a = divmod(key, _KEY)
        if key < 0 or e <= 0 or a > e or e > max_steps or e % per_day:
            continue
        code_of[key] = len(results)
        results.append(_pair_results(e, a, cfg, per_day))
    codes = list(map(code_of.get, keys, repeat(PROBLEM)))
    del keys
    if progress:
        progress(0.6, "computed")
    refused: list[int] = []
    at = -1
    while True:  # list.index finds the few refused rows at C speed
        try:
            at = codes.index(PROBLEM, at + 1)
        except ValueError:
            break
        refused.append(at)
    problems: dict[int, dict[str, Any]] = {}
    left_out: list[dict[str, Any]] = []
    for index, text in sorted(_totals(rows, layout).items()):
        number = first_row + index
        codes[index] = PROBLEM
        problems[index] = entry = {
            "row": number,
            "label": text,
            "cells": rows.cells(index),
            "message": f"Row {number} is a totals row (“{text}”): it is left out of the counts. If it is a student, change that cell.",
        }
        left_out.append(entry)
    # A row the text reader could not split (an unclosed quote) is an error on its row.
    unreadable = {int(str(p["row"])) - first_row: p for p in table.problems}
    errors: list[dict[str, Any]] = [
        {"row": p["row"], "label": None, "field": "csv", "column": None, "letter": None, "message": p["message"], "cells": p["cells"]}
        for index, p in unreadable.items() if not 0 <= index < rows.count
    ]
    blank = 0
    why: dict[tuple[str, str], InputError] = {}
    for index in refused:
        if index in problems:
            continue
        if index in unreadable:
            p = unreadable[index]
            problems[index] = entry = {"row": p["row"], "label": None, "field": "csv", "column": None, "letter": None, "message": p["message"], "cells": p["cells"]}
            errors.append(entry)
            continue
        cells = rows.cells(index)
        if not any(c.strip() for c in cells):
            codes[index] = BLANK
            blank += 1  # a blank line or a row of empty cells, as spreadsheets export
            continue
        pair = (first_text[index], absent_text[index])
        if pair not in why:  # bad rows repeat the same few cells: each pair is checked once
            why[pair] = _refusal(*pair, present)
        problems[index] = entry = _row_error(first_row + index, cells, why[pair], layout)
        errors.append(entry)
    errors.sort(key=lambda e: e["row"])
    headers = layout.headers + [f"Column {letter(i)}" for i in range(width, width + rows.extra_width)]
    done = Computed(rows, layout, cfg, present, first_row, codes, results, result_fields(cfg), problems, errors, left_out, blank, headers)
    done.counts = Counter(codes)
    return done


def _refusal(first: str, absent: str, present: bool) -> InputError:
    """Why the single calculator refuses a row's cells."""
    try:
        check_row(first, absent, present)
    except InputError as error:
        return error
    raise AssertionError(f"cells {first!r}, {absent!r} were refused but check_row accepts them")  # pragma: no cover


def _row_error(number: int, cells: list[str], error: InputError, layout: Layout) -> dict[str, Any]:
    present = "enrolled" not in layout.roles
    role = "present" if present and error.field == "enrolled" else error.field
    column = layout.roles.get(role, layout.roles["absent"])
    header = layout.headers[column]
    label = _label(cells, layout)
    who = f" ({label})" if label else ""
    message = f"Row {number}{who}, column {letter(column)} (“{header}”): {error.message}"
    return {"row": number, "label": label, "field": role, "column": header, "letter": letter(column), "message": message, "cells": cells}


def summary_counts(done: Computed) -> dict[str, Any]:
    """The summary, from the count of rows per code (never from a row-by-row walk)."""
    cfg = done.cfg
    students = sum(count for code, count in done.counts.items() if code >= 0)
    per_code = [(done.results[code], count) for code, count in done.counts.items() if code >= 0]

    def total(name: str) -> int:
        at = done.position(name)
        return sum(count for values, count in per_code if values[at])

    chronic_counts = {d.id: total(d.id) for d in cfg.definitions}
    strict = {d.id: total(f"{d.id}_strict") for d in cfg.definitions if d.literal is not None}
    bands = dict.fromkeys((band.id for band in cfg.bands.items), 0)
    for values, count in per_code:
        bands[values[-1]] += count
    return {
        "students": students,
        "rows_with_errors": len(done.errors),
        "rows_left_out": len(done.left_out),
        "blank_rows": done.blank,
        "chronic": chronic_counts,
        "share": {key: (chronic.percent_shown(count, students) if students else None) for key, count in chronic_counts.items()},
        "chronic_strict": strict,
        "bands": bands,
        "near": total("near"),
    }


def _reasons(cfg: chronic.Config, summary: Mapping[str, Any]) -> list[Reason]:
    students, counts, strict_counts, band_counts = summary["students"], summary["chronic"], summary["chronic_strict"], summary["bands"]
    reasons: list[Reason] = []
    for d in cfg.definitions:
        reasons.append(reason(d.id, f"{d.name}: chronic means {d.threshold_text()}; {counts[d.id]:,} of {_count(students, 'student')}.", d.source))
        if d.id in strict_counts:
            reading = cfg.readings["lausd_whole_percent"]
            reasons.append(reason("lausd_whole_percent", " ".join(reading["reading"].split()), reading_source(reading)))
            if strict_counts[d.id] != counts[d.id]:
                reasons.append(reason(
                    f"{d.id}_strict",
                    f"Read strictly (the rate as it is, not in whole percent), {strict_counts[d.id]:,} of {_count(students, 'student')} would be chronic under the {d.name}, not {counts[d.id]:,}.",
                    reading_source(reading),
                ))
    bands_text = "; ".join(f"{band.name} ({band.shown}): {band_counts[band.id]:,}" for band in cfg.bands.items)
    reasons.append(reason("band", f"LAUSD attendance bands, the rate in whole percent: {bands_text}.", cfg.bands.source))
    exact = cfg.readings["exact_rate"]
    reasons.append(reason("exact_rate", " ".join(exact["reading"].split()), reading_source(exact)))
    return reasons


def _notes(done: Computed) -> list[str]:
    layout, rows = done.layout, done.rows
    notes = list(layout.notes)
    if rows.extra_width:
        extra = ", ".join(letter(i) for i in range(len(layout.headers), len(done.headers)))
        many = rows.extra_width > 1
        notes.append(f"Some rows have values beyond the header's last column; they are kept as column{'s' if many else ''} {extra} (name {'them' if many else 'it'} in the header to say what {'they hold' if many else 'it holds'}).")
    if done.left_out:
        listed = ", ".join(str(r["row"]) for r in done.left_out[:10]) + ("…" if len(done.left_out) > 10 else "")
        notes.append(f"{_count(len(done.left_out), 'totals row')} left out of the counts (row{'s' if len(done.left_out) > 1 else ''} {listed}).")
    if done.present:
        notes.append(f"Days enrolled are days present (“{layout.headers[layout.roles['present']]}”) plus days absent (“{layout.headers[layout.roles['absent']]}”).")
    if done.encoding and done.encoding != "UTF-8":
        notes.append(f"The file was read as {done.encoding} text." if done.encoding != "xlsx" else "The first sheet of the workbook was read.")
    return notes


def other_columns(done: Computed) -> list[int]:
    """Indexes of the columns no role uses (grade, school...), in file order."""
    used = set(done.layout.roles.values())
    return [i for i in range(len(done.headers)) if i not in used]


def summary_result(done: Computed) -> dict[str, Any]:
    """The result without the rows: what the page shows first, whatever the file's size."""
    cfg, layout = done.cfg, done.layout
    summary = summary_counts(done)
    return {
        "calculator": "roster",
        "encoding": done.encoding,
        "header_row": layout.header_row + 1,
        "title_rows": layout.title_rows,
        "headers": done.headers,
        "columns": {role: layout.headers[index] for role, index in layout.roles.items()},
        "other_columns": [{"header": done.headers[i] or f"Column {letter(i)}", "letter": letter(i)} for i in other_columns(done)],
        "definitions": [
            {
                "id": d.id, "name": d.name, "threshold": d.threshold_text(), "source": dict(d.source),
                "strict_threshold": d.threshold_text(strictly=True) if d.literal is not None else None,
            }
            for d in cfg.definitions
        ],
        "bands": [
            {"id": band.id, "name": band.name, "range": band.shown, "absences_in_year": band.absences_in_year, "chronic": band.chronic}
            for band in cfg.bands.items
        ],
        "near_days": NEAR_DAYS,
        "rows": None,
        "errors": done.errors,
        "left_out": done.left_out,
        "notes": _notes(done),
        "summary": summary,
        "reasons": _reasons(cfg, summary),
    }


def to_result(done: Computed) -> dict[str, Any]:
    """The whole result: every row spelled out, one array per field (DESIGN.md)."""
    result = summary_result(done)
    good = done.students()
    kept = list(compress(done.codes, good))
    rows: dict[str, Any] = {"row": list(compress(range(done.first_row, done.first_row + done.rows.count), good))}
    for role in ("id", "name", "present"):
        index = done.layout.roles.get(role)
        rows[role] = list(map(str.strip, compress(done.rows.column(index), good))) if index is not None else None
    for position, name in enumerate(done.fields):
        values = [value[position] for value in done.results]
        rows[name] = list(map(values.__getitem__, kept))
    result["rows"] = rows
    for entry, index in zip(result["other_columns"], other_columns(done)):
        entry["values"] = list(compress(done.rows.column(index), good))
    return result


def _count(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


# --- Entry points -----------------------------------------------------------------------------------


def confident(layout: Layout) -> bool:
    """The columns were recognised without doubt: every needed column found, none ambiguous, so the
    roster may be computed at once (the column step is still shown, to change them)."""
    return _missing(layout) is None and not any(note.startswith("Two columns could be") for note in layout.notes)


def columns_step(table: Table, layout: Layout) -> dict[str, Any]:
    """What the column step shows: the header found, the guessed roles and a few rows."""
    start = layout.header_row + 1
    sample = [table.row(i) for i in range(start, min(len(table), start + SAMPLE_ROWS))]
    return _step(layout, table.encoding, sample, max(0, len(table) - start), _missing(layout))


def _step(layout: Layout, encoding: str | None, sample: list[list[str]], data_rows: int, missing: Any) -> dict[str, Any]:
    """The column step's answer, for a file just read or a roster already computed."""
    return {
        "calculator": "roster",
        "step": "columns",
        "encoding": encoding,
        "header_row": layout.header_row + 1,
        "title_rows": layout.title_rows,
        "headers": layout.headers,
        "letters": [letter(i) for i in range(len(layout.headers))],
        "columns": {role: layout.headers[index] for role, index in layout.roles.items()},
        "roles": [{"id": role, "name": ROLE_NAMES[role]} for role in ROLES],
        "missing": missing,
        "confident": confident(layout),
        "sample": sample,
        "data_rows": data_rows,
        "notes": layout.notes,
    }


@contextmanager
def bulk() -> Iterator[None]:
    """A roster makes millions of objects that hold no reference cycles; the cyclic garbage
    collector would walk them again and again while they are made (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute_table(table: Table, chosen: Mapping[str, str] | None = None, progress: Progress | None = None) -> Computed:
    layout = find_layout(table, _check_choice(chosen))
    with bulk():
        done = compute(table, layout, chronic.config(), progress)
    done.encoding = table.encoding
    return done


def calculate_table(table: Table, chosen: Mapping[str, str] | None = None, step: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    if step == "columns":
        return columns_step(table, find_layout(table, _check_choice(chosen)))
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
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError("file", f"{name} does not exist: give the path of the roster file.") from None
        except IsADirectoryError:
            raise InputError("file", f"{name} is a folder: give the path of the roster file.") from None
        except OSError as exc:
            raise InputError("file", f"{name} cannot be read ({exc.strerror}): check the path and permissions.") from None
        if progress:
            progress(0.05, "reading")
        try:
            return read_bytes(raw, name)
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
    from . import roster_view  # the view reads this module's Computed

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
            layout = find_layout(table, _check_choice(data.get("columns")))
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


def columns_step_of(done: Computed) -> dict[str, Any]:
    """The column step of a computed roster (shown above its result, to change the columns)."""
    sample = [done.rows.cells(i) for i in range(min(done.rows.count, SAMPLE_ROWS))]
    return _step(done.layout, done.encoding, sample, done.rows.count, None)
