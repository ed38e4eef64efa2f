"""Input limits shared by the CLI and the browser bridge (stated in DESIGN.md, "Input limits").

Anything beyond them is refused with a message naming the field, before any work is done, so no
input can exhaust the stack (deep nesting), the memory (huge requests) or the calendar (dates far
outside any school year).
"""
from __future__ import annotations

import re

from .errors import InputError

# The deepest valid request is 4 levels ({"input": {"absences": [{...}]}}); 32 leaves room and
# stays far below Python's recursion limit in CPython and Pyodide.
MAX_DEPTH = 32
# One request or input file: a roster of the whole district fits many times over.
MAX_CHARS = 50_000_000
# School years a calendar may fall in.
FIRST_YEAR, LAST_YEAR = 2000, 2099
# How much of a typed value a message quotes back.
QUOTE_CHARS = 20

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def check_size(text: str, field: str, what: str) -> None:
    if len(text) > MAX_CHARS:
        raise InputError(field, f"{what} is too big ({len(text):,} characters; at most {MAX_CHARS:,}): split it into smaller parts.")


def check_json_depth(text: str, field: str, what: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before parsing it (the parser would recurse)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    raise InputError(field, f"{what} is nested more than {MAX_DEPTH} levels deep: send a flat object like {{\"calendar\": {{...}}, \"absences\": [...]}}.")
        else:
            depth -= 1


def unknown_field(key: object, where: str = "") -> str:
    """The field an unknown key is reported under: the key itself (so a page can point at it),
    or the object holding it when the key is empty or unprintable."""
    name = str(key)
    if not name.strip() or printable(name) != name or len(name) > 40:
        return where or "input"
    return f"{where}.{name}" if where else name


def quote(value: object) -> str:
    """A typed value as a message shows it: at most QUOTE_CHARS characters, control characters
    written out (\\x1b) so a message never carries a terminal escape sequence."""
    text = value if isinstance(value, str) else repr(value)
    cut = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"
    return printable(cut)


def printable(text: str) -> str:
    """Control and bidirectional-override characters written out as escapes (\\x1b, \\u202e)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# C0 and C1 controls (ESC, CSI 0x9b, BEL, CR ...), DEL, and the bidi embeddings/overrides/isolates.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
