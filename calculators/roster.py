"""Placeholder until the roster calculator lands."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import InputError


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    raise InputError("calculator", "This calculator is not available yet.")
