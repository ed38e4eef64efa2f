"""Edit and see it (issue 16): the live preview rebuilds a saved paragraph and reloads the open page;
a data error names file, line and field and the last good site stays up.

Runs `python -m policy_tools.watch` on a scratch copy of the project (never the real policy_data/).
The speed (under 2 s from save to browser) is measured by scripts/bench_edit.py, not here.
"""
from __future__ import annotations

import json
import re
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_edit import start_watcher  # noqa: E402

from policy_tools.watch import copy_project  # noqa: E402

pytestmark = pytest.mark.browser

SECTION = "policy_data/bulletin/sections/12-xii.yaml"
# In XII.c's text and in its duty quote (the validator checks a quote is the text's own words).
WORDS = "excessive absences"
BUILD_S = 300  # the first, full build of the copy; slow only on a busy machine


@pytest.fixture(scope="module")
def preview(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    tmp = tmp_path_factory.mktemp("live")
    project = copy_project(root, tmp / "project")
    log = tmp / "watch.log"
    proc, url = start_watcher(project, log, timeout=BUILD_S)
    yield project, url, log
    proc.terminate()
    proc.wait(timeout=30)


def wait_for_log(log: Path, pattern: str, after: int) -> str:
    deadline = time.monotonic() + BUILD_S
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")[after:]
        if re.search(pattern, text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} in the watcher's output:\n{text[-2000:]}")


def test_a_saved_paragraph_shows_in_the_open_page_and_a_data_error_keeps_the_site(preview, browser) -> None:
    project, url, log = preview
    page = browser.new_page()
    try:
        page.goto(f"{url}/policy/xii/")
        # The page watches for rebuilds (the site's CSP forbids evaluating a string, so the wait is a locator's).
        expect(page.locator("html[data-policy-live=watching]")).to_be_attached()
        source = project / SECTION
        original = source.read_text(encoding="utf-8")
        source.write_text(original.replace(WORDS, f"{WORDS} (edited in the preview)"), encoding="utf-8")
        # No reload here: the page reloads itself when the rebuilt site is swapped in.
        expect(page.locator("#xii-c")).to_contain_text("(edited in the preview)", timeout=BUILD_S * 1000)
        # Rebuilt in part, whole to the reader: the navigation names the pages not rebuilt (a dirty
        # MkDocs build leaves their titles "None"), and search holds the new words, once.
        nav = page.locator(".md-nav--primary").first
        expect(nav).to_contain_text("What's new in BUL-4926.4")
        expect(nav).not_to_contain_text("None")
        with urllib.request.urlopen(f"{url}/search/search_index.json") as response:
            docs = json.loads(response.read())["docs"]
        entries = [d for d in docs if d["location"] == "policy/xii/#xii-c"]
        assert len(entries) == 1 and "(edited in the preview)" in entries[0]["text"], entries
        assert "policy/xiii/#xiii-a" in {d["location"] for d in docs}, "the pages not rebuilt left the search index"

        # A data error: a paragraph letter the schema refuses.
        seen = len(log.read_text(encoding="utf-8", errors="replace"))
        broken = source.read_text(encoding="utf-8").replace("    letter: c\n", "    letter: 7\n", 1)
        assert broken != source.read_text(encoding="utf-8")
        source.write_text(broken, encoding="utf-8")
        line = broken.splitlines().index("    letter: 7") + 1
        where = rf"policy_data/bulletin/sections/12-xii\.yaml line {line}: `paragraphs\[2\]\.letter`"
        # The open page says what to fix (file, line, field) and keeps the last good build.
        message = page.get_by_role("alert").filter(has_text="Not rebuilt")
        expect(message).to_contain_text(re.compile(where), timeout=BUILD_S * 1000)
        expect(message).to_contain_text("last good build")
        expect(page.locator("#xii-c")).to_contain_text("(edited in the preview)")
        output = wait_for_log(log, r"not rebuilt", seen)
        assert re.search(where, output), output
        assert "Traceback" not in output
        # The last good site is still what is served, edit included.
        with urllib.request.urlopen(f"{url}/policy/xii/") as response:
            assert "(edited in the preview)" in response.read().decode("utf-8")

        # Fixed and saved: the message goes and the page shows the fixed build.
        source.write_text(original.replace(WORDS, f"{WORDS} (fixed in the preview)"), encoding="utf-8")
        expect(page.locator("#xii-c")).to_contain_text("(fixed in the preview)", timeout=BUILD_S * 1000)
        expect(message).to_have_count(0)
    finally:
        page.close()
