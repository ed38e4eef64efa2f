"""Issue 16 in the built files: search entries per paragraph, synonyms, citations, version line,
the whole-bulletin page and its PDF, SITE_URL."""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from policy_tools.citation import Citer
from policy_tools.policy_data import load_bulletin
from policy_tools.site_url import SiteUrlError, default_site_url, normalize, site_url


@pytest.fixture(scope="module")
def index(site_dir: Path) -> dict:
    return json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries(index: dict) -> dict[str, dict]:
    return {doc["location"]: doc for doc in index["docs"]}


@pytest.fixture(scope="module")
def bulletin(root: Path):
    return load_bulletin(root)


def test_every_paragraph_and_major_change_is_its_own_search_entry(bulletin, entries: dict[str, dict]) -> None:
    for section in bulletin.sections:
        for paragraph in section.paragraphs:
            entry = entries.get(f"policy/{section.id}/#{paragraph.id}")
            assert entry, f"no search entry for {paragraph.id}"
            assert entry["title"] == paragraph.label
            words = " ".join(paragraph.text.split())[:60]
            assert html.unescape(entry["text"]).startswith(words), (paragraph.id, entry["text"][:80])
    for item in bulletin.front.items:
        assert f"policy/whats-new/#{item.id}" in entries
        for sub in item.items:
            assert entries[f"policy/whats-new/#{sub.id}"]["title"] == f"Major change {item.number}.{sub.letter}"


def test_authority_entries_and_calculator_answers_are_search_entries(entries: dict[str, dict]) -> None:
    assert "reference/authority/#edc-48205" in entries
    assert "reference/glossary/#term-misis" in entries
    answer = entries["calculators/withdrawal/?situation=private_school_affidavit"]
    assert "California Private School Affidavit" in answer["text"]
    # A clerk sees the situation's name as the page shows it, never its id (it showed
    # "private_school_affidavit").
    assert answer["title"] == "Enrolling in a private school (or home school under a private school affidavit)"
    assert not [e["title"] for e in entries.values() if re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)+", html.unescape(e["title"]))]
    assert any(loc.startswith("calculators/chronic-absence/?enrolled=") for loc in entries)


def test_our_labels_are_not_in_the_search_text(index: dict) -> None:
    for doc in index["docs"]:
        if not doc["location"].startswith("policy/"):
            continue  # other pages may name the buttons in their prose
        text = html.unescape(doc["text"])
        for label in ("Note (ours", "Copy link", "Cite this", "Apply it:", "Permanent address"):
            assert label not in text, f"{doc['location']}: our label {label!r} is in the search text"


def test_synonyms_from_the_data_reach_the_entries(root: Path, entries: dict[str, dict], index: dict) -> None:
    import yaml

    synonyms = yaml.safe_load((root / "policy_data" / "search.yaml").read_text(encoding="utf-8"))["synonyms"]
    words = {w for s in synonyms for w in s["words"]}
    assert {"bereavement", "sick", "moved", "private school", "no show", "retroactive"} <= words
    assert "bereavement" in entries["policy/whats-new/#mc-3-a"]["keywords"]
    assert "private school" in entries["policy/whats-new/#mc-6-b"]["keywords"]
    assert "retroactive" in entries["policy/x/#x-c"]["keywords"]
    assert "keywords" in index["config"]["fields"], "mkdocs.yml search fields must index the synonyms"


