"""Tracking numbers and access secrets of cases.

A tracking number looks like ``KF-7QH3-MX9C-R``: eight random characters and one check
character, from a 32-letter alphabet without 0/O and 1/I, so it can be read over the phone and
typed back without confusion. The check character (Luhn mod 32) catches every single-character
typo and most swaps of neighbours before the database is asked. Forty random bits make
numbers unguessable in practice, and a number alone opens nothing: reading a case also needs
its secret (twelve characters of the same alphabet, 60 bits), which is stored only as an HMAC
with the API-key pepper. The secret of a submission sent with an ``Idempotency-Key`` is not
random but keyed (:func:`keyed_secret`): derived from the key, the request and the pepper, so the
answer can be repeated to a resent request without the secret ever being stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "KF"
RANDOM_LENGTH = 8
SECRET_LENGTH = 12
_INDEX = {char: position for position, char in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    """The Luhn mod 32 check character of ``body`` (characters of ALPHABET)."""
    base = len(ALPHABET)
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _INDEX[char]
        total += addend // base + addend % base
        factor = 1 if factor == 2 else 2
    return ALPHABET[(base - total % base) % base]


def format_tracking(body: str) -> str:
    """``KF-XXXX-XXXX-C`` for the eight characters ``body``."""
    return f"{PREFIX}-{body[:4]}-{body[4:]}-{check_character(body)}"


def new_tracking_number() -> str:
    """A fresh random tracking number."""
    return format_tracking("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def new_secret() -> str:
    """A fresh access secret for a case."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def keyed_secret(pepper: bytes, context: str) -> str:
    """An access secret that is the same for the same ``context`` and pepper, and cannot be
    told from ``context`` without the pepper (the first 60 bits of an HMAC-SHA256)."""
    number = int.from_bytes(hmac.new(pepper, context.encode(), hashlib.sha256).digest(), "big")
    characters = []
    for _ in range(SECRET_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[index])
    return "".join(characters)


def normalize_tracking(raw: str) -> str | None:
    """The canonical form of a tracking number as typed or dictated, or None when it is not one.

    Case, spaces and dashes do not matter and the ``KF`` prefix may be left out; the check
    character must match.
    """
    compact = "".join(raw.split()).replace("-", "").upper()
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + RANDOM_LENGTH + 1:
        compact = compact[len(PREFIX) :]
    if len(compact) != RANDOM_LENGTH + 1 or any(char not in _INDEX for char in compact):
        return None
    body, check = compact[:-1], compact[-1]
    if check_character(body) != check:
        return None
    return format_tracking(body)


def normalize_secret(raw: str) -> str:
    """The secret as typed: case, spaces and dashes do not matter."""
    return "".join(raw.split()).replace("-", "").upper()


def hash_secret(secret: str, pepper: bytes) -> str:
    """The stored form of a case secret or an API key: hex HMAC-SHA256 with the pepper."""
    return hmac.new(pepper, secret.encode("utf-8"), hashlib.sha256).hexdigest()


def secret_matches(secret: str, stored_hash: str, pepper: bytes) -> bool:
    """Constant-time comparison of a presented secret with its stored hash."""
    return hmac.compare_digest(hash_secret(secret, pepper), stored_hash)
