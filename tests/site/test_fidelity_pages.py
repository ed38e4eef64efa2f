"""The built pages show what issue 11 put in the data: the bulletin's own slips and our additions
labelled as such, and no link to a title the bulletin's references contradict."""
from __future__ import annotations

import re
from pathlib import Path


def page(site_dir: Path, path: str) -> str:
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def paragraph_html(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start : html.index('class="policy-actions"', start)]


def test_xi_e_does_not_link_bulletin_5655_3_and_the_note_has_no_half_link(site_dir: Path) -> None:
    xie = paragraph_html(page(site_dir, "policy/xi"), "xi-e")
    text = xie[: xie.index("policy-note")]
    assert "BUL-5655.3, Documentation of Student Misconduct" in re.sub(r"<[^>]+>", "", text)
    assert not re.search(r"5655\.3</a>, Documentation", text)
    assert "5655</a>.x" not in xie and "BUL-5655.x" in re.sub(r"<[^>]+>", "", xie)
    assert "is not linked in this paragraph" in xie


def test_editorial_corrections_are_shown_where_they_are(site_dir: Path) -> None:
    for path, printed in (("policy/xiv", "SERIVCES"), ("policy/xii", "MiSIS rosters"), ("policy/xi", "If amass absence")):
        html = page(site_dir, path)
        assert "Editorial correction (ours; the bulletin’s own slip, not OCR damage)" in html
        assert f"The bulletin prints “{printed}”" in html
    assert "MiSIS rosters" in paragraph_html(page(site_dir, "policy/xii"), "xii-c")


def test_glossary_marks_our_additions(site_dir: Path) -> None:
    text = re.sub(r"<[^>]+>", "", page(site_dir, "reference/glossary"))
    assert "The expansion is ours: the bulletin uses “IEP” but never spells it out." in text
    assert "The acronym is ours: the bulletin writes “Senate Bill” in full and never uses “SB”." in text
    assert "The expansion is ours: the bulletin uses “MiSiS”" not in text


def test_authority_prints_et_seq_as_the_bulletin_does(site_dir: Path) -> None:
    text = re.sub(r"<[^>]+>", "", page(site_dir, "reference/authority"))
    assert "E.C. § 49060 et seq." in text and "E.C. § 49073 et seq." in text
    assert "continuation schools" in text  # the note on E.C. § 48432.5


def test_notes_on_48432_5_and_on_lost_letters(site_dir: Path) -> None:
    iiia = re.sub(r"<[^>]+>", "", paragraph_html(page(site_dir, "policy/iii"), "iii-a"))
    assert "involuntary transfers of students to continuation schools" in iiia
    iif = re.sub(r"<[^>]+>", "", paragraph_html(page(site_dir, "policy/ii"), "ii-f"))
    assert "Other reading: the OCR shows no letter and no mark before this paragraph, so it may be follow-on text of II.e" in iif
