"""Chronic absence for every row of a CSV roster, with row-level errors (BUL-4926.4 section XV).

Result shape (documented in DESIGN.md, "Roster result"): `rows` holds one array per column
(`row`, `label`, `enrolled`, `absent`, `attendance_rate`, `absence_rate`, and one boolean array per
definition id), so it is cheap to build and to serialize; `errors` lists bad rows with their row
number (as a spreadsheet counts: the header is row 1) while the good rows are still computed.

Speed (goal: 500,000 rows/s in CPython, scripts/bench_roster.py): a clean file of whole numbers is
computed column by column with `map` over C-level operators; anything else (half days, quotes, bad
rows, blank lines) takes the row-by-row path, which uses `chronic.check` so every message and every
number is the one the single calculator gives.
"""
from __future__ import annotations

import csv
import io
import operator
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import repeat
from typing import Any

from . import chronic
from .errors import InputError
from .numbers import show
from .reasons import Reason, reason, reading_source

# Header names accepted for each column, after lower-casing and turning spaces, dashes and dots
# into underscores ("Days Enrolled" → days_enrolled). Documented in DESIGN.md.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "label": ("label", "student", "student_label", "name", "student_name", "id", "student_id"),
    "enrolled": ("enrolled", "days_enrolled", "enrolled_days", "days_enroll", "enrollment_days"),
    "absent": ("absent", "days_absent", "absent_days", "absences", "days_absences", "total_absences"),
}
DELIMITERS = (",", ";", "\t")
_PLAIN_CHARS = frozenset("0123456789.+- ")


