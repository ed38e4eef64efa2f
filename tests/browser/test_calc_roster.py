"""The roster page in Chromium, as an attendance office uses it with real exports.

Expected counts are computed here independently of the calculators, from section XV as written:
state chronic when absent/enrolled >= 10% (E.C. § 60901(c)(1)), LAUSD chronic when the attendance
rate is 91% or below, both compared exactly with integers.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from conftest import watched_page

pytestmark = pytest.mark.browser

PAGE = "/calculators/roster/"
PYTHON_START_MS = 120_000
STEP = "[data-column-step]"


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


def paste(page: object, text: str) -> None:
    page.get_by_label("Or paste the CSV text").fill(text)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Read the roster").click()  # type: ignore[attr-defined]
    page.locator(STEP).wait_for()  # type: ignore[attr-defined]


def choose(page: object, path: Path) -> None:
    page.get_by_label("Choose a CSV or Excel file").set_input_files(str(path))  # type: ignore[attr-defined]
    page.locator(STEP).wait_for()  # type: ignore[attr-defined]


def confirm(page: object) -> None:
    """The column step waits for a click when a column is missing or doubtful."""
    expect(page.locator(f"{STEP}:not([data-computed])")).to_be_visible()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Calculate with these columns").click()  # type: ignore[attr-defined]
    page.locator("#result").wait_for()  # type: ignore[attr-defined]


def computed(page: object) -> None:
    """Columns recognised without doubt: the result comes at once, the step folded above it."""
    page.locator("#result").wait_for()  # type: ignore[attr-defined]
    expect(page.locator(f"{STEP}[data-computed] details")).not_to_have_attribute("open", "")  # type: ignore[attr-defined]
    rows_ready(page)


def rows_ready(page: object) -> None:
    """Python has answered the table's last question (a page, a sort, a filter)."""
    expect(page.locator(".calc-roster-table:not([aria-busy])")).to_be_visible()  # type: ignore[attr-defined]


def download(page: object) -> list[dict[str, str]]:
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Download the results (CSV)").click()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))


def table_rows(page: object) -> list[list[str]]:
    rows_ready(page)
    return [r.split("\t") for r in page.locator(".calc-roster-table tbody tr").all_inner_texts()]  # type: ignore[attr-defined]


def clear_file(page: object) -> None:
    page.get_by_label("Choose a CSV or Excel file").set_input_files([])  # type: ignore[attr-defined]


def test_the_page_says_the_data_stays_on_the_device(roster) -> None:
    text = roster.locator(".calc-privacy").inner_text()
    assert "stays on this device" in text and "nothing is uploaded" in text


def test_an_export_with_an_id_a_name_a_title_row_a_totals_row_and_a_bad_row(roster) -> None:
    paste(roster, "Attendance report\nStudent ID,Student Name,Grade,Days Enrolled,Days Absent\n"
                  "1001,A. Lee,5,180,17\n1002,B. Cruz,5,180,abc\n1003,C. Diaz,6,100,10\nTotal,,,460,27\n")
    # Every column recognised: computed without a click; the step is folded above, to change.
    computed(roster)
    step = roster.locator(STEP)
    expect(step.locator("summary")).to_contain_text("Columns used: Student ID: Student ID; Student name: Student Name; Days enrolled: Days Enrolled; Days absent: Days Absent")
    step.locator("summary").click()
    expect(step).to_contain_text("The header is row 2")
    # The title row is told once, not twice; nothing reads "null".
    assert step.inner_text().count("Attendance report") == 1 and "null" not in step.inner_text()
    assert roster.get_by_label("Student ID").input_value() == "Student ID"
    assert roster.get_by_label("Student name").input_value() == "Student Name"
    assert roster.get_by_label("Days absent", exact=True).input_value() == "Days Absent"
    assert roster.get_by_label("Days present", exact=False).input_value() == ""
    assert summary_item(roster, "students").startswith("2 students")
    assert "2 chronic" in summary_item(roster, "chronic_lausd") and "1 chronic" in summary_item(roster, "chronic_state")
    assert summary_item(roster, "errors").startswith("1 row with errors")
    assert summary_item(roster, "left_out").startswith("1 totals row")
    rows = table_rows(roster)
    assert rows[0][:6] == ["3", "1001", "A. Lee", "180", "17", "90.56%"]
    assert rows[1][0] == "4" and "Row 4 (B. Cruz), column E (“Days Absent”)" in rows[1][-1]
    assert rows[3][0] == "6" and "totals row" in rows[3][-1]
    # The choice of columns (header names only) is kept in the address; student data never is.
    query = parse_qs(urlsplit(roster.url).query, keep_blank_values=True)
    assert query == {"id": ["Student ID"], "name": ["Student Name"], "enrolled": ["Days Enrolled"], "absent": ["Days Absent"], "present": [""]}
    table = download(roster)
    assert [r["Row"] for r in table] == ["3", "4", "5", "6"]
    assert table[0]["Grade"] == "5" and table[0]["Student Name"] == "A. Lee" and table[0]["Chronic: LAUSD definition"] == "yes"
    assert "abc" in table[1]["Days Absent"] and "column E" in table[1]["Problem"]
    assert roster.watch.errors == []


