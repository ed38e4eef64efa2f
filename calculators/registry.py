"""The one list of calculators: every adapter reads it (bridge, CLI, page generation, page scripts).

Adding a calculator is one entry here, its module (`from_input`), its text formatter, its page
template `policy_tools/calculator_templates/<page>.md` and its page script `docs/assets/js/<script>`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import chronic, excused, roster, text, withdrawal


@dataclass(frozen=True)
class Calculator:
    name: str                                              # the bridge's `calculator`, the CLI command
    from_input: Callable[..., dict[str, Any]]              # (data), or (data, progress) if reports_progress
    as_text: Callable[[dict[str, Any]], str]               # the CLI's output without --json
    page: str                                              # /calculators/<page>/
    title: str                                             # the page's title, as other pages link it
    rules: str                                             # policy_data/rules/<rules>.yaml
    script: str                                            # docs/assets/js/<script>: the page's glue
    reports_progress: bool = False                         # takes progress(fraction, step): the page shows a bar


CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in (
        Calculator("chronic", chronic.from_input, text.chronic, "chronic-absence", "Chronic absence calculator",
                   "chronic", "calc-chronic.mjs"),
        Calculator("roster", roster.from_input, text.roster, "roster", "Roster chronic absence calculator",
                   "chronic", "calc-roster.mjs", reports_progress=True),
        Calculator("excused", excused.from_input, text.excused, "excused-absences", "Excused-absence limits",
                   "excused", "calc-excused.mjs"),
        Calculator("withdrawal", withdrawal.from_input, text.withdrawal, "withdrawal", "Withdrawal documents",
                   "withdrawal", "calc-withdrawal.mjs"),
    )
}


def applying(rules: str) -> Calculator:
    """The calculator a paragraph behind `rules` links to ("Apply it"): the first that reads them."""
    return next(c for c in CALCULATORS.values() if c.rules == rules)
