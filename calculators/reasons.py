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


def source_of(source: Mapping[str, Any]) -> dict[str, Any]:
    """A rules-data source in one key order (kind, id, label, url?), whichever loader read it, so
    CPython and the browser print the same JSON."""
    out = {"kind": source["kind"], "id": source["id"], "label": source["label"]}
    if "url" in source:
        out["url"] = source["url"]
    return out


def reading_source(reading: Mapping[str, Any]) -> dict[str, str]:
    """A reading we chose where the text leaves a choice; pages show it with its `why`."""
    return {"kind": "reading", "id": reading["id"], "label": own(reading, "label")}
