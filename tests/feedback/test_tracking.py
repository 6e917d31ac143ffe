"""Tracking numbers: readable over the phone, typo-proof thanks to the check character."""

from __future__ import annotations

import re

from feedback_api.tracking import (
    ALPHABET,
    check_character,
    format_tracking,
    new_secret,
    new_tracking_number,
    normalize_tracking,
)


def test_new_numbers_have_the_phone_friendly_shape_and_are_not_repeated():
    numbers = {new_tracking_number() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert re.fullmatch(r"KF-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]", number)
        assert not set(number) & set("01IO")
        assert normalize_tracking(number) == number


def test_any_single_mistyped_character_is_caught():
    number = new_tracking_number()
    body = number.replace("-", "")[2:-1]
    for position in range(len(body)):
        for wrong in ALPHABET:
            if wrong == body[position]:
                continue
            typo = body[:position] + wrong + body[position + 1 :]
            assert normalize_tracking(f"KF{typo}{check_character(body)}") is None


def test_swapped_neighbours_are_caught():
    caught = total = 0
    for _ in range(200):
        body = new_tracking_number().replace("-", "")[2:-1]
        for i in range(len(body) - 1):
            if body[i] == body[i + 1]:
                continue
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            total += 1
            caught += normalize_tracking(swapped + check_character(body)) is None
    assert caught / total > 0.95


def test_numbers_typed_loosely_are_understood():
    number = format_tracking("7QH3MX9C")
    compact = number.replace("-", "")
    assert normalize_tracking(compact.lower()) == number
    assert normalize_tracking(" " + number[3:].replace("-", " ") + " ") == number
    assert normalize_tracking("KF-7QH3-MX9C") is None  # the check character is missing
    assert normalize_tracking("not a number") is None


def test_secrets_are_long_and_from_the_same_alphabet():
    secret = new_secret()
    assert len(secret) == 12 and set(secret) <= set(ALPHABET)
    assert new_secret() != secret