def _normal(name: str) -> str:
    out = name.strip().strip('"').strip().lower()
    for char in " -./":
        out = out.replace(char, "_")
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def _columns(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        normal = _normal(name)
        for key, names in COLUMN_NAMES.items():
            if normal in names:
                if key in found:
                    raise InputError("csv", f"The header has two {key} columns (“{header[found[key]].strip()}” and “{name.strip()}”): keep one.")
                found[key] = index
                break
        else:
            if normal:
                ignored.append(name.strip())
    for key in ("enrolled", "absent"):
        if key not in found:
            accepted = ", ".join(COLUMN_NAMES[key][:3])
            raise InputError("csv", f"The header has no {key} column: name one column {accepted} (the first line must be the header, e.g. label,enrolled,absent).")
    return found, ignored


def _delimiter(header_line: str) -> str:
    counts = [(header_line.count(d), d) for d in DELIMITERS]
    best = max(counts)
    return best[1] if best[0] else ","


class _Columns:
    """The result columns, filled row by row (slow path) or column by column (fast path)."""

    def __init__(self, definitions: Sequence[chronic.Definition], with_label: bool) -> None:
        self.row: list[int] = []
        self.label: list[str] | None = [] if with_label else None
        self.enrolled: list[int | float] = []
        self.absent: list[int | float] = []
        self.attendance: list[float] = []
        self.absence: list[float] = []
        self.flags: dict[str, list[bool]] = {d.id: [] for d in definitions}
        # `<id>_strict` for a definition read in whole percent (its strict reading), then the band
        for d in definitions:
            if d.literal is not None:
                self.flags[f"{d.id}_strict"] = []
        self.band: list[str] = []


def _fast(
    body: Sequence[str], delimiter: str, first_row: int, found: Mapping[str, int], width: int, cfg: chronic.Config
) -> _Columns | None:
    """Whole-number rows only; None as soon as anything needs the careful path.

    The lines are joined and split once into one flat list of strings, and each column is a
    slice of it: no list per row, which keeps the garbage collector (and the time) out of it.
    """
    if not body or any(map(operator.ne, map(str.count, body, repeat(delimiter)), repeat(width - 1))):
        return None
    flat = delimiter.join(body).split(delimiter)
    e_text, a_text = flat[found["enrolled"] :: width], flat[found["absent"] :: width]
    if "_" in "".join(e_text) or "_" in "".join(a_text):
        return None  # int() accepts 1_000; the single calculator does not
    try:
        enrolled = list(map(int, e_text))
    except ValueError:
        return None
    largest = max(enrolled)
    if largest > cfg.max_days:
        return None  # the careful path names the row (reading `school_year_days`)
    shown_absent: list[int | float]
    shown_enrolled: list[int | float] = list(enrolled)
    try:
        absent = list(map(int, a_text))
        shown_absent = list(absent)
    except ValueError:
        halves = _steps(a_text, cfg, largest)
        if halves is None:
            return None
        absent, shown_absent = halves
        enrolled = list(map(operator.mul, enrolled, repeat(int(1 / cfg.step))))
    if min(enrolled) <= 0 or min(absent) < 0 or any(map(operator.gt, absent, enrolled)):
        return None
    out = _Columns(cfg.definitions, "label" in found)
    out.row = list(range(first_row, first_row + len(body)))
    if out.label is not None:
        out.label = list(map(str.strip, flat[found["label"] :: width]))
    out.enrolled = shown_enrolled
    out.absent = shown_absent
    attended = list(map(operator.sub, enrolled, absent))
    out.attendance = _percent_column(attended, enrolled, chronic.threshold_for(cfg, "attendance_rate"))
    out.absence = _percent_column(absent, enrolled, chronic.threshold_for(cfg, "absence_rate"))
    for definition in cfg.definitions:
        tests = [(definition.id, definition.test)]
        if definition.literal is not None:
            tests.append((f"{definition.id}_strict", definition.literal))
        for key, test in tests:
            left = map(operator.mul, absent, repeat(test.share_den))
            right = map(operator.mul, enrolled, repeat(test.share_num))
            out.flags[key] = list(map(operator.gt if test.strict else operator.ge, left, right))
    # LAUSD band: the attendance rate in whole percent (floor), looked up in a 101-entry table
    whole = map(operator.floordiv, map(operator.mul, attended, repeat(100)), enrolled)
    out.band = list(map(cfg.bands.by_percent.__getitem__, whole))
    return out


def _steps(texts: Sequence[str], cfg: chronic.Config, largest: int) -> tuple[list[int], list[int | float]] | None:
    """Days absent with part days ("17.5"): (counts in absence steps, values to show) or None.

    float() is exact for halves; only used while values stay far below float precision.
    """
    per_day = 1 / cfg.step
    if per_day.denominator != 1 or largest >= 2**40:
        return None
    if not set("".join(texts)) <= _PLAIN_CHARS:
        return None  # float() also reads "1e3", "inf", "nan": let the careful path refuse them
    try:
        values = list(map(float, texts))
    except ValueError:
        return None
    steps = list(map(operator.mul, values, repeat(float(per_day))))
    if not all(map(float.is_integer, steps)):
        return None  # nan, inf or finer than a step: the careful path explains
    shown: list[int | float] = [int(v) if v.is_integer() else v for v in values]
    return list(map(int, steps)), shown


def _percent_column(part: list[int], whole: list[int], avoid: Fraction | None) -> list[float]:
    """`chronic.percent_shown` for a column: the same half-up hundredths, computed with map."""
    hundredths = list(
        map(operator.floordiv, map(operator.add, map(operator.floordiv, map(operator.mul, part, repeat(20000)), whole), repeat(1)), repeat(2))
    )
    shown = list(map(operator.truediv, hundredths, repeat(100)))
    if avoid is not None and (avoid * 100).denominator == 1:
        target = int(avoid * 100)
        index = -1
        # Rare: rounding lands on a threshold; let the single calculator's rule add decimals.
        while True:
            try:
                index = hundredths.index(target, index + 1)
            except ValueError:
                break
            shown[index] = chronic.percent_shown(part[index], whole[index], avoid)
    return shown


def _slow(rows: Iterable[tuple[int, Sequence[str]]], found: Mapping[str, int], cfg: chronic.Config) -> tuple[_Columns, list[dict[str, Any]]]:
    out = _Columns(cfg.definitions, "label" in found)
    errors: list[dict[str, Any]] = []
    need = max(found.values()) + 1
    step = 1 / cfg.step
    for number, fields in rows:
        if not any(value.strip() for value in fields):
            continue  # a blank line, or a row of empty cells as spreadsheets export
        label = fields[found["label"]].strip() if "label" in found and found["label"] < len(fields) else None
        if len(fields) < need:
            missing = "enrolled" if found["enrolled"] >= len(fields) else "absent"
            errors.append(_row_error(number, label, missing, f"Row {number} has {len(fields)} values but no {missing} value: fill in every column of the header."))
            continue
        try:
            days = chronic.check(fields[found["enrolled"]], fields[found["absent"]])
        except InputError as exc:
            errors.append(_row_error(number, label, exc.field, exc.message))
            continue
        e, a = int(days.enrolled * step), int(days.absent * step)
        out.row.append(number)
        if out.label is not None:
            out.label.append(label or "")
        out.enrolled.append(show(days.enrolled))
        out.absent.append(show(days.absent))
        attendance, absence = chronic.rates(a, e, cfg)
        out.attendance.append(attendance)
        out.absence.append(absence)
        for definition in cfg.definitions:
            out.flags[definition.id].append(definition.is_chronic(a, e))
            if definition.literal is not None:
                out.flags[f"{definition.id}_strict"].append(definition.literal.is_chronic(a, e))
        out.band.append(cfg.bands.of(e - a, e).id)
    return out, errors


def _row_error(number: int, label: str | None, field: str, message: str) -> dict[str, Any]:
    return {"row": number, "label": label, "field": field, "message": message}


def _records(text: str) -> tuple[list[str], list[tuple[int, list[str]]] | None, list[str], str, int]:
    """(header, numbered rows or None, plain body lines, delimiter, first data row number).

    Plain lines (no quotes, no blank lines inside) are left for the fast path; otherwise the csv
    module reads the text and every record keeps its own row number.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        raise InputError("csv", "The file is empty: the first line must be a header such as label,enrolled,absent.")
    delimiter = _delimiter(lines[start])
    end = len(lines)
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    body = lines[start + 1 : end]
    if '"' not in text and "" not in body and not any(map(str.isspace, body)):
        return lines[start].split(delimiter), None, body, delimiter, start + 2
    reader = csv.reader(io.StringIO("\n".join(lines[start:end])), delimiter=delimiter)
    try:
        header = next(reader)
        numbered = [(reader.line_num + start, record) for record in reader]
    except csv.Error as exc:
        raise InputError("csv", f"The CSV cannot be read ({exc}) near row {reader.line_num + start}: check its quotes.") from None
    return header, numbered, [], delimiter, start + 2


def calculate_csv(text: str) -> dict[str, Any]:
    cfg = chronic.config()
    header, numbered, plain, delimiter, first_row = _records(text)
    found, ignored = _columns(header)
    columns: _Columns | None = None
    errors: list[dict[str, Any]] = []
    if numbered is None:
        columns = _fast(plain, delimiter, first_row, found, len(header), cfg)
        if columns is None:
            numbered = [(first_row + index, line.split(delimiter)) for index, line in enumerate(plain)]
    if columns is None:
        columns, errors = _slow(numbered or [], found, cfg)
    return _result(columns, errors, found, header, ignored, cfg)


def _result(
    columns: _Columns, errors: list[dict[str, Any]], found: Mapping[str, int], header: Sequence[str], ignored: list[str], cfg: chronic.Config
) -> dict[str, Any]:
    students = len(columns.row)
    counts = {d.id: sum(columns.flags[d.id]) for d in cfg.definitions}
    shares = {key: (chronic.percent_shown(count, students) if students else None) for key, count in counts.items()}
    strict_counts = {d.id: sum(columns.flags[f"{d.id}_strict"]) for d in cfg.definitions if d.literal is not None}
    band_counts = dict.fromkeys((band.id for band in cfg.bands.items), 0)
    for band_id in columns.band:
        band_counts[band_id] += 1
    reasons: list[Reason] = []
    for d in cfg.definitions:
        reasons.append(reason(d.id, f"{d.name}: chronic means {d.threshold_text()}; {counts[d.id]} of {students} {'student' if students == 1 else 'students'}.", d.source))
        if d.id in strict_counts:
            reading = cfg.readings["lausd_whole_percent"]
            reasons.append(reason("lausd_whole_percent", " ".join(reading["reading"].split()), reading_source(reading)))
            if strict_counts[d.id] != counts[d.id]:
                reasons.append(reason(
                    f"{d.id}_strict",
                    f"Read strictly (the rate as it is, not in whole percent), {strict_counts[d.id]} of {students} {'student' if students == 1 else 'students'} would be chronic under the {d.name}, not {counts[d.id]}.",
                    reading_source(reading),
                ))
    bands_text = "; ".join(f"{band.name} ({band.shown}): {band_counts[band.id]}" for band in cfg.bands.items)
    reasons.append(reason("band", f"LAUSD attendance bands, the rate in whole percent: {bands_text}.", cfg.bands.source))
    exact = cfg.readings["exact_rate"]
    reasons.append(reason("exact_rate", " ".join(exact["reading"].split()), reading_source(exact)))
    rows: dict[str, Any] = {
        "row": columns.row,
        "label": columns.label,
        "enrolled": columns.enrolled,
        "absent": columns.absent,
        "attendance_rate": columns.attendance,
        "absence_rate": columns.absence,
        **columns.flags,
        "band": columns.band,
    }
    return {
        "calculator": "roster",
        "columns": {key: header[index].strip() for key, index in found.items()},
        "ignored_columns": ignored,
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
        "rows": rows,
        "errors": errors,
        "summary": {
            "students": students, "rows_with_errors": len(errors), "chronic": counts, "share": shares,
            "chronic_strict": strict_counts, "bands": band_counts,
        },
        "reasons": reasons,
    }


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"csv": "label,enrolled,absent\\nA,180,17\\n"}`."""
    text = data.get("csv") if isinstance(data, Mapping) else None
    if not isinstance(text, str):
        raise InputError("csv", "Send the roster as text: {\"csv\": \"label,enrolled,absent\\n...\"}.")
    return calculate_csv(text)
