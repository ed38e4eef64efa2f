"""A roster's body rows as columns of text, split once, and the totals rows among them."""
from __future__ import annotations

import re
from itertools import repeat

from .roster_columns import Layout
from .table_file import Table

# A totals or subtotal row, as exports and spreadsheets label them.
_TOTAL = re.compile(r"[ \t]*(?:grand[ \t]+|sub-?[ \t]*|school[ \t]+|class[ \t]+|grade[ \t]+|district[ \t]+)?(?:totals?|sum|average|avg|mean)\b[^\w\n]*", re.IGNORECASE)
_TOTAL_WORDS = ("tot", "sum", "av", "mean")
_TOTAL_LINE = re.compile(r"^" + _TOTAL.pattern + "$", re.IGNORECASE | re.MULTILINE)

class Rows:
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


def totals(rows: Rows, layout: Layout) -> dict[int, str]:
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
