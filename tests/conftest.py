"""Shared fixtures: the project root, the built site served on a free port, and Chromium.

Browser tests run against site/ as ./scripts/build left it (./scripts/test builds first).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
# SITE_DIR lets parallel work build and test into its own folder.
SITE = Path(os.environ.get("SITE_DIR", ROOT / "site")).resolve()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium phones home (component updates, sync), which this site must never do.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# The tests' and the quality gate's browser also keeps Python's WebAssembly on V8's baseline
# compiler (Liftoff): by default each page's Pyodide is recompiled by the optimising compiler in
# the background, about 1 s of CPU per calculator page load, on two cores shared by the suite's two
# workers (the chronic, excused and withdrawal files ran 28% faster without it). What a page
# shows does not depend on the compiler tier. The benchmarks (scripts/bench_*.py) use
# CHROMIUM_ARGS alone: they time what a reader's browser does.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--js-flags=--liftoff-only"]


# Tests free to run on any parallel worker (`./scripts/test` runs pytest-xdist with --dist
# loadgroup): each page of the quality gate is audited on its own. Every other test stays with its
# file on one worker, so a file's page, loaded once with its Python, serves all its tests.
SPREAD = ("test_the_page_passes_the_quality_gate",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that opens Chromium is a browser test (`-m browser`, scripts/check_flaky.sh), marked or not."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if getattr(item, "originalname", item.name) not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session", autouse=True)
def rules_bundle() -> None:
    """The calculators read only their bundled files (calculators/rules.json, formats.json,
    wording.json): when one is missing or its policy_data/ source changed since the last build, run
    the prepare step that writes it, so tests see today's data."""
    from calculators import formats, rules, wording
    from policy_tools import bundle_formats, bundle_rules, bundle_wording

    if not bundle_rules.is_fresh(ROOT):
        bundle_rules.run(ROOT)
        rules.load.cache_clear()
    if not (ROOT / bundle_formats.OUT).is_file():
        bundle_formats.run(ROOT)
        formats._data.cache_clear()
    if not bundle_wording.is_fresh(ROOT):
        bundle_wording.run(ROOT)
        wording.load.cache_clear()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run ./scripts/build (./scripts/test does it for you)")
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    from policy_tools.serve import start_in_thread

    server, url = start_in_thread(site_dir)
    yield url
    server.shutdown()


# scripts/check_flaky.sh's slow runs: every message a page's worker (Python) sends reaches the page
# this many milliseconds late, as on a loaded machine. A test that reads the page before the answer
# it should wait for then fails every time instead of once in a while.
SLOW_WORKER_MS = int(os.environ.get("TEST_SLOW_WORKER_MS", "0") or "0")
SLOW_WORKER = """(() => {
  const late = (fn, self) => (event) => setTimeout(() => fn.call(self, event), %d);
  const add = Worker.prototype.addEventListener;
  Worker.prototype.addEventListener = function (type, fn, options) {
    return add.call(this, type, type === "message" && typeof fn === "function" ? late(fn, this) : fn, options);
  };
  const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
  Object.defineProperty(Worker.prototype, "onmessage", {
    get() { return onmessage.get.call(this); },
    set(fn) { onmessage.set.call(this, typeof fn === "function" ? late(fn, this) : fn); },
  });
})();"""


def _slowed(browser: Any) -> Any:
    """`browser` whose every new context (and page of its own context) gets SLOW_WORKER."""
    script = SLOW_WORKER % SLOW_WORKER_MS
    new_context = browser.new_context

    def slow_context(*args: Any, **kwargs: Any) -> Any:
        context = new_context(*args, **kwargs)
        context.add_init_script(script)
        return context

    def slow_page(*args: Any, **kwargs: Any) -> Any:
        return slow_context(*args, **kwargs).new_page()

    browser.new_context = slow_context
    browser.new_page = slow_page
    return browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # `expect` waits for what the page will show; on a loaded two-core machine (CI) Pyodide may
    # take longer than Playwright's 5 s default to load a library such as openpyxl.
    expect.set_options(timeout=20_000)

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (./scripts/test does it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS, headless=True)
        yield _slowed(browser) if SLOW_WORKER_MS else browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did that a user or an auditor would object to."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.page_errors + self.console_errors

    @property
    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
        ]


