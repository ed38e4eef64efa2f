"""The quality gate (python -m policy_tools.quality) finds every page and catches what it claims to.

The gate itself runs from ./scripts/test over the whole site; these tests prove it is not blind:
a page with a contrast failure, a third-party request and a console error is reported on all three.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from policy_tools import quality

BAD_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad page</title></head>
<body data-md-color-scheme="default">
<main><h1>Bad page</h1><p style="color:#bbbbbb;background:#ffffff">Faint text nobody can read.</p>
<img src="https://tracker.example/pixel.png" alt="">
<script>console.error("something broke")</script></main></body></html>"""


def test_discover_lists_every_page_home_first_and_reads_redirect_stubs(tmp_path: Path) -> None:
    def write(relative: str, text: str = "<html><head></head><body></body></html>") -> None:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)

    write("policy/xii/index.html")
    write("index.html")
    write("404.html")
    write("assets/javascripts/lunr/x.html")
    write("ref/xii-c/index.html", '<meta http-equiv="refresh" content="0; url=../../policy/xii/#xii-c">')
    states = tmp_path / "states.yaml"
    states.write_text('/policy/xii/: [{state: result, fill: {"#a": "1"}, wait_for: "table"}]\n')
    pages, stubs = quality.discover(tmp_path, states)
    assert [p.path for p in pages] == ["/", "/404.html", "/policy/xii/"]
    assert [s.name for s in pages[2].states] == ["result"]
    assert stubs == ["/ref/xii-c/"]


def test_discover_finds_every_page_of_the_sitemap(site_dir: Path) -> None:
    pages, stubs = quality.discover(site_dir)
    found = {p.path for p in pages}
    listed = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    assert listed, "the sitemap lists no page"
    assert set(listed) - found == set()
    assert pages[0].path == "/"


def test_every_calculator_state_names_a_built_page(site_dir: Path) -> None:
    for path in quality.calculator_states():
        assert (site_dir / path.strip("/") / "index.html").is_file(), f"calculator_states.yaml: no page {path}"


def test_a_redirect_stub_that_fetches_from_another_host_is_reported(tmp_path: Path) -> None:
    stub = tmp_path / "ref" / "x" / "index.html"
    stub.parent.mkdir(parents=True)
    stub.write_text('<link rel="icon" href="https://cdn.example/favicon.png"><meta http-equiv="refresh" content="0; url=../../">')
    report = quality.check_stub(tmp_path, "/ref/x/")
    assert report.foreign_requests == ["https://cdn.example/favicon.png"]
    assert not report.ok


@pytest.mark.browser
def test_the_gate_reports_contrast_third_party_requests_and_console_errors(browser, base_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.watch = quality.watch(page, base_url)
        page.route(f"{base_url}/__bad__/", lambda route: route.fulfill(status=200, content_type="text/html", body=BAD_PAGE))
        page.route("https://tracker.example/**", lambda route: route.abort())
        page.goto(f"{base_url}/__bad__/")
        report = quality.audit_here(page, "/__bad__/", "loaded", quality.AXE.read_text(encoding="utf-8"))
        quality.take(page.watch, report)
    finally:
        context.close()
    assert "color-contrast" in {v["id"] for v in report.violations}
    assert report.foreign_requests == ["https://tracker.example/pixel.png"]
    assert any("something broke" in e for e in report.console_errors)
    assert report.summary().startswith("FAIL  /__bad__/ [light]")


@pytest.mark.browser
@pytest.mark.parametrize(("system", "first", "then"), [("light", "default", "slate"), ("dark", "slate", "default")])
def test_the_scheme_follows_the_system_and_the_toggle_switches_it_by_keyboard(browser, base_url: str, system: str, first: str, then: str) -> None:
    context = browser.new_context(color_scheme=system, service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/")
        page.wait_for_load_state("networkidle")
        body = page.locator("body")
        expect(body).to_have_attribute("data-md-color-scheme", first)
        # (Tab from the top: skip link, logo, then the toggle.)
        for _ in range(3):
            page.keyboard.press("Tab")
        expect(page.locator("input[name=__palette]:focus"), "Tab does not reach the toggle").to_have_count(1)
        page.keyboard.press("Space")
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === '{then}'", timeout=3_000)
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === '{first}'", timeout=3_000)
        page.keyboard.press("Space")
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === '{then}'", timeout=3_000)
        page.reload()
        expect(body, "the chosen scheme is not remembered").to_have_attribute("data-md-color-scheme", then)
    finally:
        context.close()


def _gate_visits() -> list[quality.Visit]:
    """Every page the gate audits, found at collection time. Without a built site there is one
    placeholder, so the test fails saying so instead of collecting nothing."""
    from conftest import SITE

    if not (SITE / "index.html").is_file():
        return [quality.Visit("(site not built)")]
    return quality.discover(SITE)[0]


@pytest.fixture(scope="module")
def gate_page(browser, base_url: str):
    # One context for every page, as `python -m policy_tools.quality` uses: Material remembers the
    # scheme last chosen, so pages alternate between loading in light and loading in dark.
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.watch = quality.watch(page, base_url)
    yield page
    context.close()


# One test per page (and its calculator states), so a failure names its page and the pages can
# be spread over parallel workers; the same audit as the gate a person runs.
@pytest.mark.browser
@pytest.mark.parametrize("visit", _gate_visits(), ids=lambda visit: visit.path)
def test_the_page_passes_the_quality_gate(gate_page, site_dir: Path, base_url: str, visit: quality.Visit) -> None:
    assert (site_dir / visit.path.strip("/") / "index.html").is_file() or (site_dir / visit.path.strip("/")).is_file(), f"no page {visit.path} in the build"
    reports = quality.audit_visit(gate_page, base_url, visit, quality.AXE.read_text(encoding="utf-8"))
    failed = [r for r in reports if not r.ok]
    assert reports and not failed, "\n".join(line for r in failed for line in [r.summary(), *r.details()])


def test_every_redirect_stub_fetches_nothing_from_another_host(site_dir: Path) -> None:
    stubs = quality.discover(site_dir)[1]
    assert stubs, "the build has no /ref/ redirect stubs"
    failed = [report for report in map(lambda stub: quality.check_stub(site_dir, stub), stubs) if not report.ok]
    assert failed == [], [r.summary() for r in failed]


@pytest.mark.browser
def test_the_gate_a_person_runs_reports_its_pages(site_dir: Path) -> None:
    """`python -m policy_tools.quality` as a person runs it (here on the home page only; the tests
    above audit every page). In its own process: Playwright's sync API cannot start a second
    time inside the session's browser fixture."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "policy_tools.quality", str(site_dir), "--only", "/"],
        capture_output=True, text=True, timeout=300, cwd=Path(quality.__file__).resolve().parents[1],
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "ok    / [light]" in run.stdout and "ok    / [dark]" in run.stdout
    assert "1 page(s)" in run.stdout and "0 with problems" in run.stdout
