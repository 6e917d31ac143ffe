"""Column rules: how each column of a dataset definition is published.

Specs (the ``deid:`` field of a column): ``keep``, ``drop``, ``pseudonym``,
``generalize:month|quarter|year|district|county``, ``band:0,10,100,1000``,
``mask:name|id|phone|plate`` and ``scrub``. ``parse_rule(spec)`` validates a spec once at load
time (``RuleError`` says what is wrong); ``ColumnRule.apply(value, key)`` returns the value to
publish. A value a rule cannot read (an unparseable date, an address without a known county)
is published as ``None``: nothing unrecognised leaks through a generalising rule.

Generalising rules also accept their own outputs (``2023-03`` → quarter ``2023-Q1``,
``基隆市仁愛區`` → ``基隆市``, band ``10–99`` → a wider band), so k-anonymity can climb a
hierarchy one level at a time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ingest.deid import gazetteer
from ingest.deid.dates import parse_date
from ingest.deid.lexicon import compound_surnames
from ingest.deid.pseudonyms import pseudonym
from ingest.deid.scrub import scrub
from ingest.deid.text_forms import normalise

MASK = "○"


class RuleError(ValueError):
    """A de-identification rule spec is malformed; the message says what is allowed."""


_KINDS = {
    "keep": (),
    "drop": (),
    "pseudonym": (),
    "scrub": (),
    "generalize": ("month", "quarter", "year", "district", "county"),
    "mask": ("name", "id", "phone", "plate"),
    "band": None,  # takes edges
}


@dataclass(frozen=True)
class ColumnRule:
    """One parsed rule; ``kind`` is the part before the colon, ``level`` what follows it."""

    kind: str
    level: str = ""
    edges: tuple[float, ...] = ()

    @property
    def publishes(self) -> bool:
        """False for ``drop``: the column is not written at all."""
        return self.kind != "drop"

    def apply(self, value: Any, key: bytes = b"") -> Any:
        """The published form of ``value`` (``key`` is the pseudonym key)."""
        if self.kind == "keep":
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == "drop":
            return None
        if self.kind == "pseudonym":
            return pseudonym(value, key)
        if self.kind == "scrub":
            return scrub(str(value)).text
        if self.kind == "generalize":
            return _GENERALIZERS[self.level](value)
        if self.kind == "band":
            return band(value, self.edges)
        return _MASKERS[self.level](str(value))


def parse_rule(spec: str) -> ColumnRule:
    """Parse a rule spec such as ``generalize:month`` or ``band:0,10,100``."""
    if not isinstance(spec, str) or not spec.strip():
        raise RuleError(f"empty de-identification rule; use one of {_allowed()}")
    kind, _, argument = spec.strip().partition(":")
    kind, argument = kind.strip(), argument.strip()
    if kind not in _KINDS:
        raise RuleError(f"unknown de-identification rule {spec!r}; use one of {_allowed()}")
    if kind == "band":
        return ColumnRule("band", edges=_parse_edges(spec, argument))
    levels = _KINDS[kind]
    if not levels:
        if argument:
            raise RuleError(f"rule {kind!r} takes no argument, got {spec!r}")
        return ColumnRule(kind)
    if argument not in levels:
        raise RuleError(f"rule {spec!r}: {kind} needs one of {', '.join(levels)}")
    return ColumnRule(kind, argument)


def _allowed() -> str:
    return (
        "keep, drop, pseudonym, scrub, generalize:month|quarter|year|district|county, "
        "band:EDGE,EDGE,..., mask:name|id|phone|plate"
    )


def _parse_edges(spec: str, argument: str) -> tuple[float, ...]:
    try:
        edges = tuple(float(part) for part in argument.split(","))
    except ValueError:
        raise RuleError(f"rule {spec!r}: band edges must be numbers, e.g. band:0,10,100") from None
    if len(edges) < 2 or list(edges) != sorted(set(edges)):
        raise RuleError(f"rule {spec!r}: give at least two increasing band edges")
    return edges


_PERIOD = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})|Q([1-4])))?\s*$")


def _period(value: Any) -> tuple[int, int | None, int | None] | None:
    """(year, month, quarter) of a date, datetime, or an earlier generalisation."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.year, value.month, (value.month - 1) // 3 + 1
    text = str(value)
    period = _PERIOD.match(text)
    if period:
        year, month, quarter = period.groups()
        if month:
            return int(year), int(month), (int(month) - 1) // 3 + 1
        return int(year), None, int(quarter) if quarter else None
    parsed = parse_date(text)
    if parsed is None:
        return None
    return parsed.year, parsed.month, (parsed.month - 1) // 3 + 1


