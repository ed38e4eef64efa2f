"""The withdrawal page in Chromium: one question at a time, answers in the address, a checklist.

Expected outcomes follow sections XII and XIII and Major Changes 6 as the rules data reads them:
a no show student is withdrawn only once due diligence is documented (XII.c, XIII), with the
"Not Attending, No Show, Not Enrolled Letter" (Major Changes 6.c); a student located but not
attending is not withdrawn (XII.d).
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from conftest import watched_page

pytestmark = pytest.mark.browser

PAGE = "/calculators/withdrawal/"
PYTHON_START_MS = 120_000


@pytest.fixture(scope="module")
def flow(browser: object, base_url: str) -> Iterator[object]:
    context, page = watched_page(browser, base_url)
    page.goto(PAGE)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    yield page
    context.close()  # type: ignore[attr-defined]


def answer(page: object, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).wait_for()  # type: ignore[attr-defined]
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Next").click()  # type: ignore[attr-defined]


def test_one_question_at_a_time_to_a_checklist_and_back(flow) -> None:
    flow.goto(PAGE)
    answer(flow, "Has the student died?", "No")
    assert parse_qs(urlsplit(flow.url).query) == {"died": ["no"]}
    expect(flow.get_by_role("group")).to_have_count(1)
    answer(flow, "Is the student enrolling in another school?", "No, or not known")
    answer(flow, "Has the student attended since the first expected instructional day?", "No")
    answer(flow, "Have all due diligence efforts to locate the student been made and documented in MiSiS?", "No")

    checklist = flow.locator("[data-calc-result]")
    checklist.get_by_role("heading", name="Checklist: No show", exact=False).wait_for()
    assert flow.locator(".calc-verdict").inner_text() == "Do not withdraw the student now."
    expect(checklist).to_contain_text("Not Attending, No Show, Not Enrolled Letter")
    steps = flow.locator(".calc-checklist li").all_inner_texts()
    assert any("XIII.a" in s for s in steps) and any("XII.c" in s for s in steps)
    assert flow.locator(".calc-checklist input[type=checkbox]").count() >= 4
    # Entering the withdrawal (XII.b) is not a step while the student must not be withdrawn.
    assert not any("Enter the withdrawal record" in s for s in steps)
    expect(flow.locator("[data-once-allowed]")).to_contain_text("Enter the withdrawal record and the correct withdrawal code in MiSiS.")

    # The back button returns to the last question, with the earlier answers still given.
    flow.go_back()
    flow.get_by_role("group", name="Have all due diligence efforts to locate the student been made and documented in MiSiS?").wait_for()
    assert parse_qs(urlsplit(flow.url).query) == {"died": ["no"], "other_school": ["none_known"], "ever_attended": ["no"]}
    answer(flow, "Have all due diligence efforts to locate the student been made and documented in MiSiS?", "Yes")
    flow.locator(".calc-verdict", has_text="may be withdrawn").wait_for()
    expect(flow.locator(".calc-checklist li", has_text="Enter the withdrawal record")).to_have_count(1)
    expect(flow.locator("[data-once-allowed]")).to_have_count(0)
    flow.go_back()
    flow.go_back()
    flow.get_by_role("group", name="Has the student attended since the first expected instructional day?").wait_for()
    assert flow.watch.errors == []


def test_an_address_with_answers_opens_the_checklist_and_prints_it(flow) -> None:
    flow.goto(PAGE + "?died=no&other_school=none_known&ever_attended=yes&located=yes")
    flow.locator(".calc-verdict").wait_for(timeout=PYTHON_START_MS)
    assert flow.locator(".calc-verdict").inner_text() == "Do not withdraw the student now."
    expect(flow.locator("[data-calc-result]")).to_contain_text("No supporting document")
    hrefs = flow.locator(".calc-why a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(h.endswith("/ref/xii-d/") for h in hrefs)
    flow.emulate_media(media="print")
    try:
        printed = flow.locator(".calc-print-summary").inner_text()
        assert "BUL-4926.4" in printed and "August 12, 2024" in printed
        assert "Has the school located the student" in printed
        expect(flow.locator(".calc-checklist").first).to_be_visible()
        expect(flow.get_by_role("button", name="Next")).to_be_hidden()
    finally:
        flow.emulate_media(media="screen")


def test_a_worked_example_link_opens_its_checklist(flow) -> None:
    flow.goto(PAGE)
    flow.get_by_role("group", name="Has the student died?").wait_for(timeout=PYTHON_START_MS)
    flow.locator('a[data-example][href$="?situation=death"]').click()
    flow.locator(".calc-verdict", has_text="may be withdrawn").wait_for()
    expect(flow.locator(".calc-checklist").first).to_contain_text("Obituary or Death Notice")
    flow.go_back()
    flow.get_by_role("group", name="Has the student died?").wait_for()


@pytest.mark.parametrize("address", [PAGE + "?situation=no_show", "/es" + PAGE + "?situation=no_show"])
def test_a_pre_filled_link_opens_with_the_checklist_in_view_on_a_phone(flow, address: str) -> None:
    """Issue 13: on a 390 px phone the page's introduction fills the first screen; a shared link
    opens at its answer (the Spanish one was a screen and more below the fold)."""
    flow.set_viewport_size({"width": 390, "height": 844})
    try:
        flow.goto(address)
        verdict = flow.locator("#result")
        expect(verdict).to_be_visible(timeout=PYTHON_START_MS)
        expect(verdict).to_be_in_viewport()
        expect(flow.locator(".calc-checklist li").first).to_be_in_viewport()
        assert flow.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        flow.set_viewport_size({"width": 1280, "height": 720})


def test_next_without_an_answer_and_an_unknown_answer_in_the_address(flow) -> None:
    flow.goto(PAGE)
    flow.get_by_role("group", name="Has the student died?").wait_for(timeout=PYTHON_START_MS)
    flow.get_by_role("button", name="Next").click()
    message = flow.locator('[data-error-for="answer"]')
    expect(message).to_contain_text("Choose one of the answers")
    expect(flow.locator("input[type=radio]:focus")).to_have_count(1)

    flow.goto(PAGE + "?died=perhaps")
    expect(message).to_contain_text("perhaps", timeout=PYTHON_START_MS)
    expect(flow.get_by_role("group", name="Has the student died?")).to_be_visible()


def test_keyboard_only(flow) -> None:
    flow.goto(PAGE)
    flow.get_by_role("group", name="Has the student died?").wait_for(timeout=PYTHON_START_MS)
    flow.get_by_role("group", name="Has the student died?").get_by_label("Yes", exact=True).focus()
    flow.keyboard.press("Space")
    flow.keyboard.press("Enter")  # submits the form
    flow.locator(".calc-verdict", has_text="may be withdrawn").wait_for()
    expect(flow.locator("#result")).to_be_focused()


def test_no_request_to_any_other_host(flow, base_url: str) -> None:
    assert flow.watch.foreign_requests == []


def test_answers_are_big_touch_targets_and_change_keeps_the_earlier_answer(flow) -> None:
    flow.goto(PAGE + "?died=no&other_school=none_known&ever_attended=yes")
    flow.get_by_role("group", name="Has the school located the student (knows where they are)?").wait_for(timeout=PYTHON_START_MS)
    for box in flow.locator(".calc-option").evaluate_all("els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])"):
        assert box[0] >= 44 and box[1] >= 44, box
    flow.get_by_role("link", name="Change the answer to “Is the student enrolling in another school?”").click()
    group = flow.get_by_role("group", name="Is the student enrolling in another school?")
    expect(group.get_by_label("No, or not known")).to_be_checked()
    answer(flow, "Is the student enrolling in another school?", "Yes, another LAUSD school")
    expect(flow.locator(".calc-verdict")).to_have_text("The student may be withdrawn.")
    assert parse_qs(urlsplit(flow.url).query) == {"died": ["no"], "other_school": ["lausd"]}


def test_the_why_does_not_repeat_the_checklist_and_the_manual_is_explained(flow) -> None:
    flow.goto(PAGE + "?situation=death")
    flow.locator(".calc-verdict").wait_for(timeout=PYTHON_START_MS)
    steps = [t.split(" (")[0] for t in flow.locator(".calc-checklist li").all_inner_texts()]
    why = flow.locator(".calc-why li").all_inner_texts()
    assert steps and why
    assert not [s for s in steps if any(s in w for w in why)], "the why repeats the checklist"
    expect(flow.locator("[data-calc-result]")).to_contain_text("That manual is not published with the bulletin")
