"""Prepare step: the calculator pages, docs/calculators/<slug>.md (generated, never committed).

Each page is a template in policy_tools/calculator_templates/ (the form, in plain HTML) with three
parts filled in at build time: the worked examples of policy_data/examples/ (each run through the
calculators in CPython, policy_tools.calculator_examples), the readings the calculator applies (from policy_data/rules/, so a "why" link to `#reading-<id>` lands on its text),
and the bulletin's number and date for the printout. The browser glue is docs/assets/js/.

Links are relative (`../../ref/xv-b/`) so the site works under any base path.
"""
from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Any

import yaml

from calculators.excused import NEEDS
from calculators.registry import CALCULATORS, Calculator
from policy_tools.calculator_examples import examples_html, plain, run_example
from policy_tools.files import write_if_changed
from policy_tools.links import Links
from policy_tools.page_parts import bulletin_date
from policy_tools.policy_data import load_bulletin
from policy_tools.rule_sources import rules_files, unique_sources
from policy_tools.site_index import SiteIndex
from policy_tools.yamlio import mappings

TEMPLATES = Path(__file__).resolve().parent / "calculator_templates"


ROOT_FROM_PAGE = "../../"


def run(root: Path) -> None:
    out = root / "docs" / "calculators"
    index = SiteIndex(load_bulletin(root))
    bulletin = f"{index.number}, {bulletin_date(index.bulletin.meta.date)}"
    rules = {stem: doc.data for stem, doc in rules_files(root).items()}
    words = page_words(root)
    for page in CALCULATORS.values():
        template = (TEMPLATES / f"{page.page}.md").read_text(encoding="utf-8")
        text = (
            template.replace("{{ bulletin }}", html.escape(bulletin))
            .replace("{{ calculator }}", page.name)
            .replace("{{ script }}", page.script)
            .replace("{{ examples }}", examples_html(root, page))
            .replace("{{ readings }}", readings_html(Links(index), page, rules[page.rules]))
            .replace("{{ sources }}", sources_html(rules[page.rules]))
            .replace("{{ excused_reasons }}", excused_reasons_html(rules["excused"], words) if "{{ excused_reasons }}" in template else "")
            .replace("{{ family_contacts }}", family_contacts_html(root) if "{{ family_contacts }}" in template else "")
        )
        text = fill_rule_slots(text, rules[page.rules], f"policy_tools/calculator_templates/{page.page}.md")
        text = fill_word_slots(text, words, rules[page.rules], f"policy_tools/calculator_templates/{page.page}.md")
        write_if_changed(out / f"{page.page}.md", text)


RULE_SLOT = re.compile(r"\{\{ rule:(?P<id>[a-z0-9_]+)\.(?P<field>[a-z0-9_.]+) \}\}")
FACT_SLOT = re.compile(r"\{\{ fact:(?P<name>[a-z0-9_]+) \}\}")


def fill_rule_slots(text: str, rules: dict[str, Any], template: str) -> str:
    """`{{ rule:chronic_lausd.percent }}` -> 91: a number on the page comes from the rule it names
    (a rule's `id` in the page's rules file, or a top-level key, then the field), never typed into
    the template; `{{ fact:<name> }}` is a figure the calculator works out from those rules."""
    by_id = {mapping["id"]: mapping for mapping, _ in mappings(rules) if isinstance(mapping.get("id"), str)}

    def value(match: re.Match[str]) -> str:
        node: Any = by_id.get(match["id"], rules.get(match["id"]))
        for key in match["field"].split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if node is None or isinstance(node, (dict, list)):
            raise SystemExit(f"{template}: `{match[0]}` names no value of the rules: use {{{{ rule:<rule id>.<field> }}}}")
        return html.escape(plain(node))

    text = RULE_SLOT.sub(value, text)
    if FACT_SLOT.search(text):
        known = facts(rules)
        unknown = [m[0] for m in FACT_SLOT.finditer(text) if m["name"] not in known]
        if unknown:
            raise SystemExit(f"{template}: {', '.join(unknown)} is not a fact the build works out: use one of {', '.join(known)}")
        text = FACT_SLOT.sub(lambda m: html.escape(plain(known[m["name"]])), text)
    return text


WORD_SLOT = re.compile(r"\{\{ word:(?P<key>[a-z0-9_.]+) \}\}")
# The language these pages are written in (a translated page is built from its own wording file).
PAGE_LANG = "en"


def page_words(root: Path) -> dict[str, Any]:
    """The page's words: policy_data/wording/<lang>.yaml (validated by the bundle_wording step)."""
    data: dict[str, Any] = yaml.safe_load((root / "policy_data" / "wording" / f"{PAGE_LANG}.yaml").read_text(encoding="utf-8"))
    return data


