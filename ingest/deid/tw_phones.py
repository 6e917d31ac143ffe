"""Taiwan's telephone numbering plan, read from the metadata of the ``phonenumbers`` package.

``is_tw_phone`` answers what ``phonenumbers.is_valid_number_for_region(n, "TW")`` answers
(a test compares them), but matches the metadata's patterns directly instead of the
library's general-purpose walk, which made phone validation a fifth of the scrubber's time:
the patterns and possible lengths of all number types are compiled into one regular
expression, so a check is a single match.

One deliberate difference: a number of fewer than 8 digits after the trunk 0 is never a
phone. Every mobile and landline number has 9 or 10 digits with the 0 (02 + 8 local digits
in Taipei, 03 + 7 in Taoyuan …); the metadata also accepts 7-digit premium-rate and
toll-free forms (0202-3107), which nobody writes in a complaint, while an 8-digit string is
far more often a unified business number (統一編號).
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers

_NON_DIGIT = re.compile(r"\D")
SHORTEST_NATIONAL_NUMBER = 8  # digits after the trunk 0: 9 digits in all, as 03-765-4338
# Area codes (without the trunk 0) under which a number written without one may be valid.
AREA_CODES = ("2", "3", "37", "4", "49", "5", "6", "7", "8", "82", "826", "836", "89")


def _described(description: phonenumbers.PhoneNumberDesc) -> str:
    """A regex for the numbers of one description: its pattern, at one of its lengths."""
    lengths = "|".join(rf"\d{{{n}}}" for n in sorted(description.possible_length or ()))
    length_check = rf"(?=(?:{lengths})\Z)" if lengths else ""
    return f"{length_check}(?:{description.national_number_pattern})"


@cache
def _number_plan() -> re.Pattern[str]:
    """One pattern for the whole plan: the general description, then any number type."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("TW")
    number_types = (
        metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
        metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
        metadata.fixed_line, metadata.mobile,
    )  # fmt: skip
    any_type = "|".join(
        _described(d) for d in number_types if d is not None and d.national_number_pattern
    )
    return re.compile(rf"(?={_described(metadata.general_desc)}\Z)(?:{any_type})\Z")


def is_tw_phone(national_number: str) -> bool:
    """True when the digits after the trunk 0 (``912345678``) are a valid Taiwanese number."""
    return len(national_number) >= SHORTEST_NATIONAL_NUMBER and bool(
        _number_plan().match(national_number)
    )


def is_local_number(digits: str) -> bool:
    """True when ``digits`` (2457-3388, written without an area code) make a valid landline
    number under some area code."""
    local = _NON_DIGIT.sub("", digits)
    return not local.startswith("0") and any(is_tw_phone(code + local) for code in AREA_CODES)


def national_number(written: str) -> str:
    """The digits after the trunk 0 or the country code 886 (``+886 (0)2…`` → ``2…``)."""
    digits = _NON_DIGIT.sub("", written)
    if written.lstrip().startswith(("+", "886", "00886")):
        digits = digits.removeprefix("00").removeprefix("886")
    return digits.lstrip("0") or "0"
