"""The bundled rules.json and the YAML in policy_data/rules give identical rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculators import rules
from policy_tools import bundle_rules

ROOT = Path(__file__).resolve().parents[2]


def test_bundle_equals_yaml() -> None:
    bundled = json.loads(bundle_rules.bundle_text(ROOT))
    assert bundled == rules.rules_from_yaml(ROOT / "policy_data" / "rules")
    assert set(bundled) == {"chronic", "excused", "withdrawal"}


def test_loader_reads_the_bundle_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a (fresh) rules.json the loader uses it; without one it falls back to the YAML."""
    bundle = Path(rules.__file__).with_name(rules.BUNDLE_NAME)
    if not bundle.is_file() or rules._bundle_is_stale():
        bundle_rules.run(ROOT)
    from_bundle = rules.rules_from_bundle()
    assert from_bundle == rules.rules_from_yaml()
    monkeypatch.setattr(rules, "rules_from_bundle", lambda: None)
    rules.load.cache_clear()
    try:
        assert rules.load() == from_bundle
    finally:
        rules.load.cache_clear()


def test_bundle_checks_sources(tmp_path: Path) -> None:
    """A rule pointing at a paragraph the bulletin does not have is refused with file and line."""
    (tmp_path / "policy_data").mkdir()
    for part in ("bulletin", "rules"):
        target = tmp_path / "policy_data" / part
        target.mkdir()
        for path in (ROOT / "policy_data" / part).rglob("*.yaml"):
            dest = target / path.relative_to(ROOT / "policy_data" / part)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    chronic_yaml = tmp_path / "policy_data" / "rules" / "chronic.yaml"
    chronic_yaml.write_text(chronic_yaml.read_text(encoding="utf-8").replace("id: xv-b", "id: xv-z"), encoding="utf-8")
    problems = [str(p) for p in bundle_rules.check(tmp_path)]
    assert len(problems) == 1 and "chronic.yaml line" in problems[0] and "xv-z" in problems[0]


def test_malformed_rules_are_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    import shutil

    from policy_tools import validate

    shutil.copytree(ROOT / "policy_data", tmp_path / "policy_data")
    chronic_yaml = tmp_path / "policy_data" / "rules" / "chronic.yaml"
    text = chronic_yaml.read_text(encoding="utf-8")
    line = text.splitlines().index("    percent: 91") + 1
    chronic_yaml.write_text(text.replace("    percent: 91", "    percent: ninety-one"), encoding="utf-8")
    _, problems = validate.check_schemas(tmp_path)
    assert [str(p) for p in problems] == [
        f"{chronic_yaml} line {line}: `definitions[1].percent`: must be of type number, found str 'ninety-one'"
    ]
