"""Quality gate: visit every page of the built site in Chromium and report what a reader or an auditor
would object to.

`python -m policy_tools.quality [SITE]` serves SITE (default $SITE_DIR, else site/) and loads
every page the build wrote (every .html outside assets/), home page first. On each page, and on
each calculator page in the states listed in tests/quality/calculator_states.yaml (filled in and
submitted, or opened from a pre-filled address: a result, an error), in the light and the dark
scheme (switched with the header's toggle):
- runs axe-core (node_modules/axe-core, evaluated by Playwright, never served to readers) for
  WCAG 2.1 A and AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa);
- records every request to a host other than the site's own;
- checks that nothing scrolls sideways at 320, 360 and 390 px (PHONE_WIDTHS), naming the widest elements
  (in the scheme a page loads in: the other scheme changes its colours, not its layout);
- records console errors (Content Security Policy violations among them), uncaught exceptions and
  failed requests for the site's own files.
It prints one line per page, state and scheme, then the details of each problem, and exits 1 on any.
Redirect stubs (/ref/<id>/) are read, not visited: they show nothing, and the reader lands on
their target, which is audited as a page.
Kept short on a shared machine: one browser, one context, pages in sequence, one load per page
(both schemes on that load; a calculator's states too, filled in or opened from their address as a
worked-example link does, so Pyodide starts once per calculator page).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, TEST_CHROMIUM_ARGS, PageWatch, open_address  # noqa: E402 - one definition of the browser setup

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STATES = ROOT / "tests" / "quality" / "calculator_states.yaml"
# Material's palette names: "default" is its light scheme, "slate" its dark one (mkdocs.yml).
SCHEMES = {"light": "default", "dark": "slate"}
PAGE_TIMEOUT_MS = 30_000
# Pyodide loads in a worker; a calculator's first result waits for it.
STATE_TIMEOUT_MS = 60_000

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + (n.failureSummary ? " | " + n.failureSummary.split("\\n").slice(1).join(" ").trim() : "")),
  }));
}"""


@dataclass(frozen=True)
class State:
    """A calculator state: the fields a reader fills in (CSS selector -> text), then Calculate; or a
    pre-filled address (`?situation=no_show`), as a trainer's link opens it."""

    name: str
    wait_for: str  # a CSS selector that shows the state has been reached
    fill: dict[str, str] = field(default_factory=dict)
    submit: str = "form button[type=submit]"
    address: str | None = None


@dataclass(frozen=True)
class Visit:
    """One page to load, and the states to bring it to after auditing it as loaded."""

    path: str
    states: tuple[State, ...] = ()


@dataclass
class Report:
    path: str
    state: str  # "loaded", a calculator state, or "redirect"
    scheme: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # own files that failed, wrong scheme, timeouts
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.violations or self.foreign_requests or self.console_errors or self.failures)

    def summary(self) -> str:
        name = self.path + ("" if self.state == "loaded" else f" ({self.state})")
        if self.ok:
            return f"ok    {name} [{self.scheme}] {self.seconds:.1f}s"
        counts = [
            f"{len(self.violations)} axe violation(s)" if self.violations else "",
            f"{len(self.foreign_requests)} third-party request(s)" if self.foreign_requests else "",
            f"{len(self.console_errors)} console error(s)" if self.console_errors else "",
            f"{len(self.failures)} other failure(s)" if self.failures else "",
        ]
        return f"FAIL  {name} [{self.scheme}]: " + ", ".join(c for c in counts if c)

    def details(self) -> Iterator[str]:
        for v in self.violations:
            yield f"  axe {v['id']} ({v['impact']}): {v['help']}"
            for node in v["nodes"][:5]:
                yield f"      {node}"
            if len(v["nodes"]) > 5:
                yield f"      ... and {len(v['nodes']) - 5} more"
        yield from (f"  third-party request: {url}" for url in self.foreign_requests)
        yield from (f"  console error: {text}" for text in self.console_errors)
        yield from (f"  {text}" for text in self.failures)


def is_redirect_stub(text: str) -> bool:
    return 'http-equiv="refresh"' in text.lower()


def discover(site: Path, states_file: Path = STATES) -> tuple[list[Visit], list[str]]:
    """(pages to load, redirect stubs to read), as site-absolute paths, from the files the build wrote."""
    states = calculator_states(states_file)
    pages: list[Visit] = []
    stubs: list[str] = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site)
        if relative.parts[0] == "assets":
            continue
        path = "/" + relative.as_posix()
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        if is_redirect_stub(file.read_text(encoding="utf-8")):
            stubs.append(path)
        else:
            pages.append(Visit(path, states.get(path, ())))
    # Home first: the page every audience starts from.
    pages.sort(key=lambda v: (v.path != "/", v.path))
    return pages, stubs


