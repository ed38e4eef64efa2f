"""A roster file as rows of text cells, numbered as a spreadsheet numbers them (row 1 = first line).

One reader for the command line and the browser (the page writes the chosen file into Pyodide's
file system and sends its path), so a file is read the same way on every path:

- `.xlsx` (a zip starting with "PK"): openpyxl reads the first sheet, cached values of formulas;
  numbers become the text a person would type (180, 17.5). openpyxl is imported only here, so a CSV
  never needs it (in the browser its wheels are loaded only when such a file is chosen).
- text: a byte order mark names the encoding (UTF-8, UTF-16); UTF-16 without one is recognised by
  its zero bytes; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what Excel's
  "CSV" saves on Windows). Files with control bytes no text export holds are refused as binary.

Rows: a record ends only at a line break outside quotes (CR, LF or CRLF), never at U+2028, NEL or
a form feed inside a cell, and a quoted line break stays inside its cell, so row N here is row N in
the spreadsheet. A quote that is never closed is named with its row; the lines after it are read
again as if the quote were a plain character, so one stray quote costs one row, not the file.
Cells are always as the csv module reads them (a quoted delimiter stays in its cell, "" is one
quote), whichever way the file is kept (`Table`).
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import repeat
from pathlib import Path

from .errors import InputError
from .quoted_lines import CELL, unquoted

DELIMITERS = (",", ";", "\t")
# Bytes a text export never holds (NUL and the C0 controls other than tab, line feed, form feed,
# carriage return); a few in a text file are tolerated, a binary file is full of them.
_CONTROLS = frozenset(range(0, 32)) - {9, 10, 11, 12, 13}
_SNIFF = 65536
HEAD_KEPT = 64  # rows kept after release_lines: the header search and the column step's sample


@dataclass
class Table:
    """Rows of cells. A text file is kept as `blocks` of its text, whole lines each (about
    READ_BYTES of the file), split into cells a chunk at a time where needed (roster_body.Rows): a
    district file is some thirty strings, never a million line strings nor one string as large as
    the file (in the browser the heap never shrinks, and a free space that large is rarely there
    again). A file with quotes whose records are one per line is kept so too, each line its cells
    as the csv module reads them with CELL between them (the delimiter then); one with a quoted
    line break or an unclosed quote (the csv module must read it as one text), or a workbook, is
    kept as `records`."""

    encoding: str  # "UTF-8", "UTF-16", "Windows-1252", "xlsx"
    delimiter: str | None = None
    blocks: list[str] | None = None  # the text's lines, "\n" between lines, none at the end of a block
    records: list[list[str]] | None = None  # one per row, split
    problems: list[dict[str, object]] = field(default_factory=list)  # e.g. an unclosed quote
    head: list[str] = field(default_factory=list)  # the first HEAD_KEPT lines: the header search, the sample
    count: int = 0  # lines in the blocks

    @classmethod
    def of_blocks(cls, blocks: list[str], encoding: str, delimiter: str) -> "Table":
        table = cls(encoding, delimiter, blocks=blocks, count=sum(map(str.count, blocks, repeat("\n"))) + len(blocks))
        for block in blocks:
            if len(table.head) >= HEAD_KEPT:
                break
            table.head += block.split("\n", HEAD_KEPT - len(table.head))[: HEAD_KEPT - len(table.head)]
        return table

    def __len__(self) -> int:
        if self.blocks is not None:
            return self.count
        return len(self.records or [])

    def row(self, index: int) -> list[str]:
        """Cells of row `index` (0-based; spreadsheet row index + 1)."""
        if self.blocks is not None:
            assert self.delimiter is not None
            if index < len(self.head):
                return self.head[index].split(self.delimiter)
            for block in self.blocks:  # beyond the head (never asked for by the roster)
                lines = block.count("\n") + 1
                if index < lines:
                    return block.split("\n")[index].split(self.delimiter)
                index -= lines
            raise IndexError(index)
        assert self.records is not None
        return self.records[index]


def read_bytes(data: bytes, name: str = "the file") -> Table:
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("file", f"{name} is an old Excel workbook (.xls): in Excel choose File > Save As > Excel Workbook (.xlsx) or CSV, and choose that file.")
    text, encoding = decode(data, name)
    return read_text(text, encoding)


READ_BYTES = 1 << 20  # a text file is read and decoded this many bytes at a time


def read_path(path: Path, name: str) -> Table:
    """`read_bytes` of a file, a text file read READ_BYTES at a time: its bytes are never held
    whole, nor its text as one string (the encoding found as `decode` finds it)."""
    with path.open("rb") as file:
        head = file.read(_SNIFF)
        if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return read_bytes(head + file.read(), name)
    found = _codec_of(head, name)
    if found is not None:
        codec, label, skip = found
        try:
            return _read_blocks(_line_blocks(_decoded(path, codec, skip)), label)
        except _Undecodable as exc:
            raise InputError("file", f"{name} starts as {label} text but byte {exc.at + 1:,} is not {label}: save the file again as CSV UTF-8 and choose it.") from None
    try:
        return _read_blocks(_line_blocks(_decoded(path, "utf-8", 0)), "UTF-8")
    except _Undecodable:
        pass
    return _read_blocks(_line_blocks(_decoded(path, "cp1252" if _cp1252_file_ok(path) else "latin-1", 0)), "Windows-1252")


class _Undecodable(Exception):
    def __init__(self, at: int) -> None:
        super().__init__(at)
        self.at = at  # the first byte that is not the encoding's, counted after the byte order mark skipped


def _decoded(path: Path, codec: str, skip: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    done = 0
    with path.open("rb") as file:
        file.seek(skip)
        while True:
            raw = file.read(READ_BYTES)
            pending = len(decoder.getstate()[0])
            try:
                piece = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                raise _Undecodable(done - pending + exc.start) from None
            done += len(raw)
            if piece:
                yield piece
            if not raw:
                return


def _cp1252_file_ok(path: Path) -> bool:
    with path.open("rb") as file:
        while raw := file.read(READ_BYTES):
            if not _cp1252_ok(raw):
                return False
    return True


def _line_blocks(pieces: Iterable[str]) -> list[str]:
    """The text of `pieces` as blocks of whole lines, as `read_text` reads a text: a byte order
    mark left out, CR LF and CR read as LF (also when a piece ends between the two), the final
    line break left out."""
    blocks: list[str] = []
    tail, first = "", True
    for piece in pieces:
        if first and piece.startswith("\ufeff"):
            piece = piece[1:]
        first = False
        text, held = tail + piece, ""
        if text.endswith("\r"):
            text, held = text[:-1], "\r"  # the next piece may start with its LF
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        cut = text.rfind("\n")
        if cut < 0:
            tail = text + held
            continue
        blocks.append(text[:cut])
        tail = text[cut + 1 :] + held
    if tail:
        tail = tail.replace("\r", "\n")
        blocks.append(tail[:-1] if tail.endswith("\n") else tail)
    return [] if blocks == [""] else blocks  # a text of one line break has no line, as read_text reads it


def _read_blocks(blocks: list[str], encoding: str, delimiter: str | None = None) -> Table:
    if delimiter is None:
        delimiter = delimiter_of(_first_nonblank(blocks))
    if not any('"' in block for block in blocks):
        return Table.of_blocks(blocks, encoding, delimiter)
    done = unquoted(blocks, delimiter)
    if done == len(blocks):
        return Table.of_blocks(blocks, encoding, CELL)
    # A quoted line break or an unclosed quote in block `done`: the csv module reads the file from
    # there as one text; the blocks before it are already its records, one per line.
    table = Table(encoding, delimiter, records=[line.split(CELL) if line else [] for block in blocks[:done] for line in block.split("\n")])
    text = "\n".join(blocks[done:])
    del blocks[:]
    _read_quoted_text(text, table)
    return table


def _codec_of(head: bytes, name: str) -> tuple[str, str, int] | None:
    """(codec, encoding name as a person knows it, bytes of byte order mark to skip) when the
    file's first bytes name the encoding; None for UTF-8 if valid, else Windows-1252."""
    if head[:3] == b"\xef\xbb\xbf":
        return "utf-8", "UTF-8", 3
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16", "UTF-16", 0
    if len(head) >= 4 and head.count(0) * 3 > len(head):
        # UTF-16 without a byte order mark: ASCII text has a zero in every other byte.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        codec = "utf-16-le" if odd > even * 4 else "utf-16-be" if even > odd * 4 else None
        if codec:
            return codec, "UTF-16", 0
    # NUL never appears in a text export (UTF-16 was handled above); other control bytes only a few
    # (a label may hold an escape sequence); random or binary data has both.
    if b"\x00" in head or sum(map(head.count, _CONTROLS_BYTES)) * 10 > len(head):
        raise InputError("file", f"{name} is not a text or Excel file (it holds binary data): export the roster as CSV or .xlsx and choose that file.")
    return None


