"""Quality gate: visit every page of the built site in Chromium and report what a reader or an auditor
would object to.

`python -m policy_tools.quality [SITE]` serves SITE (default site/), then, for every page the build
wrote (every .html outside assets/) in the light and in the dark scheme, and for each calculator page
in the states listed in tests/quality/calculator_states.yaml (empty, result, error):
- runs axe-core (node_modules/axe-core, evaluated by Playwright, never served to readers) for
  WCAG 2.1 A and AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa);
- records every request to a host other than the site's own;
- records console errors (Content Security Policy violations among them), uncaught exceptions and
  failed requests for the site's own files.
It prints one line per page and state, then the details of each problem, and exits 1 on any.
Redirect stubs (/ref/<id>/) are only followed, not audited: the reader lands on their target.
One browser, one context, pages in sequence: the whole run stays short on a shared machine.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PageWatch  # noqa: E402 - one definition of the browser setup

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
class Visit:
    """One address to audit: a page, or a calculator page in a given state."""

    path: str
    label: str = ""
    wait_for: str | None = None  # a CSS selector that shows the state has been reached


@dataclass
class Report:
    visit: Visit
    scheme: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # own files that failed, wrong scheme, timeouts

    @property
    def ok(self) -> bool:
        return not (self.violations or self.foreign_requests or self.console_errors or self.failures)

    def summary(self) -> str:
        name = self.visit.path + (f" ({self.visit.label})" if self.visit.label else "")
        if self.ok:
            return f"ok    {name} [{self.scheme}]"
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


def discover(site: Path) -> tuple[list[Visit], list[Visit]]:
    """(pages to audit, redirect stubs to follow), as site-absolute paths, from the files the build wrote."""
    pages: list[Visit] = []
    stubs: list[Visit] = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site)
        if relative.parts[0] == "assets":
            continue
        path = "/" + relative.as_posix()
        if path.endswith("/index.html") or path == "/index.html":
            path = path[: -len("index.html")]
        target = stubs if is_redirect_stub(file.read_text(encoding="utf-8")) else pages
        target.append(Visit(path))
    # Home first: the page every audience starts from.
    pages.sort(key=lambda v: (v.path != "/", v.path))
    return pages, stubs


def calculator_states(site: Path, states_file: Path = STATES) -> list[Visit]:
    """The calculator states from the table, for the calculator pages this build has."""
    if not states_file.is_file():
        return []
    table = yaml.safe_load(states_file.read_text(encoding="utf-8")) or {}
    visits = []
    for page, states in table.items():
        if not (site / page.strip("/") / "index.html").is_file():
            continue
        for state in states:
            visits.append(Visit(state["path"], state["state"], state.get("wait_for")))
    return visits


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
    page.on("requestfailed", lambda req: seen.page_errors.append(f"request failed: {req.url} ({req.failure})"))
    return seen


def audit(page: Any, base_url: str, visit: Visit, scheme: str, axe_source: str) -> Report:
    """Load one address in the given scheme and report on it. `page` must have been set up by `watch`."""
    report = Report(visit, scheme)
    seen: PageWatch = page.watch
    seen.console_errors.clear()
    seen.page_errors.clear()
    seen.requests.clear()
    try:
        page.goto(base_url + visit.path, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        if visit.wait_for:
            page.wait_for_selector(visit.wait_for, state="visible", timeout=STATE_TIMEOUT_MS)
        # Let the search worker and deferred scripts make their requests before judging the page.
        page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if shown != SCHEMES[scheme]:
            report.failures.append(f"scheme not applied: body shows {shown!r}, expected {SCHEMES[scheme]!r}")
        page.evaluate(axe_source)
        report.violations = page.evaluate(RUN_AXE, AXE_TAGS)
    except Exception as exc:  # noqa: BLE001 - any failure to load or audit is a finding, not a crash
        report.failures.append(f"could not audit: {str(exc).splitlines()[0]}")
    report.foreign_requests = seen.foreign_requests
    report.console_errors = seen.console_errors + seen.page_errors
    return report


def follow(page: Any, base_url: str, stub: Visit) -> Report:
    """A redirect stub must land on a page of this site without errors or third-party requests."""
    report = Report(stub, "redirect")
    seen: PageWatch = page.watch
    seen.console_errors.clear()
    seen.page_errors.clear()
    seen.requests.clear()
    try:
        page.goto(base_url + stub.path, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_url(lambda url: not url.rstrip("/").endswith(stub.path.rstrip("/")), timeout=5_000)
        page.wait_for_load_state("load")
        if not page.url.startswith(base_url):
            report.failures.append(f"redirects off the site, to {page.url}")
    except Exception as exc:  # noqa: BLE001
        report.failures.append(f"does not redirect: {str(exc).splitlines()[0]}")
    report.foreign_requests = seen.foreign_requests
    report.console_errors = seen.console_errors + seen.page_errors
    return report


def run(site: Path, out: Any = sys.stdout, only: list[str] | None = None) -> list[Report]:
    from playwright.sync_api import sync_playwright

    from policy_tools.serve import start_in_thread

    pages, stubs = discover(site)
    visits = pages + calculator_states(site)
    if only:
        visits = [v for v in visits if v.path in only]
        stubs = [s for s in stubs if s.path in only]
    axe_source = AXE.read_text(encoding="utf-8")
    server, base_url = start_in_thread(site)
    reports: list[Report] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for scheme in SCHEMES:
                # A context per scheme: Material remembers the palette in local storage, and a
                # first-time reader gets the scheme their system asks for.
                context = browser.new_context(color_scheme=scheme)
                page = context.new_page()
                page.watch = watch(page, base_url)
                for visit in visits:
                    reports.append(audit(page, base_url, visit, scheme, axe_source))
                    print(reports[-1].summary(), file=out, flush=True)
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.watch = watch(page, base_url)
            for stub in stubs:
                reports.append(follow(page, base_url, stub))
                if not reports[-1].ok:
                    print(reports[-1].summary(), file=out, flush=True)
            browser.close()
    finally:
        server.shutdown()
    failed = [r for r in reports if not r.ok]
    for report in failed:
        print("\n" + report.summary(), file=out)
        for line in report.details():
            print(line, file=out)
    print(
        f"\nquality: {len(visits)} page(s) and state(s) x {len(SCHEMES)} schemes, {len(stubs)} redirect(s):"
        f" {len(failed)} with problems",
        file=out,
    )
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Audit every page of the built site (axe, third-party requests, console errors).")
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
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
