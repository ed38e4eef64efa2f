"""The rules bundle the wheel carries equals policy_data/rules, and the rules agree with the bulletin."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from calculators import bundle, rules
from policy_tools import bundle_rules, validate

ROOT = Path(__file__).resolve().parents[2]


def _yaml_rules(root: Path) -> dict[str, object]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "policy_data" / "rules").glob("*.yaml"))}


def test_bundle_equals_yaml() -> None:
    bundled = json.loads(bundle_rules.bundle_text(ROOT))
    assert bundled == _yaml_rules(ROOT)
    assert set(bundled) == {"chronic", "excused", "withdrawal"}


def test_the_installed_package_reads_its_bundled_rules(tmp_path: Path) -> None:
    """The package as the wheel ships it (no policy_data/ beside it) answers from its rules.json.

    The bundle written here carries a marker the YAML does not have, so a loader that read the
    YAML (or anything but the bundle) fails; nothing is written into the source tree.
    """
    shutil.copytree(ROOT / "calculators", tmp_path / "calculators", ignore=shutil.ignore_patterns("__pycache__", "rules.json"))
    bundled = json.loads(bundle_rules.bundle_text(ROOT))
    bundled["chronic"]["marker"] = "from the bundle"
    (tmp_path / "calculators" / "rules.json").write_text(json.dumps(bundled), encoding="utf-8")
    probe = "import json; from calculators import rules; print(json.dumps(rules.load()))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == bundled


def test_loader_reads_the_bundle_and_names_the_fix_without_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calculators read the bundle the build step writes (here into a temp dir), never policy_data/."""
    built = bundle_rules.write_bundle(ROOT, tmp_path)
    assert rules.rules_from_bundle(built.read_text(encoding="utf-8")) == _yaml_rules(ROOT)
    assert rules.load() == _yaml_rules(ROOT), "calculators/rules.json is stale: run python -m policy_tools.prepare"

    monkeypatch.setattr(bundle, "HERE", tmp_path / "no-bundle")
    rules.load.cache_clear()
    try:
        with pytest.raises(bundle.BundleMissing, match=r"calculators/rules\.json is missing: build it with `python -m policy_tools\.prepare`"):
            rules.load()
    finally:
        rules.load.cache_clear()


