"""Read day counts from user input (numbers or text) exactly, and show them back plainly."""
from __future__ import annotations

import math
import re
from fractions import Fraction

from .errors import InputError
from .limits import quote
from .wording import say

# Plain decimals only ("17", "17.5", ".5"), in the digits 0-9: no exponents ("1e9" would let a
# typo ask for 10**9 days), no underscores, no fractions, no other scripts' digits (Python's int()
# and Fraction() read "١٨٠" and "１８０" as 180, which would hide a wrong keyboard or column).
# The roster shares these rules: PLAIN_CHARS is every character a plain decimal may hold.
_PLAIN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
PLAIN_CHARS = frozenset("0123456789.+-")


def is_plain(text: str) -> bool:
    """True when `text` (stripped) is a plain decimal in ASCII digits, as parse_days accepts."""
    return _PLAIN.fullmatch(text) is not None


def parse_days(value: object, field: str, label: str, example: str = "17 or 17.5") -> Fraction:
    """A day count from JSON (int, float) or text ("17", "17.5"); exact, never a binary float.
    `label` and `example` are in the reader's language (the caller takes them from the wording)."""
    words = {"label": label, "example": example}
    if value is None:
        raise InputError(field, say("common.errors.missing", **words))
    if isinstance(value, bool):  # JSON true/false is not a count (and True == 1 in Python)
        raise InputError(field, say("common.errors.not_a_number", given=str(value).lower(), **words))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, say("common.errors.not_a_number", given=str(value), **words))
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(field, say("common.errors.empty", **words))
        shown = quote(text)
        if not is_plain(text):
            raise InputError(field, say("common.errors.not_a_number", given=f"“{shown}”", **words))
        try:
            return Fraction(text)
        except ValueError:  # e.g. more digits than Python converts
            raise InputError(field, say("common.errors.not_a_number", given=f"“{shown}”", **words)) from None
    raise InputError(field, say("common.errors.not_a_number_plain", **words))


def show(days: Fraction | int) -> int | float:
    """A day count for output: an int when whole (17), else a float (17.5)."""
    value = Fraction(days)
    return int(value) if value.denominator == 1 else float(value)


def text(days: Fraction | int) -> str:
    value = show(days)
    return f"{value:g}" if isinstance(value, float) else str(value)


def typed(value: object) -> str:
    """What the user typed, for a message about its value (not the number it was read as: a
    message about "1.50000000000000001" must not say 1.5)."""
    if isinstance(value, str):
        return quote(value.strip())
    if isinstance(value, float):
        return repr(value)
    return quote(value)


def brief(days: Fraction | int) -> str:
    """`text`, cut to 20 characters: a message quotes what was typed, not a page of digits."""
    shown = text(days)
    return shown if len(shown) <= 20 else shown[:20] + "…"
