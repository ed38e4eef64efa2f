"""The chronic-absence answer in words, first on the page: so far, by the year end, what is left.

Built from a `chronic` result (no policy here: every status and count is already decided in
chronic.py); every sentence comes from the wording (`chronic` in policy_data/wording/<lang>.yaml).
"""
from __future__ import annotations

from typing import Any

from .wording import join, lookup, say


def by(definition_id: str) -> str:
    return str(lookup("chronic.definitions")[definition_id]["by"])


def name(definition_id: str) -> str:
    return str(lookup("chronic.definitions")[definition_id]["name"])


def verdict(chronic: bool) -> str:
    return say("chronic.verdict_chronic" if chronic else "chronic.verdict_not_chronic")


def _join(ids: list[str]) -> str:
    return join([by(i) for i in ids])


def answer(result: dict[str, Any]) -> dict[str, Any]:
    """`{"so_far", "missed", "band", "year_end_heading", "lines", "picture"}`: sentences in order."""
    student = say("chronic.student")
    definitions = result["definitions"]
    chronic = [d["id"] for d in definitions if d["chronic"]]
    other = [d["id"] for d in definitions if not d["chronic"]]
    if not other:
        so_far = say("chronic.so_far_all", student=student, list=_join(chronic))
    elif not chronic:
        so_far = say("chronic.so_far_none", student=student, list=_join(other))
    else:
        so_far = say("chronic.so_far_mixed", student=student, chronic=_join(chronic), other=_join(other))
    left = result["days_left"]
    lines: list[dict[str, Any]] = []
    for d in definitions:
        values = {"by": by(d["id"]), "student": student}
        if left is None:
            key = "chronic.can_miss_now" if d["days_can_miss"] > 0 else "chronic.can_miss_none"
            # Already over the line with no days left to count: the status so far says it all.
            text = say(key, n=d["days_can_miss"], **values) if not d["chronic"] else None
        elif not d["can_stay_under"]:
            text = say("chronic.year_end_over", **values)
        elif d["days_can_miss"] > 0:
            text = say("chronic.year_end_can_miss", n=d["days_can_miss"], **values)
        else:
            text = say("chronic.year_end_none", **values)
        if text:
            lines.append({"definition": d["id"], "text": text, "days_can_miss": d["days_can_miss"], "strict": False})
        strict = d.get("strict")
        if strict and strict.get("text"):
            # LAUSD's own practice is applied; the strict reading stands beside it where it differs.
            lines.append({"definition": d["id"], "text": strict["text"], "days_can_miss": strict["days_can_miss"], "strict": True})
    return {
        "so_far": so_far,
        "missed": say("chronic.missed", student_start=say("chronic.student_start"), absent=result["absent"], enrolled=result["enrolled"]),
        "band": say("chronic.band_chronic" if result["band"]["chronic"] else "chronic.band", band=result["band"]["name"], range=result["band"]["range"]),
        "year_end_heading": say("chronic.year_end_heading", n=left) if left is not None else None,
        "lines": lines,
        "picture": picture(result),
    }


def picture(result: dict[str, Any]) -> dict[str, Any]:
    """What the bar of the school year shows, as numbers and its text equivalent."""
    period = result["definitions"][0]["period_days"] if result["definitions"] else result["enrolled"]
    to_come = result["days_left"] or 0
    values = {"period": period, "attended": result["attended"], "absent": result["absent"], "to_come": to_come}
    marks = []
    for d in result["definitions"]:
        at = d["chronic_at_absences"]
        text = say("chronic.picture_line", name=name(d["id"]), at=at) if at is not None else say("chronic.picture_line_never", name=name(d["id"]))
        marks.append({"definition": d["id"], "name": name(d["id"]), "at": at, "text": text})
    return {
        "title": say("chronic.picture_title"),
        "period": period,
        "absent": result["absent"],
        "attended": result["attended"],
        "to_come": to_come,
        "labels": {"absent": say("chronic.absent"), "attended": say("chronic.attended"), "to_come": say("chronic.to_come")},
        "marks": marks,
        "text": say("chronic.picture_text" if to_come else "chronic.picture_empty", **values),
    }
