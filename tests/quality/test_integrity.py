"""Integrity of the built site, read as files: links, anchors, statute links, pinned front-end files.

Complements tests/site/test_links.py (published /ref/ ids, citations found by policy_tools.linkify):
here every page is crawled, and statute mentions are found by a broader pattern of our own, so a
mention the linker's pattern misses still fails.
"""
from __future__ import annotations

import re
import shutil
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from policy_tools.pyodide_package import RUNTIME_FILES, AssetError, verify_pyodide
from tests.site.site_html import ParsedPage, parse, resolve

# A statute mention: "E.C. § 48205", "E.C. Section 49408", "Education Code § 48200", "§§ 48853",
# "CCR, Title 5, § 306", "20 U.S.C. Section 1232g".
STATUTE = re.compile(
    r"§+\s*\d"
    r"|\b(?:E\.\s?C\.|Education\s+Code)\s*(?:Sections?\s*)?\d"
    r"|\bCCR,?\s*Title\s*\d+"
    r"|U\.S\.C\.\s*(?:§|Sections?)?\s*\d"
)


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "assets")


def page_url(site: Path, page: Path) -> str:
    """`policy/xii/` for policy/xii/index.html, `404.html` for 404.html (what `resolve` expects)."""
    relative = page.relative_to(site).as_posix()
    return relative[: -len("index.html")] if relative.endswith("index.html") else relative


@lru_cache(maxsize=None)
def parsed(page: Path) -> ParsedPage:
    return parse(page)


def own_host(root: Path) -> str:
    from policy_tools.site_url import site_url  # mkdocs.yml: site_url: !ENV [SITE_URL, default]

    return urlsplit(site_url(root)).netloc


def test_every_internal_link_and_anchor_resolves(site_dir: Path, root: Path) -> None:
    host = own_host(root)
    broken: list[str] = []
    checked = 0
    for page in pages(site_dir):
        found = parsed(page)
        hrefs = [link.href for link in found.links] + ([found.refresh] if found.refresh else [])
        for href in hrefs:
            split = urlsplit(href)
            if split.scheme in ("mailto", "tel", "data") or (split.scheme and split.netloc != host):
                continue
            if split.netloc == host:  # an absolute address of this site (Material's canonical links)
                href = split._replace(scheme="", netloc="").geturl()
            target, anchor = resolve(site_dir, page_url(site_dir, page), href)
            checked += 1
            where = f"{page.relative_to(site_dir)}: {href}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif anchor and target.suffix == ".html" and unquote(anchor) not in parsed(target).ids:
                broken.append(f"{where} (no element with id {unquote(anchor)!r})")
    assert checked > 1000, f"only {checked} links checked: is the site built?"
    assert broken == [], f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:40])


