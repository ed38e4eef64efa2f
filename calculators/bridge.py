"""The browser adapter: one JSON-in, JSON-out function for Pyodide (contract in DESIGN.md).

`handle('{"calculator": "chronic", "input": {"enrolled": 180, "absent": 17}}')` returns
`{"ok": true, "result": {...}}` (the same object `python -m calculators chronic ... --json` prints)
or `{"ok": false, "error": {"field": ..., "message": ...}}`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import InputError
from .registry import CALCULATORS


def _error(field: str, message: str) -> str:
    return json.dumps({"ok": False, "error": {"field": field, "message": message}}, ensure_ascii=False)


def run(request: Mapping[str, Any]) -> dict[str, Any]:
    """The decoded form of `handle`: raises InputError for bad input."""
    name = request.get("calculator")
    if name not in CALCULATORS:
        raise InputError("calculator", f"Unknown calculator {name!r}: use one of {', '.join(CALCULATORS)}.")
    data = request.get("input", {})
    if not isinstance(data, Mapping):
        raise InputError("input", "“input” must be an object of the calculator's fields.")
    return CALCULATORS[str(name)].from_input(data)


def handle(request: str) -> str:
    try:
        decoded = json.loads(request)
    except (TypeError, ValueError) as exc:
        return _error("request", f"The request is not valid JSON ({exc}).")
    if not isinstance(decoded, dict):
        return _error("request", "The request must be a JSON object with “calculator” and “input”.")
    try:
        result = run(decoded)
    except InputError as exc:
        return _error(exc.field, exc.message)
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False, separators=(",", ":"))
