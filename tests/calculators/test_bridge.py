"""The browser bridge: JSON in, JSON out, the same result as the CLI."""
from __future__ import annotations

import json

import pytest

from calculators import bridge

from calc_helpers import run_cli


def call(request: object) -> dict[str, object]:
    out: dict[str, object] = json.loads(bridge.handle(json.dumps(request)))
    return out


def test_result_is_what_the_cli_prints() -> None:
    response = call({"calculator": "chronic", "input": {"enrolled": 180, "absent": 17, "days_left": 20}})
    printed = json.loads(run_cli("chronic", "--enrolled", "180", "--absent", "17", "--days-left", "20", "--json").stdout)
    assert response == {"ok": True, "result": printed}


def test_numbers_as_text_work_like_numbers() -> None:
    assert call({"calculator": "chronic", "input": {"enrolled": "180", "absent": "17"}}) == call({"calculator": "chronic", "input": {"enrolled": 180, "absent": 17}})


@pytest.mark.parametrize(
    ("request_text", "field"),
    [
        ("not json", "request"),
        ("[1]", "request"),
        ('{"calculator": "nope", "input": {}}', "calculator"),
        ('{"calculator": "chronic", "input": 3}', "input"),
        ('{"calculator": "chronic", "input": {"enrolled": 180, "absent": 200}}', "absent"),
        ('{"calculator": "roster", "input": {}}', "csv"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field(request_text: str, field: str) -> None:
    response = json.loads(bridge.handle(request_text))
    assert response["ok"] is False and response["error"]["field"] == field and response["error"]["message"]


def test_roster_row_errors_stay_in_the_result() -> None:
    response = call({"calculator": "roster", "input": {"csv": "enrolled,absent\n10,20\n"}})
    assert response["ok"] is True
    assert response["result"]["errors"][0]["row"] == 2  # type: ignore[index]
