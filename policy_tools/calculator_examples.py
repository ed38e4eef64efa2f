"""The worked examples on the calculator pages (policy_data/examples/): each run through the
calculators in CPython, so the page shows what the calculator really answers, summed up in a line,
with the address that opens it pre-filled (read back by docs/assets/js/calc-<page>.mjs).
policy_tools.worked_examples checks each example's `expect`; this module only shows them.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from calculators.registry import CALCULATORS, Calculator


def load_examples(root: Path) -> list[dict[str, Any]]:
    """Every worked example of policy_data/examples/*.yaml, each with its `calculator` and `input`."""
    found: list[dict[str, Any]] = []
    for path in sorted((root / "policy_data" / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # Each file's `calculator` is fixed by its schema (examples-<calculator>.schema.json).
        found += [{"calculator": data["calculator"], **item, "file": path.name} for item in data["examples"]]
    return found


def bridge_requests(root: Path) -> list[dict[str, Any]]:
    """Requests that exercise every calculator: each worked example, then an empty (bad) input."""
    requests = [{"calculator": ex["calculator"], "input": ex["input"]} for ex in load_examples(root)]
    requests += [{"calculator": name, "input": {}} for name in CALCULATORS]
    return requests


def run_example(example: dict[str, Any]) -> dict[str, Any]:
    from calculators import bridge

    answer: dict[str, Any] = json.loads(bridge.handle(json.dumps({"calculator": example["calculator"], "input": example["input"]})))
    return answer


def examples_html(root: Path, page: Calculator) -> str:
    examples = [ex for ex in load_examples(root) if ex["calculator"] == page.name]
    if not examples:
        return "<p>No worked examples yet.</p>"
    items = []
    for ex in examples:
        title = html.escape(str(ex["title"]))
        explanation = html.escape(str(ex["explanation"]))
        answer = run_example(ex)
        summary = html.escape(answer_summary(page, answer))
        link = ""
        query = example_query(page, ex["input"])
        if query:
            link = f' <a data-example href="?{html.escape(query)}">Open this example</a>'
        items.append(f"<li><strong>{title}.</strong> {explanation} <em>{summary}</em>{link}</li>")
    return '<ul class="calc-examples">\n' + "\n".join(items) + "\n</ul>"


def example_query(page: Calculator, data: dict[str, Any]) -> str:
    """The address that opens an example pre-filled (read back by docs/assets/js/calc-<page>.mjs);
    empty for the roster, whose data never goes into an address."""
    pairs: list[tuple[str, str]] = []
    if page.name == "chronic":
        pairs = [(k, plain(data[k])) for k in ("enrolled", "absent", "days_left") if data.get(k) is not None]
    elif page.name == "excused":
        calendar = data.get("calendar", {})
        pairs = [(k, str(calendar[k])) for k in ("first_day", "second_semester_start", "last_day") if calendar.get(k)]
        if calendar.get("non_school_days"):
            pairs.append(("non_school_days", ",".join(map(str, calendar["non_school_days"]))))
        winter = calendar.get("winter_break")
        if winter:
            pairs.append(("winter_break", f"{winter['first_day']},{winter['last_day']}"))
            if winter.get("excluded") is False:
                pairs.append(("winter_break_excluded", "no"))
        for absence in data.get("absences", []):
            pairs.append(("absence", excused_absence_param(absence)))
    elif page.name == "withdrawal":
        pairs = [("situation", str(data["situation"]))]
        if data.get("due_diligence_documented"):
            pairs.append(("due_diligence_documented", "yes"))
    return urlencode(pairs)


def excused_absence_param(absence: dict[str, Any]) -> str:
    """`date[/last_date],reason[,name]` as docs/assets/js/calc-excused.mjs writes it: a range as an
    ISO 8601 interval, the name with its commas and % written as %2C and %25."""
    when = str(absence.get("date"))
    if absence.get("last_date"):
        when += f"/{absence['last_date']}"
    parts = [when, str(absence.get("reason"))]
    if absence.get("incident") is not None:
        parts.append(str(absence["incident"]).replace("%", "%25").replace(",", "%2C"))
    return ",".join(parts)


def plain(value: Any) -> str:
    """17.0 -> "17": the number as a person would type it."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def answer_summary(page: Calculator, answer: dict[str, Any]) -> str:
    if not answer.get("ok"):
        return f"Error: {answer['error']['message']}"
    result = answer["result"]
    if page.name == "chronic":
        names = {d["id"]: d for d in result.get("definitions", [])}
        parts = [f"Attendance rate {plain(result['attendance_rate'])}%"]
        for key, who in (("chronic_lausd", "LAUSD"), ("chronic_state", "the state")):
            if key in names:
                parts.append(f"{'chronic' if result[key] else 'not chronic'} under {who}")
        if result.get("band"):
            parts.append(f"LAUSD band {result['band']['name']}")
        lausd = names.get("chronic_lausd") or {}
        strict = lausd.get("strict") or {}
        if strict.get("text"):
            parts.append(strict["text"].rstrip("."))
        return "; ".join(parts) + "."
    if page.name == "roster":
        summary = result["summary"]
        counts = ", ".join(f"{summary['chronic'][d['id']]} chronic under the {d['name']}" for d in result["definitions"])
        strict = ", ".join(
            f"{summary['chronic_strict'][d['id']]} read strictly" for d in result["definitions"]
            if d["id"] in summary.get("chronic_strict", {}) and summary["chronic_strict"][d["id"]] != summary["chronic"][d["id"]]
        )
        bands = ", ".join(f"{b['name']} {summary['bands'][b['id']]}" for b in result.get("bands", []))
        extra = (f" ({strict})" if strict else "") + (f"; bands: {bands}" if bands else "")
        return f"{summary['students']} students: {counts}{extra}; {summary['rows_with_errors']} row(s) with errors."
    if page.name == "excused":
        # The answer's own words (the headline and how much of each max is used).
        answer_words = result["answer"]
        return " ".join([answer_words["headline"], *(reason_max["text"] for reason_max in answer_words["maxes"])])
    if page.name == "withdrawal":
        documents = ", ".join(result["documents"]) or "no supporting document"
        return f"{'May be withdrawn' if result['withdraw'] else 'Not withdrawn now'}; {documents}."
    return ""