def _to_month(value: Any) -> str | None:
    period = _period(value)
    return f"{period[0]:04d}-{period[1]:02d}" if period and period[1] else None


def _to_quarter(value: Any) -> str | None:
    period = _period(value)
    return f"{period[0]:04d}-Q{period[2]}" if period and period[2] else None


def _to_year(value: Any) -> str | None:
    period = _period(value)
    return f"{period[0]:04d}" if period else None


def _to_district(value: Any) -> str | None:
    division = gazetteer.find_division(str(value))
    return division.label if division and division.district else None


def _to_county(value: Any) -> str | None:
    division = gazetteer.find_division(str(value))
    return division.county if division else None


_GENERALIZERS = {
    "month": _to_month,
    "quarter": _to_quarter,
    "year": _to_year,
    "district": _to_district,
    "county": _to_county,
}


_LEADING_NUMBER = re.compile(r"^\s*([<≥]?)\s*(-?[\d,]*\.?\d+)")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    match = _LEADING_NUMBER.match(normalise(str(value)))
    if match is None:
        return None
    number = float(match.group(2).replace(",", ""))
    return number - 1e-9 if match.group(1) == "<" else number


def _edge(edge: float) -> str:
    return str(int(edge)) if edge.is_integer() else str(edge)


def band(value: Any, edges: tuple[float, ...]) -> str | None:
    """The band ``value`` falls in: ``10–99`` for [10, 100) with integer edges,
    ``<0`` below the first edge, ``1000+`` from the last. Band labels are accepted as input."""
    number = _number(value)
    if number is None:
        return None
    if number < edges[0]:
        return f"<{_edge(edges[0])}"
    if number >= edges[-1]:
        return f"{_edge(edges[-1])}+"
    for low, high in zip(edges, edges[1:], strict=False):
        if low <= number < high:
            integral = low.is_integer() and high.is_integer()
            upper = _edge(high - 1) if integral else f"<{_edge(high)}"
            return f"{_edge(low)}–{upper}"
    raise AssertionError("unreachable: edges cover every number")


def mask_name(value: str) -> str:
    """王小明 → 王○明, 王明 → 王○, 歐陽小明 → 歐陽○明."""
    name = value.strip()
    surname_length = 2 if name[:2] in compound_surnames() and len(name) > 2 else 1
    given = name[surname_length:]
    if len(given) <= 1:
        return name[:surname_length] + MASK * len(given)
    return name[:surname_length] + MASK * (len(given) - 1) + given[-1]


def mask_id(value: str) -> str:
    """A123456789 → A12****789."""
    text = normalise(value).strip()
    if len(text) <= 6:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 6) + text[-3:]


def mask_phone(value: str) -> str:
    """0912-345-678 → 0912-***-678; (02)2311-1234 → 02-*****234."""
    digits = re.sub(r"\D", "", normalise(value))
    if digits.startswith("886"):
        digits = "0" + digits[3:]
    if len(digits) < 7:
        return "*" * len(digits)
    if digits.startswith("09"):
        return f"{digits[:4]}-{'*' * (len(digits) - 7)}-{digits[-3:]}"
    area = 3 if digits[:3] in ("037", "049", "082", "089") else 2
    return f"{digits[:area]}-{'*' * (len(digits) - area - 3)}{digits[-3:]}"


def mask_plate(value: str) -> str:
    """ABC-1234 → ABC-**34; 123-ABC → *23-ABC (digits masked but the last two)."""
    text = normalise(value).strip().upper()
    digit_runs = list(re.finditer(r"\d+", text))
    if not digit_runs:
        return "*" * len(text)
    run = max(digit_runs, key=lambda m: len(m.group()))
    masked = "*" * max(len(run.group()) - 2, 1) + run.group()[max(len(run.group()) - 2, 1) :]
    return text[: run.start()] + masked + text[run.end() :]


_MASKERS = {"name": mask_name, "id": mask_id, "phone": mask_phone, "plate": mask_plate}
