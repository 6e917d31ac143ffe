"""Dates as Taiwanese records write them: ISO (2023-03-15), slashes, ROC (112/03/15, 民國112年3月15日).

ROC years are Gregorian minus 1911. ``DATE_PATTERN`` is shared with the birth-date detector;
``parse_date`` turns one written date into a ``datetime.date``. ``CHINESE_NUMERAL_DATE_PATTERN``
matches the same dates in Chinese numerals (民國七十四年三月十五日, 二〇二三年五月二日), as
formal letters write them; only the birth-date detector needs it.
"""

from __future__ import annotations

import re
from datetime import date

ROC_OFFSET = 1911

DATE_PATTERN = (
    r"(?:民國|民国)?\s*(?P<year>\d{2,4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)"
    r"\s*(?P<day>\d{1,2})\s*日?"
)
_DATE_RE = re.compile(DATE_PATTERN)
_CHINESE_DIGIT = "[〇○零一二三四五六七八九十百]"
CHINESE_NUMERAL_DATE_PATTERN = (
    rf"(?:民國|民国)?\s*{_CHINESE_DIGIT}{{2,4}}\s*年\s*{_CHINESE_DIGIT}{{1,3}}\s*月"
    rf"\s*{_CHINESE_DIGIT}{{1,3}}\s*日"
)


def _full_year(written: int) -> int:
    return written + ROC_OFFSET if written < 1000 else written


def parse_date(text: str) -> date | None:
    """The date written in ``text`` (ISO, Gregorian or ROC), or ``None`` if there is none."""
    match = _DATE_RE.search(text.strip())
    if match is None:
        return None
    try:
        return date(_full_year(int(match["year"])), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
