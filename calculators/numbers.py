"""Read day counts from user input (numbers or text) exactly, and show them back plainly."""
from __future__ import annotations

import math
import re
from fractions import Fraction

from .errors import InputError

# Plain decimals only ("17", "17.5", ".5"): no exponents ("1e9" would let a typo ask for 10**9
# days), no underscores, no fractions.
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")


def parse_days(value: object, field: str, label: str, example: str = "17 or 17.5") -> Fraction:
    """A day count from JSON (int, float) or text ("17", "17.5"); exact, never a binary float."""
    if isinstance(value, bool) or value is None:
        raise InputError(field, f"{label} is missing: enter a number of days, like {example}.")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, f"{label} must be a number of days, like {example}, not {value}.")
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(field, f"{label} is empty: enter a number of days, like {example}.")
        shown = text if len(text) <= 20 else text[:20] + "…"
        if not _PLAIN.fullmatch(text):
            raise InputError(field, f"{label} must be a number of days, like {example}, not “{shown}”.")
        try:
            return Fraction(text)
        except ValueError:  # e.g. more digits than Python converts
            raise InputError(field, f"{label} must be a number of days, like {example}, not “{shown}”.") from None
    raise InputError(field, f"{label} must be a number of days, like {example}.")


def show(days: Fraction | int) -> int | float:
    """A day count for output: an int when whole (17), else a float (17.5)."""
    value = Fraction(days)
    return int(value) if value.denominator == 1 else float(value)


def text(days: Fraction | int) -> str:
    value = show(days)
    return f"{value:g}" if isinstance(value, float) else str(value)


def brief(days: Fraction | int) -> str:
    """`text`, cut to 20 characters: a message quotes what was typed, not a page of digits."""
    shown = text(days)
    return shown if len(shown) <= 20 else shown[:20] + "…"