def test_no_label_column_shows_the_table_and_the_download(roster) -> None:
    """The issue's first report: `Enrolled,Absent` broke the page after the summary."""
    paste(roster, "Enrolled,Absent\n180,17\n100,5\n")
    computed(roster)
    assert [r[:3] for r in table_rows(roster)] == [["2", "180", "17"], ["3", "100", "5"]]
    assert [r["Days enrolled (computed)"] for r in download(roster)] == ["180", "100"]
    assert roster.watch.errors == []


def test_the_column_step_changes_which_column_is_which(roster) -> None:
    paste(roster, "Pupil,Possible,Missed,Note\nA,180,17,x\nB,180,2,y\n")
    expect(roster.locator(f"{STEP} [data-error-for=columns]")).to_contain_text("no enrolled column")
    roster.get_by_label("Days enrolled", exact=True).select_option("Possible")
    roster.get_by_label("Days absent", exact=True).select_option("Missed")
    confirm(roster)
    assert "1 chronic" in summary_item(roster, "chronic_lausd")
    assert parse_qs(urlsplit(roster.url).query)["enrolled"] == ["Possible"]


def test_sort_filter_and_breakdown(roster) -> None:
    lines = ["Student,Grade,Days Enrolled,Days Absent"] + [f"S{i},{3 + i % 3},180,{i}" for i in range(30)] + ["Bad,3,180,x"]
    paste(roster, "\n".join(lines) + "\n")
    computed(roster)
    roster.get_by_role("button", name="Attendance rate").click()
    first = table_rows(roster)[0]
    assert first[1] == "S29" and first[4] == "83.89%"  # lowest attendance first
    assert roster.locator("th[aria-sort=ascending]").inner_text().startswith("Attendance rate")
    roster.get_by_label("Show").select_option("chronic")
    shown = table_rows(roster)
    expected = [i for i in range(30) if state_chronic(180, i) or lausd_chronic(180, i)]
    assert len(shown) == len(expected) and all("Chronic" in r for r in shown)
    assert roster.locator(".calc-roster-table tbody tr.calc-row-chronic").count() == len(expected)
    roster.get_by_label("Show").select_option("near")
    near = {r[0] for r in table_rows(roster)}
    # 180 days: LAUSD chronic from 15 absences (91% in whole percent), state from 18; within 2 days
    # of a line not yet crossed: 13, 14 (LAUSD) and 16, 17 (state).
    assert near == {str(i + 2) for i in (13, 14, 16, 17)}
    roster.get_by_label("Show").select_option("problems")
    assert [r[0] for r in table_rows(roster)] == ["32"]
    breakdown = roster.locator(".calc-breakdown-table")
    assert roster.get_by_label("Break down by").input_value() == "0"  # "Grade" guessed
    grade_three = breakdown.locator("tbody tr").first.inner_text().split("\t")
    chronic_three = sum(lausd_chronic(180, i) for i in range(0, 30, 3))
    assert grade_three[:2] == ["3", "10"] and grade_three[3].startswith(str(chronic_three))
    chart = roster.locator(".calc-breakdown svg[role=img] title").text_content() or ""
    assert chart.startswith("Students by LAUSD attendance band") and "Below Basic" in chart


def test_six_hundred_students_found_sorted_and_downloaded(roster, tmp_path: Path) -> None:
    """The issue's "done when": a 600-student file, the chronic ones sorted by attendance, downloaded."""
    rows = [(f"{5000 + i}", f"Student {i:03d}", f"{(i % 6) + 1}", 160 + i % 21, (i * 13) % 37) for i in range(600)]
    path = tmp_path / "school.csv"
    path.write_text("Student ID,Student Name,Grade,Days in Membership,Total Absences\n" + "".join(f"{a},{b},{c},{d},{e}\n" for a, b, c, d, e in rows), encoding="cp1252")
    choose(roster, path)
    computed(roster)
    roster.get_by_label("Show").select_option("chronic")
    roster.get_by_role("button", name="Attendance rate").click()
    chronic = [r for r in rows if state_chronic(r[3], r[4]) or lausd_chronic(r[3], r[4])]
    expect(roster.locator(".calc-rows-status")).to_contain_text(f"{len(chronic):,} rows")
    table = download(roster)
    assert len(table) == 600 and set(table[0]) >= {"Student ID", "Student Name", "Grade", "Attendance rate (%)"}
    flagged = {r["Student Name"] for r in table if "yes" in (r["Chronic: State definition"], r["Chronic: LAUSD definition"])}
    assert flagged == {r[1] for r in chronic}
    clear_file(roster)


