"""The roster page in Chromium, as school staff use it with real student data.

Expected counts are computed here independently of the calculators, from section XV: state
chronic when absent/enrolled >= 10% (E.C. § 60901(c)(1)), LAUSD chronic when the attendance rate is
91% or below, read in whole percent as LAUSD counts it (strictly: unrounded), and LAUSD's
attendance bands from the whole percent, all compared exactly with integers.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from conftest import watched_page

pytestmark = pytest.mark.browser

PAGE = "/calculators/roster/"
PYTHON_START_MS = 120_000


@pytest.fixture(scope="module")
def roster(browser: object, base_url: str) -> Iterator[object]:
    context, page = watched_page(browser, base_url, accept_downloads=True)
    page.goto(PAGE)
    page.wait_for_selector("[data-calculator].calc-ready", timeout=PYTHON_START_MS)
    yield page
    context.close()  # type: ignore[attr-defined]


def state_chronic(enrolled: int, absent: int) -> bool:
    return absent * 100 >= 10 * enrolled


def lausd_chronic(enrolled: int, absent: int) -> bool:
    """LAUSD reads the attendance rate in whole percent, the fraction dropped (reading lausd_whole_percent)."""
    return (enrolled - absent) * 100 // enrolled <= 91


def lausd_strict(enrolled: int, absent: int) -> bool:
    return (enrolled - absent) * 100 <= 91 * enrolled


def band(enrolled: int, absent: int) -> str:
    whole = (enrolled - absent) * 100 // enrolled
    return "Advanced" if whole == 100 else "Proficient" if whole >= 96 else "Basic" if whole >= 92 else "Below Basic" if whole >= 87 else "Far Below Basic"


def summary_item(page: object, key: str) -> str:
    return page.locator(f'[data-summary="{key}"]').inner_text()  # type: ignore[attr-defined]


def test_the_page_says_the_data_stays_on_the_device(roster) -> None:
    text = roster.locator(".calc-privacy").inner_text()
    assert "stays on this device" in text and "nothing is uploaded" in text


def test_pasted_csv_gives_a_table_a_summary_and_row_errors(roster) -> None:
    roster.get_by_label("Or paste the CSV text").fill(
        "student,days enrolled,days absent\nA. Lee,180,17\nB. Cruz,180,abc\nC. Diaz,100,10\nD. Moss,180,200\n"
    )
    roster.get_by_role("button", name="Calculate").click()
    roster.locator('[data-summary="students"]').wait_for()
    assert summary_item(roster, "students").startswith("2 students")
    # A. Lee: 90.56% -> LAUSD only; C. Diaz: 10% absent, 90% attendance -> both.
    assert "2 chronic" in summary_item(roster, "chronic_lausd")
    assert "1 chronic" in summary_item(roster, "chronic_state")
    assert summary_item(roster, "errors").startswith("2 rows with errors")
    errors = roster.locator(".calc-row-errors li").all_inner_texts()
    assert errors[0].startswith("Row 3 (B. Cruz)") and "abc" in errors[0]
    assert errors[1].startswith("Row 5 (D. Moss)") and "more than days enrolled" in errors[1]
    rows = roster.locator(".calc-rows tbody tr").all_inner_texts()
    assert rows[0].split("\t")[:5] == ["2", "A. Lee", "180", "17", "90.56%"]
    assert rows[0].split("\t")[5:] == ["Not chronic", "Chronic", "Below Basic"]
    # Roster data never goes into the address.
    assert urlsplit(roster.url).query == ""
    assert roster.watch.errors == []


def test_a_file_with_no_absent_column_is_explained_next_to_the_file_field(roster, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("student,days enrolled\nA,180\n", encoding="utf-8")
    roster.get_by_label("Choose a CSV file").set_input_files(str(bad))
    message = roster.locator('[data-error-for="file"]')
    message.wait_for(state="visible")
    assert "absent" in message.inner_text()
    expect(roster.get_by_label("Choose a CSV file")).to_have_attribute("aria-invalid", "true")
    roster.get_by_label("Choose a CSV file").set_input_files([])


def test_empty_paste_is_explained_next_to_the_text_box(roster) -> None:
    roster.get_by_label("Or paste the CSV text").fill("")
    roster.get_by_role("button", name="Calculate").click()
    message = roster.locator('[data-error-for="csv"]')
    message.wait_for(state="visible")
    assert "empty" in message.inner_text()
    expect(roster.get_by_label("Or paste the CSV text")).to_have_attribute("aria-invalid", "true")


def test_ten_thousand_rows_from_a_file_without_any_request(roster, tmp_path: Path, base_url: str) -> None:
    rows = [(f"S{i}", 150 + i % 31, (i * 7) % 41) for i in range(10_000)]
    path = tmp_path / "roster.csv"
    path.write_text("student,days enrolled,days absent\n" + "".join(f"{s},{e},{a}\n" for s, e, a in rows), encoding="utf-8")
    expected_state = sum(state_chronic(e, a) for _, e, a in rows)
    expected_lausd = sum(lausd_chronic(e, a) for _, e, a in rows)

    before = len(roster.watch.requests)
    roster.get_by_label("Choose a CSV file").set_input_files(str(path))
    roster.locator('[data-summary="students"]', has_text="10,000 students").wait_for(timeout=60_000)
    assert roster.watch.requests[before:] == []  # computing sent nothing, not even to this site

    assert f"{expected_state:,} chronic" in summary_item(roster, "chronic_state")
    assert f"{expected_lausd:,} chronic" in summary_item(roster, "chronic_lausd")
    strict = sum(lausd_strict(e, a) for _, e, a in rows)
    assert f"read strictly (the rate as it is, not in whole percent): {strict:,} chronic" in summary_item(roster, "chronic_lausd")
    for name in ("Advanced", "Proficient", "Basic", "Below Basic", "Far Below Basic"):
        count = sum(band(e, a) == name for _, e, a in rows)
        row = roster.locator(f'.calc-band-counts [data-band="{name.lower().replace(" ", "_")}"]')
        assert row.locator("th").inner_text() == name and row.locator("td").last.inner_text() == f"{count:,}"
    assert "Showing the first 100 of 10,000 students" in roster.locator(".calc-rows").inner_text()

    with roster.expect_download() as info:
        roster.get_by_role("button", name="Download the results (CSV)").click()
    download = info.value
    assert download.url.startswith("blob:")
    assert urlsplit(download.url[len("blob:"):]).netloc == urlsplit(base_url).netloc
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(table) == 10_000
    by_label = {row["Student"]: row for row in table}
    for label, enrolled, absent in rows[:: 997]:
        row = by_label[label]
        assert (row["Days enrolled"], row["Days absent"]) == (str(enrolled), str(absent))
        assert row["Chronic: State definition"] == ("yes" if state_chronic(enrolled, absent) else "no")
        assert row["Chronic: LAUSD definition"] == ("yes" if lausd_chronic(enrolled, absent) else "no")
        assert row["LAUSD band"] == band(enrolled, absent)
    assert roster.get_by_label("Choose a CSV file").evaluate("e => e.files.length") == 1
    roster.get_by_label("Choose a CSV file").set_input_files([])


def test_a_spreadsheet_formula_in_a_label_stays_text_in_the_download(roster) -> None:
    roster.get_by_label("Or paste the CSV text").fill('student,enrolled,absent\n"=HYPERLINK(""x"")",180,3\n')
    roster.get_by_role("button", name="Calculate").click()
    roster.locator('[data-summary="students"]', has_text="1 student computed").wait_for()
    with roster.expect_download() as info:
        roster.get_by_role("button", name="Download the results (CSV)").click()
    table = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert table[0]["Student"].startswith("'=")


def test_no_request_to_any_other_host(roster, base_url: str) -> None:
    assert roster.watch.foreign_requests == []


def test_keyboard_only_paste_calculate_and_download(roster) -> None:
    roster.get_by_label("Choose a CSV file").focus()
    roster.keyboard.press("Tab")
    expect(roster.locator('[name="csv"]')).to_be_focused()
    roster.keyboard.press("Control+A")
    roster.keyboard.type("student,enrolled,absent\nK,200,20\n")
    roster.keyboard.press("Tab")
    expect(roster.get_by_role("button", name="Calculate", exact=True)).to_be_focused()
    roster.keyboard.press("Enter")
    roster.locator('[data-summary="chronic_state"]', has_text="1 chronic").wait_for()
    for _ in range(10):
        roster.keyboard.press("Tab")
        if roster.evaluate("document.activeElement.textContent") == "Download the results (CSV)":
            break
    else:
        pytest.fail("Tab never reached the download button")
    with roster.expect_download() as info:
        roster.keyboard.press("Enter")
    assert "K,200,20" in Path(info.value.path()).read_text(encoding="utf-8")