def rule_values(rules: dict[str, Any]) -> dict[str, Any]:
    """Numbers a page sentence may name, from the rules (never typed into the words): each max's
    days by its reason id, and the school month's weeks and weekdays."""
    values: dict[str, Any] = {item["id"]: item["max"]["days"] for item in rules.get("with_max", [])}
    calendar = rules.get("calendar") or {}
    if "school_month_weeks" in calendar:
        values["weeks"] = calendar["school_month_weeks"]
        values["weekdays"] = calendar["school_month_weeks"] * calendar["school_month_week_days"]
    return values


def fill_word_slots(text: str, words: dict[str, Any], rules: dict[str, Any], template: str) -> str:
    """`{{ word:excused.page.title }}` -> the sentence at that key of the wording (HTML-escaped, so
    it may stand in an attribute); its `{funeral}`-style numbers come from the rules."""
    values = rule_values(rules)

    def value(match: re.Match[str]) -> str:
        node: Any = words
        for key in match["key"].split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, str):
            raise SystemExit(f"{template}: `{match[0]}` names no sentence of policy_data/wording/{PAGE_LANG}.yaml")
        try:
            filled = node.format_map(values) if WORD_NUMBER.search(node) else node
        except KeyError as exc:
            raise SystemExit(f"{template}: `{match[0]}` uses {{{exc.args[0]}}}, which the rules do not give: use one of {', '.join(values)}") from None
        return html.escape(" ".join(filled.split()))

    return WORD_SLOT.sub(value, text)


# A sentence whose {placeholders} are rules numbers (others, like {n}, are filled by the page script).
WORD_NUMBER = re.compile(r"\{(funeral|grief_support|religious_retreat|religious_instruction|entertainment_permit|weeks|weekdays)\}")


def facts(rules: dict[str, Any]) -> dict[str, Any]:
    """Figures a page states that follow from the rules: the calculator works them out (CPython)."""
    if rules.get("kind") != "chronic" or "bands" not in rules:
        return {}
    year = rules["bands"]["year_days"]
    first = run_example({"calculator": "chronic", "input": {"enrolled": year, "absent": 0}})["result"]
    # In whole days, as families count them (half days are allowed: 14.5 of 180 is chronic too).
    absences = math.ceil(next(d for d in first["definitions"] if d["id"] == "chronic_lausd")["chronic_at_absences"])
    at = run_example({"calculator": "chronic", "input": {"enrolled": year, "absent": absences}})["result"]
    return {"lausd_first_chronic_absences": absences, "lausd_first_chronic_rate": at["attendance_rate"]}


# The bulletin's Assistance contacts a family can call about attendance (the others are for staff:
# legal questions, data, the IT help desk).
FAMILY_CONTACTS = ("assistance-shhs", "assistance-region-psa")


# The words between the contacts, per page language; on a Spanish page the contacts' names stay
# as the bulletin prints them, marked English (issue 14).
CONTACT_WORDS = {"en": (" at ", " or "), "es": (", al ", " o ")}


def family_contacts_html(root: Path, lang: str = "en") -> str:
    """Those contacts as the bulletin names them, each phone number a link to call."""
    at, joiner = CONTACT_WORDS[lang]
    data = yaml.safe_load((root / "policy_data" / "bulletin" / "assistance.yaml").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in data["contacts"]}
    parts = []
    for key in FAMILY_CONTACTS:
        item = by_id[key]
        name = html.escape(item["name"]) if lang == "en" else f'<span lang="en">{html.escape(item["name"])}</span>'
        phone = item.get("phone")
        if phone:
            digits = "".join(ch for ch in phone if ch.isdigit())
            parts.append(f'{name}{at}<a href="tel:+1{digits}">{html.escape(phone)}</a>')
        else:
            parts.append(name)
    return joiner.join(parts)


def excused_reasons_html(data: dict[str, Any], words: dict[str, Any]) -> str:
    """The reason choices of the excused-absence form, those with a max first (with it), in the
    family's words; `data-needs` names the calendar dates a reason's max needs (excused.NEEDS)."""
    reasons = words["excused"]["reasons"]
    maxes = words["excused"]["maxes"]
    options = []
    for group in ("with_max", "no_max"):
        items = []
        for item in data.get(group, []):
            name = reasons[item["id"]]
            needs = ""
            if group == "with_max":
                max_text = maxes[item["max"]["per"]]["one" if item["max"]["days"] == 1 else "other"].format(n=item["max"]["days"])
                name = f"{name} ({max_text})"
                needed = NEEDS.get(item["max"]["per"], ())
                needs = f' data-needs="{" ".join(needed)}"' if needed else ""
            items.append(f'<option value="{html.escape(item["id"])}"{needs}>{html.escape(name)}</option>')
        label = words["excused"]["page"][f"reasons_{group}"]
        options.append(f'<optgroup label="{html.escape(label)}">{"".join(items)}</optgroup>')
    return "\n".join(options)