class _UnlinkedText(HTMLParser):
    """The text of a page's <article>, outside links and code, one string per text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article = 0
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.article += 1
        elif self.article and tag in ("a", "code", "pre", "script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.article -= 1
        elif self.article and tag in ("a", "code", "pre", "script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.article and not self.skip:
            self.texts.append(data)


def test_every_statute_mention_in_the_text_is_a_link(site_dir: Path) -> None:
    authority = site_dir / "reference" / "authority" / "index.html"
    unlinked = []
    for page in pages(site_dir):
        # Authority's entries are the statutes themselves, the links' targets; the whole-bulletin
        # page (/policy/bulletin/) holds the Authority page too.
        if page in (authority, site_dir / "policy" / "bulletin" / "index.html"):
            continue
        reader = _UnlinkedText()
        reader.feed(page.read_text(encoding="utf-8"))
        # Join the text nodes: a mention can be split by markup ("E.C. <strong>§</strong> 1").
        text = re.sub(r"\s+", " ", " ".join(reader.texts))
        for match in STATUTE.finditer(text):
            unlinked.append(f"{page.relative_to(site_dir)}: …{text[max(0, match.start() - 40) : match.end() + 20]}…")
    assert unlinked == [], "statute mentions without a link (to /reference/authority/#id, or the official text):\n" + "\n".join(unlinked)


def test_every_statute_link_opens_its_own_authority_entry(site_dir: Path) -> None:
    authority = site_dir / "reference" / "authority" / "index.html"
    assert authority.is_file()
    wrong = []
    # The whole-bulletin page holds the Authority page, and its table of contents the entries.
    whole = site_dir / "policy" / "bulletin" / "index.html"
    for page in pages(site_dir):
        for link in parsed(page).links:
            if page == whole and link.href.startswith("#"):
                target, anchor = resolve(site_dir, page_url(site_dir, page), link.href)
                if anchor in parsed(authority).ids:
                    continue
            if not STATUTE.search(link.text) or urlsplit(link.href).scheme:
                continue  # bare numbers in a list ("48853") and official texts elsewhere are not judged here
            target, anchor = resolve(site_dir, page_url(site_dir, page), link.href)
            # The section: after "§" or "Section" ("20 U.S.C. Section 1232g"), else the first number.
            section = re.search(r"(?:§+|Sections?)\s*(\d+(?:\.\d+)?[a-z]?)", link.text)
            number = section.group(1) if section else re.findall(r"\d+(?:\.\d+)?", link.text)[0]
            if target != authority or not anchor.endswith(f"-{number}") or anchor not in parsed(authority).ids:
                wrong.append(f"{page.relative_to(site_dir)}: {link.text!r} -> {link.href}")
    assert wrong == [], "statute links that do not open their Authority entry:\n" + "\n".join(wrong)


# --- pinned front-end files: checked against package-lock.json before they are copied --------


def fake_checkout(root: Path, into: Path) -> Path:
    """A checkout whose node_modules/pyodide links to the real files (so one can be replaced)."""
    shutil.copy(root / "package-lock.json", into / "package-lock.json")
    package = into / "node_modules" / "pyodide"
    package.mkdir(parents=True)
    for file in (root / "node_modules" / "pyodide").iterdir():
        (package / file.name).symlink_to(file)
    return package


def test_the_site_serves_exactly_the_locked_pyodide_files(root: Path, site_dir: Path) -> None:
    locked = verify_pyodide(root, RUNTIME_FILES)
    served = site_dir / "assets" / "pyodide" / locked.version
    for name in RUNTIME_FILES:
        assert (served / name).read_bytes() == (locked.directory / name).read_bytes(), f"{name} differs from the lock"


@pytest.mark.parametrize("name", RUNTIME_FILES)
def test_a_tampered_pyodide_file_is_refused(root: Path, tmp_path: Path, name: str) -> None:
    package = fake_checkout(root, tmp_path)
    original = (package / name).read_bytes()
    (package / name).unlink()
    (package / name).write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(AssetError, match=re.escape(f"{name} differs from the locked")):
        verify_pyodide(tmp_path, RUNTIME_FILES)


def test_a_pyodide_version_other_than_the_locked_one_is_refused(root: Path, tmp_path: Path) -> None:
    package = fake_checkout(root, tmp_path)
    manifest = (package / "package.json").read_text(encoding="utf-8")
    (package / "package.json").unlink()
    (package / "package.json").write_text(re.sub(r'"version":\s*"[^"]+"', '"version": "0.0.1"', manifest, count=1))
    with pytest.raises(AssetError, match="pins"):
        verify_pyodide(tmp_path, RUNTIME_FILES)


def test_a_lock_with_another_integrity_is_refused(root: Path, tmp_path: Path) -> None:
    fake_checkout(root, tmp_path)
    lock = (tmp_path / "package-lock.json").read_text(encoding="utf-8")
    entry = lock.index('"node_modules/pyodide"')
    start = lock.index('"integrity": "', entry) + len('"integrity": "')
    algorithm = lock[start : lock.index("-", start)]
    (tmp_path / "package-lock.json").write_text(lock[:start] + f"{algorithm}-{'A' * 86}==" + lock[lock.index('"', start) :])
    with pytest.raises(AssetError):
        verify_pyodide(tmp_path, RUNTIME_FILES)
