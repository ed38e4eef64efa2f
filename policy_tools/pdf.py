"""Post-build step: the PDF of the whole bulletin, printed by headless Chromium (issue 16).

    site/assets/BUL-4926.4.pdf      linked from every page's footer (policy_tools.version_line)

Chromium prints /policy/bulletin/ (policy_tools.bulletin_page) with the site's print stylesheet, so
the PDF is exactly what a reader gets from File > Print: the version line and print date at the
top, every paragraph with its permanent address. `outline=True` makes the PDF's bookmarks from the
headings: one per part and section (I-XVI), with the paragraphs' subheadings beneath; `tagged=True`
keeps the headings and reading order for screen readers. Chromium takes a bookmark's title from the
heading's laid-out lines and drops the space where a heading wraps ("Procedures forComprehensive
Schools"), so each title is then given back its heading's own words (pypdf).

CHROMIUM (default /usr/bin/chromium) names the browser; POLICY_PDF=0 skips the step (the live
preview, policy_tools.watch, leaves it out in any case).
"""
from __future__ import annotations

import datetime
import html
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from policy_tools.policy_data import load_bulletin
from policy_tools.serve import start_in_thread
from policy_tools.site_url import site_url
from policy_tools.version_line import pdf_name, version_text

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class PdfError(RuntimeError):
    """The PDF could not be made; the message says what to install or fix."""


def make_pdf(site: Path, out: Path, header: str, address: str) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise PdfError(f"the PDF needs Chromium at {chromium}: apt-get install chromium (or set CHROMIUM=/path)")
    from playwright.sync_api import sync_playwright

    server, url = start_in_thread(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page()
                page.goto(f"{url}/policy/bulletin/", wait_until="load")
                page.locator("[data-print-date]").first.wait_for(state="attached")
                page.emulate_media(media="print", color_scheme="light")
                small = 'style="font-size:8px;width:100%;margin:0 12mm;display:flex;justify-content:space-between"'
                page.pdf(
                    path=str(out),
                    format="Letter",
                    margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                    display_header_footer=True,
                    header_template=f"<div {small}><span>{html.escape(header)}</span></div>",
                    # The published address (SITE_URL), not the address of this build's own server.
                    footer_template=f"<div {small}><span>{html.escape(address)}</span>"
                    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>',
                    outline=True,
                    tagged=True,
                )
                headings = page.locator("h1, h2, h3, h4, h5, h6").all_text_contents()
            finally:
                browser.close()
    finally:
        server.shutdown()
    restore_bookmark_spaces(out, headings)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def restore_bookmark_spaces(pdf: Path, headings: Iterable[str]) -> list[tuple[str, str]]:
    """Give each bookmark the words of the heading it was made from: Chromium joins a wrapped
    heading's lines without their space. A title matches its heading when both are the same with
    every space removed; any other title is left as it is. Returns the (before, after) pairs."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    words: dict[str, str] = {}
    for heading in headings:
        text = " ".join(heading.replace("\u00b6", " ").split())  # without the permalink's pilcrow
        words.setdefault(_squeezed(text), text)
    writer = PdfWriter(clone_from=str(pdf))
    fixed: list[tuple[str, str]] = []
    outlines = writer.root_object.get("/Outlines")
    stack = [outlines.get_object().get("/First")] if outlines is not None else []
    while stack:
        node = stack.pop()
        while node is not None:
            item = node.get_object()
            title = str(item.get("/Title", ""))
            right = words.get(_squeezed(title))
            if right is not None and right != title:
                item[NameObject("/Title")] = TextStringObject(right)
                fixed.append((title, right))
            if item.get("/First") is not None:
                stack.append(item["/First"])
            node = item.get("/Next")
    if fixed:
        part = pdf.with_name(pdf.name + ".tmp")
        with part.open("wb") as out:
            writer.write(out)
        os.replace(part, pdf)
    return fixed


def run_site(site: Path) -> None:
    if os.environ.get("POLICY_PDF", "1") == "0":
        print("pdf: skipped (POLICY_PDF=0)", file=sys.stderr)
        return
    if not (site / "policy" / "bulletin" / "index.html").is_file():
        raise PdfError("site/policy/bulletin/ is missing: policy_tools.generate writes docs/policy/bulletin.md")
    bulletin = load_bulletin(ROOT)
    out = site / pdf_name(bulletin.meta.number)
    out.parent.mkdir(parents=True, exist_ok=True)
    printed = datetime.date.today()
    header = f"{version_text(bulletin)} · printed {printed:%B} {printed.day}, {printed.year}"
    make_pdf(site, out, header, f"{site_url()}policy/bulletin/")
    print(f"pdf: {out.relative_to(site)} ({out.stat().st_size // 1024} KB)", file=sys.stderr)
