"""The calculators in Spanish (issue 14): the same numbers as in English, every sentence Spanish,
every error Spanish and naming the field by its Spanish label."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from calc_helpers import run_cli
from calculators import bridge
from policy_tools import bundle_wording
from policy_tools.calculator_examples import load_examples

ROOT = Path(__file__).resolve().parents[2]
# Words of English that never appear in the Spanish sentences (names in parentheses aside).
ENGLISH = re.compile(r"\b(the|and|of|days?|absent|absences|chronic|rate|school|more|by|can|not|reading|strictly)\b", re.IGNORECASE)
SPANISH_LABELS = {"enrolled": "Días inscritos", "absent": "Días de ausencia", "days_left": "Días que quedan"}


def ask(calculator: str, data: Any, lang: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(bridge.handle(json.dumps({"calculator": calculator, "input": data, "lang": lang})))
    return answer


def numbers_only(value: Any) -> Any:
    """The result with every text left out: what must not change with the language."""
    if isinstance(value, dict):
        return {key: numbers_only(item) for key, item in value.items() if not isinstance(item, str)}
    if isinstance(value, list):
        return [numbers_only(item) for item in value if not isinstance(item, str)]
    return value


@pytest.mark.parametrize("example", load_examples(ROOT), ids=lambda ex: f"{ex['calculator']}-{ex['id']}")
def test_every_worked_example_gives_the_same_numbers_in_both_languages(example: dict[str, Any]) -> None:
    english = ask(example["calculator"], example["input"], "en")
    spanish = ask(example["calculator"], example["input"], "es")
    assert english["ok"] and spanish["ok"]
    assert numbers_only(spanish["result"]) == numbers_only(english["result"])


def sentences(result: dict[str, Any]) -> list[str]:
    answer = result["answer"]
    found = [answer["so_far"], answer["missed"], answer["band"], *(line["text"] for line in answer["lines"]), answer["picture"]["text"]]
    found += [mark["text"] for mark in answer["picture"]["marks"]]
    found += [reason["text"] for reason in result["reasons"]] + [reason["source"]["label"] for reason in result["reasons"] if reason["source"]["kind"] != "paragraph"]
    found += [d["threshold"] for d in result["definitions"]] + [d["strict"]["text"] for d in result["definitions"] if d["strict"] and d["strict"]["text"]]
    if result["projection"]:
        found += [result["projection"]["if_attends_all_remaining"]["text"], result["projection"]["at_current_pace"]["text"]]
    return [s for s in found if s]


@pytest.mark.parametrize("example", [ex for ex in load_examples(ROOT) if ex["calculator"] == "chronic"], ids=lambda ex: ex["id"])
def test_every_sentence_of_a_chronic_answer_is_spanish(example: dict[str, Any]) -> None:
    result = ask("chronic", example["input"], "es")["result"]
    for sentence in sentences(result):
        # LAUSD's own names for its bands and publications stay in English, in parentheses or quotes.
        bare = re.sub(r"\([^()]*\)|“[^”]*”|\"[^\"]*\"", "", sentence)
        assert not ENGLISH.search(bare), f"English in a Spanish answer: {sentence!r}"


def test_numbers_and_percentages_are_written_the_spanish_way() -> None:
    result = ask("chronic", {"enrolled": 180, "absent": 17.5, "days_left": 30}, "es")["result"]
    assert result["answer"]["missed"] == "Su hijo o hija ha faltado 17,5 de 180 días de clases hasta ahora."
    assert "90,28\u00a0%" in result["reasons"][1]["text"]
    assert ask("chronic", {"enrolled": 180, "absent": 17.5}, "en")["result"]["answer"]["missed"] == "Your child has missed 17.5 of 180 school days so far."


CASES = yaml.safe_load((ROOT / "tests" / "quality" / "bad_inputs.yaml").read_text(encoding="utf-8"))["chronic"]["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_every_chronic_error_is_spanish_and_names_the_field_by_its_spanish_label(case: dict[str, Any]) -> None:
    answer = ask("chronic", case["input"], "es")
    assert answer["ok"] is False
    error = answer["error"]
    assert error["field"] == case["field"]
    if case["field"] in SPANISH_LABELS:
        assert SPANISH_LABELS[case["field"]] in error["message"], error["message"]
    assert not re.search(r"\b(must|enter|is missing|cannot|like)\b", error["message"]), error["message"]


def test_the_cli_answers_in_spanish_with_lang_es() -> None:
    done = run_cli("chronic", "--enrolled", "180", "--absent", "-3", "--lang", "es")
    assert done.returncode == 2
    assert done.stderr == "error: absent: «Días de ausencia» no puede ser negativo (escribió -3). Escriba 0 o más.\n"
    done = run_cli("chronic", "--enrolled", "180", "--absent", "17", "--lang", "es", "--json")
    assert json.loads(done.stdout)["answer"]["missed"] == "Su hijo o hija ha faltado 17 de 180 días de clases hasta ahora."


def test_a_reading_without_its_spanish_wording_fails_the_build_naming_file_and_key(tmp_path: Path) -> None:
    for part in ("wording", "rules"):
        shutil.copytree(ROOT / "policy_data" / part, tmp_path / "policy_data" / part)
    path = tmp_path / "policy_data" / "rules" / "chronic.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["readings"][1]["es"]["why"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = bundle_wording.check(tmp_path)
    assert any(p.file.name == "chronic.yaml" and p.line and "readings.exact_rate.es.why` is missing" in p.message for p in problems), [str(p) for p in problems]


WITHDRAWAL_RULES = yaml.safe_load((ROOT / "policy_data" / "rules" / "withdrawal.yaml").read_text(encoding="utf-8"))
# Document names stay as the bulletin prints them (in quotes); MiSiS, ERH, SARB, PSA are names.
ENGLISH_WITHDRAWAL = re.compile(r"\b(the|and|of|student|school|withdraw\w*|may|documents?|why|reading|due diligence|enrolled|not)\b", re.IGNORECASE)


def strings(value: Any) -> list[str]:
    """Every text in a result, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def spanish_only(sentence: str) -> str:
    return re.sub(r"\([^()]*\)|“[^”]*”|\"[^\"]*\"|«[^»]*»", "", sentence)


