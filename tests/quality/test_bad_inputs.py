"""Bad input, end to end: every case of bad_inputs.yaml through the CLI and through the page.

The CLI must exit 2 with one line on stderr naming the field; the page must show the same kind of
message next to that field. Nothing may crash or hang, and a roster never loses its good rows.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from calculators import bridge
from policy_tools import quality, validate
from tests.conftest import RESET, ROOT, open_address

TABLE: dict[str, Any] = yaml.safe_load((Path(__file__).with_name("bad_inputs.yaml")).read_text(encoding="utf-8"))
TIMEOUT_S = 60


def expand(value: Any) -> str:
    if isinstance(value, dict):
        return str(value["repeat"]) * int(value["times"])
    return str(value)


def file_bytes(spec: Any) -> bytes:
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "nested" in spec:
        return b"[" * int(spec["nested"]) + b"]" * int(spec["nested"])
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "cp1252" in spec:
        return str(spec["cp1252"]).encode("cp1252")
    if "utf16" in spec:
        return str(spec["utf16"]).encode("utf-16")
    rng = random.Random(4926)  # seeded: a failure repeats
    if "random_bytes" in spec:
        return rng.randbytes(int(spec["random_bytes"]))
    lines = [spec["header"]]
    size = len(spec["header"])
    junk = string.ascii_letters + string.digits + ",.;-\"' "
    while size < int(spec["random_lines"]):
        # choices(k=) draws a line at once: a character at a time took 3 s for 5 MB.
        lines.append("".join(rng.choices(junk, k=rng.randint(0, 80))))
        size += len(lines[-1]) + 1
    return "\n".join(lines).encode("utf-8")


def cases(where: str) -> Iterator[Any]:
    skip = "page_only" if where == "cli" else "cli_only"
    for calculator, spec in TABLE.items():
        if "page" not in spec:
            continue  # the bridge and policy_data tables have their own tests below
        for case in spec["cases"]:
            if not case.get(skip):
                yield pytest.param(calculator, case, id=f"{calculator}: {case['name']}")


def is_error(case: dict[str, Any]) -> bool:
    return "keep" not in case


# A control character from the input (ESC starts a terminal escape sequence) must never reach
# the terminal; tab and line feed are the output's own.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_says(case: dict[str, Any], shown: str) -> None:
    for words in case.get("says", []):
        assert words in shown, f"{words!r} not in the output"
    for words in case.get("never_says", []):
        assert words not in shown, f"{words!r} in the output"


# --- the CLI ----------------------------------------------------------------------------------


def cli_args(calculator: str, case: dict[str, Any], tmp_path: Path) -> list[str]:
    if "file" in case or calculator in ("roster", "excused"):
        path = tmp_path / ("input.csv" if calculator == "roster" else "input.json")
        path.write_bytes(file_bytes(case["file"]) if "file" in case else json.dumps(case["input"]).encode())
        return [str(path)]
    return [arg for name, value in case["input"].items() for arg in (f"--{name.replace('_', '-')}", expand(value))]


@pytest.mark.parametrize(("calculator", "case"), list(cases("cli")))
def test_bad_input_through_the_cli(calculator: str, case: dict[str, Any], tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "calculators", calculator, *cli_args(calculator, case, tmp_path)],
        capture_output=True, text=True, timeout=TIMEOUT_S, cwd=ROOT,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert not CONTROL.search(run.stdout + run.stderr), f"a control character reached the terminal: {(run.stdout + run.stderr)[:300]!r}"
    if is_error(case):
        lines = run.stderr.splitlines()
        assert run.returncode == 2, f"exit {run.returncode}, expected 2 (stdout: {run.stdout[:300]!r})"
        # One line per problem (a calculator that finds several at once lists them all).
        assert lines and all(line.startswith("error: ") for line in lines), f"expected error lines on stderr, got {lines}"
        named = [line for line in lines if line.startswith(f"error: {case['field']}: ")]
        assert len(named) == 1, f"expected one line for {case['field']}, got {lines}"
        for part in case["message"]:
            assert part in named[0], f"{part!r} not in {named[0]!r}"
        assert run.stdout == ""
        return
    assert run.returncode == 0, run.stderr
    for label in case["keep"]:
        assert re.search(rf"^\s*\d+\s+{re.escape(label)}\s", run.stdout, re.M), f"good row {label!r} lost"
    if "students" in case:
        assert re.search(rf"\b{case['students']} students? computed", run.stdout), run.stdout[-500:]
    for parts in case.get("rows", []):
        assert any(all(p in line for p in parts) for line in run.stdout.splitlines()), f"no row error {parts}"
    check_says(case, run.stdout)


# --- the pages --------------------------------------------------------------------------------


# Done when an error shows, a result shows, or the calculator says it could not start.
OUTCOME = """() => Boolean(
  [...document.querySelectorAll("[data-error-for]:not([hidden]), [data-form-error]:not([hidden])")].some((e) => e.innerText.trim())
  || document.querySelector("[data-calc-result] #result") || document.querySelector(".calc-status-failed"))"""

STEP_OR_OUTCOME = OUTCOME.replace("() => Boolean(", "() => Boolean(document.querySelector('[data-column-step]') ||", 1)

SHOWN = """() => ({
  errors: Object.fromEntries([...document.querySelectorAll("[data-error-for]:not([hidden]), [data-form-error]:not([hidden])")]
    .map((e) => [e.dataset.errorFor ?? "(form)", e.innerText.trim()]).filter(([, text]) => text)),
  result: document.querySelector("[data-calc-result] #result") ? document.querySelector("[data-calc-result]").innerText : null,
  details: document.querySelector("[data-calc-details]")?.innerText ?? "",
  failed: document.querySelector(".calc-status-failed")?.innerText ?? null,
})"""


def excused_address(data: dict[str, Any]) -> str:
    """The address the excused page reads its inputs from (as its own links write it)."""
    calendar = data.get("calendar", {})
    pairs = [(name, calendar[name]) for name in ("first_day", "second_semester_start", "last_day") if name in calendar]
    if calendar.get("non_school_days"):
        pairs.append(("non_school_days", ",".join(calendar["non_school_days"])))
    for absence in data.get("absences", []):
        when = absence["date"] + (f"/{absence['last_date']}" if absence.get("last_date") else "")
        pairs.append(("absence", ",".join([when, *(str(absence[k]) for k in ("reason", "incident") if k in absence)])))
    return "?" + urlencode(pairs)


@pytest.fixture(scope="module")
def pages(browser, base_url: str, site_dir: Path) -> Iterator[dict[str, Any]]:
    """One page per calculator, loaded once: cases are filled in where the page allows it."""
    context = browser.new_context(service_workers="block")  # see conftest.watched_page
    opened: dict[str, Any] = {}

    def open_page(calculator: str) -> Any:
        if calculator not in opened:
            path = TABLE[calculator]["page"]
            # A calculator page missing from the build is a failure, never a reason to skip.
            assert (site_dir / path.strip("/") / "index.html").is_file(), f"the build has no page {path}"
            page = context.new_page()
            page.watch = quality.watch(page, base_url)
            page.goto(base_url + path)
            opened[calculator] = page
        return opened[calculator]

    yield {"open": open_page}
    context.close()


def bring_case(page: Any, base_url: str, calculator: str, case: dict[str, Any]) -> None:
    path = TABLE[calculator]["page"]
    if calculator == "chronic":
        page.evaluate(RESET)
        for name in ("enrolled", "absent", "days_left"):
            page.fill(f"form [name='{name}']", expand(case["input"].get(name, "")))
        page.click("form button[type=submit]")
    elif calculator == "roster":
        page.evaluate(RESET)
        page.set_input_files("#roster-file", files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": file_bytes(case["file"])}])
        # Columns recognised: computed at once. Otherwise the column step waits: confirm it as
        # offered (unless it already names a problem).
        page.wait_for_function(STEP_OR_OUTCOME, timeout=TIMEOUT_S * 1000)
        waiting = "[data-column-step]:not([data-computed])"
        if page.locator(waiting).count() and not page.locator(f"{waiting} [data-error-for]:not([hidden])").count():
            page.click(f"{waiting} button[type=submit]")
    else:
        if calculator == "excused":
            address = case.get("address") or excused_address(case["input"])
        else:
            address = case.get("address") or "?" + urlencode(case["input"])
        open_address(page, base_url + path + address)


@pytest.mark.browser
@pytest.mark.parametrize(("calculator", "case"), list(cases("page")))
def test_bad_input_through_the_page(pages, base_url: str, calculator: str, case: dict[str, Any]) -> None:
    page = pages["open"](calculator)
    page.watch.console_errors.clear()
    page.watch.page_errors.clear()
    bring_case(page, base_url, calculator, case)
    page.wait_for_function(OUTCOME, timeout=TIMEOUT_S * 1000)
    # The roster's table and breakdown ask Python again once the summary shows (aria-busy while
    # they wait). Left running, that work delays the next case's file in the same worker: a
    # random-order run once timed out behind the 5 MB case's table.
    page.wait_for_function("() => !document.querySelector('[aria-busy=\"true\"]')", timeout=TIMEOUT_S * 1000)
    shown = page.evaluate(SHOWN)
    assert shown["failed"] is None, shown["failed"]
    assert page.watch.page_errors == [] and page.watch.console_errors == [], page.watch.page_errors + page.watch.console_errors
    if is_error(case):
        field = case.get("page_field", case["field"])
        assert field in shown["errors"], f"no message next to {field!r}; shown: {shown['errors']} result: {bool(shown['result'])}"
        for part in case["message"]:
            assert part in shown["errors"][field], f"{part!r} not in {shown['errors'][field]!r}"
        assert shown["result"] is None, "a result is shown for bad input"
        return
    assert shown["errors"] == {}, shown["errors"]
    assert shown["result"] is not None
    for label in case["keep"]:
        assert label in shown["details"], f"good row {label!r} lost"
    if "students" in case:
        assert re.search(rf"\b{case['students']} students? computed", shown["result"]), shown["result"]
    for parts in case.get("rows", []):
        assert any(all(p in line for p in parts) for line in shown["details"].splitlines()), f"no row error {parts}"
    check_says(case, shown["result"])


# --- the bridge (the page's one function) -----------------------------------------------------


@pytest.mark.parametrize("case", TABLE["bridge"]["cases"], ids=lambda case: case["name"])
def test_bad_request_through_the_bridge(case: dict[str, Any]) -> None:
    request = case["request"] if "request" in case else "[" * case["nested"] + "]" * case["nested"]
    answer = json.loads(bridge.handle(request))
    assert answer["ok"] is False, answer
    assert answer["error"]["field"] == case["field"], answer["error"]
    for part in case["message"]:
        assert part in answer["error"]["message"], f"{part!r} not in {answer['error']['message']!r}"
    for words in case.get("never_says", []):
        assert words not in answer["error"]["message"]


# --- policy_data (validation: file, line, field, what to do) -----------------------------------


@pytest.fixture(scope="module")
def clean_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("clean") / "policy_data"
    shutil.copytree(ROOT / "policy_data", copy)
    return copy


def edit(data: Path, case: dict[str, Any]) -> int:
    """Apply the case's edit; return the line the edit starts on."""
    path = data / case["file"]
    text = path.read_text(encoding="utf-8")
    match = re.search(case["find"] if case.get("regex") else re.escape(case["find"]), text)
    assert match, f"{case['find']!r} is not in {case['file']} any more: update the case"
    edited = text[: match.start()] + case["replace"] + text[match.end() :]
    path.write_bytes(edited.encode(case.get("encoding", "utf-8")))
    return text.count("\n", 0, match.start()) + 1 + (case["replace"][:1] == "\n" and case["find"].startswith("\\n"))


@pytest.mark.parametrize("case", TABLE["policy_data"]["cases"], ids=lambda case: case["name"])
def test_bad_policy_data_is_reported_with_file_line_and_field(case: dict[str, Any], clean_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "policy_data"
    shutil.copytree(clean_data, data)
    line = edit(data, case)
    at = case.get("at")
    if at:
        lines = (data / at["file"]).read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(lines, start=1) if text.rstrip() == at["text"])
    problems = validate.check(tmp_path)  # never raises: every problem is a PolicyDataError
    where = data / (at["file"] if at else case["file"])
    found = [p for p in problems if p.file == where and p.line == line and p.field == case["field"]]
    assert found, f"no problem at {where.name} line {line} `{case['field']}`; reported: {[str(p) for p in problems]}"
    text = str(found[0])
    assert text.startswith(f"{where} line {line}: "), text
    for part in case["message"]:
        assert part in found[0].message, f"{part!r} not in {found[0].message!r}"
