"""Checksum validators for Taiwanese identifiers: national ID, resident numbers (UI), UBN.

Rules as in the reference ``pii-formats.md``: a national ID is ``[A-Z][12]\\d{8}``; a resident
(UI) number is ``[A-Z][89]\\d{8}`` (new, since 2021) or ``[A-Z][A-D]\\d{8}`` (old); both share
the national ID checksum. A unified business number (統一編號) is 8 digits with the MOF
weighted digit-sum rule (mod 5 since 2023-04-01; the old mod 10 rule is a subset).
"""

from __future__ import annotations

import re

_LETTER_CODES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29]
        + [32, 30, 31, 33],
        strict=True,
    )
)
_ID_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
_UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)

_NATIONAL_ID = re.compile(r"[A-Z][12]\d{8}")
_RESIDENT_NEW = re.compile(r"[A-Z][89]\d{8}")
_RESIDENT_OLD = re.compile(r"[A-Z][A-D]\d{8}")
_UBN = re.compile(r"\d{8}")


def _id_checksum_ok(value: str) -> bool:
    first = _LETTER_CODES[value[0]]
    second = _LETTER_CODES[value[1]] % 10 if value[1].isalpha() else int(value[1])
    digits = [first // 10, first % 10, second, *(int(c) for c in value[2:])]
    return sum(d * w for d, w in zip(digits, _ID_WEIGHTS, strict=True)) % 10 == 0


def is_national_id(value: str) -> bool:
    """True for a checksum-valid 國民身分證統一編號 such as ``A123456789``."""
    return bool(_NATIONAL_ID.fullmatch(value)) and _id_checksum_ok(value)


def is_resident_id_new(value: str) -> bool:
    """True for a checksum-valid new-format 統一證號 (second character 8 or 9)."""
    return bool(_RESIDENT_NEW.fullmatch(value)) and _id_checksum_ok(value)


def is_resident_id_old(value: str) -> bool:
    """True for a checksum-valid old-format 統一證號 (second character A–D)."""
    return bool(_RESIDENT_OLD.fullmatch(value)) and _id_checksum_ok(value)


def is_resident_id(value: str) -> bool:
    """True for a checksum-valid resident number in either format."""
    return is_resident_id_new(value) or is_resident_id_old(value)


def _ubn_digit_sum(value: str) -> int:
    products = (int(c) * w for c, w in zip(value, _UBN_WEIGHTS, strict=True))
    return sum(p // 10 + p % 10 for p in products)


def is_ubn(value: str, *, rule: str = "new") -> bool:
    """True for a checksum-valid 統一編號; ``rule`` is ``new`` (mod 5, current) or ``old`` (mod 10).

    Some old registered numbers break the checksum, so never reject a column on this alone.
    """
    if rule not in ("new", "old"):
        raise ValueError(f"unknown UBN rule {rule!r}; use 'new' or 'old'")
    if not _UBN.fullmatch(value):
        return False
    modulus = 5 if rule == "new" else 10
    total = _ubn_digit_sum(value)
    return total % modulus == 0 or (value[6] == "7" and (total + 1) % modulus == 0)
