"""Withdrawal: may the student be withdrawn now, which documents, which due-diligence steps.

Everything comes from `policy_data/rules/withdrawal.yaml`. The bulletin lists the supporting
documents (Major Changes 6.a-d) without tying them to situations, so each tie is reported as a
`reading` (with its why), never as bulletin text.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from . import rules
from .errors import InputError
from .limits import quote, unknown_field
from .reasons import Reason, reason, reading_source

AFTER_DUE_DILIGENCE = "after_due_diligence"


@functools.cache
def _data() -> dict[str, Any]:
    data = rules.section("withdrawal")
    return {
        "documents": {item["id"]: item for item in data["documents"]},
        "steps": {item["id"]: item for item in data["steps"]},
        "situations": {item["id"]: item for item in data["situations"]},
        "flow": data["flow"],
        "wording": data["wording"],
    }


def situations() -> list[str]:
    return list(_data()["situations"])


def flow() -> dict[str, Any]:
    """The one-question-at-a-time flow and its wording, for the browser to render."""
    data = _data()
    return {
        "calculator": "withdrawal",
        "flow": data["flow"],
        "wording": data["wording"],
        "situations": [{"id": key, "name": item["name"]} for key, item in data["situations"].items()],
        "reasons": [],
    }


def calculate(situation: str, due_diligence_documented: bool = False) -> dict[str, Any]:
    data = _data()
    item = data["situations"].get(situation)
    if item is None:
        raise InputError("situation", f"Unknown situation “{situation}”: use one of {', '.join(data['situations'])}.")
    rule = item["withdraw"]
    withdraw = due_diligence_documented if rule == AFTER_DUE_DILIGENCE else bool(rule)
    documents = [data["documents"][key] for key in item["documents"]]
    # A step that applies only once withdrawal is allowed (entering the withdrawal in MiSiS) is a
    # step now only when it is allowed; until then it is listed apart, as what comes after.
    later = [data["steps"][key] for key in item.get("steps_once_allowed", [])]
    steps = [data["steps"][key] for key in item["steps"]] + (later if withdraw else [])
    waiting = [] if withdraw else later
    reading = {"id": f"documents_{situation}", "label": "Reading: which document"}
    reasons: list[Reason] = [reason(f"withdraw_{situation}", _withdraw_text(item, withdraw, due_diligence_documented), item["sources"][0])]
    reasons += [reason(step["id"], step["summary"], step["source"]) for step in steps]
    reasons += [reason(step["id"], f"Once withdrawal is allowed, not now: {step['summary']}", step["source"]) for step in waiting]
    reasons += [reason(doc["id"], f"“{doc['name']}” is a withdrawal supporting document (Manual section 12.2).", doc["source"]) for doc in documents]
    reasons.append(reason("documents", f"{' '.join(item['reading'].split())} Why: {' '.join(item['why'].split())}", reading_source(reading)))
    return {
        "calculator": "withdrawal",
        "situation": situation,
        "situation_name": item["name"],
        "withdraw": withdraw,
        "withdraw_rule": "yes" if rule is True else "no" if rule is False else rule,
        "due_diligence_documented": due_diligence_documented if rule == AFTER_DUE_DILIGENCE else None,
        "withdrawn_by": item["withdrawn_by"],
        "documents": [doc["name"] for doc in documents],
        "document_details": [
            {"id": doc["id"], "name": doc["name"], "source": _source(doc["source"]), "reading": " ".join(item["reading"].split()), "why": " ".join(item["why"].split())}
            for doc in documents
        ],
        "due_diligence": [{"id": step["id"], "summary": step["summary"], "source": _source(step["source"])} for step in steps],
        "once_allowed": [{"id": step["id"], "summary": step["summary"], "source": _source(step["source"])} for step in waiting],
        "sections": sorted({step["source"]["id"] for step in steps + waiting} | {src["id"] for src in item["sources"]}),
        "reasons": reasons,
    }


def _source(source: Mapping[str, Any]) -> dict[str, Any]:
    """One key order whichever loader read the rules (CPython and the browser print the same JSON)."""
    return {"kind": source["kind"], "id": source["id"], "label": source["label"]}


def _withdraw_text(item: Mapping[str, Any], withdraw: bool, documented: bool) -> str:
    if item["withdraw"] == AFTER_DUE_DILIGENCE:
        if documented:
            return f"{item['name']}: all due diligence efforts are exhausted and documented in MiSiS, so the student may be withdrawn."
        return f"{item['name']}: keep the student enrolled and on MiSiS rosters until all due diligence efforts are exhausted and documented in MiSiS."
    if item["withdrawn_by"] == "enrolling_school":
        return f"{item['name']}: the enrolling school withdraws the student automatically in MiSiS."
    return f"{item['name']}: {'the student may be withdrawn with the supporting document' if withdraw else 'the student should not be withdrawn'}."


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"situation": "death"}`, optionally
    `"due_diligence_documented": true`; `{"flow": true}` returns the guided flow instead."""
    if not isinstance(data, Mapping):
        raise InputError("input", "Send {\"situation\": \"death\"}.")
    unknown = sorted(set(data) - {"situation", "due_diligence_documented", "flow"})
    if unknown:
        raise InputError(unknown_field(unknown[0]), f"Unknown field “{quote(unknown[0])}”: send situation and, optionally, due_diligence_documented.")
    if data.get("flow") is True:
        return flow()
    situation = data.get("situation")
    if not isinstance(situation, str) or not situation.strip():
        raise InputError("situation", f"Choose a situation: one of {', '.join(situations())}.")
    documented = data.get("due_diligence_documented", False)
    if not isinstance(documented, bool):
        raise InputError("due_diligence_documented", "due_diligence_documented must be true or false.")
    return calculate(situation.strip(), documented)
