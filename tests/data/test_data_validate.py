"""The validator accepts the real policy data and rejects broken copies with file, line and field.

Each broken case edits one line of a copy in tmp_path, so the expected line is the edited one.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policy_tools.validate import check, run

# The bulletin's files and what they need; rules/ and examples/ belong to the calculators' tests.
COPIED = ["bulletin", "schemas", "source", "glossary.yaml", "ocr_corrections.yaml"]


@pytest.fixture
def data(tmp_path: Path, root: Path) -> Path:
    for name in COPIED:
        source = root / "policy_data" / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / "policy_data" / name)
        else:
            shutil.copy(source, tmp_path / "policy_data" / name)
    return tmp_path


def edit(data: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in policy_data/`rel`; return the 1-based line where it started."""
    path = data / "policy_data" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def messages(data: Path) -> list[str]:
    return [str(problem) for problem in check(data)]


def test_real_policy_data_is_valid(root: Path) -> None:
    problems = check(root)
    assert not problems, "\n".join(map(str, problems))


def test_the_bulletin_files_alone_are_valid(data: Path) -> None:
    assert messages(data) == []


Case = Callable[[Path], tuple[str, int, str, str]]


def wrong_type(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/sections/02-ii.yaml", "letter_restored: true", 'letter_restored: "yes"')
    return "bulletin/sections/02-ii.yaml", line, "`paragraphs[1].letter_restored`", "must be of type boolean"


def missing_field(data: Path) -> tuple[str, int, str, str]:
    # Dropping `letter:` leaves the paragraph starting on the `- id: ii-c` line.
    line = edit(data, "bulletin/sections/02-ii.yaml", "  - id: ii-c\n    letter: c\n", "  - id: ii-c\n")
    return "bulletin/sections/02-ii.yaml", line, "`paragraphs[2].letter`", "missing: add `letter`"


def duplicate_id(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/sections/07-vii.yaml", "  - id: vii-d", "  - id: vii-c")
    return "bulletin/sections/07-vii.yaml", line, "`paragraphs[3].id`", "id `vii-c` is already used"


def duplicate_id_across_files(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/authority.yaml", "  - id: edc-234.7\n", "  - id: xii-c\n")
    return "bulletin/authority.yaml", line, "`citations[0].id`", "id `xii-c` is already used in "


def duplicate_key(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/meta.yaml", "pages: 13\n", "pages: 13\npages: 14\n") + 1
    return "bulletin/meta.yaml", line, "", "duplicate key `pages` (first on line"


def yaml_syntax_error(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/assistance.yaml", "  - id: assistance-oda\n", "  - id: [assistance-oda\n")
    return "bulletin/assistance.yaml", line + 1, "", ""


def unknown_field(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/sections/12-xii.yaml", "    letter_restored: true\n", "    leter_restored: true\n")
    return "bulletin/sections/12-xii.yaml", line, "`paragraphs[1].leter_restored`", "unknown field"


def quote_not_in_text(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/sections/10-x.yaml", 'quote: "during the first 15 minutes"', 'quote: "during the first 20 minutes"')
    return "bulletin/sections/10-x.yaml", line, "`paragraphs[1].numbers[0].quote`", "is not in this part's `text`"


def letters_out_of_order(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/sections/13-xiii.yaml", "  - id: xiii-b\n    letter: b", "  - id: xiii-c\n    letter: c") + 1
    return "bulletin/sections/13-xiii.yaml", line, "`paragraphs[1].letter`", "must have letter `b`"


def unknown_applies_to(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "bulletin/front.yaml", "applies_to: [xv-c]", "applies_to: [xv-z]")
    return "bulletin/front.yaml", line, "`major_changes.items[7].applies_to[0]`", "`xv-z` is not an id"


def stale_correction(data: Path) -> tuple[str, int, str, str]:
    line = edit(data, "ocr_corrections.yaml", '{find: "SERIVCES"', '{find: "SERVICEZ"')
    return "ocr_corrections.yaml", line, "`corrections[4].find`", "matched 0 times"


@pytest.mark.parametrize(
    "case",
    [
        wrong_type,
        missing_field,
        duplicate_id,
        duplicate_id_across_files,
        duplicate_key,
        yaml_syntax_error,
        unknown_field,
        quote_not_in_text,
        letters_out_of_order,
        unknown_applies_to,
        stale_correction,
    ],
)
def test_a_broken_file_is_named_with_its_line_and_field(data: Path, case: Case) -> None:
    rel, line, field, words = case(data)
    found = messages(data)
    expected_start = f"{data / 'policy_data' / rel} line {line}: {field}"
    assert any(m.startswith(expected_start) and words in m for m in found), (
        f"expected a message starting {expected_start!r} containing {words!r}; got:\n" + "\n".join(found)
    )


def test_a_file_without_a_schema_is_rejected(data: Path) -> None:
    (data / "policy_data" / "notes.yaml").write_text("anything: 1\n", encoding="utf-8")
    assert any("notes.yaml: no schema checks this file" in m for m in messages(data))


def test_run_prints_every_problem_and_exits_1(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong_type(data)
    unknown_field(data)
    with pytest.raises(SystemExit) as stopped:
        run(data)
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "02-ii.yaml line" in err and "12-xii.yaml line" in err and "2 problem(s)" in err


def test_run_is_silent_about_problems_on_valid_data(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(data)
    assert "is valid" in capsys.readouterr().err


def test_an_unclosed_quote_names_the_field_where_it_starts(data: Path) -> None:
    # YAML notices an unclosed quote only lines below, where it runs into the next key: the message
    # must still lead the maintainer to the field they broke and its line.
    line = edit(data, "bulletin/sections/12-xii.yaml", "    letter: c\n", '    letter: "c\n')
    found = [m for m in messages(data) if "12-xii.yaml" in m]
    assert len(found) == 1, found
    assert "`paragraphs[2].letter`: not valid YAML here" in found[0], found[0]
    assert f"it starts at line {line}: check its quotes" in found[0], found[0]


def test_a_file_edited_again_in_the_same_process_is_checked_again(data: Path) -> None:
    # The live preview validates after every save in one process (files are remembered by their
    # bytes): a saved mistake must be found, and a fixed one forgotten.
    assert messages(data) == []
    line = edit(data, "bulletin/sections/12-xii.yaml", "    letter: c\n", "    letter: 7\n")
    found = messages(data)
    assert any(f"12-xii.yaml line {line}: `paragraphs[2].letter`" in m for m in found), found
    edit(data, "bulletin/sections/12-xii.yaml", "    letter: 7\n", "    letter: c\n")
    assert messages(data) == []
