"""Issue 16 in Chromium, as a clerk and a trainer: search lands on the paragraph, every-word
matches first, our labels never highlighted, Cite this, print."""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from conftest import watched_page

from policy_tools.site_url import site_url

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def clerk(browser: object, base_url: str) -> Iterator[object]:
    context, page = watched_page(browser, base_url, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page.goto("/")
    yield page
    context.close()  # type: ignore[attr-defined]


def search(page, query: str) -> None:
    toggle, field = page.locator("[data-md-toggle=search]"), page.locator(".md-search__input")
    # Material closes the search 125 ms after it opened a page or fragment by a link (an earlier
    # test's last step may be one), also a search the reader opened in that time; the reader sees
    # it close and clicks again. So does this helper, up to three times: it waits for this query's
    # results or for the search to close.
    for _ in range(3):
        field.click()
        # The click opens the search (Material, or search-focus.js when the field kept the focus):
        # a reader types once it is open.
        expect(toggle).to_be_checked()
        field.fill("")
        page.keyboard.type(query)
        # Material renders results as the worker answers each keystroke: wait for this query's
        # results, not those of the words typed so far nor of the search before (each result link
        # carries the words it matched in `h=`): one matched the last word, and none matched a word
        # this query does not have ("school" was also the last word of an earlier query, whose
        # results were still shown while the worker was slow).
        state = page.wait_for_function(
            """query => {
                const open = document.querySelector("[data-md-toggle=search]").checked;
                if (!open || document.querySelector(".md-search__input").value !== query) {
                    return "closed under the typing";
                }
                const words = query.split(" ");
                const links = [...document.querySelectorAll(".md-search-result__link")];
                const matched = a => (new URL(a.href).searchParams.get("h") || "").split(" ").filter(Boolean);
                return links.some(a => matched(a).includes(words[words.length - 1]))
                    && links.every(a => matched(a).every(w => words.includes(w))) && "results";
            }""",
            arg=query,
        ).json_value()
        if state == "results":
            break
    else:
        pytest.fail(f"the search closed under each of three searches for {query!r}")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ (matching documents?|documentos? encontrados?)|1 matching"))
    expect(page.locator(".md-search-result__item").first).to_be_visible()


@pytest.mark.parametrize(
    ("query", "anchors"),
    [
        ("private school", {"mc-6-b"}),          # California Private School Affidavit
        ("funeral days", {"mc-3-a"}),            # max five days per incident
        ("no show", {"mc-6-c", "xiii-a", "xiii-b"}),  # the No Show letter, No Show Student Procedures
        ("retroactive", {"x-c"}),                # "shall not retroactively input attendance"
        ("bereavement", {"mc-3-a"}),             # synonym of funeral (policy_data/search.yaml)
    ],
)
def test_a_clerk_search_lands_on_the_paragraph(clerk, query: str, anchors: set[str]) -> None:
    # From the home page: a result with the path and fragment of the page already open (another
    # query's ?h=) is not a new page for Material, and leaves the address without its fragment.
    clerk.goto("/")
    search(clerk, query)
    # The best hit of the first result group is the paragraph, and Enter (Material opens the best
    # hit) lands on it, in view.
    clerk.keyboard.press("Enter")
    expect(clerk).to_have_url(re.compile(r"#(" + "|".join(map(re.escape, anchors)) + r")$"))
    anchor = clerk.url.rsplit("#", 1)[1]
    expect(clerk.locator(f"[id='{anchor}']")).to_be_in_viewport()
    # ... and the search has closed over it (Material closes it a moment after the landing), with
    # the focus given back to the page: the next click in the field opens a new search.
    expect(clerk.locator("[data-md-toggle=search]")).not_to_be_checked()
    expect(clerk.locator(".md-search__input")).not_to_be_focused()


def test_after_a_result_without_a_fragment_the_search_opens_again(clerk) -> None:
    # A calculator's worked answer opens at the top of its page (no #fragment): Material closed the
    # search but left the focus in its field, so the next click in the field opened nothing.
    search(clerk, "obituary")
    link = clerk.locator(".md-search-result__link[href*='situation=death']").first
    expect(link).to_be_visible()
    link.focus()
    clerk.keyboard.press("Enter")
    expect(clerk).to_have_url(re.compile(r"/calculators/withdrawal/\?situation=death"))
    expect(clerk.locator("[data-md-toggle=search]")).not_to_be_checked()
    expect(clerk.locator(".md-search__input")).not_to_be_focused()
    search(clerk, "private school")
    expect(clerk.locator(".md-search-result__item").first).to_be_visible()


def test_each_reader_searches_the_pages_of_their_own_language(clerk) -> None:
    # One index holds both languages: an English search once opened the Spanish excused page.
    clerk.goto("/policy/xv/")
    search(clerk, "funeral days")
    hrefs = clerk.eval_on_selector_all(".md-search-result__link", "links => links.map(a => new URL(a.href).pathname)")
    assert hrefs and not [h for h in hrefs if h.startswith("/es/")], hrefs
    clerk.goto("/es/calculators/chronic-absence/")
    search(clerk, "ausencias")
    hrefs = clerk.eval_on_selector_all(".md-search-result__link", "links => links.map(a => new URL(a.href).pathname)")
    assert any(h.startswith("/es/calculators/") for h in hrefs), hrefs
    # ... and never the English twin of a page it has in Spanish.
    assert not [h for h in hrefs if h.startswith("/calculators/chronic-absence/")], hrefs
    clerk.goto("/")


def test_results_matching_every_word_come_first(clerk) -> None:
    for query in ("private school", "funeral days", "school enrollment permit"):
        search(clerk, query)
        groups = clerk.locator(".md-search-result__item")
        expect(groups.first).to_be_visible()
        # A result group (one page) matches every word when one of its hits shows no "Missing:" line.
        # A group of several hits is headed by the page's own card, which never shows that line.
        full = clerk.eval_on_selector_all(".md-search-result__item", """groups => groups.slice(0, 10).map(g => {
            const hits = [...g.querySelectorAll("article")];
            return (hits.length > 1 ? hits.slice(1) : hits).some(a => !a.querySelector(".md-search-result__terms"));
        })""")
        # Once a group lacks a word, no later group has them all.
        first_partial = full.index(False) if False in full else len(full)
        assert True not in full[first_partial:], (query, full)
        clerk.keyboard.press("Escape")


def test_our_labels_are_never_highlighted(clerk) -> None:
    # Material highlights the query words on the page a result opens (?h=); "no" is inside "Note (ours".
    clerk.goto("/policy/whats-new/?h=no")
    marks = clerk.locator("article mark[data-md-highlight]")
    expect(marks.first).to_be_attached()
    expect(clerk.locator(".policy-ours mark, .policy-actions mark, .policy-label mark")).to_have_count(0)
    assert clerk.locator(".policy-ours", has_text="Note (ours").count() > 0


def test_cite_this_copies_the_citation(clerk) -> None:
    clerk.goto("/policy/xii/#xii-c")
    paragraph = clerk.locator("#xii-c")
    button = paragraph.get_by_role("button", name=re.compile(r"^Cite this"))
    copy_link = paragraph.get_by_role("button", name=re.compile(r"^Copy link"))
    expect(button).to_be_visible()
    expect(copy_link).to_be_visible()
    # Beside Copy link, in the same row (both read in one layout: two reads could straddle a reflow).
    rows = paragraph.evaluate("""p => [...p.querySelectorAll("button.policy-copy, button.policy-cite")]
        .filter(b => b.closest("[id]") === p).map(b => b.getBoundingClientRect().top)""")
    assert len(rows) == 2 and rows[0] == rows[1], rows
    button.click()
    expected = (
        "Los Angeles Unified School District, BUL-4926.4, Enrollment, Attendance, and Withdrawal Policies and "
        f"Procedures, XII.c (August 12, 2024), {site_url()}ref/xii-c/"
    )
    expect(clerk.locator("#policy-copy-status")).to_have_text(f"Citation copied: {expected}")
    assert clerk.evaluate("navigator.clipboard.readText()") == expected
    assert button.bounding_box()["height"] >= 44


def test_a_printed_section_says_which_bulletin_where_and_when(clerk) -> None:
    clerk.goto("/policy/xii/")
    clerk.emulate_media(media="print")
    try:
        version = clerk.locator(".policy-version")
        expect(version).to_be_visible()
        today = datetime.date.today()
        expect(version).to_have_text(
            f"BUL-4926.4, August 12, 2024 · replaces BUL-4926.3 (LAUSD eLibrary) · printed {today:%B} {today.day}, {today.year}"
        )
        expect(clerk.locator(".policy-actions").first).to_be_hidden()
        address = clerk.evaluate("getComputedStyle(document.getElementById('xii-c'), '::after').content")
        assert address == f'"{site_url()}ref/xii-c/"'
    finally:
        clerk.emulate_media(media="screen")
    expect(clerk.locator(".policy-print-date").first).to_be_hidden()


def test_the_footer_links_the_pdf_of_the_whole_bulletin(clerk) -> None:
    clerk.goto("/policy/xv/")
    link = clerk.locator(".md-footer").get_by_role("link", name="PDF of the whole bulletin")
    expect(link).to_be_visible()
    response = clerk.request.get(link.get_attribute("href") and clerk.evaluate("(a) => a.href", link.element_handle()))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    whole = clerk.locator(".md-footer").get_by_role("link", name="Whole bulletin, to print")
    whole.click()
    expect(clerk.locator("h1")).to_have_text(re.compile("BUL-4926.4, the whole bulletin"))


def test_a_click_in_the_search_field_opens_the_search_when_the_focus_was_left_there(clerk) -> None:
    # Material closes the search when a result opens another paragraph of the same page (only the
    # fragment changes) and may leave the focus in its field; a click there must open it again.
    field = clerk.locator(".md-search__input")
    field.click()
    clerk.evaluate("() => { document.querySelector('[data-md-toggle=search]').checked = false; }")
    expect(field).to_be_focused()
    search(clerk, "funeral days")
    expect(clerk.locator(".md-search-result__item").first).to_be_visible()


def test_when_the_search_closes_the_focus_goes_back_to_the_page(clerk) -> None:
    # Material closes the search by clicking its toggle, 125 ms after a result opened a page or a
    # fragment, also when the reader clicked in the field in that time: the focus stayed in the
    # field of a closed search, and the next click there opened nothing.
    field = clerk.locator(".md-search__input")
    field.click()
    expect(clerk.locator("[data-md-toggle=search]")).to_be_checked()
    clerk.evaluate("() => document.querySelector('[data-md-toggle=search]').click()")  # as Material closes it
    expect(clerk.locator("[data-md-toggle=search]")).not_to_be_checked()
    expect(field).not_to_be_focused()
    search(clerk, "private school")
