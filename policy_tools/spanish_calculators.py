"""Prepare step: the Spanish calculator pages (issue 14), docs/calculators/<slug>.es.md.

Each is a Spanish template in policy_tools/calculator_templates/<slug>.es.md, filled from the same
data as the English page, in Spanish: the worked examples as the calculators answer them with
`lang: "es"`, the readings' and practices' `es` wording (policy_data/rules/), the page's words
(policy_data/wording/es.yaml, `page` parts) and number formats (calculators/formats.json, from
Babel) for the browser glue. Links to English pages (the bulletin's paragraphs, Authority) are raw
HTML marked `hreflang="en"`: the Spanish build holds no English page to check a Markdown link
against (tests/site/test_spanish.py checks every built link).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import yaml

from calculators import formats, wording
from calculators.registry import CALCULATORS, Calculator
from policy_tools.calculator_examples import example_query, load_examples
from policy_tools.calculator_pages import family_contacts_html
from policy_tools.files import write_if_changed
from policy_tools.links import official_url
from policy_tools.linkify import Found, linkify_html
from policy_tools.policy_data import load_bulletin
from policy_tools.site_index import SiteIndex, statute_of
from policy_tools.rule_sources import rules_files, unique_sources

TEMPLATES = Path(__file__).resolve().parent / "calculator_templates"
LANG = "es"
# docs/calculators/<slug>.es.md is published at es/calculators/<slug>/: three levels below the root.
TO_ROOT = "../../../"


def _attr(value: Any) -> str:
    return html.escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")), quote=True)


def page_words(calculator: str) -> dict[str, str]:
    """The words the page script lays out, in Spanish: `common.page` and `<calculator>.page`."""
    with wording.using(LANG):
        common = dict(wording.lookup("common.page"))
        own = dict(wording.lookup(f"{calculator}.page"))
    return {**common, **own}


def page_formats() -> dict[str, str]:
    f = formats.language(LANG)
    return {key: f[key] for key in ("decimal", "group", "percent_prefix", "percent_suffix")}


def run_example(example: dict[str, Any]) -> dict[str, Any]:
    from calculators import bridge

    answer: dict[str, Any] = json.loads(bridge.handle(json.dumps({"calculator": example["calculator"], "input": example["input"], "lang": LANG})))
    return answer


def examples_html(root: Path, page: Calculator) -> str:
    if page.name == "withdrawal":
        return withdrawal_examples_html(root, page)
    items = []
    for example in (ex for ex in load_examples(root) if ex["calculator"] == page.name):
        answer = run_example(example)
        if not answer.get("ok"):
            continue
        result = answer["result"]
        with wording.using(LANG):
            days = [
                f"{wording.number(result['enrolled'])} días inscritos",
                f"{wording.number(result['absent'])} de ausencia",
            ]
            if result.get("days_left") is not None:
                days.append(f"quedan {wording.number(result['days_left'])}")
            title = formats.join(days, LANG)
        words = " ".join(part for part in (result["answer"]["so_far"], result["answer"]["band"]) if part)
        link = f' <a data-example href="?{html.escape(example_query(page, example["input"]))}">Abrir este ejemplo</a>'
        items.append(f'<li id="example-{html.escape(str(example["id"]))}"><strong>{html.escape(title)}.</strong> {html.escape(words)}{link}</li>')
    return '<ul class="calc-examples">\n' + "\n".join(items) + "\n</ul>"


def withdrawal_examples_html(root: Path, page: Calculator) -> str:
    """Each worked example as Python answers it in Spanish: the situation's outcome sentence and
    its documents (named as the bulletin prints them, in English)."""
    items = []
    for example in (ex for ex in load_examples(root) if ex["calculator"] == page.name):
        answer = run_example(example)
        if not answer.get("ok"):
            raise SystemExit(f"policy_data/examples/withdrawal.yaml: example {example['id']}: {answer['error']['message']}")
        result = answer["result"]
        outcome = result["reasons"][0]["text"]
        names = [f"“{name}”" for name in result["documents"]]
        documents = (
            f"Documento (nombre en inglés, como en el boletín): {formats.join(names, LANG)}." if names
            else "No hace falta un documento de respaldo."
        )
        link = f' <a data-example href="?{html.escape(example_query(page, example["input"]))}">Abrir este ejemplo</a>'
        items.append(
            f'<li id="example-{html.escape(str(example["id"]))}">{html.escape(outcome)} '
            f'<em>{html.escape(documents)}</em>{link}</li>'
        )
    return '<ul class="calc-examples">\n' + "\n".join(items) + "\n</ul>"


def source_href(source: dict[str, Any]) -> str:
    if source["kind"] == "paragraph":
        return f"{TO_ROOT}ref/{source['id']}/"
    if source["kind"] == "statute":
        return str(source.get("url") or f"{TO_ROOT}reference/authority/#{source['id']}")
    # LAUSD's practice and our readings are explained on this page, in Spanish.
    return f"#{source['kind']}-{source['id']}"


def source_item(rules: dict[str, Any], source: dict[str, Any]) -> str:
    label = html.escape(str(source["label"]))
    if source["kind"] in ("paragraph", "statute"):
        return f'<li><a href="{html.escape(source_href(source))}" hreflang="en">{label}</a> (texto oficial, en inglés)</li>'
    # A practice or a reading: its Spanish name, as its section below shows it.
    kind, group = ("práctica del LAUSD", "practices") if source["kind"] == "practice" else ("nuestra lectura", "readings")
    item: dict[str, Any] = next((i for i in rules.get(group) or [] if i["id"] == source["id"]), {})
    label = html.escape(str((item.get("es") or {}).get("label") or source["label"]))
    return f'<li><a href="{html.escape(source_href(source))}">{label}</a> ({kind}, explicada abajo)</li>'


def sources_html(rules: dict[str, Any]) -> str:
    links = [source_item(rules, s) for s in unique_sources(rules)]
    parts = ['<ul class="calc-sources">', *links, "</ul>"]
    practices = rules.get("practices") or []
    if practices:
        parts.append('<p class="calc-practice-intro">Práctica publicada del propio LAUSD (no es texto del boletín; resuelve una lectura):</p>')
    for item in practices:
        ident = html.escape(str(item["id"]))
        label = html.escape(str((item.get("es") or {}).get("label") or item["label"]))
        citation = html.escape(" ".join(str(item["es"]["citation"]).split()))
        parts.append(
            f'<section class="calc-practice" id="practice-{ident}" tabindex="-1">\n<h3>{label}</h3>\n'
            f'<p>{citation} <a href="{html.escape(str(item["url"]))}" hreflang="en">Dónde se publicó (en inglés)</a></p>\n</section>'
        )
    bands = rules.get("bands")
    if bands:
        with wording.using(LANG):
            rows = "".join(
                f"<tr><td>{html.escape(wording.say('chronic.bands.' + str(b['id'])))}</td>"
                f"<td>{html.escape(_band_range(b))}</td>"
                f"<td>{html.escape(str(b['absences_in_year']).replace(' or more', ' o más'))}</td>"
                f"<td>{'Sí' if b['chronic'] else 'No'}</td></tr>"
                for b in bands["items"]
            )
        parts.append(
            f'<table class="calc-table calc-bands"><caption>Niveles de asistencia del LAUSD (ausencias en un año de {int(bands["year_days"])} días)</caption>'
            '<thead><tr><th scope="col">Nivel</th><th scope="col">Asistencia</th><th scope="col">Ausencias</th><th scope="col">Ausentismo crónico</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return "\n".join(parts)


def _band_range(band: dict[str, Any]) -> str:
    low, high = int(band["from"]), int(band["to"])
    if low == high:
        return wording.say("chronic.band_range_one", high=high)
    if low == 0:
        return wording.say("chronic.band_range_below", limit=high + 1)
    return wording.say("chronic.band_range", low=low, high=high)


def cited_html(index: SiteIndex, text: str) -> str:
    """Our Spanish text with every statute and bulletin it names linked, as on the English pages
    (DESIGN.md): the Authority entry or the official text, the related bulletin or the eLibrary."""

    def href(found: Found) -> str | None:
        if found.kind == "statute":
            if found.key in index.statutes:
                return f"{TO_ROOT}reference/authority/#{found.key}"
            return official_url(*statute_of(found.key))
        if found.kind == "reference":
            resource = index.resource_for(found.key)
            return f"{TO_ROOT}reference/related-resources/#{resource.key}" if resource is not None else index.elibrary
        return found.key

    return linkify_html(" ".join(text.split()), href, index.number, ' hreflang="en"')


def readings_html(index: SiteIndex, rules: dict[str, Any]) -> str:
    parts = []
    for item in rules.get("readings") or []:
        es = item["es"]  # the build checks every reading has it (policy_tools.bundle_wording)
        ident = html.escape(str(item["id"]))
        parts.append(
            f'<section class="calc-reading" id="reading-{ident}" tabindex="-1">\n<h3>{html.escape(es["label"])}</h3>\n'
            f'<p>{cited_html(index, es["reading"])}</p>\n'
            f'<p><strong>Por qué:</strong> {cited_html(index, es["why"])}</p>\n</section>'
        )
    return "\n".join(parts)


def threshold(calculator_rules: dict[str, Any], ident: str) -> str:
    from calculators import chronic

    with wording.using(LANG):
        definition = next(d for d in chronic.config().definitions if d.id == ident)
        return definition.threshold_text()


# Pages built from their English template's word slots (`{{ word:... }}`) filled from es.yaml, so
# the form exists once: the excused-absence page (issue 13 wrote every word of it as a slot).
FROM_ENGLISH_TEMPLATE = ("excused",)
# The English template links English pages from docs/calculators/ (two levels down); the Spanish
# page is one level deeper and says that those pages are English.
ENGLISH_LINK = re.compile(r'<a href="\.\./\.\./(?=(?:ref|reference|policy|calculators)/)')
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
OFFICIAL_NOTE = """
!!! note "Las reglas oficiales están en inglés"

    Los límites vienen del boletín BUL-4926.4, que solo existe en inglés:
    <a href="../../../policy/whats-new/#mc-3" hreflang="en">cambio principal 3</a> y
    <a href="../../../policy/xi/#xi-f" hreflang="en">XI.f</a>, en inglés. Las leyes que citamos
    también están en inglés. Las explicaciones de esta página son nuestras.
