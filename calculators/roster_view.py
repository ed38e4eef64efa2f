"""Views of a computed roster: one page of rows, sorted and filtered, a breakdown by any column, the
download (`roster_download`). The page keeps its roster here (in the worker that computed it) and asks for what it
shows, so a district file never crosses the bridge row by row; the CLI uses the same functions.

Only the last roster computed is kept (`hold`), in memory, for this tab only: never stored.
"""
from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress, islice, repeat
from typing import Any

from . import chronic
from .errors import InputError
from .limits import quote, unknown_field
from .numbers import is_plain
from .roster_answer import other_columns, summary_result
from .roster_columns import letter
from .roster_compute import BLANK, PROBLEM, Computed
from .roster_download import DOWNLOADS, download

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
FILTERS = ("all", "chronic", "near", "problems")
VIEW_KEYS = ("filter", "sort", "descending", "page", "page_size", "breakdown", "download")
_DIGITS = re.compile(r"(\d+)")
_ANY_DIGIT = re.compile(r"\d")

_held: Computed | None = None


def hold(done: Computed, spec: object, breakdown_by: object = None) -> dict[str, Any]:
    """Keep `done` (replacing the last roster kept) and answer with its summary and a first view."""
    global _held
    _held = None  # the last roster's memory is free before the next is answered
    view_spec = _check(spec)
    result = summary_result(done)
    # The page lists errors through the "problems" filter; the first ones come with the summary.
    result["errors"] = done.errors[:100]
    result["left_out"] = done.left_out[:100]
    result["view"] = view(done, view_spec)
    result["breakdown"] = breakdown(done, breakdown_by) if breakdown_by is not None else None
    _held = done
    return result


def release() -> None:
    """Let the kept roster go (before the next one is read)."""
    global _held
    _held = None


def held() -> Computed:
    if _held is None:
        raise InputError("view", "No roster has been calculated in this tab yet: choose the file again.")
    return _held


def view_held(spec: object) -> dict[str, Any]:
    done = held()
    checked = _check(spec)
    out: dict[str, Any] = {"calculator": "roster", "step": "view"}
    if checked.get("download"):
        out["download"] = download(done, checked["download"], checked.get("path"))
        return out
    if checked.get("breakdown") is not None:
        out["breakdown"] = breakdown(done, checked["breakdown"])
    else:
        out["view"] = view(done, checked)
    return out


def _check(spec: object) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise InputError("view", "“view” must be an object: {\"page\": 0, \"sort\": \"attendance_rate\", \"filter\": \"chronic\"}.")
    for key in spec:
        if key not in VIEW_KEYS and key != "path":
            raise InputError(unknown_field(key, "view"), f"Unknown view field “{quote(key)}”: use {', '.join(VIEW_KEYS)}.")
    out = dict(spec)
    if out.get("filter", "all") not in FILTERS:
        raise InputError("view.filter", f"Unknown filter “{quote(out['filter'])}”: use {', '.join(FILTERS)}.")
    for key, default in (("page", 0), ("page_size", PAGE_SIZE)):
        value = out.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"view.{key}", f"“{key}” must be a whole number, 0 or more.")
        out[key] = value
    out["page_size"] = max(1, min(MAX_PAGE_SIZE, out["page_size"]))
    if not isinstance(out.get("descending", False), bool):
        raise InputError("view.descending", "“descending” is true or false.")
    if out.get("download") not in (None, *DOWNLOADS):
        raise InputError("view.download", f"Unknown download “{quote(out['download'])}”: use {' or '.join(DOWNLOADS)}.")
    if out.get("download") and not isinstance(out.get("path"), str):
        raise InputError("view.path", "A download needs the “path” to write it to.")
    return out


# --- Columns the rows sort by ---------------------------------------------------------------------


def sort_columns(done: Computed) -> list[str]:
    """Every key a view sorts by: the row, the roles' columns, the results, the other columns."""
    keys = ["row", *(role for role in ("id", "name", "present") if role in done.layout.roles)]
    keys += ["enrolled", "absent", "attendance_rate", "absence_rate", *(d.id for d in done.cfg.definitions), "band", "days_can_miss"]
    keys += [f"column-{letter(i)}" for i in other_columns(done)]
    return keys


def _natural(text: str) -> list[Any]:
    """Text compared as a person sorts it: "Grade 10" after "Grade 9", case ignored."""
    parts: list[Any] = _DIGITS.split(text.casefold())
    parts[1::2] = map(int, parts[1::2])
    return parts