def test_every_page_uses_the_every_word_first_worker(site_dir: Path) -> None:
    page = (site_dir / "policy" / "xii" / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert config["search"].startswith("../../assets/javascripts/workers/search-every-word.js?material=search.")
    query = parse_qs(config["search"].split("?", 1)[1])
    assert (site_dir / "assets" / "javascripts" / "workers" / query["material"][0]).is_file()
    # Each page's search keeps to the page's language (the index holds both).
    assert query["lang"] == ["en"]
    spanish = (site_dir / "es" / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', spanish, re.S).group(1))
    assert parse_qs(config["search"].split("?", 1)[1])["lang"] == ["es"]


def test_cite_this_sits_beside_copy_link_on_every_paragraph(site_dir: Path, bulletin) -> None:
    page = (site_dir / "policy" / "xii" / "index.html").read_text(encoding="utf-8")
    base = site_url()
    for paragraph in next(s for s in bulletin.sections if s.id == "xii").paragraphs:
        actions = re.search(rf'<p class="policy-actions"><button[^>]*data-ref="../../ref/{paragraph.id}/"[^>]*>.*?</p>', page, re.S)
        assert actions, paragraph.id
        cite = re.search(r'data-cite="([^"]+)"', actions.group(0))
        assert cite, f"{paragraph.id}: no Cite this button beside Copy link"
        assert html.unescape(cite.group(1)) == (
            "Los Angeles Unified School District, BUL-4926.4, Enrollment, Attendance, and Withdrawal Policies and "
            f"Procedures, {paragraph.label} (August 12, 2024), {base}ref/{paragraph.id}/"
        )


def test_citation_and_addresses_follow_site_url(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.setenv("SITE_URL", "https://policy.example.org/bul-4926")
    assert site_url(root) == "https://policy.example.org/bul-4926/"
    citer = Citer("BUL-4926.4", "Title", "August 12, 2024", site_url(root))
    assert citer.citation("xii-c", "XII.c").endswith("XII.c (August 12, 2024), https://policy.example.org/bul-4926/ref/xii-c/")
    monkeypatch.delenv("SITE_URL")
    assert site_url(root) == default_site_url(root) == "http://127.0.0.1:8000/"
    with pytest.raises(SiteUrlError, match="absolute address"):
        normalize("policy.example.org")


def test_mkdocs_reads_site_url_from_the_environment(root: Path) -> None:
    """Canonical links and the sitemap come from MkDocs' site_url: it must follow SITE_URL."""
    code = "from mkdocs.config import load_config; print(load_config('mkdocs.yml')['site_url'])"
    env = {**os.environ, "SITE_URL": "https://policy.example.org/", "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "https://policy.example.org/"


def test_the_built_site_agrees_with_its_site_url(site_dir: Path) -> None:
    """One address everywhere: canonical link, sitemap, citations and printed addresses."""
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    base = re.search(r'<link rel="canonical" href="([^"]+)"', home).group(1)
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}policy/xii/</loc>" in sitemap
    xii = (site_dir / "policy" / "xii" / "index.html").read_text(encoding="utf-8")
    assert f'data-address="{base}ref/xii-c/"' in xii
    assert f"{base}ref/xii-c/" in html.unescape(re.search(r'data-cite="([^"]*xii-c/)"', xii).group(1))


def test_every_page_has_the_version_line_and_the_pdf_link(site_dir: Path, bulletin) -> None:
    elibrary = bulletin.related_resources.elibrary
    pages = [p for p in site_dir.rglob("index.html") if p.relative_to(site_dir).parts[:1] not in (("ref",), ("assets",))]
    assert len(pages) > 25
    for path in pages:
        text = path.read_text(encoding="utf-8")
        line = re.search(r'<p class="policy-version policy-ours"><a class="policy-version__link" href="([^"]+)"(?: hreflang="en")?>([^<]+)<', text)
        assert line, f"{path}: no version line"
        assert line.group(1) == elibrary
        if path.relative_to(site_dir).parts[0] == "es":  # in Spanish, with the date the Spanish way (issue 14)
            assert html.unescape(line.group(2)) == "BUL-4926.4, 12 de agosto de 2024 · reemplaza a BUL-4926.3"
            assert re.search(r'<a href="[./]*assets/BUL-4926\.4\.pdf" hreflang="en" download>PDF del boletín completo \(en inglés\)</a>', text), path
        else:
            assert html.unescape(line.group(2)) == "BUL-4926.4, August 12, 2024 · replaces BUL-4926.3"
            assert re.search(r'<a href="[./]*assets/BUL-4926\.4\.pdf" download>PDF of the whole bulletin</a>', text), path


def test_the_whole_bulletin_page_is_in_reading_order(site_dir: Path, bulletin) -> None:
    text = (site_dir / "policy" / "bulletin" / "index.html").read_text(encoding="utf-8")
    order = ["purpose", "major-changes", "mc-3-a", "guidelines"] + [s.id for s in bulletin.sections] + ["xvi-a", "authority", "related-resources", "assistance"]
    positions = [text.find(f'id="{ident}"') for ident in order]
    assert -1 not in positions, dict(zip(order, positions))
    assert positions == sorted(positions)
    # Links into parts of this page stay on it (they work in the PDF too).
    assert 'href="#xii-c"' in text or 'href="#xii"' in text


def test_the_pdf_has_every_section_as_a_bookmark(site_dir: Path, bulletin) -> None:
    from pypdf import PdfReader

    pdf = site_dir / "assets" / "BUL-4926.4.pdf"
    assert pdf.is_file(), "no PDF: policy_tools.pdf (post-build) makes it"
    reader = PdfReader(pdf)
    titles: list[str] = []

    def walk(outline: list) -> None:
        for item in outline:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(" ".join(item.title.split()))

    walk(reader.outline)
    # Each bookmark reads as its heading does, spaces included where the heading wraps on the
    # printed page ("Procedures for Comprehensive Schools", never "forComprehensive").
    for section in bulletin.sections:
        assert f"{section.numeral}. {section.title}" in titles, f"no bookmark for section {section.numeral}: {titles}"
    for part in ("Authority", "Related Resources", "Assistance"):
        assert part in titles
    page_html = (site_dir / "policy" / "bulletin" / "index.html").read_text(encoding="utf-8")
    headings = {}
    for inner in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page_html, re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\u00b6", " ").split())
        headings.setdefault(text.replace(" ", ""), text)
    matched = [t for t in titles if t.replace(" ", "") in headings]
    assert len(matched) > len(bulletin.sections), titles
    assert [t for t in matched if t != headings[t.replace(" ", "")]] == []
    first = reader.pages[0].extract_text()
    assert "BUL-4926.4, August 12, 2024 · replaces BUL-4926.3" in first
    assert re.search(r"printed \w+ \d{1,2}, \d{4}", first)
    assert len(reader.pages) > 20
    assert f"{site_url()}ref/xii-c/" in "".join(page.extract_text() for page in reader.pages)
