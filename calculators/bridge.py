"""The browser adapter: one JSON-in, JSON-out function for Pyodide (contract in DESIGN.md).

`handle('{"calculator": "chronic", "input": {"enrolled": 180, "absent": 17}, "lang": "en"}')` returns
`{"ok": true, "result": {...}}` (the same object `python -m calculators chronic ... --json` prints)
or `{"ok": false, "error": {"field": ..., "message": ...}}` (with `"errors": [...]`, every problem in
form order, when a calculator found more than one at once). `lang` (optional, default "en") is the
language of the result's words (calculators.wording); an unknown one is an error on field `lang`.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from . import wording
from .errors import InputError
from .registry import CALCULATORS
from .limits import check_json_depth, check_size, quote


def _error(field: str, message: str, problems: list[InputError] | None = None) -> str:
    answer: dict[str, Any] = {"ok": False, "error": {"field": field, "message": message}}
    if problems and len(problems) > 1:
        # Every problem found, in the order of the form, so a page can list them all at once.
        answer["errors"] = [{"field": p.field, "message": p.message} for p in problems]
    return json.dumps(answer, ensure_ascii=False)


def run(request: Mapping[str, Any], progress: Callable[[float, str], None] | None = None) -> dict[str, Any]:
    """The decoded form of `handle`: raises InputError for bad input. `progress(fraction, step)`
    is told how far a long roster has got (the page shows a progress bar)."""
    name = request.get("calculator")
    if not isinstance(name, str) or name not in CALCULATORS:
        shown = "nothing" if name is None else f"“{quote(name)}”"
        raise InputError("calculator", f"Unknown calculator {shown}: use one of {', '.join(CALCULATORS)}.")
    unknown = sorted((key for key in request if key not in ("calculator", "input", "lang")), key=str)
    if unknown:
        raise InputError("request", f"Unknown field “{quote(unknown[0])}” in the request: send only calculator, input and (optionally) lang.")
    data = request.get("input", {})
    if not isinstance(data, Mapping):
        raise InputError("input", "“input” must be an object of the calculator's fields.")
    calculator = CALCULATORS[str(name)]
    with wording.using(request.get("lang")):
        if calculator.reports_progress:
            return calculator.from_input(data, progress)
        return calculator.from_input(data)


def handle(request: str, progress: Callable[[float, str], None] | None = None) -> str:
    if not isinstance(request, str):
        return _error("request", "The request must be JSON text.")
    try:
        check_size(request, "request", "The request")
        check_json_depth(request, "request", "The request")
    except InputError as exc:
        return _error(exc.field, exc.message)
    try:
        decoded = json.loads(request)
    except (TypeError, ValueError) as exc:
        return _error("request", f"The request is not valid JSON ({exc}).")
    if not isinstance(decoded, dict):
        return _error("request", "The request must be a JSON object with “calculator” and “input”.")
    try:
        result = run(decoded, progress)
    except InputError as exc:
        return _error(exc.field, exc.message, getattr(exc, "problems", None))
    if progress:
        progress(0.8, "sending")
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False, separators=(",", ":"))
