"""The policy data says what BUL-4926.4 says: nothing missing, nothing added.

The source is policy_data/source/BUL-4926.4.ocr.txt after the steps recorded in
policy_data/ocr_corrections.yaml (corrections, noise lines, list markers, line joining); the
data is every `text` field of policy_data/bulletin/. Both are cut into sentences the same way
(policy_tools.source_text.split_sentences) and compared as multisets, so a sentence the bulletin
prints twice must be in the data twice.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from policy_tools import policy_data, source_text
from policy_tools.source_text import bulletin_texts, split_sentences

# The real data is read once per module; tests on copies in tmp_path call the readers directly.
load_bulletin = lru_cache(policy_data.load_bulletin)
corrected_source = lru_cache(source_text.corrected_source)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"]


def data_sentences(root: Path) -> tuple[Counter[str], dict[str, str]]:
    counts: Counter[str] = Counter()
    where: dict[str, str] = {}
    for path, field, text in bulletin_texts(root):
        for sentence in split_sentences(text):
            counts[sentence] += 1
            where.setdefault(sentence, f"{path.relative_to(root)} {'.'.join(map(str, field))}")
    return counts, where


def differences(root: Path) -> list[str]:
    source = Counter(s for entry in source_text.corrected_source(root).entries for s in split_sentences(entry))
    data, where = data_sentences(root)
    out = [f"missing from the data: {s!r}" for s in source - data]
    out += [f"not in the source ({where[s]}): {s!r}" for s in data - source]
    return out


def test_every_source_sentence_is_in_the_data_and_nothing_else(root: Path) -> None:
    found = differences(root)
    assert not found, "\n".join(found)


def test_a_changed_word_is_reported_both_ways(tmp_path: Path, root: Path) -> None:
    shutil.copytree(root / "policy_data", tmp_path / "policy_data", ignore=shutil.ignore_patterns("rules", "examples"))
    section = tmp_path / "policy_data" / "bulletin" / "sections" / "10-x.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("first\n      15 minutes", "first\n      20 minutes"), encoding="utf-8")
    found = differences(tmp_path)
    assert any(f.startswith("missing from the data:") and "first 15 minutes" in f for f in found)
    assert any(f.startswith("not in the source (policy_data/bulletin/sections/10-x.yaml paragraphs.1.text)") for f in found)


def test_sixteen_sections_numbered_i_to_xvi_in_order(root: Path) -> None:
    bulletin = load_bulletin(root)
    assert [s.numeral for s in bulletin.sections] == ROMAN
    assert [s.id for s in bulletin.sections] == [n.lower() for n in ROMAN]


def test_numerals_printed_in_the_source_are_the_ones_restored_by_order(root: Path) -> None:
    # The source prints II, IV-VIII beside their headings; the others are lost or at page tops.
    source = (root / "policy_data" / "source" / "BUL-4926.4.ocr.txt").read_text(encoding="utf-8")
    bulletin = load_bulletin(root)
    by_heading = {s.text.split(" (")[0]: s.numeral for s in bulletin.sections}
    assert by_heading["SPECIAL CONSIDERATION DURING ENROLLMENT"] == "IV"
    assert re.search(r"^IV\. SPECIAL CONSIDERATION DURING ENROLLMENT", source, re.M)
    assert re.search(r"^V\. LAUSD PLACEMENT ENROLLMENT", source, re.M) and by_heading["LAUSD PLACEMENT ENROLLMENT"] == "V"
    assert re.search(r"VIII\. UNIVERSAL TRANSITIONAL", source) and by_heading["UNIVERSAL TRANSITIONAL KINDERGARTEN"] == "VIII"


def test_paragraph_letters_run_a_b_c_in_every_section(root: Path) -> None:
    for section in load_bulletin(root).sections:
        letters = [p.letter for p in section.paragraphs]
        assert letters == [chr(ord("a") + i) for i in range(len(letters))], section.id
        assert [p.id for p in section.paragraphs] == [f"{section.id}-{x}" for x in letters]


def test_paragraph_counts_match_the_bulletin_as_read(root: Path) -> None:
    # Counted by hand in the OCR source: one paragraph per block of text under each heading
    # (see each section's `note` for the two lines read as paragraphs of their own, IV.c and XI.g).
    expected = {"i": 1, "ii": 8, "iii": 2, "iv": 4, "v": 1, "vi": 1, "vii": 4, "viii": 1,
                "ix": 8, "x": 6, "xi": 8, "xii": 4, "xiii": 2, "xiv": 2, "xv": 8, "xvi": 1}
    assert {s.id: len(s.paragraphs) for s in load_bulletin(root).sections} == expected


def test_letters_the_ocr_printed_are_not_marked_restored(root: Path) -> None:
    bulletin = load_bulletin(root)
    printed = {"iv-b", "xi-c"} | {f"{s.id}-a" for s in bulletin.sections}
    for paragraph in bulletin.paragraphs():
        assert paragraph.letter_restored == (paragraph.id not in printed), paragraph.id


def test_major_changes_one_to_eight_with_their_sub_items(root: Path) -> None:
    items = load_bulletin(root).front.items
    assert [i.number for i in items] == list(range(1, 9))
    subs = {i.number: [s.letter for s in i.items] for i in items}
    assert subs == {1: [], 2: ["a", "b"], 3: ["a", "b", "c", "d", "e"], 4: [], 5: [], 6: ["a", "b", "c", "d"], 7: [], 8: []}
    for item in items:
        assert item.applies_to, item.id


def test_related_resources_26_with_links_then_4_without(root: Path) -> None:
    related = load_bulletin(root).related_resources
    bulletins = related.bulletins
    assert len(bulletins) == 30
    assert all(b.link for b in bulletins[:26]) and not any(b.link for b in bulletins[26:])
    # The link lines follow the bulletins in the same order, the eLibrary first.
    assert [related.elibrary] + [b.link for b in bulletins[:26]] == corrected_source(root).links


def test_authority_lists_every_citation_of_the_source(root: Path) -> None:
    citations = load_bulletin(root).authority.citations
    assert len(citations) == 16
    sections = [s.section for c in citations for s in c.statutes]
    assert sections[:14] == ["234.7", "44809", "46012", "46390", "48000", "48200", "48204", "48204.2", "48205",
                             "48225.5", "48260", "48260.5", "48261", "48262"]
    assert [c.id for c in citations][-2:] == ["ccr-5-306", "ccr-5-421"]


def test_every_phone_number_and_contact_of_assistance(root: Path) -> None:
    assistance = load_bulletin(root).assistance
    source = (root / "policy_data" / "source" / "BUL-4926.4.ocr.txt").read_text(encoding="utf-8")
    phones = re.findall(r"\(\d{3}\) \d{3}-\d{4}", source)
    assert [c.phone for c in assistance.contacts if c.phone] == phones
    assert len(assistance.contacts) == 6
    helpdesk = assistance.contacts[-1]
    assert [i.text for i in helpdesk.items][:2] == ["Submit a Support Request Online", "Chat Live with an Agent"]
    assert assistance.attachments.text == "None"


STATUTE_IN_TEXT = re.compile(r"(?:§§?|Sections?)\s*((?:\d+(?:\.\d+)?[a-z]?(?:\([a-z0-9]\))*(?: et seq\.)?,?\s*(?:and\s)?)+)")


@pytest.mark.parametrize("part", ["paragraphs", "front"])
def test_every_statute_printed_in_a_text_is_listed_in_its_statutes(root: Path, part: str) -> None:
    bulletin = load_bulletin(root)
    owners = (
        [(p.id, p.text, {s.section for s in p.statutes}) for p in bulletin.paragraphs()]
        if part == "paragraphs"
        else [("guidelines", bulletin.front.guidelines.text, {s.section for s in bulletin.front.guidelines.statutes})]
    )
    for ident, text, listed in owners:
        printed = {n for group in STATUTE_IN_TEXT.findall(text) for n in re.findall(r"\d+(?:\.\d+)?[a-z]?", group)}
        printed -= {"1"}  # the "(c)(1)" of 60901(c)(1) is a subdivision
        assert printed <= listed, f"{ident}: prints {sorted(printed - listed)} but does not list them in `statutes`"


def test_every_bulletin_or_reference_printed_in_a_paragraph_is_in_its_references(root: Path) -> None:
    for paragraph in load_bulletin(root).paragraphs():
        printed = set(re.findall(r"\b(?:BUL|REF)[- ]\d+(?:\.\d+)?", paragraph.text))
        assert printed <= set(paragraph.references), paragraph.id


def test_acronyms_spelled_out_in_the_bulletin_are_in_the_glossary(root: Path) -> None:
    bulletin = load_bulletin(root)
    terms = {t.term for t in bulletin.glossary}
    for _, _, text in bulletin_texts(root):
        for acronym in re.findall(r"\(([A-Z][A-Za-z.]*[A-Z.])\)", text):
            assert acronym in terms, f"{acronym} is not in policy_data/glossary.yaml"


def test_glossary_terms_appear_where_they_say(root: Path) -> None:
    bulletin = load_bulletin(root)
    for term in bulletin.glossary:
        names = [term.term.rstrip(".").lower()] + ([term.expansion.lower()] if term.expansion else [])
        for ident in term.used_in:
            owner = bulletin.by_id[ident]
            text = " ".join(_texts(owner)).lower()
            assert any(name in text for name in names), f"{term.id} is not in {ident}"


def _texts(node: object) -> list[str]:
    """Every `text` of a part and of the parts inside it (a section's paragraphs, a list's entries)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        node = {f.name: getattr(node, f.name) for f in dataclasses.fields(node)}
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "text" and isinstance(v, str)] + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []
