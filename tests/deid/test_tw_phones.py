"""The fast numbering-plan check agrees with phonenumbers on every number it is asked about."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from ingest.deid.tw_phones import is_tw_phone, national_number


def _library_says(digits: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=886, national_number=int(digits))
    return phonenumbers.is_valid_number_for_region(number, "TW")


def test_agrees_with_phonenumbers_on_random_numbers_of_eight_digits_and_more():
    rng = random.Random(7)
    samples = [str(rng.randrange(10 ** (n - 1), 10**n)) for n in range(8, 12) for _ in range(1500)]
    disagreements = [d for d in samples if is_tw_phone(d) != _library_says(d)]
    assert disagreements == []
    assert 1000 < sum(map(is_tw_phone, samples)) < len(samples)  # both answers occur


def test_numbers_shorter_than_the_plan_allows_are_never_phones():
    assert _library_says("2023107")  # the metadata's 7-digit premium-rate form (0202-3107)
    assert not is_tw_phone("2023107")


@pytest.mark.parametrize(
    ("written", "valid"),
    [
        ("0912-345-678", True),
        ("+886 912 345 678", True),
        ("(02)2311-1234", True),
        ("+886-2-2311-1234", True),
        ("049-2222106", True),
        ("049-222210", False),
        ("04-7222123", True),
        ("04-72221234", False),
        ("0800-000-123", True),
        ("04595252", False),  # a unified business number
        ("02023107", False),  # another: 8 digits, where a Taipei number has 10
    ],
)
def test_reference_cases(written, valid):
    assert is_tw_phone(national_number(written)) is valid
