"""The chronic-absence rules as typed config: each definition an exact test on the absence share,
LAUSD's attendance bands and the readings, from the bundled rules (policy_data/rules/chronic.yaml).

"attendance rate at most p%" is "absence share at least (100 - p)%"; a definition read in whole
percent (`rate_in: whole_percent`, reading `lausd_whole_percent`) moves its line first.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import rules
from .numbers import show
from .reasons import source_of
from .wording import say

# How each (measure, comparison) of the rules data reads as a test on the absence share.
_COMPARISONS = {
    ("absence_rate", "at_least"): (False, False),  # (measured on attendance?, strict?)
    ("absence_rate", "more_than"): (False, True),
    ("attendance_rate", "at_most"): (True, False),
    ("attendance_rate", "below"): (True, True),
}


# A rate read in whole percent, the fraction dropped: the comparison and percent it equals on the
# unrounded rate ("whole rate <= p" is "rate < p + 1"; "whole rate > p" is "rate >= p + 1").
_WHOLE_PERCENT = {"at_most": ("below", 1), "more_than": ("at_least", 1), "at_least": ("at_least", 0), "below": ("below", 0)}


@dataclass(frozen=True)
class Test:
    """chronic when absent * share_den >= share_num * enrolled (strict: >), all in steps."""

    share_num: int
    share_den: int
    strict: bool

    def is_chronic(self, absent: int, enrolled: int) -> bool:
        left, right = absent * self.share_den, self.share_num * enrolled
        return left > right if self.strict else left >= right

    def chronic_at(self, enrolled: int) -> int:
        """Fewest absences (in steps) that make `enrolled` steps chronic."""
        product = self.share_num * enrolled
        if self.strict:
            return product // self.share_den + 1
        return -(-product // self.share_den)


def _test(measure: str, comparison: str, percent: Fraction, ident: str) -> Test:
    key = (measure, comparison)
    if key not in _COMPARISONS:
        raise ValueError(f"chronic rule {ident}: unknown measure/comparison {key}")
    on_attendance, strict = _COMPARISONS[key]
    share = 1 - percent / 100 if on_attendance else percent / 100
    return Test(share.numerator, share.denominator, strict)


@dataclass(frozen=True)
class Definition:
    id: str
    name: str
    summary: str
    measure: str
    comparison: str
    percent: Fraction
    source: dict[str, Any]
    see: dict[str, Any] | None
    practice: tuple[dict[str, Any], ...]
    # the test applied (share_num, share_den, strict: see Test), after `rate_in`
    share_num: int
    share_den: int
    strict: bool
    # `rate_in: whole_percent`: the test on the rate as it is (the strict reading), else None
    literal: Test | None

    @property
    def test(self) -> Test:
        return Test(self.share_num, self.share_den, self.strict)

    def is_chronic(self, absent: int, enrolled: int) -> bool:
        left, right = absent * self.share_den, self.share_num * enrolled
        return left > right if self.strict else left >= right

    def chronic_at(self, enrolled: int) -> int:
        """Fewest absences (in steps) that make `enrolled` steps chronic."""
        return self.test.chronic_at(enrolled)

    def threshold_text(self, strictly: bool = False) -> str:
        """"attendance rate 91% or below, in whole percent", in the reader's language."""
        how = ""
        if self.literal is not None:
            how = say("chronic.threshold.how_strict" if strictly else "chronic.threshold.how_whole")
        key = "chronic.threshold.attendance" if self.measure == "attendance_rate" else "chronic.threshold.absence"
        return say(key, percent=show(self.percent), comparison=say(f"chronic.threshold.{self.comparison}"), how=how)


@dataclass(frozen=True)
class Band:
    id: str
    name: str
    low: int  # whole percent, inclusive
    high: int
    shown: str
    absences_in_year: str
    chronic: bool


@dataclass(frozen=True)
class Bands:
    items: tuple[Band, ...]
    by_percent: tuple[str, ...]  # whole percent 0..100 -> band id
    year_days: int
    source: dict[str, Any]
    disagreements: tuple[dict[str, Any], ...]

    def of(self, attended: int, enrolled: int) -> Band:
        """The band of an attendance rate, read in whole percent (reading `lausd_whole_percent`)."""
        band_id = self.by_percent[attended * 100 // enrolled]
        return next(item for item in self.items if item.id == band_id)


@dataclass(frozen=True)
class Config:
    definitions: tuple[Definition, ...]
    step: Fraction  # smallest part of a day that can be absent
    max_days: int  # the most days one school year holds (reading `school_year_days`)
    readings: dict[str, dict[str, Any]]
    bands: Bands
    practices: dict[str, dict[str, Any]]


def _definition(data: Mapping[str, Any]) -> Definition:
    percent = Fraction(str(data["percent"]))
    literal = _test(data["measure"], data["comparison"], percent, data["id"])
    applied, whole = literal, None
    if data.get("rate_in") == "whole_percent":
        comparison, shift = _WHOLE_PERCENT[data["comparison"]]
        applied = _test(data["measure"], comparison, percent + shift, data["id"])
        whole = literal
    elif data.get("rate_in") is not None:
        raise ValueError(f"chronic rule {data['id']}: unknown rate_in {data['rate_in']!r}")
    return Definition(
        id=data["id"],
        name=data["name"],
        summary=" ".join(data["summary"].split()),
        measure=data["measure"],
        comparison=data["comparison"],
        percent=percent,
        source=source_of(data["source"]),
        see=source_of(data["see"]) if data.get("see") else None,
        practice=tuple(dict(item) for item in data.get("practice", [])),
        share_num=applied.share_num,
        share_den=applied.share_den,
        strict=applied.strict,
        literal=whole,
    )


def _bands(data: Mapping[str, Any]) -> Bands:
    items = tuple(
        Band(item["id"], item["name"], int(item["from"]), int(item["to"]), item["shown"], item["absences_in_year"], bool(item["chronic"]))
        for item in data["items"]
    )
    by_percent = []
    for whole in range(101):
        found = [band.id for band in items if band.low <= whole <= band.high]
        if len(found) != 1:
            raise ValueError(f"chronic bands: {whole}% is in {len(found)} bands, not one")
        by_percent.append(found[0])
    return Bands(items, tuple(by_percent), int(data["year_days"]), source_of(data["source"]), tuple(dict(d) for d in data.get("disagreements", [])))


@functools.cache
def config() -> Config:
    data = rules.section("chronic")
    readings = {item["id"]: dict(item) for item in data["readings"]}
    return Config(
        definitions=tuple(_definition(item) for item in data["definitions"]),
        step=Fraction(str(readings["half_days"]["absence_step"])),
        max_days=int(readings["school_year_days"]["max_days"]),
        readings=readings,
        bands=_bands(data["bands"]),
        practices={item["id"]: dict(item) for item in data["practices"]},
    )