def test_excel_encodings_are_read_and_named(roster, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Student Name\tDays Enrolled\tDays Absent\nJosé Núñez\t180\t17\n".encode("utf-16"))
    choose(roster, path)
    computed(roster)
    expect(roster.locator(STEP)).to_contain_text("Read as UTF-16 text")
    assert table_rows(roster)[0][1] == "José Núñez"
    clear_file(roster)


def test_xlsx_loads_its_reader_only_then_and_reads_the_sheet(roster, tmp_path: Path) -> None:
    import openpyxl  # pinned in requirements.lock: missing, the test fails (never skips)
    assert not any("openpyxl" in url for url in roster.watch.requests)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["District attendance"], ["Student ID", "Student Name", "Grade", "Days Enrolled", "Days Absent"], [1, "A. Lee", 5, 180, 17.5], [2, "B. Cruz", 5, 180, 2]):
        sheet.append(row)
    path = tmp_path / "district.xlsx"
    book.save(path)
    # Wait for the reader's request itself: the step may show before the request event reaches the test.
    with roster.expect_request(lambda request: "openpyxl" in request.url):
        choose(roster, path)
    computed(roster)
    expect(roster.locator(STEP)).to_contain_text("first sheet of the workbook")
    assert [r[:5] for r in table_rows(roster)] == [["3", "1", "A. Lee", "180", "17.5"], ["4", "2", "B. Cruz", "180", "2"]]
    # The Excel download is written by the same library, in the tab.
    with roster.expect_download() as info:
        roster.get_by_role("button", name="Download the results (Excel)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True).worksheets[0]
    written = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert written[1][:7] == [3, "1", "A. Lee", "5", "180", "17.5", 180] and written[2][3] == "5"
    assert roster.watch.foreign_requests == []
    clear_file(roster)


def test_a_file_with_no_absent_column_is_explained_in_the_column_step(roster, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("student,days enrolled\nA,180\n", encoding="utf-8")
    choose(roster, bad)
    expect(roster.locator(f"{STEP} [data-error-for=columns]")).to_contain_text("no absent column")
    roster.get_by_role("button", name="Calculate with these columns").click()
    message = roster.locator(f"{STEP} [data-error-for=columns]")
    message.wait_for(state="visible")
    assert "absent" in message.inner_text() and roster.locator("#result").count() == 0
    clear_file(roster)


def test_a_binary_file_is_explained_next_to_the_file_field(roster, tmp_path: Path) -> None:
    bad = tmp_path / "photo.csv"
    bad.write_bytes(bytes(range(256)) * 40)
    roster.get_by_label("Choose a CSV or Excel file").set_input_files(str(bad))
    message = roster.locator('[data-error-for="file"]')
    message.wait_for(state="visible")
    expect(message).to_contain_text("binary")
    assert roster.get_by_label("Choose a CSV or Excel file").get_attribute("aria-invalid") == "true"
    clear_file(roster)


def test_empty_paste_is_explained_next_to_the_text_box(roster) -> None:
    roster.get_by_label("Or paste the CSV text").fill("")
    roster.get_by_role("button", name="Read the roster").click()
    message = roster.locator('[data-error-for="csv"]')
    message.wait_for(state="visible")
    expect(message).to_contain_text("empty")
    assert roster.get_by_label("Or paste the CSV text").get_attribute("aria-invalid") == "true"


def test_ten_thousand_rows_all_reachable_without_any_request(roster, tmp_path: Path, base_url: str) -> None:
    rows = [(f"S{i}", 150 + i % 31, (i * 7) % 41) for i in range(10_000)]
    path = tmp_path / "roster.csv"
    path.write_text("student,days enrolled,days absent\n" + "".join(f"{s},{e},{a}\n" for s, e, a in rows), encoding="utf-8")
    expected_state = sum(state_chronic(e, a) for _, e, a in rows)
    expected_lausd = sum(lausd_chronic(e, a) for _, e, a in rows)
    before = len(roster.watch.requests)
    choose(roster, path)
    computed(roster)
    # Computing sent nothing, not even to this site (the browser may fetch the tab's icon meanwhile).
    assert [url for url in roster.watch.requests[before:] if not url.endswith("favicon.png")] == []
    assert summary_item(roster, "students").startswith("10,000 students")
    assert f"{expected_state:,} chronic" in summary_item(roster, "chronic_state")
    assert f"{expected_lausd:,} chronic" in summary_item(roster, "chronic_lausd")
    strict = sum(lausd_strict(e, a) for _, e, a in rows)
    assert f"read strictly (attendance rate 91% or below, read strictly): {strict:,} chronic" in summary_item(roster, "chronic_lausd")
    for name in ("Advanced", "Proficient", "Basic", "Below Basic", "Far Below Basic"):
        count = sum(band(e, a) == name for _, e, a in rows)
        row = roster.locator(f'.calc-band-counts [data-band="{name.lower().replace(" ", "_")}"]')
        assert row.locator("th").inner_text() == name and row.locator("td").last.inner_text() == f"{count:,}"
    page_field = roster.get_by_label("Page")
    page_field.fill("200")
    page_field.press("Enter")
    assert table_rows(roster)[-1][:2] == ["10,001", "S9999"]  # the last row is reachable
    table = download(roster)
    assert len(table) == 10_000
    by_label = {row["student"]: row for row in table}
    for label, enrolled, absent in rows[::997]:
        row = by_label[label]
        assert (row["days enrolled"], row["days absent"]) == (str(enrolled), str(absent))
        assert row["Chronic: State definition"] == ("yes" if state_chronic(enrolled, absent) else "no")
        assert row["Chronic: LAUSD definition"] == ("yes" if lausd_chronic(enrolled, absent) else "no")
        assert row["LAUSD band"] == band(enrolled, absent)
    clear_file(roster)


def test_a_spreadsheet_formula_in_a_label_stays_text_in_the_download(roster) -> None:
    paste(roster, 'student,enrolled,absent,note\n"=HYPERLINK(""x"")",180,3,@SUM(1)\n')
    computed(roster)
    [row] = download(roster)
    assert row["student"].startswith("'=") and row["note"].startswith("'@")


def test_no_request_to_any_other_host(roster, base_url: str) -> None:
    assert roster.watch.foreign_requests == []


def test_keyboard_only_paste_calculate_and_download(roster) -> None:
    roster.get_by_label("Choose a CSV or Excel file").focus()
    roster.keyboard.press("Tab")
    assert roster.evaluate("document.activeElement.name") == "csv"
    roster.keyboard.press("Control+A")
    roster.keyboard.type("student,enrolled,absent\nK,200,20\n")
    roster.keyboard.press("Tab")
    assert roster.evaluate("document.activeElement.textContent") == "Read the roster"
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
    assert "K,200,20" in Path(info.value.path()).read_text(encoding="utf-8-sig")


def test_before_the_page_is_ready_a_pasted_roster_goes_nowhere_and_a_chosen_file_is_read_once_it_is(browser: object, base_url: str) -> None:
    """A reader on a slow phone can paste or choose before the page's script has started. Pressing
    the button then must not send the form the browser's own way (the pasted roster would go to the
    server in the address), and a file chosen early is read once the script starts."""
    context, page = watched_page(browser, base_url)
    held: list[object] = []
    page.route("**/assets/js/calc-roster.mjs", lambda route: held.append(route))  # type: ignore[attr-defined]
    try:
        page.goto(PAGE)  # type: ignore[attr-defined]
        page.wait_for_function("() => document.querySelector('[data-calculator]')")  # type: ignore[attr-defined]
        expect(page.locator("[data-calculator]")).to_have_attribute("data-calc-initialised", "true")  # type: ignore[attr-defined]
        page.get_by_label("Or paste the CSV text").fill("student,days enrolled,days absent\nSecret Name,180,17\n")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Read the roster").click()  # type: ignore[attr-defined]
        page.set_input_files("#roster-file", files=[{"name": "early.csv", "mimeType": "text/csv", "buffer": b"student,days enrolled,days absent\nA. Early,180,18\n"}])  # type: ignore[attr-defined]
        assert len(held) == 1, "the page's roster script was not requested"
        held[0].continue_()  # type: ignore[attr-defined]
        expect(page.locator("[data-summary=students]")).to_contain_text("1 student computed")  # type: ignore[attr-defined]
        expect(page.locator("[data-calc-details]")).to_contain_text("A. Early")  # type: ignore[attr-defined]
        assert urlsplit(page.url).path == PAGE and "Secret" not in page.url  # type: ignore[attr-defined]
        assert not [u for u in page.watch.requests if "Secret" in u], "the pasted roster left the page"  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
