"""A quoted text file's lines as their cells, as the csv module reads them, joined by CELL: a file
whose records are one per line (no quoted line break, no unclosed quote) is then kept as blocks of
text and split as an unquoted file (table_file, roster_body.Rows): the file's text once, never a
million records, and a quoted delimiter or "" reads the same on every path."""
from __future__ import annotations

import csv

# The delimiter of a quoted file's blocks once its cells are read (the unit separator, which no
# export puts in a cell: a file holding one is read as records).
CELL = "\x1f"


def unquoted(blocks: list[str], delimiter: str) -> int:
    """Rewrite the blocks in place, block by block, each line as its cells joined by CELL; return
    how many were rewritten (len(blocks) when all were), stopping at the first that is not one
    record per line."""
    if any(CELL in block for block in blocks):
        return 0
    for number, block in enumerate(blocks):
        if '"' not in block:
            blocks[number] = block.replace(delimiter, CELL)  # the csv module splits such a line at each delimiter
            continue
        text = plain_quotes(block, delimiter)
        if text is None:
            text = by_csv(block, delimiter)
            if text is None:
                return number
        blocks[number] = text
    return len(blocks)


def plain_quotes(block: str, delimiter: str) -> str | None:
    """The cells of a block whose every quote opens a whole cell (after a delimiter or at a line's
    start) or closes it (before a delimiter or at a line's end), none holding a line break or a ""
    (what exports write): the csv module reads each such quoted cell as its text between the quotes,
    and every delimiter outside them as the end of a cell. Done with a few passes of string methods
    over the block (in the browser the csv module's record per line costs several times more);
    None for any other block (the csv module reads it)."""
    parts = block.replace(delimiter, CELL).split('"')  # inside quotes: parts[1::2]
    if len(parts) % 2 == 0:  # a quote left open
        return None
    inside = '"'.join(parts[1::2])  # holds no quote: split again below into the same cells
    if "\n" in inside:
        return None
    ends = (CELL, "\n")
    first, last = parts[0], parts[-1]
    if (first and first[-1] not in ends) or (last and last[0] not in ends):
        return None
    # Between a closing and the next opening quote: at least one character, the first and the last
    # a delimiter (a CELL now) or a line break. Counted at C speed with each part between quotes
    # (no part holds one): a mark before a part is followed by its first character, one after it
    # preceded by its last; an empty part is two marks.
    between = parts[2:-1:2]
    if between:
        marked = '"' + '""'.join(between) + '"'
        del between
        if marked.count('"' + CELL) + marked.count('"\n') != len(parts) // 2 - 1:
            return None
        if marked.count(CELL + '"') + marked.count('\n"') != len(parts) // 2 - 1:
            return None
        del marked
    parts[1::2] = inside.replace(CELL, delimiter).split('"')
    return "".join(parts)


def by_csv(block: str, delimiter: str) -> str | None:
    """The cells of a block by the csv module (C speed), or None when a record of it is not one
    line (a quoted line break, a quote left open at its end) or a cell is over the csv module's
    size limit: the whole text is read as records then."""
    lines = block.split("\n")
    lines.append("")  # a last line left inside quotes would take this one in: one record short
    try:
        # A record read across lines joins them without a line break (the lines hold none):
        # the text has one line break fewer. The records are not kept, only their text.
        text = "\n".join(map(CELL.join, csv.reader(lines, delimiter=delimiter)))
    except csv.Error:
        return None
    if text.count("\n") != len(lines) - 1:
        return None
    return text[:-1]  # the empty record of the line added
