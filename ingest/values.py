"""Typed values from raw source cells: text, integer, real, date, datetime, boolean.

Dates may be ISO or ROC (民國) as the branch's systems write them — ``112/03/15``,
``112-3-15``, ``1120315``, ``民國112年3月15日`` — and come out as ISO ``2023-03-15``.
A cell that does not fit its type raises ``ValueProblem`` with a reason a clerk can act on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ROC_OFFSET = 1911
TAIPEI = ZoneInfo("Asia/Taipei")

_SEPARATED = re.compile(
    r"(?:民國|民国)?\s*(?P<year>\d{2,4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)"
    r"\s*(?P<day>\d{1,2})\s*日?"
)
_COMPACT = re.compile(r"(?P<year>\d{3,4})(?P<month>\d{2})(?P<day>\d{2})")
_INTEGER = re.compile(r"[+-]?\d+")
_TRUE = {"true", "1", "y", "yes", "是", "有", "t"}
_FALSE = {"false", "0", "n", "no", "否", "無", "f"}


class ValueProblem(ValueError):
    """A cell cannot be read as its declared type; the message says why."""


def parse_date(text: str, *, allow_roc: bool = True) -> date:
    """A whole-cell date in ISO or ROC form; 2–3 digit years are ROC, 4-digit years Gregorian."""
    cleaned = text.strip()
    match = _SEPARATED.fullmatch(cleaned) or _COMPACT.fullmatch(cleaned)
    if match is None:
        raise ValueProblem(f"{text!r} is not a date (expected e.g. 112/03/15 or 2023-03-15)")
    year = int(match["year"])
    if len(match["year"]) < 4:
        if not allow_roc:
            raise ValueProblem(f"{text!r} is an ROC date but this source uses ISO dates")
        year += ROC_OFFSET
    try:
        return date(year, int(match["month"]), int(match["day"]))
    except ValueError as exc:
        raise ValueProblem(f"{text!r} is not a real date ({exc})") from exc


def to_utc_iso(moment: datetime) -> str:
    """UTC ISO 8601 with offset; a naive time is taken as Asia/Taipei local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TAIPEI)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def coerce(raw: object, column_type: str, *, allow_roc: bool = True) -> object:
    """The typed value of one raw cell (``None`` for an empty cell)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw:
            return None
        if column_type == "text":
            return raw
    return _COERCERS[column_type](raw, allow_roc)


def _text(raw: object, _allow_roc: bool) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def _integer(raw: object, _allow_roc: bool) -> int:
    if isinstance(raw, bool):
        raise ValueProblem(f"{raw!r} is not an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if not _INTEGER.fullmatch(text):
        raise ValueProblem(f"{text!r} is not an integer")
    return int(text)


def _real(raw: object, _allow_roc: bool) -> float:
    if isinstance(raw, bool):
        raise ValueProblem(f"{raw!r} is not a number")
    try:
        return float(raw if isinstance(raw, int | float) else str(raw).strip())
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not a number") from exc


def _date(raw: object, allow_roc: bool) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return parse_date(str(raw), allow_roc=allow_roc).isoformat()


def _datetime(raw: object, _allow_roc: bool) -> str:
    if isinstance(raw, datetime):
        return to_utc_iso(raw)
    try:
        return to_utc_iso(datetime.fromisoformat(str(raw).strip()))
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not an ISO 8601 date and time") from exc


def _boolean(raw: object, _allow_roc: bool) -> int:
    if isinstance(raw, bool):
        return int(raw)
    text = str(raw).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise ValueProblem(f"{raw!r} is not a yes/no value (true/false, 是/否, 1/0)")


_COERCERS = {
    "text": _text,
    "integer": _integer,
    "real": _real,
    "date": _date,
    "datetime": _datetime,
    "boolean": _boolean,
}
