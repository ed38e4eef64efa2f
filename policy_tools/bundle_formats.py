"""Prepare step: `calculators/formats.json`, the number and date formats of each language (issue 14).

The calculators write numbers, percentages and dates the reader's way ("91,67 %" in Spanish).
The formats come from Babel (CLDR), the ecosystem's locale library, but Babel's wheel is about
11 MB (locale data for every language), too much to send to a phone for two languages. So this
step reads, at build time, only what the calculators use for each language of the site, and the
wheel ships that (a few kilobytes); `calculators.formats` applies it, and
tests/calculators/test_formats.py checks the result against Babel itself.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from policy_tools.files import write_if_changed

LANGUAGES = ("en", "es")
OUT = Path("calculators") / "formats.json"
# CLDR skeletons: a short date with the weekday ("lun, 7 oct 2024") and a long date without it.
DATE_SKELETON = "yMMMEd"
LONG_DATE_SKELETON = "yMMMMd"


def _affixes(pattern: str) -> tuple[str, str]:
    """'#,##0\xa0%' -> ('', '\xa0%'): what CLDR writes before and after the number."""
    digits = "#,0."
    start = next(i for i, ch in enumerate(pattern) if ch in digits)
    end = max(i for i, ch in enumerate(pattern) if ch in digits) + 1
    return pattern[:start], pattern[end:]


def formats_for(lang: str) -> dict[str, Any]:
    from babel import Locale  # build time only: the wheel carries the data, not Babel

    locale = Locale.parse(lang)
    symbols = locale.number_symbols["latn"]
    percent_prefix, percent_suffix = _affixes(locale.percent_formats[None].pattern)
    return {
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "percent_prefix": percent_prefix,
        "percent_suffix": percent_suffix,
        "date": locale.datetime_skeletons[DATE_SKELETON].pattern,
        "long_date": locale.datetime_skeletons[LONG_DATE_SKELETON].pattern,
        # Monday first, as Python's date.weekday() counts.
        "days_abbreviated": [locale.days["format"]["abbreviated"][i] for i in range(7)],
        "days_wide": [locale.days["format"]["wide"][i] for i in range(7)],
        "months_abbreviated": [locale.months["format"]["abbreviated"][i] for i in range(1, 13)],
        "months_wide": [locale.months["format"]["wide"][i] for i in range(1, 13)],
        # "{0} y {1}": how a list of two or more ends ("funeral y duelo").
        "list_two": locale.list_patterns["standard"]["2"],
        "list_start": locale.list_patterns["standard"]["start"],
        "list_middle": locale.list_patterns["standard"]["middle"],
        "list_end": locale.list_patterns["standard"]["end"],
    }


def build() -> dict[str, Any]:
    import babel

    return {"source": f"Babel {babel.__version__}", "languages": {lang: formats_for(lang) for lang in LANGUAGES}}


def run(root: Path) -> None:
    text = json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_if_changed(root / OUT, text)


if __name__ == "__main__":
    run(Path(__file__).resolve().parents[1])
    print(f"bundle_formats: {OUT}", file=sys.stderr)
