"""The bundled rules.json and the YAML in policy_data/rules give identical rules."""
from __future__ import annotations

import json
from pathlib import Path

from calculators import rules
from policy_tools import bundle_rules

ROOT = Path(__file__).resolve().parents[2]


def test_bundle_equals_yaml() -> None:
    bundled = json.loads(bundle_rules.bundle_text(ROOT))
    assert bundled == rules.rules_from_yaml(ROOT / "policy_data" / "rules")
    assert set(bundled) == {"chronic", "excused", "withdrawal"}


def test_the_installed_package_reads_its_bundled_rules(tmp_path: Path) -> None:
    """The package as the wheel ships it (no policy_data/ beside it) answers from its rules.json.

    The bundle written here carries a marker the YAML does not have, so a loader that read the
    YAML (or anything but the bundle) fails; nothing is written into the source tree.
    """
    import shutil
    import subprocess
    import sys

    shutil.copytree(ROOT / "calculators", tmp_path / "calculators", ignore=shutil.ignore_patterns("__pycache__", "rules.json"))
    bundled = json.loads(bundle_rules.bundle_text(ROOT))
    bundled["chronic"]["marker"] = "from the bundle"
    (tmp_path / "calculators" / "rules.json").write_text(json.dumps(bundled), encoding="utf-8")
    probe = "import json; from calculators import rules; print(json.dumps(rules.load()))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == bundled


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
