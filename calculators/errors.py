"""The one error a calculator raises for bad input: which field, and what to do about it."""
from __future__ import annotations


class InputError(ValueError):
    """Bad input. `message` is one sentence saying what is wrong and how to fix it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