def calculator_states(states_file: Path = STATES) -> dict[str, tuple[State, ...]]:
    """page path -> the states to audit it in, from the table (pages the build lacks are skipped)."""
    if not states_file.is_file():
        return {}
    table = yaml.safe_load(states_file.read_text(encoding="utf-8")) or {}
    return {
        page: tuple(
            State(s["state"], s["wait_for"], s.get("fill", {}), s.get("submit", State.submit), s.get("address"))
            for s in states
        )
        for page, states in table.items()
    }


def watch(page: Any, base_url: str) -> PageWatch:
    seen = PageWatch(base_url)
    page.on("console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))
    page.on("request", lambda req: seen.requests.append(req.url))
    page.on(
        "response",
        lambda res: seen.page_errors.append(f"HTTP {res.status} for {res.url}")
        if res.status >= 400 and res.url.startswith(base_url)
        else None,
    )
    # net::ERR_ABORTED: the page navigated on (a redirect, the next visit) before a request finished.
    page.on(
        "requestfailed",
        lambda req: seen.page_errors.append(f"request failed: {req.url} ({req.failure})")
        if "ERR_ABORTED" not in (req.failure or "")
        else None,
    )
    return seen


def take(seen: PageWatch, report: Report) -> None:
    """Move what the page did since the last report into this one."""
    report.foreign_requests += seen.foreign_requests
    report.console_errors += seen.console_errors + seen.page_errors
    seen.console_errors.clear()
    seen.page_errors.clear()
    seen.requests.clear()


def scheme_shown(page: Any) -> str:
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return next((name for name, value in SCHEMES.items() if value == shown), str(shown))


def toggle_scheme(page: Any) -> None:
    """Switch the scheme with the header's toggle (Material shows one label). The click is dispatched,
    not moved there with the mouse: a hovered label would show its tooltip, still fading in when axe
    measures its contrast."""
    before = scheme_shown(page)
    page.locator("form[data-md-component=palette] label:visible").dispatch_event("click")
    page.wait_for_function(
        "(before) => document.body.getAttribute('data-md-color-scheme') !== before", arg=SCHEMES.get(before, before)
    )


def audit_here(page: Any, path: str, state: str, axe_source: str) -> Report:
    """axe on the page as it is now, in the scheme it shows."""
    started = time.perf_counter()
    report = Report(path, state, scheme_shown(page))
    if report.scheme not in SCHEMES:
        report.failures.append(f"no known colour scheme on <body>: {report.scheme!r}")
    try:
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(axe_source)
        try:
            # Audit the colours a reader sees, not a button's hover fade caught half way.
            page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')", timeout=3_000)
        except Exception:  # noqa: BLE001 - an endless animation: audit the page as it is
            pass
        report.violations = page.evaluate(RUN_AXE, AXE_TAGS)
    except Exception as exc:  # noqa: BLE001 - a page axe cannot audit is a finding, not a crash
        report.failures.append(f"axe could not run: {str(exc).splitlines()[0]}")
    report.seconds = time.perf_counter() - started
    return report


# Phones a family reads on (issue 13): nothing may scroll sideways at these widths.
PHONE_WIDTHS = (320, 360, 390)
# The page scrolls sideways when the document is wider than the window; name the widest elements
# (outside scrolling boxes, which scroll on their own) so the report says what to fix.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const inScroller = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX; if (x === "auto" || x === "scroll" || x === "hidden") return true; } return false; };
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !inScroller(el))
    .map((el) => ({ el, right: Math.round(el.getBoundingClientRect().right) }))
    .filter(({ el }) => ![...el.children].some((c) => c.getBoundingClientRect().right > root.clientWidth + 1));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "");
  return { width: root.scrollWidth, culprits: wide.slice(0, 3).map(({ el, right }) => `${name(el)} (right edge ${right} px)`) };
}"""


def sideways(page: Any) -> list[str]:
    """Failures for each phone width at which the page, as it is now, scrolls sideways."""
    size = page.viewport_size
    problems = []
    try:
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            found = page.evaluate(OVERFLOW_JS)
            if found:
                culprits = ", ".join(found["culprits"]) or "no single element"
                problems.append(f"scrolls sideways at {width} px (page {found['width']} px wide): {culprits}")
    finally:
        if size:
            page.set_viewport_size(size)
    return problems


def both_schemes(page: Any, path: str, state: str, axe_source: str) -> list[Report]:
    first = audit_here(page, path, state, axe_source)
    first.failures += sideways(page)
    try:
        toggle_scheme(page)
    except Exception as exc:  # noqa: BLE001
        first.failures.append(f"the scheme toggle did not switch the scheme: {str(exc).splitlines()[0]}")
        return [first]
    # Not measured again for sideways scrolling: the toggle swaps Material's colour variables only,
    # so the layout is the one just measured (three more window sizes cost ~8 s over the gate).
    second = audit_here(page, path, state, axe_source)
    if second.scheme == first.scheme:
        second.failures.append("the scheme toggle did not switch the scheme")
    return [first, second]


def audit_visit(page: Any, base_url: str, visit: Visit, axe_source: str) -> list[Report]:
    """Load a page, audit it in both schemes, then bring it to each of its states and audit those."""
    seen: PageWatch = page.watch
    reports: list[Report] = []
    try:
        page.goto(base_url + visit.path, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        if not visit.states:
            # Let the search worker and deferred scripts make their requests before judging the page.
            # (A calculator's Python keeps loading in the background; its states wait for it below.)
            page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001
        report = Report(visit.path, "loaded", "-", failures=[f"could not load: {str(exc).splitlines()[0]}"])
        take(seen, report)
        return [report]
    reports += both_schemes(page, visit.path, "loaded", axe_source)
    take(seen, reports[0])
    for state in visit.states:
        try:
            if state.address is not None:
                # As a worked-example link opens it, with the Python the page already has (the page
                # reads an address it was opened with through the same function); what the last
                # state showed is cleared first, so only this address's answer can satisfy wait_for.
                open_address(page, base_url + visit.path + state.address)
            else:
                for selector, text in state.fill.items():
                    page.fill(selector, text)
                page.click(state.submit)
            page.wait_for_selector(state.wait_for, state="visible", timeout=STATE_TIMEOUT_MS)
        except Exception as exc:  # noqa: BLE001
            report = Report(visit.path, state.name, "-", failures=[f"state not reached: {str(exc).splitlines()[0]}"])
            take(seen, report)
            reports.append(report)
            continue
        pair = both_schemes(page, visit.path, state.name, axe_source)
        take(seen, pair[0])
        reports += pair
    return reports


# What a redirect stub makes the browser fetch: resources, and where the refresh sends it.
STUB_FETCHES = re.compile(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]*)"|<link[^>]*\shref="([^"]*)"|url=([^"]*)"')


def check_stub(site: Path, path: str) -> Report:
    """A redirect stub is audited by reading it: it must fetch nothing from another host, and its target
    must be on this site (tests/quality/test_integrity.py checks that the target exists)."""
    report = Report(path, "redirect", "-")
    text = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    for match in STUB_FETCHES.finditer(text):
        url = next(group for group in match.groups() if group is not None)
        if urlsplit(url).scheme or url.startswith("//"):
            report.foreign_requests.append(url)
    return report


def run(site: Path, out: Any = sys.stdout, only: list[str] | None = None) -> list[Report]:
    from playwright.sync_api import sync_playwright

    from policy_tools.serve import start_in_thread

    pages, stubs = discover(site)
    if only:
        pages = [v for v in pages if v.path in only]
        stubs = [s for s in stubs if s in only]
    axe_source = AXE.read_text(encoding="utf-8")
    server, base_url = start_in_thread(site)
    reports: list[Report] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS, headless=True)
            # One context for the whole run: Material remembers the scheme last chosen, so pages
            # alternate between loading in light and loading in dark.
            context = browser.new_context(color_scheme="light")
            page = context.new_page()
            page.watch = watch(page, base_url)  # type: ignore[attr-defined]
            for visit in pages:
                for report in audit_visit(page, base_url, visit, axe_source):
                    reports.append(report)
                    print(report.summary(), file=out, flush=True)
            browser.close()
    finally:
        server.shutdown()
    for stub in stubs:
        reports.append(check_stub(site, stub))
        if not reports[-1].ok:
            print(reports[-1].summary(), file=out, flush=True)
    failed = [r for r in reports if not r.ok]
    for report in failed:
        print("\n" + report.summary(), file=out)
        for line in report.details():
            print(line, file=out)
    states = sum(len(v.states) for v in pages)
    print(
        f"\nquality: {len(pages)} page(s) and {states} calculator state(s), each in {len(SCHEMES)} schemes;"
        f" {len(stubs)} redirect(s) read: {len(failed)} with problems",
        file=out,
    )
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Audit every page of the built site (axe, third-party requests, console errors).")
    # Like the tests: SITE_DIR when set (parallel builds), else site/.
    parser.add_argument("site", nargs="?", type=Path, default=Path(os.environ.get("SITE_DIR", ROOT / "site")))
    parser.add_argument("--only", action="append", help="audit only this path (repeatable), e.g. --only /")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}/index.html not found: build the site first with ./scripts/build", file=sys.stderr)
        return 2
    if not AXE.is_file():
        print(f"error: {AXE} not found: run npm ci (./scripts/test does it)", file=sys.stderr)
        return 2
    reports = run(args.site.resolve(), only=args.only)
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
