"""Readable text for the CLI without --json: each function takes the JSON result, nothing else.

The family calculators' lines come from the wording (`cli.*`), in the language of the request
(`--lang`): __main__ formats inside `wording.using(lang)`. The roster's table stays English.
"""
from __future__ import annotations

from typing import Any

from .limits import printable
from .wording import say


def printable_result(value: Any) -> Any:
    """The result with every text's control characters written out (\\x1b), for a terminal."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_result(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable_result(item) for item in value]
    return value


def _why(result: dict[str, Any]) -> list[str]:
    return ["", say("cli.why")] + [f"- {item['text']} [{item['source']['label']}]" for item in result["reasons"]]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _days(value: Any) -> str:
    return say("cli.days", n=value)


def chronic(result: dict[str, Any]) -> str:
    lines = [
        say("cli.chronic_counts", enrolled=result["enrolled"], absent=result["absent"], attended=result["attended"]),
        say("cli.chronic_rates", attendance=result["attendance_rate"], absence=result["absence_rate"]),
        "",
    ]
    for item in result["definitions"]:
        status = say("cli.status_chronic") if item["chronic"] else say("cli.status_not_chronic")
        lines.append(say("cli.definition", name=item["name"], threshold=item["threshold"], source=item["source"]["label"], status=status))
        if result["days_left"] is None:
            if not item["chronic"]:
                lines.append("  " + say("cli.can_miss_now", days=_days(item["days_can_miss"]), period=item["period_days"]))
        elif item["can_stay_under"]:
            lines.append("  " + say("cli.by_year_end", period=item["period_days"], days=_days(item["days_can_miss"]),
                                    attend=_days(item["must_attend"]), left=_days(result["days_left"])))
        else:
            lines.append("  " + say("cli.chronic_anyway", period=item["period_days"]))
        strict = item.get("strict")
        if strict and strict["text"]:
            lines.append(f"  {strict['text']}")
    band = result["band"]
    lines += ["", say("cli.band", name=band["name"], range=band["range"], absences=band["absences_in_year"], year=band["year_days"])]
    if band["note"]:
        lines.append(f"  {band['note']}")
    projection = result["projection"]
    if projection is not None:
        pace = projection["at_current_pace"]
        lines += ["", say("cli.pace", days=_days(pace["absent"]), rate=pace["attendance_rate"], band=pace["band"]["name"])]
    return "\n".join(lines + _why(result))


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def roster(result: dict[str, Any]) -> str:
    summary = result["summary"]
    rows = result["rows"]
    bands = {band["id"]: band for band in result["bands"]}
    ids = rows["name"] or rows["id"] or [""] * len(rows["row"])
    lines = [f"{'row':>7}  {'student':<20} {'enrolled':>8} {'absent':>7} {'attend%':>8}  " + "  ".join(d["id"] for d in result["definitions"]) + "  band"]
    for index in range(len(rows["row"])):
        flags = "  ".join(f"{('yes' if rows[d['id']][index] else 'no'):<{len(d['id'])}}" for d in result["definitions"])
        band = bands[rows["band"][index]]["name"]
        lines.append(f"{rows['row'][index]:>7}  {ids[index]:<20} {rows['enrolled'][index]:>8} {rows['absent'][index]:>7} {rows['attendance_rate'][index]:>8}  {flags}  {band}")
    lines.append("")
    lines += [f"Note: {note}" for note in result["notes"]]
    lines.append(f"{_plural(summary['students'], 'student')} computed, {_plural(summary['rows_with_errors'], 'row')} with errors, {_plural(summary['rows_left_out'], 'totals row')} left out.")
    for item in result["definitions"]:
        count = summary["chronic"][item["id"]]
        share = summary["share"][item["id"]]
        # No student computed: no share to give (not "None%").
        lines.append(f"{item['name']}: {count:,} chronic ({share}%)." if share is not None else f"{item['name']}: no student computed.")
        strict = summary["chronic_strict"].get(item["id"])
        if strict is not None and strict != count:
            lines.append(f"  Read strictly (the rate as it is, not in whole percent): {strict:,} chronic.")
    lines.append("LAUSD attendance bands: " + "; ".join(f"{band['name']} {summary['bands'][band['id']]:,}" for band in result["bands"]) + ".")
    for entry in result["left_out"] + result["errors"]:
        lines.append(entry["message"])
    if result.get("breakdown"):
        lines += ["", *_breakdown(result)]
    return "\n".join(lines + _why(result))


def _breakdown(result: dict[str, Any]) -> list[str]:
    """The page's breakdown table, as text: students per value of the chosen column."""
    table = result["breakdown"]
    definitions = [d["id"] for d in result["definitions"]]
    bands = [b["id"] for b in result["bands"]]
    names = {b["id"]: b["name"] for b in result["bands"]}
    width = max([len(table["column"]), 7, *(len(g["value"]) for g in table["groups"])])
    head = f"{table['column']:<{width}} {'students':>8}  " + "  ".join(definitions) + "  near  " + "  ".join(names[b] for b in bands)
    lines = [f"By {table['column']} (column {table['letter']}):", head]
    for group in table["groups"]:
        counts = "  ".join(f"{group['chronic'][d]:>{len(d)},}" for d in definitions)
        per_band = "  ".join(f"{group['bands'][b]:>{len(names[b])},}" for b in bands)
        lines.append(f"{group['value'] or '(blank)':<{width}} {group['students']:>8,}  {counts}  {group['near']:>4,}  {per_band}")
    return lines


def excused(result: dict[str, Any]) -> str:
    answer = result["answer"]
    lines = [answer["headline"], ""]
    for item in result["absences"]:
        counted = f"  ({item['counted_in']})" if item["counted_in"] else ""
        lines.append(f"{item['date']}  {item['date_text']:<17} {item['reason_name']}{counted}: {item['status_text']}")
    lines.append("")
    lines += [reason_max["text"] for reason_max in answer["maxes"]] + answer["notes"]
    return "\n".join(lines + _why(result))


def withdrawal(result: dict[str, Any]) -> str:
    answer = say("cli.answer_yes") if result["withdraw"] else say("cli.answer_no")
    lines = [say("cli.situation", name=result["situation_name"]), say("cli.withdraw_now", answer=answer)]
    if result["documents"]:
        lines.append(say("cli.documents", documents="; ".join(result["documents"])))
    if result["due_diligence"]:
        lines.append(say("cli.steps"))
        lines += [f"- {step['summary']} [{step['source']['label']}]" for step in result["due_diligence"]]
    if result["once_allowed"]:
        lines.append(say("cli.once_allowed"))
        lines += [f"- {step['summary']} [{step['source']['label']}]" for step in result["once_allowed"]]
    return "\n".join(lines + _why(result))
