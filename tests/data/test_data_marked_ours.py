"""What the data marks as ours or as the bulletin's own slip is true of the OCR source (issue 11)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from policy_tools.policy_data import load_bulletin


def source(root: Path) -> str:
    return " ".join((root / "policy_data" / "source" / "BUL-4926.4.ocr.txt").read_text(encoding="utf-8").split())


def test_glossary_additions_marked_ours_are_never_printed(root: Path) -> None:
    """An expansion marked ours is nowhere in the bulletin; an acronym marked ours neither, while
    its words are; and every expansion not marked ours is printed."""
    text = source(root)
    terms = load_bulletin(root).glossary
    ours = {t.term for t in terms if t.expansion_ours or t.term_ours}
    assert ours == {"IEP", "REF", "U.S.C.", "BUL", "TK", "AB", "SB"}
    for term in terms:
        if term.term_ours:
            assert not re.search(rf"\b{re.escape(term.term)}\b", text), term.term
            assert term.expansion in text, term.term
        elif term.expansion_ours:
            # never printed as this term's expansion, "words (TERM)" or "TERM (words": "Transitional
            # Kindergarten" is printed only inside "Universal Transitional Kindergarten (UTK)"
            name, words = re.escape(term.term), re.escape(term.expansion)
            assert not re.search(rf"\b{words}\s*\(\s*{name}\s*\)|\b{name}\s*\(\s*{words}", text), term.term
        elif term.expansion:
            assert term.expansion.lower() in text.lower(), f"{term.term}: is “{term.expansion}” ours? mark expansion_ours"


def test_editorial_corrections_are_the_bulletins_own_slips_and_say_where(root: Path) -> None:
    data = yaml.safe_load((root / "policy_data" / "ocr_corrections.yaml").read_text(encoding="utf-8"))
    editorial = {fix["find"]: fix["in"] for fix in data["corrections"] if fix.get("kind") == "editorial"}
    assert editorial == {"MiSIS rosters": "xii-c", "SERIVCES": "xiv", "If amass absence": "xi-b"}
    bulletin = load_bulletin(root)
    for find, where in editorial.items():
        assert find in source(root)
        assert where in bulletin.by_id
        assert bulletin.editorial[where][0]["find"] == find


def test_paragraphs_that_lost_their_letter_keep_their_id_and_record_the_other_reading(root: Path) -> None:
    bulletin = load_bulletin(root)
    lost = {p.id: p for p in bulletin.paragraphs() if p.letter_lost}
    assert set(lost) == {"ii-f", "iv-c", "x-f", "xi-g"}
    published = yaml.safe_load((root / "policy_data" / "published_ids.yaml").read_text(encoding="utf-8"))["ids"]
    for ident, paragraph in lost.items():
        assert ident in published and paragraph.letter_restored
        before = f"{paragraph.numeral}.{chr(ord(paragraph.letter) - 1)}"
        assert f"follow-on text of {before}" in " ".join(paragraph.letter_reading.split())


def test_a_reference_whose_title_disagrees_is_not_linked_and_the_note_says_so(root: Path) -> None:
    xie = load_bulletin(root).by_id["xi-e"]
    assert xie.references_not_linked == ["BUL-5655.3"]
    assert "is not linked" in " ".join(xie.note.split())
