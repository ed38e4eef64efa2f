"""Build the `reasons` entries every result carries (shape fixed in DESIGN.md, "Browser bridge")."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .wording import own

Reason = dict[str, Any]


def reason(rule: str, text: str, source: Mapping[str, Any]) -> Reason:
    """One rule applied; `source` is a rules-data source `{kind, id, label}`."""
    return {
        "rule": rule,
        "text": text,
        "source": {"kind": source["kind"], "id": source["id"], "label": source["label"]},
    }


def reading_source(reading: Mapping[str, Any]) -> dict[str, str]:
    """A reading we chose where the text leaves a choice; pages show it with its `why`."""
    return {"kind": "reading", "id": reading["id"], "label": own(reading, "label")}