# --- What the page applies ----------------------------------------------------------------------


def source_href(source: dict[str, Any]) -> str:
    if source["kind"] == "paragraph":
        return f"{ROOT_FROM_PAGE}ref/{source['id']}/"
    if source["kind"] == "statute":
        return str(source.get("url") or f"{ROOT_FROM_PAGE}reference/authority/#{source['id']}")
    if source["kind"] == "practice":
        return f"#practice-{source['id']}"
    return f"#reading-{source['id']}"


def sources_html(data: dict[str, Any]) -> str:
    links = [
        f'<li><a href="{html.escape(source_href(s))}">{html.escape(str(s["label"]))}</a></li>' for s in unique_sources(data)
    ]
    out = '<ul class="calc-sources">\n' + "\n".join(links) + "\n</ul>"
    practices = data.get("practices", []) if isinstance(data, dict) else []
    if practices:
        out += "\n" + practices_html(practices)
    bands = data.get("bands") if isinstance(data, dict) else None
    if bands:
        out += "\n" + bands_html(bands)
    return out


def practices_html(practices: list[dict[str, Any]]) -> str:
    """LAUSD's own published practice: outside facts, with their citation, never bulletin text."""
    parts = ['<p class="calc-practice-intro">LAUSD\'s own published practice (not bulletin text; it settles a reading):</p>']
    for item in practices:
        ident = html.escape(str(item["id"]))
        quote = f'<blockquote><p>“{html.escape(" ".join(str(item["quote"]).split()))}”</p></blockquote>' if item.get("quote") else ""
        note = f'<p>{html.escape(" ".join(str(item["note"]).split()))}</p>' if item.get("note") else ""
        parts.append(
            f'<section class="calc-practice" id="practice-{ident}" tabindex="-1">\n'
            f'<h3>{html.escape(str(item["label"]))}</h3>\n'
            f'<p>{html.escape(" ".join(str(item["citation"]).split()))} <a href="{html.escape(str(item["url"]))}">Where it is published</a></p>\n'
            f"{quote}{note}\n</section>"
        )
    return "\n".join(parts)


def bands_html(bands: dict[str, Any]) -> str:
    """LAUSD's attendance bands as rules data holds them (the chronic bands marked)."""
    rows = "".join(
        f'<tr><th scope="row">{html.escape(str(b["name"]))}</th><td>{html.escape(str(b["shown"]))}</td>'
        f'<td>{html.escape(str(b["absences_in_year"]))}</td><td>{"Yes" if b["chronic"] else "No"}</td></tr>'
        for b in bands["items"]
    )
    return (
        '<div class="calc-table-wrap"><table class="calc-table calc-bands">'
        f'<caption>LAUSD attendance bands (<a href="#practice-{html.escape(str(bands["source"]["id"]))}">{html.escape(str(bands["source"]["label"]))}</a>), '
        "the attendance rate in whole percent</caption>"
        f'<thead><tr><th scope="col">Band</th><th scope="col">Attendance rate</th><th scope="col">Absences in a {int(bands["year_days"])}-day year</th><th scope="col">Chronic</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


# --- Readings -------------------------------------------------------------------------------------


def readings_html(links: Links, page: Calculator, data: dict[str, Any]) -> str:
    readings = data.get("readings", [])
    if not readings:
        return "<p>This calculator applies the bulletin as written.</p>"
    # Statutes and bulletins a reading names link as everywhere else (DESIGN.md); the text is
    # Markdown inside `markdown` blocks so MkDocs checks those links like any other.
    md_page = f"calculators/{page.page}.md"
    parts = []
    for reading in readings:
        label = html.escape(str(reading.get("label", reading["id"])))
        text = links.text_md(" ".join(str(reading.get("reading", "")).split()), md_page)
        why = links.text_md(" ".join(str(reading.get("why", "")).split()), md_page)
        parts.append(
            f'<section class="calc-reading" id="reading-{html.escape(reading["id"])}" tabindex="-1" markdown>\n'
            f"<h3>{label}</h3>\n<p markdown>{text}</p>\n"
            f"<p markdown><em>Why:</em> {why}</p>\n</section>"
        )
    return "\n".join(parts)
