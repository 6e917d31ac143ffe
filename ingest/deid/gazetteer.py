"""Taiwan's administrative divisions: 22 counties and 368 districts, and finding them in text.

The list ships in ``data/gazetteer.json``. Names are canonical with 臺; 台 and Simplified
spellings are accepted when matching, and every match is reported in canonical form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ingest.deid.lexicon import simplified
from ingest.deid.text_forms import alternation


@dataclass(frozen=True)
class Division:
    """A county and/or district found in text; ``start``/``end`` span the matched text."""

    county: str | None
    district: str | None
    start: int
    end: int

    @property
    def label(self) -> str:
        """County followed by district, as far as known (``基隆市仁愛區``)."""
        return (self.county or "") + (self.district or "")


@cache
def counties() -> dict[str, list[str]]:
    """Canonical county name → its districts, in the shipped order."""
    text = resources.files("ingest.deid").joinpath("data/gazetteer.json").read_text("utf-8")
    return json.loads(text)["counties"]


def spellings(name: str) -> set[str]:
    """Every accepted written form of a division name (臺/台, Traditional/Simplified)."""
    forms = {name, name.replace("臺", "台")}
    return forms | {simplified(form) for form in forms}


@cache
def _canonical() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]:
    county_of_spelling: dict[str, str] = {}
    district_of_spelling: dict[str, str] = {}
    counties_of_district: dict[str, list[str]] = {}
    for county, districts in counties().items():
        for form in spellings(county):
            county_of_spelling[form] = county
        for district in districts:
            counties_of_district.setdefault(district, []).append(county)
            for form in spellings(district):
                district_of_spelling[form] = district
    return (
        county_of_spelling,
        district_of_spelling,
        {d: tuple(c) for d, c in counties_of_district.items()},
    )


@cache
def county_pattern() -> str:
    """Regex matching every county spelling."""
    return alternation(_canonical()[0])


@cache
def district_pattern() -> str:
    """Regex matching every district spelling."""
    return alternation(_canonical()[1])


@cache
def _division_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<county>{county_pattern()})(?P<district>{district_pattern()})?"
        rf"|(?P<alone>{district_pattern()})"
    )


def canonical_county(spelling: str) -> str | None:
    return _canonical()[0].get(spelling)


def canonical_district(spelling: str) -> str | None:
    return _canonical()[1].get(spelling)


def _resolve(county_text: str | None, district_text: str | None) -> tuple[str | None, str | None]:
    county = canonical_county(county_text) if county_text else None
    district = canonical_district(district_text) if district_text else None
    if district is None:
        return county, None
    owners = _canonical()[2][district]
    if county is not None and county not in owners:
        return county, None
    if county is None and len(owners) == 1:
        county = owners[0]
    return county, district


def find_division(text: str) -> Division | None:
    """The first county/district written in ``text``; ``None`` when there is none.

    A district named without its county gets the county when the name is unique
    (``暖暖區`` → 基隆市); a shared name (``中正區``) is reported without a county.
    """
    for match in _division_re().finditer(text):
        county, district = _resolve(
            match.group("county"), match.group("district") or match.group("alone")
        )
        if county or district:
            return Division(county, district, match.start(), match.end())
    return None


@cache
def _all_spellings() -> frozenset[str]:
    county_of_spelling, district_of_spelling, _ = _canonical()
    return frozenset(county_of_spelling) | frozenset(district_of_spelling)


_NAME_LENGTHS = (4, 3, 2)  # county names have 3 characters, district names 2 to 4


def division_ending_at(text: str, end: int) -> int | None:
    """Where the county or district name that ends at ``text[end]`` starts, if one does."""
    spellings = _all_spellings()
    for length in _NAME_LENGTHS:
        if end - length >= 0 and text[end - length : end] in spellings:
            return end - length
    return None


@cache
def _place_name() -> re.Pattern[str]:
    """Any county or district name, or a county's short name; the longest one wins."""
    short_names = {form for county in counties() for form in spellings(county[:-1])}
    return re.compile(alternation(_all_spellings() | short_names))


def overlaps_place_name(text: str, start: int, end: int) -> bool:
    """True when a county or district name, or a county's short name (高雄, 基隆, 台北…),
    written in ``text`` overlaps ``text[start:end]``."""
    longest = max(_NAME_LENGTHS)
    position = max(0, start - longest + 1)
    while match := _place_name().search(text, position, end + longest - 1):
        if match.start() >= end:
            return False
        if match.end() > start:
            return True
        position = match.start() + 1
    return False


@cache
def _short_district_names() -> frozenset[str]:
    """District names without their 區, 鄉, 鎮 or 市 (林口, 萬華), in every spelling."""
    return frozenset(
        form
        for districts in counties().values()
        for district in districts
        if len(district) > 2
        for form in spellings(district[:-1])
    )


def is_short_district_name(word: str) -> bool:
    """True when ``word`` is a district's name written without its suffix (我是林口的居民)."""
    return word in _short_district_names()