"""


def excused_examples_html(root: Path, page: Calculator) -> str:
    """Each worked example as Python answers it in Spanish: the answer's headline and each max."""
    items = []
    for example in (ex for ex in load_examples(root) if ex["calculator"] == page.name):
        answer = run_example(example)
        if not answer.get("ok"):
            raise SystemExit(f"policy_data/examples/excused.yaml: example {example['id']}: {answer['error']['message']}")
        words = answer["result"]["answer"]
        maxes = " ".join(reason_max["text"] for reason_max in words["maxes"])
        link = f' <a data-example href="?{html.escape(example_query(page, example["input"]))}">Abrir este ejemplo</a>'
        items.append(f'<li id="example-{html.escape(str(example["id"]))}"><strong>{html.escape(words["headline"])}</strong> {html.escape(maxes)}{link}</li>')
    return '<ul class="calc-examples">\n' + "\n".join(items) + "\n</ul>"


def from_english_template(root: Path, page: Calculator, index: SiteIndex, bulletin: str) -> str:
    from policy_tools import calculator_pages as english

    template_name = f"policy_tools/calculator_templates/{page.page}.md"
    template = (TEMPLATES / f"{page.page}.md").read_text(encoding="utf-8")
    words: dict[str, Any] = yaml.safe_load((root / "policy_data" / "wording" / f"{LANG}.yaml").read_text(encoding="utf-8"))
    all_rules = {stem: doc.data for stem, doc in rules_files(root).items()}
    rules = all_rules[page.rules]
    page_words_es = words[page.name]["page"]
    front = f"---\ntitle: {json.dumps(page_words_es['title'], ensure_ascii=False)}\ndescription: {json.dumps(' '.join(page_words_es['intro'].split()), ensure_ascii=False)}\n---\n"
    text = FRONT_MATTER.sub(lambda _: front, template, count=1)
    text = (
        text.replace("{{ bulletin }}", html.escape(bulletin))
        .replace("{{ calculator }}", page.name)
        .replace("{{ script }}", page.script)
        .replace("{{ examples }}", excused_examples_html(root, page))
        .replace("{{ readings }}", readings_html(index, rules))
        .replace("{{ sources }}", sources_html(rules))
        .replace("{{ excused_reasons }}", english.excused_reasons_html(all_rules["excused"], words))
        .replace("{{ family_contacts }}", family_contacts_html(root, LANG))
    )
    text = english.fill_rule_slots(text, rules, template_name)
    text = english.fill_word_slots(text, words, rules, template_name)
    text = ENGLISH_LINK.sub(f'<a hreflang="en" href="{TO_ROOT}', text)
    # The note that the official text is English, right after the privacy line.
    privacy = text.index('<p class="calc-privacy">')
    end = text.index("</p>", privacy) + len("</p>")
    return text[:end] + "\n" + OFFICIAL_NOTE + text[end:]


