"""A roster's body rows as columns of text, split once, and the totals rows among them."""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, repeat

from .table_file import Table

# A totals or subtotal row, as exports and spreadsheets label them.
_TOTAL = re.compile(r"[ \t]*(?:grand[ \t]+|sub-?[ \t]*|school[ \t]+|class[ \t]+|grade[ \t]+|district[ \t]+)?(?:totals?|sum|average|avg|mean)\b[^\w\n]*", re.IGNORECASE)
_TOTAL_WORDS = ("tot", "sum", "av", "mean")
_TOTAL_LINE = re.compile(r"^" + _TOTAL.pattern + "$", re.IGNORECASE | re.MULTILINE)

CHUNK_ROWS = 1 << 15  # rows split into cells at a time: a district file is never held as cells
CHUNK_CHARS = 1 << 20  # of a text file, characters (whole lines) split into cells at a time


class Rows:
    """The body of the table: the blocks of the file's text (or its records, for a file with a
    quoted line break, a workbook), split into cells a chunk at a time when a column is needed.
    A million rows are some thirty strings, not a million line strings nor six million cell strings
    (the tab's memory, and the time to make and free them). A quoted file whose records are one per
    line has blocks too, its cells already read by the csv module (table_file.CELL between them)."""

    def __init__(self, table: Table, start: int, width: int) -> None:
        self.count = max(0, len(table) - start)
        self.width = width
        self.delimiter = table.delimiter or ","
        self.blocks: list[str] | None = None
        self.spans: list[tuple[int, int, int]] = []  # of the blocks: (block, start, end) of each chunk's lines
        self.firsts: list[int] = []  # each chunk's first body row
        self._starts: dict[int, array[int]] = {}  # a chunk's line starts, made when a row of it is asked for
        self.records: list[list[str]] | None = None
        self.extra_width = 0
        self._columns: dict[int, list[str]] = {}
        self._codes: dict[int, tuple[list[str], array[int]]] = {}
        self._blank_lines: set[int] = set()  # chunks holding an empty line (a blank row, as exports put them)
        # Chunks whose lines are not all `stride` cells wide (a row shorter or longer than the
        # header, or a longer row elsewhere) -> the delimiters in each of their lines when that is
        # one number for all (none empty), else None; `chunks` pads their rows with empty cells.
        self.uneven: dict[int, int | None] = {}
        if table.blocks is not None:
            self.blocks = table.blocks
            self._spans(table.blocks, start)
            self._widths()
        else:
            assert table.records is not None
            self.records = table.records[start:]
            self.extra_width = max(0, max(map(len, self.records), default=0) - width)
        self.stride = width + self.extra_width  # cells per row in `chunks`

    def _widths(self) -> None:
        """The widest row beyond the header's width (`extra_width`), and the chunks whose lines are
        not all of the widest width: a ragged row costs its chunk a split line by line, never the
        whole file's rows as records. An empty line is a blank row: `chunks` gives it the width of
        empty cells, as a row of empty cells is."""
        found: list[tuple[set[int], bool]] = []
        for chunk, (_, lines) in enumerate(self.line_chunks()):
            counts = set(map(str.count, lines, repeat(self.delimiter)))
            # Lines without a delimiter all empty (a blank row), not one cell of text.
            blank = 0 in counts and lines.count("") == list(map(str.count, lines, repeat(self.delimiter))).count(0)
            found.append((counts, blank))
            self.extra_width = max(self.extra_width, max(counts) + 1 - self.width)
        wide = self.width + self.extra_width - 1  # delimiters in a line of every cell
        for chunk, (counts, blank) in enumerate(found):
            if counts == {wide} or (blank and counts <= {wide, 0}):
                if blank:
                    self._blank_lines.add(chunk)
            else:
                # Lines all of one width, short of the widest, none empty: padded at C speed.
                self.uneven[chunk] = next(iter(counts)) if len(counts) == 1 and 0 not in counts else None

    def _spans(self, blocks: list[str], start: int) -> None:
        """Chunks of at most about CHUNK_CHARS characters of whole lines, from body row 0 on."""
        if not self.count:
            return
        number, at = 0, 0  # the block holding line `start` (the first body row), and where it starts
        while start > blocks[number].count("\n"):
            start -= blocks[number].count("\n") + 1
            number += 1
        for _ in range(start):
            at = blocks[number].index("\n", at) + 1
        row = 0
        for number in range(number, len(blocks)):
            block = blocks[number]
            end = len(block)
            while True:
                cut = end if end - at <= CHUNK_CHARS else block.rfind("\n", at, at + CHUNK_CHARS)
                if cut < at:  # a line longer than a chunk
                    cut = block.find("\n", at + CHUNK_CHARS)
                    cut = end if cut < 0 else cut
                self.spans.append((number, at, cut))
                self.firsts.append(row)
                row += block.count("\n", at, cut) + 1
                if cut >= end:
                    break
                at = cut + 1
            at = 0

    def line_chunks(self, blocks: list[str] | None = None) -> Iterator[tuple[int, list[str]]]:
        """(first body row, its lines) per chunk of a text file."""
        blocks = self.blocks if blocks is None else blocks
        assert blocks is not None
        for first, (number, at, cut) in zip(self.firsts, self.spans):
            yield first, blocks[number][at:cut].split("\n")

    def chunks(self) -> Iterator[tuple[int, str | None, list[str]]]:
        """(first body row, the chunk's text or None, its cells: `stride` per row), in row order.
        The text is given when its cells are exactly the lines' cells (none added): `chunk_totals`
        finds a totals row in it by position, and the caller may keep a row's cells from it."""
        delimiter, stride = self.delimiter, self.stride
        pad = [""] * stride
        if self.blocks is not None:
            empty = delimiter * (stride - 1)
            for chunk, (first, (number, at, cut)) in enumerate(zip(self.firsts, self.spans)):
                text = self.blocks[number][at:cut]
                if chunk in self.uneven:
                    cells_each = self.uneven[chunk]
                    if cells_each is not None:  # every line one width, short of the widest
                        missing = delimiter * (stride - 1 - cells_each)
                        yield first, None, (text.replace("\n", missing + delimiter) + missing).split(delimiter)
                    else:
                        yield first, None, [cell for line in text.split("\n") for cell in (line.split(delimiter) + pad)[:stride]]
                    continue
                if chunk in self._blank_lines:
                    joined = delimiter.join([line or empty for line in text.split("\n")])
                else:
                    joined = text.replace("\n", delimiter)
                del text
                yield first, joined, joined.split(delimiter)
            return
        assert self.records is not None
        for base in range(0, self.count, CHUNK_ROWS):
            yield base, None, [cell for record in self.records[base : base + CHUNK_ROWS] for cell in (record + pad)[:stride]]

    def columns(self, indexes: Sequence[int]) -> list[list[str]]:
        """Whole columns (one text per body row), split in one pass over the rows."""
        out: list[list[str]] = [[] for _ in indexes]
        for _, _, cells in self.chunks():
            for column, index in zip(out, indexes):
                column += cells[index :: self.stride] if index < self.stride else [""] * (len(cells) // self.stride)
        return out

    def keep_columns(self, indexes: Sequence[int]) -> None:
        """Split the columns not yet kept in one pass (the whole result asks for every column)."""
        wanted = [i for i in dict.fromkeys(indexes) if i not in self._columns]
        if wanted:
            self._columns.update(zip(wanted, self.columns(wanted)))

    def column(self, index: int) -> list[str]:
        """One whole column, kept once asked for (a sort or breakdown asks again)."""
        if index not in self._columns:
            self._columns[index] = self.columns([index])[0]
        return self._columns[index]

    def column_codes(self, index: int) -> tuple[list[str], array[int]]:
        """One whole column as its distinct texts (in order of first appearance) and, per body row,
        the index of its text: a breakdown's grades or schools as a million small integers, not a
        million strings, kept once asked for (the next breakdown by it needs no split)."""
        found = self._codes.get(index)
        if found is None:
            number = _Numbering()
            codes = array("I")
            for _, _, cells in self.chunks():
                column = cells[index :: self.stride] if index < self.stride else [""] * (len(cells) // self.stride)
                codes.extend(map(number.__getitem__, column))
            found = self._codes[index] = (list(number), codes)
        return found

    def line(self, index: int) -> str:
        """Body row `index` of a text file, as its line."""
        assert self.blocks is not None
        chunk = bisect_right(self.firsts, index) - 1
        number, at, cut = self.spans[chunk]
        block = self.blocks[number]
        starts = self._starts.get(chunk)
        if starts is None:
            # Where each line starts (the line break after it is one character), and the chunk's end.
            starts = self._starts[chunk] = array("q", accumulate(map((1).__add__, map(len, block[at:cut].split("\n"))), initial=at))
        row = index - self.firsts[chunk]
        return block[starts[row] : starts[row + 1] - 1]

    def cells(self, index: int) -> list[str]:
        if self.blocks is not None:
            return self.line(index).split(self.delimiter)
        assert self.records is not None
        return list(self.records[index])

    def all_cells(self) -> Iterator[list[str]]:
        """Every row's cells, in row order (the download)."""
        if self.blocks is not None:
            return (line.split(self.delimiter) for _, lines in self.line_chunks() for line in lines)
        assert self.records is not None
        return map(list, self.records)


class _Numbering(dict[str, int]):
    """Text -> its number, the next one the first time it is seen (looked up at C speed after)."""

    def __missing__(self, text: str) -> int:
        self[text] = number = len(self)
        return number


def chunk_totals(joined: str | None, cells: list[str], stride: int, width: int, delimiter: str, numbers: set[int]) -> dict[int, str]:
    """Rows of one chunk labelled as totals: a text cell (not a day count) reading Total,
    Subtotal, Grand total, Average...; row in the chunk -> the cell's words (its first such column)."""
    found: dict[int, list[tuple[int, str]]] | None = _totals_flat(joined, cells, stride, delimiter) if joined is not None else None
    by_row: dict[int, str] = {}
    if found is not None:
        for index, hits in sorted(found.items()):
            for column, text in sorted(set(hits)):
                if column not in numbers:
                    by_row.setdefault(index, text)
        return by_row
    for column in range(width):
        if column in numbers:
            continue
        text = "\n".join(cells[column::stride])
        lower = text.lower()
        if not any(word in lower for word in _TOTAL_WORDS):
            continue
        position, number = 0, 0
        for match in _TOTAL_LINE.finditer(text):
            number += text.count("\n", position, match.start())
            position = match.start()
            by_row.setdefault(number, match.group(0).strip())
    return dict(sorted(by_row.items()))


def _totals_flat(joined: str, flat: list[str], width: int, delimiter: str) -> dict[int, list[tuple[int, str]]] | None:
    """Cells reading Total, Subtotal, Average... in a chunk split into `flat` cells (`joined` is
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