def watched_page(browser: object, base_url: str, **context_options: object) -> tuple[object, object]:
    """A new context and page whose `page.watch` records console errors, page errors and requests.

    The offline copy's service worker is blocked here: once a page settles it downloads the whole
    site (about 17 MB) into a new context's cache, which a test of a page's behaviour never uses and
    which made each such test wait for it. The worker has its own tests (tests/browser/test_offline.py),
    and the quality gate audits every page with it running (tests/quality/test_gate.py)."""
    context_options.setdefault("service_workers", "block")
    context = browser.new_context(base_url=base_url, **context_options)  # type: ignore[attr-defined]
    pg = context.new_page()
    watch = PageWatch(base_url)
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    pg.on("request", lambda req: watch.requests.append(req.url))
    pg.watch = watch
    return context, pg


def printed_sheets(page: object, pdf: Path, paper: str) -> list[str]:
    """The page as a reader's browser prints it on `paper` (print styles, the page's own @page
    margins, as Chromium's print dialog uses them): the text of each sheet."""
    from pypdf import PdfReader

    page.emulate_media(media="print")  # type: ignore[attr-defined]
    try:
        page.pdf(path=str(pdf), format=paper)  # type: ignore[attr-defined]
    finally:
        page.emulate_media(media="screen")  # type: ignore[attr-defined]
    return [sheet.extract_text() for sheet in PdfReader(pdf).pages]


def one_line(text: str) -> str:
    """Printed text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Printout:
    """The one sheet an answer printed on."""

    text: str  # its words on one line (one_line)
    unwrapped: str  # its text with the line breaks removed: an address wrapped over lines reads whole
    reasons: list[str]  # the why's reasons, as the page shows them


def one_sheet(page: Any, pdf: Path, paper: str) -> Printout:
    """The answer on `page` printed on `paper`, checked as every answer's printout must be (issue 13):
    one sheet; every reason of the why on it whole; no worked example and no in-page anchor."""
    reasons = page.locator(".calc-why li").evaluate_all("items => items.map((li) => li.firstChild.textContent)")
    examples = page.locator(".calc-examples li strong").all_inner_texts()
    sheets = printed_sheets(page, pdf, paper)
    assert len(sheets) == 1, f"{page.url}: {len(sheets)} sheets on {paper}"
    text = one_line(sheets[0])
    # A line may end after a hyphen ("180-/day"), so a reason is looked for without its spaces.
    squeezed = "".join(text.split())
    cut = [reason for reason in reasons if "".join(reason.split()) not in squeezed]
    assert reasons and not cut, f"{page.url}: reasons missing or cut on {paper}: {cut}"
    shown = [example for example in examples if one_line(example) in text]
    assert not shown, f"{page.url}: worked examples printed: {shown}"
    assert "#reading" not in text and "#practice" not in text
    return Printout(text, sheets[0].replace("\n", ""), reasons)


@pytest.fixture()
def page(browser: object, base_url: str) -> Iterator[object]:
    """A fresh browser context and page; `page.watch` records console errors and every request."""
    context, pg = watched_page(browser, base_url)
    yield pg
    context.close()  # type: ignore[attr-defined]


# The answers, errors and the roster's column step a calculator page shows, emptied.
RESET = """() => {
  document.querySelectorAll("[data-error-for], [data-form-error]").forEach((e) => { e.hidden = true; e.textContent = ""; });
  // The roster's column step too: a step left from the last case would be confirmed for the next file.
  document.querySelectorAll("[data-calc-result], [data-calc-details], [data-calc-step]").forEach((e) => e.replaceChildren());
  // The withdrawal question shown: the next address's question must be drawn anew to be waited for.
  document.querySelectorAll("[data-question]").forEach((e) => e.replaceChildren());
}"""

# calc-common.mjs marks `calc:settled` once Python has answered what the page asked first (the
# address it was opened with): until then that first answer could still arrive over a reset page.
SETTLED = "() => performance.getEntriesByName('calc:settled').length > 0"


# What a worked-example link on a calculator page does (calculators.mjs): a history entry, then the
# page reads its new address, with the Python it already has. The page reads an address it was
# opened with through the same function (tests/browser test each page opened from an address).
# On another page, for the address already shown, or before the page is ready, it is simply opened.
OPEN_ADDRESS = """(href) => {
  const link = Object.assign(document.createElement("a"), { href });
  link.dataset.example = "";
  document.querySelector("[data-calculator]").append(link);
  link.click();
  link.remove();
}"""


def open_address(page: Any, url: str) -> None:
    """Bring an open calculator page to `url` (its address with inputs), the shown answer and errors
    cleared first so nothing left from before can pass for the new answer."""
    if page.url == url or urlsplit(page.url).path != urlsplit(url).path:
        page.goto(url)
        return
    page.wait_for_function(SETTLED, timeout=120_000)
    page.evaluate(RESET)
    page.evaluate(OPEN_ADDRESS, url)