def run(root: Path) -> None:
    meta = yaml.safe_load((root / "policy_data" / "bulletin" / "meta.yaml").read_text(encoding="utf-8"))
    bulletin = f"{meta['number']}, {formats.long_date(str(meta['date']), LANG)}"
    index = SiteIndex(load_bulletin(root))
    for page in CALCULATORS.values():
        if page.name in FROM_ENGLISH_TEMPLATE:
            write_if_changed(root / "docs" / "calculators" / f"{page.page}.es.md", from_english_template(root, page, index, bulletin))
            continue
        template_path = TEMPLATES / f"{page.page}.es.md"
        if not template_path.is_file():
            continue
        rules = yaml.safe_load((root / "policy_data" / "rules" / f"{page.rules}.yaml").read_text(encoding="utf-8"))
        template = template_path.read_text(encoding="utf-8")
        text = (
            template.replace("{{ bulletin }}", html.escape(bulletin))
            .replace("{{ calculator }}", page.name)
            .replace("{{ script }}", page.script)
            .replace("{{ words }}", _attr(page_words(page.name)))
            .replace("{{ formats }}", _attr(page_formats()))
            .replace("{{ state_threshold }}", html.escape(threshold(rules, "chronic_state")) if page.name == "chronic" else "")
            .replace("{{ lausd_threshold }}", html.escape(threshold(rules, "chronic_lausd")) if page.name == "chronic" else "")
            .replace("{{ family_contacts }}", family_contacts_html(root, LANG))
            .replace("{{ examples }}", examples_html(root, page))
            .replace("{{ sources }}", sources_html(rules))
            .replace("{{ readings }}", readings_html(index, rules))
        )
        write_if_changed(root / "docs" / "calculators" / f"{page.page}.es.md", text)
