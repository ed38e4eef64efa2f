"""The CLI as a user runs it: JSON output, readable text, exit 2 and one line on bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc_helpers import run_cli

EXCUSED = {
    "calendar": {"first_day": "2024-08-14", "second_semester_start": "2025-01-13", "last_day": "2025-06-11", "non_school_days": ["2024-11-11"]},
    "absences": [{"date": "2024-09-09", "reason": "funeral", "incident": "a"}],
}


def test_chronic_json() -> None:
    done = run_cli("chronic", "--enrolled", "180", "--absent", "17", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["attendance_rate"], result["absence_rate"], result["chronic_state"], result["chronic_lausd"]) == (90.56, 9.44, False, True)
    assert result["reasons"]


def test_chronic_text() -> None:
    done = run_cli("chronic", "--enrolled", "180", "--absent", "17")
    assert done.returncode == 0 and "90.56%" in done.stdout and "CHRONIC" in done.stdout


def test_chronic_and_withdrawal_text_in_spanish() -> None:
    # --lang es once answered in Spanish sentences inside English labels ("Days enrolled", "Why:").
    done = run_cli("chronic", "--enrolled", "120", "--absent", "14", "--days-left", "60", "--lang", "es")
    assert done.returncode == 0, done.stderr
    assert "Tasa de asistencia 88,33 %" in done.stdout and "Por qué:" in done.stdout
    assert not [word for word in ("Days enrolled", "Attendance rate", "By year end", "Why:") if word in done.stdout]
    done = run_cli("withdrawal", "--situation", "death", "--lang", "es")
    assert done.returncode == 0 and "Dar de baja ahora: sí." in done.stdout and "Situation:" not in done.stdout


def test_roster_json_and_text(tmp_path: Path) -> None:
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("label,enrolled,absent\nA,180,17\n", encoding="utf-8")
    roster = json.loads(run_cli("roster", str(csv_file), "--json").stdout)
    assert roster["rows"]["chronic_lausd"] == [True]
    done = run_cli("roster", str(csv_file))
    assert done.returncode == 0 and "Why:" in done.stdout


def test_excused_json_and_text(tmp_path: Path) -> None:
    excused_file = tmp_path / "e.json"
    excused_file.write_text(json.dumps(EXCUSED), encoding="utf-8")
    result = json.loads(run_cli("excused", str(excused_file), "--json").stdout)
    assert result["absences"][0]["date"] == "2024-09-09" and result["absences"][0]["excused"] is True
    done = run_cli("excused", str(excused_file))
    assert done.returncode == 0 and "2024-09-09" in done.stdout and "Why:" in done.stdout


def test_withdrawal_json_and_text() -> None:
    death = json.loads(run_cli("withdrawal", "--situation", "death", "--json").stdout)
    assert death["withdraw"] is True and death["documents"] == ["Obituary or Death Notice"]
    done = run_cli("withdrawal", "--situation", "no_show")
    assert done.returncode == 0 and "Why:" in done.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["chronic", "--enrolled", "180", "--absent", "190"], "more than days enrolled"),
        (["chronic", "--enrolled", "180", "--absent", "-2"], "negative"),
        (["chronic", "--enrolled", "abc", "--absent", "2"], "must be a number"),
        (["chronic", "--enrolled", "0", "--absent", "0"], "more than 0"),
        (["chronic", "--enrolled", "180"], "--absent"),
        (["withdrawal", "--situation", "moved"], "Unknown situation"),
        (["roster", "/no/such/file.csv"], "does not exist"),
        (["excused", "/no/such/file.json"], "does not exist"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_exit_2_one_line(args: list[str], words: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr, done.stderr


def test_excused_bad_file_contents(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = run_cli("excused", str(bad))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not valid JSON" in done.stderr
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({**EXCUSED, "absences": [{"date": "2025-07-01", "reason": "illness"}]}), encoding="utf-8")
    done = run_cli("excused", str(outside), "--json")
    assert done.returncode == 2 and "outside the school year" in done.stderr