def decode(data: bytes, name: str = "the file") -> tuple[str, str]:
    """(text, encoding name as a person knows it)."""
    found = _codec_of(data[:_SNIFF], name)
    if found is not None:
        codec, label, skip = found
        return _strict(memoryview(data)[skip:], codec, label, name), label
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 leaves five bytes undefined; browsers (WHATWG) read them as C1 controls, as
    # Latin-1 does, so no byte is refused or lost.
    return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1"), "Windows-1252"


_CONTROLS_BYTES = [bytes([b]) for b in sorted(_CONTROLS)]


def _cp1252_ok(data: bytes) -> bool:
    return not any(bytes([b]) in data for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _strict(data: bytes | memoryview, codec: str, label: str, name: str) -> str:
    try:
        return str(data, codec)
    except UnicodeDecodeError as exc:
        raise InputError("file", f"{name} starts as {label} text but byte {exc.start + 1:,} is not {label}: save the file again as CSV UTF-8 and choose it.") from None


def delimiter_of(line: str) -> str:
    counts = [(line.count(d), d) for d in DELIMITERS]
    best = max(counts)
    return best[1] if best[0] else ","


def read_text(text: str, encoding: str = "UTF-8", delimiter: str | None = None) -> Table:
    pieces = (text[at : at + READ_BYTES] for at in range(0, len(text), READ_BYTES))
    return _read_blocks(_line_blocks(pieces), encoding, delimiter)


def _read_quoted_text(text: str, table: Table) -> None:
    """A text with quotes (line breaks made LF, the final one left out), by the csv module, its
    records after those `table` holds (its rows numbered after them)."""
    lines = text.split("\n")
    del text
    start = _read_quoted(lines, table)
    if start < len(lines):
        _read_lines(lines, start, table)


def _first_nonblank(blocks: list[str]) -> str:
    lines: list[str] = []
    for block in blocks:  # the first 40 lines, without splitting the rest of the text
        lines += block.split("\n", 40 - len(lines))[: 40 - len(lines)]
        if len(lines) >= 40:
            break
    return next((line for line in lines if line.strip(" \t,;")), "")


def _read_quoted(lines: list[str], table: Table) -> int:
    """Read records with the csv module; return the line to go on from, after an unclosed quote
    (len(lines) when the whole text was read)."""
    assert table.records is not None and table.delimiter is not None
    records = table.records
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=table.delimiter)
    used = 0  # physical lines consumed so far
    for record in reader:
        if reader.line_num == len(lines) and reader.line_num - used > 1 and _open_quote("\n".join(lines[used:])):
            # The last record ran to the end of the file inside quotes: a quote never closed.
            _unclosed(lines, used, table)
            return used + 1
        records.append(record)
        used = reader.line_num
    return len(lines)


