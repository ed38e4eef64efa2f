"""Every row of a roster computed: each row's days read exactly as the single calculator reads
them (`chronic.check`), once per distinct cell text, and each row's results computed once per
distinct (enrolled, absent) pair. A bad row costs only itself: it is explained afterwards, on a
small side list, with its spreadsheet row number and column.
"""
from __future__ import annotations

import gc
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from typing import Any

from . import chronic
from .errors import InputError
from .numbers import parse_days, show
from .roster_body import Rows, chunk_totals
from .roster_columns import Layout, letter, missing_columns
from .table_file import Table

Progress = Callable[[float, str], None]
NEAR_DAYS = 2  # the "within 2 days of a line" filter

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


class _Steps(dict[str, int]):
    """Cell text -> its value in absence steps times `scale`, or _REFUSED when the single
    calculator refuses it (the row's message is made later, by `check_row`). A text is read the
    first time a row holds it (`__missing__`), so a district file's million lookups run at C
    speed and only its few hundred distinct texts are read, each once."""

    def __init__(self, read: Callable[[str], Fraction], per_day: int, scale: int) -> None:
        super().__init__()
        self.read, self.per_day, self.scale = read, per_day, scale

    def __missing__(self, text: str) -> int:
        try:
            steps = self.read(text) * self.per_day
            value = int(steps) * self.scale if steps.denominator == 1 and steps < _KEY else _REFUSED
        except InputError:
            value = _REFUSED
        self[text] = value
        return value


def _days(steps: int, per_day: int) -> int | float:
    """`numbers.show` of steps / per_day, without a Fraction."""
    return steps // per_day if steps % per_day == 0 else steps / per_day


def result_fields(cfg: chronic.Config) -> tuple[str, ...]:
    """What each distinct (enrolled, absent) pair gives, one name per value of `_pair_results`."""
    return (("enrolled", "absent", "attendance_rate", "absence_rate", "days_can_miss", "near")
            + tuple(d.id for d in cfg.definitions)
            + tuple(f"{d.id}_strict" for d in cfg.definitions if d.literal is not None) + ("band",))


class _Codes(dict[int, int]):
    """A row's key (enrolled * _KEY + absent, in steps) -> its code: the index of its pair's
    results in `results`, made the first time a row holds the pair (`__missing__`), or PROBLEM
    when the pair is no valid count (a refused cell, absent above enrolled, part days enrolled)."""

    def __init__(self, results_of: Callable[[int, int], tuple[Any, ...]], max_steps: int, per_day: int) -> None:
        super().__init__()
        self.results_of, self.max_steps, self.per_day = results_of, max_steps, per_day
        self.results: list[tuple[Any, ...]] = []

    def __missing__(self, key: int) -> int:
        e, a = divmod(key, _KEY)
        if key < 0 or e <= 0 or a > e or e > self.max_steps or e % self.per_day:
            code = PROBLEM
        else:
            code = len(self.results)
            self.results.append(self.results_of(e, a))
        self[key] = code
        return code


