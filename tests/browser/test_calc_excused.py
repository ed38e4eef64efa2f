"""The excused-absence limits page in Chromium.

Expectations are worked by hand from Major Changes 3 (funeral: five days per incident; religious
retreat: one school day per semester) and E.C. § 48205 (illness: no fixed limit).
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from conftest import watched_page

pytestmark = pytest.mark.browser

PAGE = "/calculators/excused-absences/"
PYTHON_START_MS = 120_000
CALENDAR = "first_day=2024-08-14&second_semester_start=2025-01-13&last_day=2025-06-11&non_school_days=2024-11-11"


@pytest.fixture(scope="module")
def excused(browser: object, base_url: str) -> Iterator[object]:
    context, page = watched_page(browser, base_url)
    page.goto(PAGE)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    yield page
    context.close()  # type: ignore[attr-defined]


def row(page: object, date: str) -> str:
    return page.locator(f'[data-calc-result] tr[data-date="{date}"]').inner_text()  # type: ignore[attr-defined]


def fill_calendar(page: object) -> None:
    page.get_by_label("First day of school").fill("2024-08-14")  # type: ignore[attr-defined]
    page.get_by_label("First day of the second semester").fill("2025-01-13")  # type: ignore[attr-defined]
    page.get_by_label("Last day of school").fill("2025-06-11")  # type: ignore[attr-defined]
    page.get_by_label("Non-school days on weekdays (holidays, breaks)").fill("2024-11-11")  # type: ignore[attr-defined]


def test_an_address_fills_the_calendar_and_absences_and_shows_each_cap(excused) -> None:
    excused.goto(
        f"{PAGE}?{CALENDAR}&absence=2024-10-02,religious_retreat&absence=2024-10-01,religious_retreat"
        "&absence=2024-09-09,funeral,a&absence=2024-10-07,illness"
    )
    excused.locator(".calc-headline").wait_for(timeout=PYTHON_START_MS)
    expect(excused.get_by_label("First day of school")).to_have_value("2024-08-14")
    expect(excused.get_by_label("Date of absence 3")).to_have_value("2024-09-09")
    expect(excused.get_by_label("Incident key (funeral, grief support)").nth(2)).to_have_value("a")
    # One retreat day per semester: the earlier day (1 October) is excused, whatever the order given.
    assert "Yes, excused" in row(excused, "2024-10-01")
    assert "No, not excused" in row(excused, "2024-10-02")
    assert "Yes, excused" in row(excused, "2024-09-09")
    assert "Yes, excused" in row(excused, "2024-10-07")
    funeral = excused.locator('.calc-remaining tr[data-reason="funeral"]').inner_text().split("\t")
    assert funeral[2:5] == ["5", "1", "4"]  # limit, used, remaining
    why = excused.locator(".calc-why").inner_text()
    assert "Major Changes 3.a" in why and "Major Changes 3.c" in why and "E.C. § 48205" in why
    hrefs = excused.locator(".calc-why a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(h.endswith("/ref/mc-3-a/") for h in hrefs)
    assert excused.watch.errors == []


def test_the_form_adds_absences_and_keeps_them_in_the_address(excused) -> None:
    excused.goto(PAGE)
    excused.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    fill_calendar(excused)
    excused.get_by_label("Date of absence 1").fill("2024-09-09")
    excused.get_by_label("Reason").first.select_option("grief_support")
    excused.get_by_label("Incident key (funeral, grief support)").first.fill("b")
    excused.get_by_role("button", name="Add an absence").click()
    expect(excused.locator("#excused-absence-1-date")).to_be_focused()
    excused.get_by_label("Date of absence 2").fill("2024-09-10")
    excused.get_by_label("Reason").nth(1).select_option("illness")
    excused.get_by_role("button", name="Calculate").click()
    excused.locator(".calc-headline", has_text="2 absences").wait_for()
    query = parse_qs(urlsplit(excused.url).query)
    assert query["absence"] == ["2024-09-09,grief_support,b", "2024-09-10,illness"]
    assert query["first_day"] == ["2024-08-14"]
    assert query["non_school_days"] == ["2024-11-11"]


@pytest.mark.parametrize(
    ("absence", "calendar", "field", "words"),
    [
        ("2024-09-09,funeral,a", CALENDAR.replace("last_day=2025-06-11", "last_day=2024-06-11"), "calendar.last_day", "before the first day"),
        ("2024-09-09,funeral,a", CALENDAR.replace("second_semester_start=2025-01-13", "second_semester_start=2025-08-13"), "calendar.second_semester_start", "second semester"),
        ("2024-09-09,funeral,a", CALENDAR.replace("non_school_days=2024-11-11", "non_school_days=2023-11-11"), "calendar.non_school_days", "outside the school year"),
        ("2024-09-07,illness", CALENDAR, "absences[0].date", "not a school day"),
        ("2024-09-09,funeral", CALENDAR, "absences[0].incident", "incident key"),
        ("2024-09-09", CALENDAR, "absences[0].reason", "not known"),
        ("", CALENDAR.replace("first_day=2024-08-14&", ""), "calendar.first_day", "missing"),
    ],
)
def test_bad_input_is_explained_next_to_its_field(excused, absence: str, calendar: str, field: str, words: str) -> None:
    excused.goto(f"{PAGE}?{calendar}" + (f"&absence={absence}" if absence else ""))
    message = excused.locator(f'[data-error-for="{field}"]')
    message.wait_for(state="visible", timeout=PYTHON_START_MS)
    assert words in message.inner_text()
    box = excused.locator(f'[name="{field}"]')
    expect(box).to_have_attribute("aria-invalid", "true")
    assert message.get_attribute("id") in (box.get_attribute("aria-describedby") or "").split()
    assert excused.locator("[data-calc-result]").inner_text().strip() == ""


def test_a_blank_row_between_absences_does_not_shift_which_field_is_marked(excused) -> None:
    excused.goto(PAGE)
    excused.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    fill_calendar(excused)
    excused.get_by_role("button", name="Add an absence").click()
    excused.get_by_label("Date of absence 2").fill("2024-09-07")  # a Saturday
    excused.get_by_label("Reason").nth(1).select_option("illness")
    excused.get_by_role("button", name="Calculate").click()
    message = excused.locator('[data-error-for="absences[1].date"]')
    message.wait_for(state="visible")
    expect(excused.get_by_label("Date of absence 2")).to_have_attribute("aria-invalid", "true")


def test_keyboard_only_removing_an_absence(excused) -> None:
    excused.goto(f"{PAGE}?{CALENDAR}&absence=2024-09-09,illness&absence=2024-09-10,illness")
    excused.locator(".calc-headline", has_text="2 absences").wait_for(timeout=PYTHON_START_MS)
    excused.get_by_role("button", name="Remove absence 1").focus()
    excused.keyboard.press("Enter")
    expect(excused.get_by_label("Date of absence 1")).to_have_value("2024-09-10")
    expect(excused.locator("li :focus")).to_have_count(1)
    excused.get_by_role("button", name="Calculate").focus()
    excused.keyboard.press("Enter")
    excused.locator(".calc-headline", has_text="1 absence:").wait_for()


def test_a_statute_outside_the_authority_list_links_to_its_official_page(excused) -> None:
    excused.goto(f"{PAGE}?{CALENDAR}&absence=2024-09-09,religious_instruction")
    excused.locator(".calc-headline", has_text="1 absence:").wait_for(timeout=PYTHON_START_MS)
    hrefs = excused.locator(".calc-why a").evaluate_all("links => links.map(a => a.href)")
    # E.C. § 46014 (religious instruction) is cited in Major Changes 3.d but not in Authority.
    assert any(h.startswith("https://leginfo.legislature.ca.gov/") and "sectionNum=46014" in h for h in hrefs)
    assert any(h.endswith("/ref/mc-3-d/") for h in hrefs)


def test_no_request_to_any_other_host(excused, base_url: str) -> None:
    assert excused.watch.foreign_requests == []


def test_each_absence_names_its_school_month_and_a_winter_break_is_left_out(excused) -> None:
    """E.C. § 37201(a): four weeks of five weekdays, holidays included; the winter break left out.
    Month 5 starts on 4 December and, without the break's two weeks, ends on 14 January."""
    excused.goto(
        f"{PAGE}?{CALENDAR}&winter_break=2024-12-23,2025-01-03"
        "&absence=2024-09-10,religious_instruction&absence=2024-09-11,religious_instruction"
        "&absence=2025-01-14,religious_instruction&absence=2025-01-15,religious_instruction"
    )
    excused.locator(".calc-headline").wait_for(timeout=PYTHON_START_MS)
    assert excused.get_by_label("First day of the winter break (optional)").input_value() == "2024-12-23"
    assert excused.get_by_label("Leave the winter break out of school months").is_checked()
    assert "1: 2024-08-14 to 2024-09-10" in row(excused, "2024-09-10")
    assert "2: 2024-09-11 to 2024-10-08" in row(excused, "2024-09-11")
    assert "5: 2024-12-04 to 2025-01-14" in row(excused, "2025-01-14")
    assert "6: 2025-01-15 to" in row(excused, "2025-01-15")
    why = excused.locator(".calc-why").inner_text()
    assert "“A school month is 20 days or four weeks of five days each, including legal holidays" in why
    assert "E.C. § 37201(a)" in why and "the winter break" in why.lower()
    # Counting the break in (box unticked) moves 14 January into month 6; the address keeps it.
    excused.get_by_label("Leave the winter break out of school months").uncheck()
    excused.get_by_role("button", name="Calculate").click()
    excused.locator('tr[data-date="2025-01-14"] [data-school-month="6"]').wait_for()
    assert parse_qs(urlsplit(excused.url).query)["winter_break_excluded"] == ["no"]