def _read_lines(lines: list[str], start: int, table: Table) -> None:
    """After an unclosed quote, one record per line (a quoted line break there would be ambiguous):
    a line with an odd number of quotes is another unclosed quote. Linear, whatever the text."""
    assert table.records is not None and table.delimiter is not None
    for index in range(start, len(lines)):
        line = lines[index]
        if _open_quote(line):
            _unclosed(lines, index, table)
        else:
            table.records.append(next(csv.reader([line], delimiter=table.delimiter), []))


def _unclosed(lines: list[str], index: int, table: Table) -> None:
    assert table.records is not None
    row = len(table.records) + 1
    table.records.append([])  # not computed: its cells cannot be told apart
    table.problems.append({
        "row": row,
        "cells": [lines[index]],
        "message": f"Row {row} has a quote (\") that is never closed, so a spreadsheet would read every later line into one cell: close the quote or delete it. The rows after it are read one line per row.",
    })


def _open_quote(raw: str) -> bool:
    return raw.count('"') % 2 == 1


# --- .xlsx ------------------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> Table:
    try:
        import openpyxl
    except ImportError:  # only when the library is not installed (python -m pip install openpyxl)
        raise InputError("file", f"{name} is an Excel workbook and reading it needs the openpyxl package: install it, or save the sheet as CSV.") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError("file", f"{name} is a zip file but not an Excel workbook Excel can open ({exc}): save it again as .xlsx or CSV.") from None
    try:
        sheet = book.worksheets[0]
        records = [list(row) for row in _sheet_rows(sheet)]
    finally:
        book.close()
    return Table("xlsx", None, records=records)


def _sheet_rows(sheet: object) -> Iterator[list[str]]:
    expected = 1
    for cells in sheet.iter_rows():  # type: ignore[attr-defined]
        number = next((c.row for c in cells if getattr(c, "row", None)), expected)
        while expected < number:  # rows Excel left out of the file are empty rows
            yield []
            expected += 1
        values = [_cell_text(c.value) for c in cells]
        while values and values[-1] == "":
            values.pop()
        yield values
        expected += 1


def _cell_text(value: object) -> str:
    """A cell as the text a person would type: 180, 17.5, 2024-09-09."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