def test_the_browser_package_carries_its_bundles_as_bytecode(site_dir: Path) -> None:
    """The browser loads the calculators compiled (policy_tools/assets.py): every module as bytecode
    with no source to compile, the bundled rules, formats and wording, and no command line. That
    Pyodide answers from it alone is tests/browser/test_parity.py."""
    manifest = json.loads((site_dir / "assets" / "pyodide-manifest.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(site_dir / "assets" / manifest["calculators"]) as package:
        names = set(package.namelist())
    assert {"calculators/rules.json", "calculators/formats.json", "calculators/wording.json"} <= names
    modules = {p.stem for p in (ROOT / "calculators").glob("*.py")} - {"__main__"}
    assert {f"calculators/{m}.pyc" for m in modules} <= names
    assert not [n for n in names if n.endswith(".py") or "__main__" in n], names


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policy_data", tmp_path / "policy_data")
    return tmp_path / "policy_data"


def test_bundle_checks_sources(tmp_path: Path) -> None:
    """A rule pointing at a paragraph the bulletin does not have is refused with file and line."""
    chronic_yaml = _copy(tmp_path) / "rules" / "chronic.yaml"
    chronic_yaml.write_text(chronic_yaml.read_text(encoding="utf-8").replace("id: xv-b", "id: xv-z"), encoding="utf-8")
    problems = [str(p) for p in validate.check(tmp_path)]
    assert len(problems) == 1 and "chronic.yaml line" in problems[0] and "xv-z" in problems[0]


def test_a_rule_number_the_paragraph_does_not_print_stops_the_build_naming_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """LAUSD's 91% lives in XV.b (sections/15-xv.yaml) and in the chronic rules: 90 in one is refused."""
    chronic_yaml = _copy(tmp_path) / "rules" / "chronic.yaml"
    text = chronic_yaml.read_text(encoding="utf-8")
    line = text.splitlines().index("    percent: 91") + 1
    chronic_yaml.write_text(text.replace("    percent: 91", "    percent: 90"), encoding="utf-8")
    problems = [str(p) for p in validate.check(tmp_path)]
    assert len(problems) == 1, problems
    assert f"rules/chronic.yaml line {line}: `definitions[1].percent`: 90 is not a number xv-b prints" in problems[0]
    assert "bulletin/sections/15-xv.yaml line" in problems[0] and "`numbers` 91" in problems[0]
    with pytest.raises(SystemExit):
        validate.run(tmp_path)
    assert "15-xv.yaml" in capsys.readouterr().err


def test_a_paragraph_number_its_own_quote_does_not_say_is_refused(tmp_path: Path) -> None:
    """90 in XV.b's `numbers` while its text prints 91%: both the quote and the rule taking 91 are named."""
    section = _copy(tmp_path) / "bulletin" / "sections" / "15-xv.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("{value: 91, unit: percent", "{value: 90, unit: percent"), encoding="utf-8")
    problems = [str(p) for p in validate.check(tmp_path)]
    assert any("15-xv.yaml line" in p and "90 is not in its `quote` 'an attendance rate of 91% or below'" in p for p in problems), problems
    assert any("rules/chronic.yaml line" in p and "91 is not a number xv-b prints" in p for p in problems), problems


def test_a_summary_that_says_another_number_is_refused(tmp_path: Path) -> None:
    chronic_yaml = _copy(tmp_path) / "rules" / "chronic.yaml"
    text = chronic_yaml.read_text(encoding="utf-8")
    summary = text.replace("attendance rate is 91% or below,", "attendance rate is 90% or below,").replace("(91.67% is 91%)", "(90.67% is 90%)")
    assert summary != text
    chronic_yaml.write_text(summary, encoding="utf-8")
    problems = [str(p) for p in validate.check(tmp_path)]
    assert len(problems) == 1 and "`definitions[1].summary`: does not say 91" in problems[0], problems


def test_malformed_rules_are_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "policy_data", tmp_path / "policy_data")
    chronic_yaml = tmp_path / "policy_data" / "rules" / "chronic.yaml"
    text = chronic_yaml.read_text(encoding="utf-8")
    line = text.splitlines().index("    percent: 91") + 1
    chronic_yaml.write_text(text.replace("    percent: 91", "    percent: ninety-one"), encoding="utf-8")
    _, problems = validate.check_schemas(tmp_path)
    assert [str(p) for p in problems] == [
        f"{chronic_yaml} line {line}: `definitions[1].percent`: must be of type number, found str 'ninety-one'"
    ]


def test_a_new_threshold_stops_the_build_at_every_sentence_of_ours_still_saying_the_old_one(tmp_path: Path) -> None:
    """LAUSD's 91% changed to 90 where it lives (the bulletin's XV.b and its OCR line, the rule and its
    summary): the glossary, the worked examples, the readings, our note on XV.b and the Spanish home
    page still say "91% or below", and the build names each with the rule's file and line. Once they
    say 90 too, the build passes."""
    data = _copy(tmp_path)
    (tmp_path / "docs").mkdir()
    for page in (ROOT / "docs").glob("*.md"):
        shutil.copy(page, tmp_path / "docs" / page.name)
    edits = {
        "source/BUL-4926.4.ocr.txt": [("as an attendance rate of 91%", "as an attendance rate of 90%")],
        "bulletin/sections/15-xv.yaml": [("an attendance rate of 91% or below.", "an attendance rate of 90% or below."),
                                         ('{value: 91, unit: percent, quote: "an attendance rate of 91% or below"',
                                          '{value: 90, unit: percent, quote: "an attendance rate of 90% or below"')],
        "rules/chronic.yaml": [("    percent: 91\n", "    percent: 90\n"), ("attendance rate is 91% or below,", "attendance rate is 90% or below,"),
                               ("(91.67% is 91%)", "(90.67% is 90%)")],
    }
    for rel, pairs in edits.items():
        path = data / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (rel, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    rule_line = (data / "rules" / "chronic.yaml").read_text(encoding="utf-8").splitlines().index("    percent: 90") + 1
    problems = [str(p) for p in validate.check(tmp_path)]
    assert problems and all(f"the rules' threshold is 90 in rules/chronic.yaml line {rule_line} (`definitions[1].percent`)" in p for p in problems), problems
    named = {p.split(" line ")[0].removeprefix(str(tmp_path) + "/") for p in problems}
    assert {"policy_data/glossary.yaml", "policy_data/examples/chronic.yaml", "policy_data/rules/chronic.yaml",
            "policy_data/bulletin/sections/15-xv.yaml", "docs/index.es.md"} <= named, named
    assert any("glossary.yaml line" in p and "`terms[9].definition`: says '91% or below'" in p for p in problems), problems
    assert any("glossary.yaml line" in p and "`terms[9].es.definition`: says '91 % o menos'" in p for p in problems), problems
    # Restated as 90 everywhere: nothing left to name.
    old = re.compile(r"\b91(\s?%\s+(?:or\s+below|o\s+menos))")
    for path in [*data.rglob("*.yaml"), *(tmp_path / "docs").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(old.sub(r"90\1", text), encoding="utf-8")
    assert [str(p) for p in validate.check(tmp_path)] == []
