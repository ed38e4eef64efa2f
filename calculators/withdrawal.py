"""Withdrawal: may the student be withdrawn now, which documents, which due-diligence steps.

The policy comes from `policy_data/rules/withdrawal.yaml`, every sentence from the wording
(`policy_data/wording/<lang>.yaml`, `withdrawal`). The bulletin lists the supporting documents
(Major Changes 6.a-d) without tying them to situations, so each tie is reported as a `reading`
(with its why), never as bulletin text.

The guided flow is walked here, not in the page: `{"answers": {"died": "no", ...}}` returns the
next question (with the answers so far) or, once an answer leads to a situation, its checklist.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from . import rules
from .errors import InputError
from .limits import quote, unknown_field
from .reasons import Reason, reason, reading_source, source_of
from .wording import lookup, own, say

AFTER_DUE_DILIGENCE = "after_due_diligence"


@functools.cache
def _data() -> dict[str, Any]:
    data = rules.section("withdrawal")
    return {
        "documents": {item["id"]: item for item in data["documents"]},
        "steps": {item["id"]: item for item in data["steps"]},
        "situations": {item["id"]: item for item in data["situations"]},
        "flow": data["flow"],
        "questions": {item["id"]: item for item in data["flow"]["questions"]},
    }


def situations() -> list[str]:
    return list(_data()["situations"])


def _name(situation: str) -> str:
    return str(lookup("withdrawal.situations")[situation])


def flow() -> dict[str, Any]:
    """The whole flow and its words (for tools that draw it; the page asks one step at a time)."""
    data = _data()
    return {
        "calculator": "withdrawal",
        "flow": data["flow"],
        "wording": {"questions": dict(lookup("withdrawal.questions")), "answers": dict(lookup("withdrawal.answers"))},
        "situations": [{"id": key, "name": _name(key)} for key in data["situations"]],
        "reasons": [],
    }


def calculate(situation: str, due_diligence_documented: bool = False) -> dict[str, Any]:
    data = _data()
    item = data["situations"].get(situation)
    if item is None:
        raise InputError("situation", say("withdrawal.unknown_situation", situation=situation, known=", ".join(data["situations"])))
    rule = item["withdraw"]
    withdraw = due_diligence_documented if rule == AFTER_DUE_DILIGENCE else bool(rule)
    documents = [data["documents"][key] for key in item["documents"]]
    # A step that applies only once withdrawal is allowed (entering the withdrawal in MiSiS) is a
    # step now only when it is allowed; until then it is listed apart, as what comes after.
    words = lookup("withdrawal.steps")
    later = [{**data["steps"][key], "summary": str(words[key])} for key in item.get("steps_once_allowed", [])]
    steps = [{**data["steps"][key], "summary": str(words[key])} for key in item["steps"]] + (later if withdraw else [])
    waiting = [] if withdraw else later
    name = _name(situation)
    reading_text = say("withdrawal.reading", reading=own(item, "reading"), why=own(item, "why"))
    reading = {"id": f"documents_{situation}", "label": say("withdrawal.reading_label")}
    # The checklist carries each step and document with its own source, so the reasons ("why")
    # hold only what the checklist does not show: the verdict and the document reading.
    reasons: list[Reason] = [
        reason(f"withdraw_{situation}", _withdraw_text(item, name, withdraw, due_diligence_documented), item["sources"][0]),
        reason("documents", reading_text, reading_source(reading)),
    ]
    return {
        "calculator": "withdrawal",
        "step": "outcome",
        "situation": situation,
        "situation_name": name,
        "withdraw": withdraw,
        "verdict": say("withdrawal.verdict_withdraw" if withdraw else "withdrawal.verdict_keep"),
        "withdraw_rule": "yes" if rule is True else "no" if rule is False else rule,
        "due_diligence_documented": due_diligence_documented if rule == AFTER_DUE_DILIGENCE else None,
        "withdrawn_by": item["withdrawn_by"],
        "documents": [doc["name"] for doc in documents],
        "document_details": [
            {
                "id": doc["id"],
                "name": doc["name"],
                "text": say("withdrawal.document", document=doc["name"]),
                "source": source_of(doc["source"]),
                "reading": own(item, "reading"),
                "why": own(item, "why"),
            }
            for doc in documents
        ],
        # Major Changes 6 cites a section of a manual that is not published with the bulletin:
        # the page says so instead of linking nowhere.
        "documents_note": say("withdrawal.manual_note") if documents else say("withdrawal.no_document"),
        "due_diligence": [{"id": step["id"], "summary": step["summary"], "source": source_of(step["source"])} for step in steps],
        "once_allowed": [{"id": step["id"], "summary": step["summary"], "source": source_of(step["source"])} for step in waiting],
        "sections": sorted({step["source"]["id"] for step in steps + waiting} | {src["id"] for src in item["sources"]}),
        "answered": [],
        "reasons": reasons,
    }


def _withdraw_text(item: Mapping[str, Any], name: str, withdraw: bool, documented: bool) -> str:
    if item["withdraw"] == AFTER_DUE_DILIGENCE:
        key = "after_due_diligence_done" if documented else "after_due_diligence_pending"
    elif item["withdrawn_by"] == "enrolling_school":
        key = "enrolling_school"
    else:
        key = "yes" if withdraw else "no"
    return say(f"withdrawal.outcomes.{key}", situation=name)


def _question(question_id: str, number: int, selected: str | None, error: str | None) -> dict[str, Any]:
    answers = lookup("withdrawal.answers")
    return {
        "id": question_id,
        "number": number,
        "heading": say("withdrawal.question_number", n=number),
        "text": str(lookup("withdrawal.questions")[question_id]),
        "answers": [{"id": a["id"], "text": str(answers[a["id"]])} for a in _data()["questions"][question_id]["answers"]],
        "selected": selected,
        "error": error,
    }


def walk(given: Mapping[str, Any], change: str | None = None) -> dict[str, Any]:
    """Follow `given` (question id -> answer id) from the first question: the next question to ask,
    or the checklist of the situation reached. `change` asks that question again (it must be on
    the path), with its earlier answer selected. Answers off the path are ignored."""
    data = _data()
    questions = lookup("withdrawal.questions")
    answer_words = lookup("withdrawal.answers")
    answered: list[dict[str, Any]] = []
    current = data["flow"]["start"]
    while True:
        question = data["questions"][current]
        chosen = given.get(current)
        number = len(answered) + 1
        if chosen is None or current == change:
            step = {"calculator": "withdrawal", "step": "question", "answered": answered, "reasons": []}
            return {**step, "question": _question(current, number, chosen if isinstance(chosen, str) else None, None)}
        answer = next((a for a in question["answers"] if a["id"] == chosen), None)
        if answer is None:
            shown = chosen if isinstance(chosen, str) else str(chosen)
            step = {"calculator": "withdrawal", "step": "question", "answered": answered, "reasons": []}
            return {**step, "question": _question(current, number, None, say("withdrawal.invalid_answer", given=shown))}
        answered.append({"question": current, "question_text": str(questions[current]), "answer": chosen, "answer_text": str(answer_words[chosen])})
        if "situation" in answer:
            result = calculate(answer["situation"], bool(answer.get("answers", {}).get("due_diligence_documented", False)))
            return {**result, "answered": answered}
        current = answer["next"]


def from_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The bridge and CLI entry: `{"answers": {"died": "no"}}` (optionally `"change": "died"`) walks
    the flow; `{"situation": "death"}` (optionally `"due_diligence_documented": true`) gives the
    checklist directly; `{"flow": true}` returns the whole flow."""
    if not isinstance(data, Mapping):
        raise InputError("input", "Send {\"answers\": {\"died\": \"no\"}} or {\"situation\": \"death\"}.")
    unknown = sorted(set(data) - {"situation", "due_diligence_documented", "flow", "answers", "change"})
    if unknown:
        raise InputError(unknown_field(unknown[0]), f"Unknown field “{quote(unknown[0])}”: send answers, or situation and, optionally, due_diligence_documented.")
    if data.get("flow") is True:
        return flow()
    if "answers" in data:
        answers = data["answers"]
        if not isinstance(answers, Mapping) or not all(isinstance(key, str) for key in answers):
            raise InputError("answers", "answers must be an object of question id to answer id, like {\"died\": \"no\"}.")
        change = data.get("change")
        if change is not None and change not in _data()["questions"]:
            raise InputError("change", f"change must be a question id: one of {', '.join(_data()['questions'])}.")
        return walk(answers, change)
    situation = data.get("situation")
    if not isinstance(situation, str) or not situation.strip():
        raise InputError("situation", f"Choose a situation: one of {', '.join(situations())}.")
    documented = data.get("due_diligence_documented", False)
    if not isinstance(documented, bool):
        raise InputError("due_diligence_documented", "due_diligence_documented must be true or false.")
    return calculate(situation.strip(), documented)