@pytest.mark.parametrize("situation", [s["id"] for s in WITHDRAWAL_RULES["situations"]])
@pytest.mark.parametrize("documented", [False, True])
def test_every_withdrawal_checklist_is_spanish_but_the_document_names(situation: str, documented: bool) -> None:
    result = ask("withdrawal", {"situation": situation, "due_diligence_documented": documented}, "es")["result"]
    english = ask("withdrawal", {"situation": situation, "due_diligence_documented": documented}, "en")["result"]
    # The same checklist: what may be done, the documents (their names as the bulletin prints them), the steps.
    assert numbers_only(result) == numbers_only(english)
    assert result["documents"] == english["documents"]
    assert [s["id"] for s in result["due_diligence"]] == [s["id"] for s in english["due_diligence"]]
    for sentence in strings({k: v for k, v in result.items() if k not in ("documents", "situation", "step", "calculator", "withdraw_rule", "withdrawn_by")}):
        if sentence in result["documents"] or sentence in result["sections"] or re.fullmatch(r"[a-z_]+|[a-z]+-[0-9a-z-]+|[A-Z][A-Za-z ]*\d+(\.\w+)?", sentence):
            continue  # ids, document names, source labels ("XII.a", "Major Changes 6.b")
        assert not ENGLISH_WITHDRAWAL.search(spanish_only(sentence)), f"English in a Spanish checklist: {sentence!r}"


def test_every_withdrawal_question_and_answer_is_spanish() -> None:
    answers: dict[str, str] = {}
    seen = 0
    while True:
        result = ask("withdrawal", {"answers": answers}, "es")["result"]
        if result["step"] != "question":
            break
        question = result["question"]
        for text in [question["heading"], question["text"], *(a["text"] for a in question["answers"])]:
            assert not ENGLISH_WITHDRAWAL.search(spanish_only(text)), text
        seen += 1
        answers[question["id"]] = question["answers"][-1]["id"]  # the last answer leads furthest
    assert seen >= 3 and result["step"] == "outcome"


def test_a_withdrawal_reading_without_its_spanish_wording_fails_the_build_naming_file_and_key(tmp_path: Path) -> None:
    for part in ("wording", "rules"):
        shutil.copytree(ROOT / "policy_data" / part, tmp_path / "policy_data" / part)
    path = tmp_path / "policy_data" / "rules" / "withdrawal.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["situations"][3]["es"]["why"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = bundle_wording.check(tmp_path)
    assert any(p.file.name == "withdrawal.yaml" and p.line and "situations.no_show.es.why` is missing" in p.message for p in problems), [str(p) for p in problems]


ENGLISH_EXCUSED = re.compile(r"\b(the|and|of|days?|school|excused|limit|per|not|month|semester|reading|statute|set|also|with|incident)\b", re.IGNORECASE)


@pytest.mark.parametrize("example", [ex for ex in load_examples(ROOT) if ex["calculator"] == "excused"], ids=lambda ex: ex["id"])
def test_every_sentence_of_an_excused_answer_is_spanish(example: dict[str, Any]) -> None:
    result = ask("excused", example["input"], "es")["result"]
    shown = strings(result["answer"]) + [r["text"] for r in result["reasons"]]
    shown += [r["source"]["label"] for r in result["reasons"] if r["source"]["kind"] == "reading"]
    assert shown
    for sentence in shown:
        # The statute is quoted exactly, in English, between quotes; an event's name is the family's.
        bare = spanish_only(sentence.replace(str(dict(example["input"]["absences"][0]).get("incident", "")), ""))
        assert not ENGLISH_EXCUSED.search(bare), f"English in a Spanish answer: {sentence!r}"


def test_an_excused_limit_without_its_spanish_summary_fails_the_build_naming_file_and_key(tmp_path: Path) -> None:
    for part in ("wording", "rules"):
        shutil.copytree(ROOT / "policy_data" / part, tmp_path / "policy_data" / part)
    path = tmp_path / "policy_data" / "rules" / "excused.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["with_max"][0]["es"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = bundle_wording.check(tmp_path)
    assert any(p.file.name == "excused.yaml" and p.line and "with_max.funeral.es.summary` is missing" in p.message for p in problems), [str(p) for p in problems]
