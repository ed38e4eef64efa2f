"""The site offline (issue 18): a family opens the chronic-absence page once at home; later, with no
network, every calculator page still answers; a new deploy is offered with a notice, never mixed in.

The built site is copied, so that "deploying a new build" (a changed page and the new worker that
names it) touches only the copy. The copy is served by a server that records every request, so
"offline" is checked twice: the browser is set offline, and the server must see no request at all.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from policy_tools import offline, precompress
from policy_tools.quality import AXE, both_schemes
from policy_tools.serve import SiteHandler

pytestmark = pytest.mark.browser

PYTHON_START_MS = 120_000
CHRONIC = "/calculators/chronic-absence/?enrolled=180&absent=17"
EXCUSED = (
    "/calculators/excused-absences/?first_day=2024-08-14&second_semester_start=2025-01-13&last_day=2025-06-11"
    "&absence=2024-10-01,religious_retreat&absence=2024-10-02,religious_retreat"
)
WITHDRAWAL = "/calculators/withdrawal/?situation=death"
ROSTER = "/calculators/roster/"

# Waits in the page for the service worker to control it (wait_for_function would need eval,
# which the site's policy forbids).
CONTROLLED_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  return registration.active.scriptURL;
}"""

CACHE_KEYS_JS = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map((request) => request.url);
  }
  return out;
}"""

MARKS_JS = "(name) => performance.getEntriesByName(name).length"

# Replaces the offline copy's Python snapshot with one "made by another build of Pyodide" (its build
# id changed, its length the same), keeping the real one aside; "restore" puts it back.
SNAPSHOT_JS = """async (action) => {
  const manifest = await (await fetch("/assets/pyodide-manifest.json")).json();
  const url = new URL("/assets/" + manifest.snapshot, location.href).href;
  const cache = await caches.open((await caches.keys()).find((name) => name.includes("precache")));
  const aside = await caches.open("test-aside");
  if (action === "break") {
    const real = await cache.match(url);
    await aside.put(url, real.clone());
    const bytes = new Uint8Array(await real.arrayBuffer());
    bytes.fill(0xab, 16, 48);
    await cache.put(url, new Response(bytes));
  } else {
    await cache.put(url, await aside.match(url));
    await caches.delete("test-aside");
  }
}"""


class Served:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: list[str] = []
        lock = threading.Lock()
        log = self.paths

        class Recording(SiteHandler):
            def send_head(self):  # type: ignore[no-untyped-def]
                with lock:
                    log.append(self.path)
                return super().send_head()

            def do_GET(self) -> None:
                if self.path.split("?", 1)[0] == "/sitemap.xml":
                    with lock:
                        log.append(self.path)
                super().do_GET()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Recording, directory=str(root)))
        self.server.daemon_threads = True
        self.server.verbose = False  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def served(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    copy = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(site_dir, copy)
    served = Served(copy)
    yield served
    served.server.shutdown()


@pytest.fixture(scope="module")
def visit(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(base_url=served.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def deploy_new_build(site: Path) -> None:
    """What a new deploy looks like to a browser: a page changed, and a new sw.js naming its revision.

    The revision is the page's MD5, as workbox-build writes it; editing the built worker instead of
    running the post-build steps again keeps the test fast (the build's own worker is checked above).
    """
    home = site / "index.html"
    old = home.read_bytes()
    new = old.replace(b"</body>", b"<!-- the next build -->\n</body>")
    sw = site / "sw.js"
    text = sw.read_text(encoding="utf-8")
    entry = f'url:"index.html",revision:"{hashlib.md5(old).hexdigest()}"'
    assert entry in text, "sw.js does not precache index.html under its MD5"
    home.write_bytes(new)
    sw.write_text(text.replace(entry, f'url:"index.html",revision:"{hashlib.md5(new).hexdigest()}"'), encoding="utf-8")
    for path in (home, sw):
        precompress.precompress(path)


@pytest.fixture
def xlsx_roster(tmp_path: Path) -> Path:
    import openpyxl  # the build's own dependency (requirements.lock)

    book = openpyxl.Workbook()
    for row in (["Student ID", "Student Name", "Days Enrolled", "Days Absent"], [1, "A. Lee", 180, 17], [2, "B. Cruz", 180, 2], [3, "C. Diaz", 100, 3]):
        book.active.append(row)
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_after_one_visit_every_calculator_answers_offline_and_a_new_build_is_offered(visit: Any, served: Served, xlsx_roster: Path) -> None:
    page = visit
    # The first visit, online.
    page.goto(CHRONIC)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    assert page.evaluate(CONTROLLED_JS).endswith("/sw.js")
    first_visit = list(served.paths)
    assert any("pyodide.asm.wasm" in p for p in first_visit)

    served.paths.clear()
    page.context.set_offline(True)

    # A fresh load of the chronic page with its inputs in the address.
    page.goto(CHRONIC)
    result = page.locator("[data-calc-result]")
    expect(result.locator(".calc-headline")).to_contain_text("90.56%", timeout=PYTHON_START_MS)
    expect(result).to_contain_text("So far, your child is chronically absent by LAUSD's count, but not by the state's count.")

    # Python came back from the snapshot the offline copy keeps (policy_tools/python_snapshot.py).
    assert page.evaluate(MARKS_JS, "calc:worker:snapshot") == 1

    page.goto(EXCUSED)
    expect(page.locator('[data-calc-result] tr[data-date="2024-10-02"]')).to_contain_text("No: over the limit", timeout=PYTHON_START_MS)

    page.goto(WITHDRAWAL)
    expect(page.locator(".calc-verdict")).to_contain_text("may be withdrawn", timeout=PYTHON_START_MS)

    page.goto(ROSTER)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    page.get_by_label("Or paste the CSV text").fill("student,days enrolled,days absent\nA. Lee,180,17\nC. Diaz,100,10\n")
    page.get_by_role("button", name="Read the roster").click()  # columns recognised: computed at once
    expect(page.locator('[data-summary="chronic_lausd"]')).to_contain_text("2 chronic")
    # An Excel roster offline too: openpyxl and the standard-library modules only it imports are
    # not part of the first visit's library, so they come from the offline copy.
    page.get_by_label("Choose a CSV or Excel file").set_input_files(str(xlsx_roster))
    expect(page.locator('[data-summary="students"]')).to_contain_text("3 students computed", timeout=PYTHON_START_MS)
    expect(page.locator('[data-summary="chronic_lausd"]')).to_contain_text("1 chronic")

    # A page that is not a calculator, reached by a link (instant navigation) and by address.
    page.goto("/policy/xv/")
    expect(page.locator("h1")).to_contain_text("XV")

    # Nothing the pages asked for reached the server while offline. (The browser itself still looks
    # for a new service worker, and the scripts it imports, at each navigation; Chromium's offline
    # mode covers pages, not that.)
    worker_scripts = rf"/(sw|workbox-[0-9a-f]+)\.js|/{re.escape(offline.HTTP_CACHE_SCRIPT)}"
    assert [p for p in served.paths if not re.fullmatch(worker_scripts, p)] == [], served.paths

    # Only the site's own files are stored: no address with a query, no student data.
    caches = page.evaluate(CACHE_KEYS_JS)
    urls = [url for keys in caches.values() for url in keys]
    assert urls, "nothing is cached"
    for url in urls:
        assert url.startswith(served.url + "/")
        query = url.split("?", 1)[1] if "?" in url else ""
        # One fixed, build-time query is stored: the search adapter under the address Material's
        # worker is loaded by (`?material=` names Material's worker; tests/site/test_publishing.py).
        if re.search(r"/assets/javascripts/workers/search-every-word\.js\?", url):
            query = re.sub(r"^material=search\.[0-9a-f]+\.min\.js&lang=(en|es)&?", "", query)
        assert re.fullmatch(r"(__WB_REVISION__=[0-9a-f]+)?", query), url
    assert not any("enrolled" in u or "absent=" in u or "Lee" in u or "situation" in u for u in urls)

    # A new deploy: the next visit installs it in the background and offers it; the page on screen
    # stays on its own build until the reader reloads.
    page.context.set_offline(False)
    deploy_new_build(served.root)
    page.goto(CHRONIC)
    notice = page.locator("#site-update")
    expect(notice).to_be_visible(timeout=60_000)
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("This site has been updated.")
    assert "the next build" not in page.content()
    box = notice.get_by_role("button", name="Reload to see the new version").bounding_box()
    assert box and box["height"] >= 44
    reports = both_schemes(page, CHRONIC, "update notice", AXE.read_text(encoding="utf-8"))
    assert [(r.scheme, r.violations, r.failures) for r in reports if r.violations or r.failures] == []
    with page.expect_navigation(timeout=60_000):
        notice.get_by_role("button", name="Reload to see the new version").click()
    expect(page.locator("#site-update")).to_have_count(0)
    page.goto("/")
    assert "the next build" in page.content()
    assert page.errors == []


def test_a_snapshot_of_another_build_is_refused_and_python_starts_as_usual(visit: Any) -> None:
    page = visit
    page.goto(CHRONIC)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    page.evaluate(CONTROLLED_JS)
    page.evaluate(SNAPSHOT_JS, "break")
    try:
        page.goto(CHRONIC)
        expect(page.locator("[data-calc-result] .calc-headline")).to_contain_text("90.56%", timeout=PYTHON_START_MS)
        assert page.evaluate(MARKS_JS, "calc:worker:snapshot-failed") == 1
        assert page.evaluate(MARKS_JS, "calc:worker:snapshot") == 0
    finally:
        page.evaluate(SNAPSHOT_JS, "restore")
    page.goto(CHRONIC)
    expect(page.locator("[data-calc-result] .calc-headline")).to_contain_text("90.56%", timeout=PYTHON_START_MS)
    assert page.evaluate(MARKS_JS, "calc:worker:snapshot") == 1
