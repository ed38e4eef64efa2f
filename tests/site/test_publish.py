"""A failed build never replaces the last good site (policy_tools.publish, run by ./scripts/build).

Each test builds a small MkDocs project with the real builder and the real post-build steps (the
Content Security Policy step included) into a SITE_DIR that already holds a "last good" site.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policy_tools import postbuild, publish

MKDOCS_YML = "site_name: t\nsite_url: http://127.0.0.1:8000/\nuse_directory_urls: true\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def only_the_csp_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps that need the real site's assets (the offline worker reads the Pyodide manifest)
    are left out: the step that matters here is the CSP, which refuses pages."""
    monkeypatch.setattr(postbuild, "STEPS", ["policy_tools.csp"])


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Other](other.md)\n", encoding="utf-8")
    (tmp_path / "docs" / "other.md").write_text("# Other\n", encoding="utf-8")
    good = tmp_path / "out" / "site"
    good.mkdir(parents=True)
    (good / "index.html").write_text('<html><head><meta http-equiv="Content-Security-Policy" content="x"></head></html>', encoding="utf-8")
    (good / "assets").mkdir()
    (good / "assets" / "a.bin").write_bytes(bytes(range(256)))
    return tmp_path


def run_build(project: Path) -> None:
    builder = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml")]
    publish.build(project / "out" / "site", builder, cwd=project)


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "out").iterdir() if p.name != "site")


def test_a_broken_link_leaves_the_last_site_byte_for_byte(project: Path) -> None:
    before = snapshot(project / "out" / "site")
    (project / "docs" / "index.md").write_text("# Home\n\n[broken](does-not-exist.md)\n", encoding="utf-8")
    with pytest.raises(publish.BuildFailed):
        run_build(project)
    assert snapshot(project / "out" / "site") == before
    assert leftovers(project) == [], "the half-built folder was left behind"


def test_a_page_the_csp_step_refuses_leaves_the_last_site(project: Path) -> None:
    before = snapshot(project / "out" / "site")
    (project / "docs" / "other.md").write_text('# Other\n\n<button onclick="alert(1)">x</button>\n', encoding="utf-8")
    with pytest.raises(publish.BuildFailed):
        run_build(project)
    assert snapshot(project / "out" / "site") == before
    assert leftovers(project) == []


def test_a_good_build_replaces_the_site_and_every_page_has_the_policy(project: Path) -> None:
    run_build(project)
    site = project / "out" / "site"
    assert not (site / "assets" / "a.bin").exists(), "the old site was not replaced"
    pages = sorted(site.rglob("*.html"))
    assert pages and all('http-equiv="Content-Security-Policy"' in p.read_text(encoding="utf-8") for p in pages)
    assert leftovers(project) == []


def test_the_command_reports_a_failed_build_and_exits_1(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project / "out" / "site")
    (project / "docs" / "index.md").write_text("[broken](nowhere.md)\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert publish.main(["out/site"]) == 1
    assert "left as it was" in capsys.readouterr().err
    assert snapshot(project / "out" / "site") == before
