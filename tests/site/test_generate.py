"""The page generator on a small hand-made bulletin: links, redirects and the messages it gives."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from policy_tools.bulletin_records import (
    Assistance, Attachments, Authority, Change, Citation, Duty, Front, FrontPart, Meta, Number, Paragraph,
    RelatedBulletin, RelatedResources, Section, Statute, Term,
)
from policy_tools.generate import GenerateError, build_files
from policy_tools.linkify import escape
from policy_tools.nav import nav_problems
from policy_tools.policy_data import Bulletin


def _bulletin() -> Bulletin:
    paragraph = Paragraph(
        id="xii-c",
        section_id="xii",
        numeral="XII",
        letter="c",
        text=(
            "Schools shall enroll students (E.C. §§ 48432.5, 48853, 48853.5); see BUL-6718 and "
            "CCR, Title 5, § 306. Students *should* not be withdrawn."
        ),
        statutes=[Statute("EDC", "48432.5"), Statute("EDC", "48853"), Statute("EDC", "48853.5"), Statute("CCR", "306", 5)],
        duties=[Duty("school_staff", "Schools shall enroll students")],
        numbers=[Number(15, "minutes", "15 minutes", "Attendance is taken")],
    )
    section = Section("xii", "XII", "Withdrawal Procedures", "WITHDRAWAL PROCEDURES", "withdrawal", [paragraph])
    return Bulletin(
        meta=Meta("bulletin", "BUL-4926.4", "T", "2024-08-12", "", "D"),
        front=_front([]),
        sections=[section],
        authority=Authority(
            "authority", "Authority", "", [Citation("edc-48853", "E.C. § 48853 - Foster", [Statute("EDC", "48853")])]
        ),
        related_resources=RelatedResources(
            "related-resources", "Related Resources", "", "https://my.lausd.net/webcenter/portal/LAUSD",
            [RelatedBulletin("bul-6718.0", "BUL-6718.0", "Foster Youth", "2016", "", None)],
        ),
        assistance=Assistance("assistance", "Assistance", "", [], Attachments("attachments", "Attachments", "None")),
        glossary=[_term("State law on schools.")],
    )


def _front(changes: list[Change]) -> Front:
    return Front(
        purpose=FrontPart("purpose", "Purpose", "The purpose."),
        major_changes=FrontPart("major-changes", "Major Changes", ""),
        items=changes,
        guidelines=FrontPart("guidelines", "Guidelines", ""),
    )


def _term(definition: str) -> Term:
    return Term("term-ec", "E.C.", definition, [], expansion="Education Code")


def test_each_statute_of_a_list_and_each_bulletin_becomes_a_link() -> None:
    page = build_files(_bulletin(), {})["policy/xii.md"]
    assert "[E.C. §§ 48432.5](../reference/authority.md#edc-48432.5), [48853](../reference/authority.md#edc-48853)" in page
    assert "[48853.5](../reference/authority.md#edc-48853.5)" in page
    assert "[CCR, Title 5, § 306](../reference/authority.md#ccr-5-306)" in page
    # Printed without its revision, BUL-6718 is the Related Resources entry BUL-6718.0.
    assert "[BUL-6718](../reference/related-resources.md#bul-6718.0)" in page
    assert r"Students \*should\* not" in page, "bulletin text must not turn into Markdown emphasis"


def test_authority_lists_statutes_cited_but_not_printed_under_authority() -> None:
    page = build_files(_bulletin(), {})["reference/authority.md"]
    assert "## E.C. § 48853 - Foster { #edc-48853 }" in page
    also = page.split("{ #also-cited }", 1)[1]
    assert "{ #edc-48432.5 }" in also and "{ #ccr-5-306 }" in also
    assert "https://www.law.cornell.edu/regulations/california/5-CCR-306" in also
    assert "[XII.c](../policy/xii.md#xii-c)" in also


def test_a_moved_id_redirects_to_its_new_home_without_script() -> None:
    files = build_files(_bulletin(), {"xii-e": "xii-c"})
    redirect = files["ref/xii-e/index.html"]
    assert 'content="0; url=../../policy/xii/#xii-c"' in redirect
    assert '<a href="../../policy/xii/#xii-c">' in redirect
    assert "<script" not in redirect
    assert files["ref/xii/index.html"].count("url=../../policy/xii/\"") == 1


@pytest.mark.parametrize(
    ("moved", "message"),
    [({"xii-c": "xii"}, "still exists"), ({"xii-e": "xii-z"}, "`xii-z` is not a current id")],
)
def test_a_wrong_moved_entry_is_refused_with_the_fix(moved: dict[str, str], message: str) -> None:
    with pytest.raises(GenerateError, match=re.escape(message)):
        build_files(_bulletin(), moved)


def test_a_section_listed_under_the_wrong_topic_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "theme:\n  icon: !!python/name:material.icons\nnav:\n  - Attendance:\n      - policy/xii.md\n", encoding="utf-8"
    )
    problems = [message for _, message in nav_problems(tmp_path, [(s.id, s.numeral, s.topic) for s in _bulletin().sections])]
    assert len(problems) == 1 and re.search(r"policy/xii.md .* is under “Attendance”; list it under “Withdrawal”", problems[0])


def test_glossary_terms_ending_in_a_dot_still_match_in_the_text() -> None:
    abbreviations = build_files(_bulletin(), {})["includes/abbreviations.md"]
    assert "*[E.C]: Education Code: State law on schools." in abbreviations


def test_views_quote_the_bulletin_and_link_the_paragraph() -> None:
    files = build_files(_bulletin(), {})
    assert "- “Schools shall enroll students” — [XII.c](../policy/xii.md#xii-c)" in files["reference/roles.md"]
    assert "| Attendance is taken | 15 minutes | “15 minutes” | [XII.c](../policy/xii.md#xii-c)" in files["reference/time-limits.md"]


def test_escape_keeps_markdown_and_html_out_of_bulletin_text() -> None:
    assert escape("a_b *c* [d] <e> #f") == r"a\_b \*c\* \[d\] &lt;e\> \#f"


def test_a_paragraph_behind_a_calculator_rule_links_to_the_calculator() -> None:
    page = build_files(_bulletin(), {}, {"xii-c": ["withdrawal"]})["policy/xii.md"]
    block = page.split('id="xii-c"', 1)[1].split("</div>", 1)[0]
    assert "Apply it: [Withdrawal documents](../calculators/withdrawal.md)" in block


def test_statutes_in_our_notes_and_definitions_are_links_too() -> None:
    note = "Our reading: see E.C. § 48853, and E.C. § 46014 (not in the bulletin)."
    bulletin = replace(
        _bulletin(),
        front=_front([Change("mc-1", "1", "A change.", [], 1, note=note)]),
        glossary=[_term("State law on schools, written like E.C. § 48853.")],
    )
    files = build_files(bulletin, {})
    # Cited by the bulletin: its Authority entry. Not cited: the official text, marked as leaving the site.
    assert "[E.C. § 48853](../reference/authority.md#edc-48853)" in files["policy/whats-new.md"]
    official = "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=EDC&sectionNum=46014"
    assert f"[E.C. § 46014]({official}){{ .policy-external }}" in files["policy/whats-new.md"]
    assert "[E.C. § 48853](authority.md#edc-48853)" in files["reference/glossary.md"]
    assert "46014" not in files["reference/authority.md"], "a statute only our note names is not the bulletin's authority"


def test_a_permanent_address_names_the_site_icon() -> None:
    redirect = build_files(_bulletin(), {})["ref/xii-c/index.html"]
    # Without it, every visit asks for /favicon.ico and gets a 404 (a console error).
    assert '<link rel="icon" href="../../assets/images/favicon.png">' in redirect
