"""A computed roster as its answer: the summary, the reasons and notes, every row spelled out
(`to_result`), and the column step (`columns_step`)."""
from __future__ import annotations

from collections.abc import Mapping
from itertools import compress
from typing import Any

from . import chronic
from .reasons import Reason, reason, reading_source
from .roster_columns import ROLE_NAMES, ROLES, Layout, confident, letter, missing_columns
from .roster_compute import NEAR_DAYS, Computed
from .table_file import Table

SAMPLE_ROWS = 5

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
        reasons.append(reason(d.id, f"{d.name}: chronic means {d.threshold_text()}; {counts[d.id]:,} of {count_of(students, 'student')}.", d.source))
        if d.id in strict_counts:
            reading = cfg.readings["lausd_whole_percent"]
            reasons.append(reason("lausd_whole_percent", " ".join(reading["reading"].split()), reading_source(reading)))
            if strict_counts[d.id] != counts[d.id]:
                reasons.append(reason(
                    f"{d.id}_strict",
                    f"Read strictly (the rate as it is, not in whole percent), {strict_counts[d.id]:,} of {count_of(students, 'student')} would be chronic under the {d.name}, not {counts[d.id]:,}.",
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
        notes.append(f"{count_of(len(done.left_out), 'totals row')} left out of the counts (row{'s' if len(done.left_out) > 1 else ''} {listed}).")
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
    done.rows.keep_columns([*(done.layout.roles[r] for r in ("id", "name", "present") if r in done.layout.roles), *other_columns(done)])
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


def count_of(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")

def columns_step(table: Table, layout: Layout) -> dict[str, Any]:
    """What the column step shows: the header found, the guessed roles and a few rows."""
    start = layout.header_row + 1
    sample = [table.row(i) for i in range(start, min(len(table), start + SAMPLE_ROWS))]
    return _step(layout, table.encoding, sample, max(0, len(table) - start), missing_columns(layout))


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

def columns_step_of(done: Computed) -> dict[str, Any]:
    """The column step of a computed roster (shown above its result, to change the columns)."""
    sample = [done.rows.cells(i) for i in range(min(done.rows.count, SAMPLE_ROWS))]
    return _step(done.layout, done.encoding, sample, done.rows.count, None)
