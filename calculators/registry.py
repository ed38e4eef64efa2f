"""The one list of calculators: every adapter reads it (bridge, CLI, page generation, page scripts).

Adding a calculator is one entry here, its module (`from_input`), its text formatter, its page
template `policy_tools/calculator_templates/<page>.md` and its page script `docs/assets/js/<script>`.

A calculator's module is imported when it is first used, not with this list: a page's first answer
in the browser then waits for its own calculator's import only (issue 18: the chronic page's first
answer does not import the roster, excused-absence and withdrawal modules; in Pyodide each import
costs several times what it does here). `import_all` imports every one (the start-up snapshot).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from . import text


@dataclass(frozen=True)
class Calculator:
    name: str                                              # the bridge's `calculator`, the CLI command
    module: str                                            # calculators.<module>, whose from_input computes it
    as_text: Callable[[dict[str, Any]], str]               # the CLI's output without --json
    page: str                                              # /calculators/<page>/
    title: str                                             # the page's title, as other pages link it
    rules: str                                             # policy_data/rules/<rules>.yaml
    script: str                                            # docs/assets/js/<script>: the page's glue
    reports_progress: bool = False                         # takes progress(fraction, step): the page shows a bar

    @property
    def from_input(self) -> Callable[..., dict[str, Any]]:
        """The module's from_input: (data), or (data, progress) if reports_progress."""
        return cast(Callable[..., dict[str, Any]], importlib.import_module(f"{__package__}.{self.module}").from_input)


CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in (
        Calculator("chronic", "chronic", text.chronic, "chronic-absence", "Chronic absence calculator",
                   "chronic", "calc-chronic.mjs"),
        Calculator("roster", "roster", text.roster, "roster", "Roster chronic absence calculator",
                   "chronic", "calc-roster.mjs", reports_progress=True),
        Calculator("excused", "excused", text.excused, "excused-absences", "Excused-absence limits",
                   "excused", "calc-excused.mjs"),
        Calculator("withdrawal", "withdrawal", text.withdrawal, "withdrawal", "Withdrawal documents",
                   "withdrawal", "calc-withdrawal.mjs"),
    )
}


def import_all() -> None:
    """Import every calculator's module now (the start-up snapshot holds them all)."""
    for calculator in CALCULATORS.values():
        importlib.import_module(f"{__package__}.{calculator.module}")


def applying(rules: str) -> Calculator:
    """The calculator a paragraph behind `rules` links to ("Apply it"): the first that reads them."""
    return next(c for c in CALCULATORS.values() if c.rules == rules)
