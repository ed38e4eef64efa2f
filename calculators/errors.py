"""The one error a calculator raises for bad input: which field, and what to do about it."""
from __future__ import annotations


class InputError(ValueError):
    """Bad input. `message` is one sentence saying what is wrong and how to fix it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InputErrors(InputError):
    """Several problems found at once (the page lists them all in its error summary). The first
    is this error's own field and message, so a caller that shows one problem shows the first."""

    def __init__(self, problems: list[InputError]) -> None:
        super().__init__(problems[0].field, problems[0].message)
        self.problems = problems
