"""The calculators' words: one file per language, checked against English, chosen per request."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from calc_helpers import run_cli
from calculators import bridge, wording
from policy_tools import bundle_wording

ROOT = Path(__file__).resolve().parents[2]


def ask(request: dict[str, object]) -> dict[str, object]:
    answer: dict[str, object] = json.loads(bridge.handle(json.dumps(request)))
    return answer


def test_a_request_names_its_language_and_english_is_the_default() -> None:
    request = {"calculator": "chronic", "input": {"enrolled": 120, "absent": 14, "days_left": 60}}
    assert ask({**request, "lang": "en"}) == ask(request)
    assert ask(request)["result"]["answer"]["so_far"] == "So far, your child is chronically absent by the state's count and LAUSD's count."  # type: ignore[index]


@pytest.mark.parametrize("lang", ["fr", "EN-GB", 3, ""])
def test_an_unknown_language_is_refused_and_the_message_says_which_exist(lang: object) -> None:
    answer = ask({"calculator": "withdrawal", "input": {"answers": {}}, "lang": lang})
    assert answer["ok"] is False
    assert answer["error"]["field"] == "lang"  # type: ignore[index]
    assert "Unknown language" in answer["error"]["message"] and "en" in answer["error"]["message"]  # type: ignore[index]


def test_the_cli_takes_lang_and_refuses_an_unknown_one_in_one_line() -> None:
    done = run_cli("withdrawal", "--situation", "death", "--lang", "xx", "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "error: lang: Unknown language “xx”: use one of en, es.\n"
    assert run_cli("withdrawal", "--situation", "death", "--lang", "en", "--json").returncode == 0


def test_bundle_equals_yaml() -> None:
    assert json.loads(bundle_wording.bundle_text(ROOT)) == wording.load()
    assert set(wording.languages()) == {path.stem for path in (ROOT / "policy_data" / "wording").glob("*.yaml")}
    assert bundle_wording.check(ROOT) == []


def _copy(tmp_path: Path) -> Path:
    for part in ("wording", "rules"):
        shutil.copytree(ROOT / "policy_data" / part, tmp_path / "policy_data" / part)
    return tmp_path / "policy_data" / "wording"


def _translate(folder: Path, edit: object) -> None:
    data = yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))
    data["lang"] = "es"
    edit(data)  # type: ignore[operator]
    (folder / "es.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d["withdrawal"]["questions"].pop("died"), "withdrawal.questions", "`withdrawal.questions.died` is missing"),
        (lambda d: d["chronic"].update(missed="{student} faltó {dias} días."), "chronic.missed", "uses {dias, student} but en.yaml uses {absent, enrolled, student_start}"),
        (lambda d: d["common"].update(days="días"), "common.days", "must be a {one, other} pair"),
        (lambda d: d["chronic"].update(extra="algo"), "chronic.extra", "is not in en.yaml"),
        (lambda d: d.update(lang="fr"), "lang", "must be the file's name"),
    ],
)
def test_a_translation_that_does_not_match_english_fails_the_build_naming_file_line_and_field(tmp_path: Path, edit: object, field: str, words: str) -> None:
    folder = _copy(tmp_path)
    _translate(folder, edit)
    problems = bundle_wording.check(tmp_path)
    assert problems, "the bad translation was accepted"
    assert any(p.file.name == "es.yaml" and p.field == field and p.line and words in p.message for p in problems), [str(p) for p in problems]


def test_a_complete_translation_is_bundled_and_chosen_by_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy(tmp_path)
    _translate(folder, lambda d: d["withdrawal"].update(verdict_keep="No dé de baja al estudiante ahora."))
    assert bundle_wording.check(tmp_path) == []
    monkeypatch.setattr(wording, "load", lambda: json.loads(bundle_wording.bundle_text(tmp_path)))
    answer = ask({"calculator": "withdrawal", "input": {"situation": "no_show"}, "lang": "es"})
    assert answer["result"]["verdict"] == "No dé de baja al estudiante ahora."  # type: ignore[index]


def test_every_rule_id_a_reader_sees_has_words(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    data = yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))
    del data["withdrawal"]["situations"]["death"]
    (folder / "en.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = bundle_wording.check(tmp_path)
    assert any("withdrawal situation `death`" in p.message for p in problems), [str(p) for p in problems]


def test_page_scripts_render_what_python_returns() -> None:
    """The chronic and withdrawal pages know no definition id and write no verdict or flow."""
    js = ROOT / "docs" / "assets" / "js"
    chronic = (js / "calc-chronic.mjs").read_text(encoding="utf-8")
    for word in ("chronic_state", "chronic_lausd", "under LAUSD's definition", "Not chronic"):
        assert word not in chronic
    withdrawal = (js / "calc-withdrawal.mjs").read_text(encoding="utf-8")
    for word in ("flow.questions", "may be withdrawn", "Do not withdraw", "function walk"):
        assert word not in withdrawal