def _text_order(values: Sequence[str]) -> dict[str, int]:
    """Rank of each distinct text (numbers by value when every one is a plain number)."""
    distinct = list(set(values))
    joined = "\n".join(distinct)
    keys: Sequence[Any]
    if all(map(is_plain, distinct)):
        keys = list(map(float, distinct))
    elif _ANY_DIGIT.search(joined) is None:
        keys = list(map(str.casefold, distinct))  # no number inside any text: a plain sort (fast)
    else:
        keys = _natural_keys(distinct, joined)
    order = sorted(range(len(distinct)), key=keys.__getitem__)
    return dict(zip(map(distinct.__getitem__, order), range(len(order))))


# The natural order as one string per text, compared at C speed: each run of digits becomes a mark
# saying how many digits it has (leading zeros dropped), then the digits, so a shorter number sorts
# first and numbers of one length sort by their digits; the marks are control characters, below
# every letter, as `_natural`'s lists put a number before text. Texts holding control characters,
# line breaks, other scripts' digits or a number of more than 30 digits use `_natural` itself.
_RUN = re.compile("[0-9]+")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_MARKS = "".join(c for c in map(chr, range(1, 32)) if c != "\n")


class _TooLong(Exception):
    pass


def _mark(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0") or "0"
    if len(digits) > len(_MARKS):
        raise _TooLong
    return _MARKS[len(digits) - 1] + digits


def _natural_keys(distinct: list[str], joined: str) -> Sequence[Any]:
    folded = joined.casefold()
    other_digits = not folded.isascii() and _OTHER_DIGIT.search(folded) is not None
    if folded.count("\n") == len(distinct) - 1 and not other_digits and _CONTROL.search(folded) is None:
        try:
            return _RUN.sub(_mark, folded).split("\n")
        except _TooLong:
            pass
    return list(map(_natural, distinct))


def _entries(done: Computed, name: str) -> list[int]:
    """Body rows a filter keeps, in row order: students, and rows with errors or left out."""
    cfg = done.cfg
    if name == "problems":
        return sorted(done.problems)
    if name == "all":
        keep = [True] * len(done.results) + [False, True]  # BLANK (-2) out, PROBLEM (-1) in
    else:
        if name == "chronic":
            at = [done.position(d.id) for d in cfg.definitions]
            keep = [any(values[i] for i in at) for values in done.results]
        else:
            at_near = done.position("near")
            keep = [bool(values[at_near]) for values in done.results]
        keep += [False, False]
    return list(compress(range(len(done.codes)), map(keep.__getitem__, done.codes)))


def _sorted(done: Computed, entries: list[int], key: str, descending: bool) -> list[int]:
    """Entries in the order of `key`; rows without a value (a problem row's rate) always last, in
    row order; ties in row order."""
    if key == "row":
        return entries[::-1] if descending else entries
    codes = done.codes
    if key in done.fields:
        at = done.position(key)
        if key == "band":
            order = {band.id: rank for rank, band in enumerate(done.cfg.bands.items)}
            value_rank = {code: order[values[at]] for code, values in enumerate(done.results)}
        else:
            distinct = sorted({values[at] for values in done.results if values[at] is not None})
            rank = {value: index for index, value in enumerate(distinct)}
            value_rank = {code: rank[values[at]] for code, values in enumerate(done.results) if values[at] is not None}
        valued = [e for e in entries if codes[e] in value_rank]
        rest = [e for e in entries if codes[e] not in value_rank]
        ranks = list(map(value_rank.__getitem__, map(codes.__getitem__, valued)))
    else:
        index = done.layout.roles[key] if key in done.layout.roles else _column_index(done, key)
        column = done.rows.column(index)
        texts = list(map(str.strip, map(column.__getitem__, entries)))
        valued = list(compress(entries, texts))
        rest = list(compress(entries, map(operator.not_, texts)))
        shown = list(filter(None, texts))
        order = _text_order(shown)
        ranks = list(map(order.__getitem__, shown))
    # Stable, also with reverse=True: equal values keep row order either way.
    positions = sorted(range(len(valued)), key=ranks.__getitem__, reverse=descending)
    return [valued[p] for p in positions] + rest


def _column_index(done: Computed, key: str) -> int:
    for index in other_columns(done):
        if key == f"column-{letter(index)}":
            return index
    raise InputError("view.sort", f"Unknown column “{quote(key)}” to sort by: use one of {', '.join(sort_columns(done))}.")


def view(done: Computed, spec: Mapping[str, Any]) -> dict[str, Any]:
    key = spec.get("sort", "row")
    if key not in sort_columns(done):
        raise InputError("view.sort", f"Unknown column “{quote(key)}” to sort by: use one of {', '.join(sort_columns(done))}.")
    size = spec.get("page_size", PAGE_SIZE)
    descending = bool(spec.get("descending", False))
    if key == "row" and not descending and spec.get("filter", "all") == "all":
        # The first view of every roster: no list of a million entries, only the page's rows.
        total = len(done.codes) - done.counts.get(BLANK, 0)
        pages = max(1, -(-total // size))
        page = min(spec.get("page", 0), pages - 1)
        keep = [True] * len(done.results) + [False, True]
        rows = compress(range(len(done.codes)), map(keep.__getitem__, done.codes))
        shown = list(islice(rows, page * size, (page + 1) * size))
    else:
        entries = _sorted(done, _entries(done, spec.get("filter", "all")), key, descending)
        total = len(entries)
        pages = max(1, -(-total // size))
        page = min(spec.get("page", 0), pages - 1)
        shown = entries[page * size : (page + 1) * size]
    return {
        "filter": spec.get("filter", "all"),
        "sort": key,
        "descending": bool(spec.get("descending", False)),
        "total": total,
        "page": page,
        "pages": pages,
        "page_size": size,
        "first": page * size + 1 if shown else 0,
        "rows": [row_entry(done, index) for index in shown],
    }


def row_entry(done: Computed, index: int) -> dict[str, Any]:
    """One row as the table shows it: its cells as read, and its results or its problem."""
    code = done.codes[index]
    cells = done.rows.cells(index)
    cells += [""] * (len(done.headers) - len(cells))
    if code < 0:
        problem = done.problems[index]
        return {"row": problem["row"], "kind": "left_out" if "field" not in problem else "error", "cells": cells, "results": None, "message": problem["message"]}
    values = dict(zip(done.fields, done.results[code]))
    values["chronic_any"] = any(values[d.id] for d in done.cfg.definitions)
    return {"row": done.first_row + index, "kind": "student", "cells": cells, "results": values, "message": None}


# --- Breakdown --------------------------------------------------------------------------------------


def breakdown(done: Computed, header: object) -> dict[str, Any]:
    """Students per value of a column (grade, school, teacher): counts per definition, per LAUSD
    band, and within NEAR_DAYS of a line."""
    if not isinstance(header, str):
        raise InputError("breakdown", "“breakdown” names a column by its header, e.g. \"Grade\".")
    index = next((i for i in other_columns(done) if done.headers[i] == header.strip() or letter(i) == header.strip()), None)
    if index is None:
        names = ", ".join(f"“{done.headers[i]}”" for i in other_columns(done)) or "none"
        raise InputError("breakdown", f"No other column is headed “{quote(header)}”: break down by one of {names}.")
    cfg = done.cfg
    texts, column = done.rows.column_codes(index)
    at = {name: done.position(name) for name in done.fields}
    strict_ids = [d.id for d in cfg.definitions if d.literal is not None]
    # A breakdown needs of each result only its flags and band: a few dozen kinds at most. Rows per
    # (value, kind) as one integer each, counted at C speed.
    kinds: dict[tuple[Any, ...], int] = {}
    kind_of = [kinds.setdefault((*(bool(v[at[d.id]]) for d in cfg.definitions), *(bool(v[at[f"{i}_strict"]]) for i in strict_ids),
                                 bool(v[at["near"]]), v[at["band"]]), len(kinds)) for v in done.results]
    stride = len(kinds) + 1
    kind_of += [stride - 1, stride - 1]  # BLANK and PROBLEM (codes -2 and -1): no student
    keys = map(operator.add, map(operator.mul, column, repeat(stride)), map(kind_of.__getitem__, done.codes))
    described = {kind: key for key, kind in kinds.items()}
    groups: dict[str, dict[str, Any]] = {}
    for key, count in Counter(keys).items():
        which, kind = divmod(key, stride)
        if kind == stride - 1:
            continue
        value = texts[which].strip()
        group = groups.get(value)
        if group is None:
            group = groups[value] = {
                "value": value, "students": 0,
                "chronic": {d.id: 0 for d in cfg.definitions},
                "chronic_strict": {i: 0 for i in strict_ids},
                "near": 0, "bands": {band.id: 0 for band in cfg.bands.items},
            }
        flags = described[kind]
        group["students"] += count
        for position, d in enumerate(cfg.definitions):
            if flags[position]:
                group["chronic"][d.id] += count
        for position, ident in enumerate(strict_ids, start=len(cfg.definitions)):
            if flags[position]:
                group["chronic_strict"][ident] += count
        if flags[-2]:
            group["near"] += count
        group["bands"][flags[-1]] += count
    order = _text_order([v for v in groups if v])
    listed = sorted((g for g in groups.values() if g["value"]), key=lambda g: order[g["value"]])
    listed += [g for g in groups.values() if not g["value"]]  # blank cells last
    for group in listed:
        group["share"] = {key: chronic.percent_shown(n, group["students"]) for key, n in group["chronic"].items()}
    return {"column": done.headers[index], "letter": letter(index), "groups": listed}
