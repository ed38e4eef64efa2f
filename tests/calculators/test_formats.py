"""Numbers, percentages, dates and lists in the reader's language (issue 14), checked against Babel.

The wheel ships only the formats data Babel gives for our languages (calculators/formats.json);
these tests hold `calculators.formats` to Babel's own output, so the data and its use stay right."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from calculators import formats
from policy_tools import bundle_formats

NUMBERS = [0, 1, 7, 17.5, 91.67, 90.995, 100, 1234, 1234.5, 366, 12345678.25, 0.5]
DAYS = [datetime.date(2024, 10, 7) + datetime.timedelta(days=n) for n in range(0, 400, 13)]


def test_the_issue_examples_in_spanish() -> None:
    assert formats.percent(91.67, "es") == "91,67\u00a0%"
    assert formats.number(17.5, "es") == "17,5"
    assert formats.date("2024-10-07", "es") == "lun, 7 oct 2024"
    assert formats.long_date("2024-08-12", "es") == "12 de agosto de 2024"
    assert formats.percent(91.67, "en") == "91.67%"


@pytest.mark.parametrize("lang", formats.LANGUAGES)
@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_and_percentages_are_written_as_babel_writes_them(lang: str, value: float) -> None:
    assert formats.number(value, lang) == format_decimal(value, locale=lang, decimal_quantization=False)
    assert formats.percent(value, lang) == format_percent(Decimal(str(value)) / 100, locale=lang, decimal_quantization=False)


@pytest.mark.parametrize("lang", formats.LANGUAGES)
def test_dates_are_written_as_babel_writes_them(lang: str) -> None:
    for day in DAYS:
        assert formats.date(day, lang) == format_skeleton(bundle_formats.DATE_SKELETON, day, locale=lang)
        assert formats.long_date(day, lang) == format_skeleton(bundle_formats.LONG_DATE_SKELETON, day, locale=lang)


@pytest.mark.parametrize("lang", formats.LANGUAGES)
def test_lists_are_joined_as_babel_joins_them(lang: str) -> None:
    for items in (["a"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d", "e"]):
        assert formats.join(items, lang) == format_list(items, locale=lang)


def test_the_bundle_in_the_wheel_is_what_babel_gives(root: Path) -> None:
    bundled = root / "calculators" / "formats.json"
    assert bundled.is_file(), "calculators/formats.json is not built: run ./scripts/build"
    assert json.loads(bundled.read_text(encoding="utf-8")) == bundle_formats.build()
    # Small: the point of bundling our two languages instead of Babel's 11 MB wheel.
    assert bundled.stat().st_size < 8_000