def pair_results(cfg: chronic.Config, per_day: int) -> Callable[[int, int], tuple[Any, ...]]:
    """What one (enrolled, absent) pair gives (in steps), as `result_fields` names it: the same
    numbers as `chronic.rates`, `Definition.is_chronic`, `chronic_at` and `Bands.of`, with what
    depends only on the rules looked up once (a district file has some 16,000 distinct pairs)."""
    on_attendance = chronic.threshold_for(cfg, "attendance_rate")
    on_absence = chronic.threshold_for(cfg, "absence_rate")
    tests = [(d.share_num, d.share_den, d.strict) for d in cfg.definitions]
    literal = [(d.literal.share_num, d.literal.share_den, d.literal.strict) for d in cfg.definitions if d.literal is not None]
    by_percent = cfg.bands.by_percent
    near_steps = NEAR_DAYS * per_day
    percent_shown = chronic.percent_shown

    def results(e: int, a: int) -> tuple[Any, ...]:
        flags = tuple(a * den > num * e if strict else a * den >= num * e for num, den, strict in tests)
        # Fewest absences that make e chronic, less those had, for each line not yet crossed.
        lines = [(num * e // den + 1 if strict else -(-num * e // den)) - a for (num, den, strict), crossed in zip(tests, flags) if not crossed]
        least = min(lines) if lines else None
        return (
            _days(e, per_day), _days(a, per_day), percent_shown(e - a, e, on_attendance), percent_shown(a, e, on_absence),
            None if least is None else _days(max(0, least - 1), per_day), least is not None and least <= near_steps,
            *flags,
            # A definition read in whole percent (LAUSD's practice) also has its strict reading.
            *(a * den > num * e if strict else a * den >= num * e for num, den, strict in literal),
            by_percent[(e - a) * 100 // e],
        )

    return results


def _pair_results(e: int, a: int, cfg: chronic.Config, per_day: int) -> tuple[Any, ...]:
    """The plain reading of `pair_results` (a test checks the two agree on every pair)."""
    attendance, absence = chronic.rates(a, e, cfg)
    lines = [d.chronic_at(e) - a for d in cfg.definitions if not d.is_chronic(a, e)]
    can_miss = _days(max(0, min(lines) - 1), per_day) if lines else None
    near = bool(lines) and min(lines) <= NEAR_DAYS * per_day
    flags = tuple(d.is_chronic(a, e) for d in cfg.definitions)
    strict = tuple(d.literal.is_chronic(a, e) for d in cfg.definitions if d.literal is not None)
    return (_days(e, per_day), _days(a, per_day), attendance, absence, can_miss, near, *flags, *strict, cfg.bands.of(e - a, e).id)


def label_of(cells: Sequence[str], layout: Layout) -> str | None:
    parts = [cells[layout.roles[r]].strip() for r in ("name", "id") if r in layout.roles and layout.roles[r] < len(cells)]
    return next((p for p in parts if p), None)

@dataclass
class Computed:
    """A roster computed: each body row's result is a code, an index into `results` (one entry per
    distinct (enrolled, absent) pair, see `result_fields`), or PROBLEM or BLANK. A million rows hold
    a million small integers, not a million dicts; `to_result` spells every row out, and
    calculators.roster_view pages, sorts, filters, breaks down and downloads them."""

    rows: Rows
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
    problem = missing_columns(layout)
    if problem:
        raise InputError("csv", problem)
    width = len(layout.headers)
    first_row = layout.header_row + 2
    rows = Rows(table, layout.header_row + 1, width)
    if progress:
        progress(0.3, "read")
    present = "enrolled" not in layout.roles
    first_index = layout.roles["present" if present else "enrolled"]
    absent_index = layout.roles["absent"]
    per_day = int(1 / cfg.step)
    # Each row becomes one integer key, enrolled * _KEY + absent (in steps; with days present,
    # present * _KEY + absent * (_KEY + 1), the same number); a refused cell is a large negative
    # number, so its row's key is negative and never found among the results. Each distinct cell
    # text is read once, by the single calculator's code, the first time a chunk holds it.
    if present:
        def read_first(t: str) -> Fraction:
            return _nonnegative(parse_days(t, "present", "Days present"))
    else:
        def read_first(t: str) -> Fraction:
            return chronic.check(t, "0").enrolled
    # Days absent up to a whole school year; above it, or above days enrolled, check_row explains.
    most = str(cfg.max_days)

    def read_absent(t: str) -> Fraction:
        return chronic.check(most, t).absent

    first_map = _Steps(read_first, per_day, _KEY)
    absent_map = _Steps(read_absent, per_day, _KEY + 1 if present else 1)
    code_of = _Codes(pair_results(cfg, per_day), cfg.max_days * per_day, per_day)
    codes: list[int] = []
    found_totals: dict[int, str] = {}
    numbers = {layout.roles[r] for r in ("enrolled", "absent", "present") if r in layout.roles}
    stride = rows.stride
    refused: list[int] = []
    # The cells of the rows explained below (refused, totals), taken from their chunk while it is
    # split: a text file's rows are not split again one by one.
    kept_cells: dict[int, list[str]] = {}
    for base, joined, cells in rows.chunks():
        first_text, absent_text = cells[first_index::stride], cells[absent_index::stride]
        codes += map(code_of.__getitem__, map(operator.add, map(first_map.__getitem__, first_text), map(absent_map.__getitem__, absent_text)))
        at = base - 1
        while True:  # list.index finds the few refused rows at C speed
            try:
                at = codes.index(PROBLEM, at + 1)
            except ValueError:
                break
            refused.append(at)
            if joined is not None:
                kept_cells[at] = cells[(at - base) * stride : (at - base + 1) * stride]
        for index, text in chunk_totals(joined, cells, stride, width, rows.delimiter, numbers).items():
            found_totals[base + index] = text
            if joined is not None:
                kept_cells[base + index] = cells[index * stride : (index + 1) * stride]
        del joined, cells, first_text, absent_text
    results = code_of.results
    if progress:
        progress(0.6, "computed")

    def cells_of(index: int) -> list[str]:
        return kept_cells.get(index) or rows.cells(index)
    problems: dict[int, dict[str, Any]] = {}
    left_out: list[dict[str, Any]] = []
    for index, text in sorted(found_totals.items()):
        number = first_row + index
        codes[index] = PROBLEM
        problems[index] = entry = {
            "row": number,
            "label": text,
            "cells": cells_of(index),
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
        cells = cells_of(index)
        if not any(c.strip() for c in cells):
            codes[index] = BLANK
            blank += 1  # a blank line or a row of empty cells, as spreadsheets export
            continue
        pair = (cells[first_index] if first_index < len(cells) else "", cells[absent_index] if absent_index < len(cells) else "")
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
        # Without its traceback: kept (one per distinct pair), its frames would keep this
        # roster's every local alive after it is let go, until the cyclic collector ran.
        return error.with_traceback(None)
    raise AssertionError(f"cells {first!r}, {absent!r} were refused but check_row accepts them")  # pragma: no cover


def _row_error(number: int, cells: list[str], error: InputError, layout: Layout) -> dict[str, Any]:
    present = "enrolled" not in layout.roles
    role = "present" if present and error.field == "enrolled" else error.field
    column = layout.roles.get(role, layout.roles["absent"])
    header = layout.headers[column]
    label = label_of(cells, layout)
    who = f" ({label})" if label else ""
    message = f"Row {number}{who}, column {letter(column)} (“{header}”): {error.message}"
    return {"row": number, "label": label, "field": role, "column": header, "letter": letter(column), "message": message, "cells": cells}

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
