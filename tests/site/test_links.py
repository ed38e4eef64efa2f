"""The built policy pages, read as files: permanent addresses, citations and cross-links.

These read `SITE_DIR` (default site/) as ./scripts/build left it, and the policy data behind it,
so a broken course link or a citation that lost its link fails here, not in a trainer's course.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policy_tools.permanent_addresses import current_ids
from policy_tools.linkify import find_citations
from policy_tools.policy_data import load_bulletin

from site_html import parse, resolve


@pytest.fixture(scope="module")
def bulletin(root: Path):
    return load_bulletin(root)


@pytest.fixture(scope="module")
def published(root: Path) -> dict:
    return yaml.safe_load((root / "policy_data" / "published_ids.yaml").read_text(encoding="utf-8"))


def _follow_ref(site: Path, ident: str) -> tuple[Path, str]:
    redirect = site / "ref" / ident / "index.html"
    assert redirect.is_file(), f"/ref/{ident}/ is not published: a course linking it would break"
    page = parse(redirect)
    assert page.scripts == 0, f"/ref/{ident}/ uses a script; the site's CSP allows no inline script"
    assert page.refresh, f"/ref/{ident}/ has no meta refresh"
    assert any(link.href == page.refresh for link in page.links), f"/ref/{ident}/ shows no visible link"
    return resolve(site, f"ref/{ident}/", page.refresh)


def test_every_published_id_still_leads_to_its_paragraph(site_dir: Path, published: dict) -> None:
    ids = list(published["ids"]) + list(published.get("moved") or {})
    assert len(ids) > 100
    broken = []
    for ident in ids:
        target, anchor = _follow_ref(site_dir, ident)
        if not target.is_file():
            broken.append(f"/ref/{ident}/ -> {target.relative_to(site_dir)} (no such page)")
        elif anchor and anchor not in parse(target).ids:
            broken.append(f"/ref/{ident}/ -> {target.relative_to(site_dir)}#{anchor} (no such anchor)")
    assert broken == [], "published addresses that no longer resolve (add a `moved` entry):\n" + "\n".join(broken)


def test_a_moved_id_keeps_its_address(site_dir: Path, published: dict) -> None:
    for old, new in (published.get("moved") or {}).items():
        assert _follow_ref(site_dir, old) == _follow_ref(site_dir, new)


def test_every_current_id_is_recorded_as_published(root: Path, published: dict) -> None:
    recorded = set(published["ids"]) | set(published.get("moved") or {})
    missing = [ident for ident in current_ids(root) if ident not in recorded]
    assert missing == [], f"run `python -m policy_tools.generate --record` and commit: {missing}"


def test_xii_c_is_labelled_and_anchored_as_in_the_bulletin(site_dir: Path) -> None:
    html = (site_dir / "policy" / "xii" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 id="xii">XII\. Withdrawal Procedures', html)
    paragraph = re.search(r'<div class="policy-paragraph"[^>]*\bid="xii-c"[^>]*>(.*?)</div>', html, re.S)
    assert paragraph, "no element with id xii-c on /policy/xii/"
    assert ">XII.c</a> Schools shall exercise all due diligence efforts" in paragraph.group(1)
    assert 'class="policy-copy" data-ref="../../ref/xii-c/"' in paragraph.group(1)


def _entries(html: str, prefix: str) -> dict[str, str]:
    """Authority page split at each statute anchor: id -> the HTML of that entry."""
    marks = [(m.start(), m.group(1)) for m in re.finditer(r'id="([^"]+)"', html)]
    ends = [start for start, _ in marks[1:]] + [len(html)]
    return {ident: html[start:end] for (start, ident), end in zip(marks, ends) if ident.startswith(f"{prefix}-")}


def test_every_education_code_section_links_out_and_back(site_dir: Path, bulletin) -> None:
    authority = site_dir / "reference" / "authority" / "index.html"
    html = authority.read_text(encoding="utf-8")
    entries = _entries(html, "edc")
    listed = {s.section for c in bulletin.authority.citations for s in c.statutes if s.code == "EDC"}
    assert {f"edc-{n}" for n in listed} <= set(entries), "an E.C. section of the Authority list has no anchor"
    cited_by = {ident: citing for ident, (_, citing) in bulletin.statutes().items()}
    for ident, entry in entries.items():
        section = ident.removeprefix("edc-")
        official = f"https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=EDC&amp;sectionNum={section}"
        assert f'href="{official}"' in entry, f"{ident} does not link to its official text"
        back = re.findall(r'href="(\.\./\.\./policy/[^"#]+/#[^"]+)"', entry)
        for paragraph in cited_by.get(ident, []):
            assert any(href.endswith(f"#{paragraph}") for href in back), f"{ident}: no 'cited in' link to {paragraph}"
        for href in back:
            page, anchor = resolve(site_dir, "reference/authority/", href)
            parsed = parse(page)
            assert anchor in parsed.ids, f"{ident}: cited-in link {href} has no target"
            assert any(
                resolve(site_dir, str(page.parent.relative_to(site_dir)) + "/", link.href)
                == (authority, ident)
                for link in parsed.links
            ), f"{href} cites {ident} but does not link to the Authority entry"


def test_every_citation_in_the_text_is_a_link(site_dir: Path, bulletin) -> None:
    for section in bulletin.sections:
        links = parse(site_dir / "policy" / section.id / "index.html").links
        texts = {link.text for link in links}
        hrefs = {link.href for link in links}
        for paragraph in section.paragraphs:
            for statute in paragraph.statutes:
                assert f"../../reference/authority/#{statute.id}" in hrefs, f"{paragraph.id}: {statute.label} is not linked"
            for found in find_citations(paragraph.text, "BUL-4926.4"):
                assert found.printed in texts, f"{paragraph.id}: “{found.printed}” is not a link"


def _parts_linked(page: Path) -> set[str]:
    """Bulletin parts an entry links to: sections I-XVI, and the Guidelines intro and Major Changes."""
    parts = set()
    for link in parse(page).links:
        match = re.match(r"^\.\./\.\./policy/(?:([ivx]+)/|whats-new/|)#(.+)$", link.href)
        if match:
            parts.add(match.group(1) or ("major-changes" if match.group(2).startswith("mc-") else match.group(2)))
    return parts


@pytest.mark.parametrize("name", ["roles", "time-limits"])
def test_views_list_entries_from_at_least_ten_sections(site_dir: Path, name: str) -> None:
    parts = _parts_linked(site_dir / "reference" / name / "index.html")
    assert len(parts) >= 10, f"/reference/{name}/ links only {sorted(parts)}"
    assert len({p for p in parts if re.fullmatch("[ivx]+", p)}) >= 9


def test_roles_page_groups_duties_under_each_role(site_dir: Path) -> None:
    html = (site_dir / "reference" / "roles" / "index.html").read_text(encoding="utf-8")
    for role in ("principal", "teacher", "school-staff", "parent-guardian"):
        assert f'id="{role}"' in html, f"no {role} heading on /reference/roles/"
    teacher = html.split('id="teacher"', 1)[1].split("<h2", 1)[0]
    assert "first 15 minutes" in teacher and "../../policy/x/#x-b" in teacher


def test_each_major_change_links_where_it_applies(site_dir: Path, bulletin) -> None:
    page = site_dir / "policy" / "whats-new" / "index.html"
    html = page.read_text(encoding="utf-8")
    for item in bulletin.front.items:
        for part in [item, *item.items]:
            block = html.split(f'id="{part.id}"', 1)[1].split('class="policy-paragraph', 1)[0]
            for target in part.applies_to:
                linked = f"#{target}\"" in block or f"/{target}/\"" in block
                assert linked, f"{part.id} does not link to {target}"


def test_glossary_terms_are_explained_on_the_pages(site_dir: Path) -> None:
    html = (site_dir / "policy" / "x" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="[^"]*Information System[^"]*">MiSiS</abbr>', html)
    assert re.search(r'<abbr title="[^"]+">ADA</abbr>', html)


def test_related_resources_link_to_the_elibrary(site_dir: Path, bulletin) -> None:
    html = (site_dir / "reference" / "related-resources" / "index.html").read_text(encoding="utf-8")
    for resource in bulletin.related_resources.bulletins:
        assert f'id="{resource.id}"' in html
        if resource.link:
            assert f'href="{resource.link}"' in html.replace("&amp;", "&")


def test_a_statute_the_authority_page_lacks_links_to_its_official_text(site_dir: Path) -> None:
    """Our notes, definitions and calculator readings cite statutes the bulletin does not (E.C. § 37201):
    those links leave the site for that section's official text; every other one stays on Authority."""
    authority = site_dir / "reference" / "authority" / "index.html"
    entries = parse(authority).ids
    outside: list[str] = []
    for path in sorted(site_dir.rglob("*.html")):
        # The whole-bulletin page holds the Authority page too, with its "Official text" links.
        if path in (authority, site_dir / "policy" / "bulletin" / "index.html") or path.relative_to(site_dir).parts[0] == "assets":
            continue
        for link in parse(path).links:
            found = find_citations(link.text)
            if len(found) != 1 or found[0].kind != "statute" or "://" not in link.href:
                continue
            ident, number = found[0].key, found[0].key.rsplit("-", 1)[1]
            where = f"{path.relative_to(site_dir)}: {link.text!r} -> {link.href}"
            assert ident not in entries, f"{where}: the Authority page has #{ident}; link there"
            assert re.search(rf"(?:sectionNum=|/|-){re.escape(number)}$", link.href), f"{where}: not the text of § {number}"
            outside.append(ident)
    assert {"edc-37201", "edc-46014"} <= set(outside), f"only {sorted(set(outside))} link out: are the notes and readings linked?"
