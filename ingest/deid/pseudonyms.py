"""Keyed pseudonyms: how the ``pseudonym`` column rule makes its tokens, and how they look.

A pseudonym is the HMAC-SHA256 of the value under the pseudonym key, its first 64 bits
written as 16 lower-case consonants (one letter per hex digit of the digest). The same
value gets the same token every night; nobody without the key can compute or reverse it.
Letters only, on purpose: a token has no digits, so the leak gate can never read it as a
phone, ID, account, plate or date (the hex token ``024366216f9a8b81`` began like a Taipei
phone number), and no vowels, so it spells no word or name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from ingest.deid.text_forms import normalise

PSEUDONYM_LENGTH = 16  # letters, one per hex digit of the digest: 64 bits
PSEUDONYM_ALPHABET = "bcdfghjkmnpqrstv"
_FROM_HEX = str.maketrans("0123456789abcdef", PSEUDONYM_ALPHABET)
_PSEUDONYM_SHAPE = re.compile(f"[{PSEUDONYM_ALPHABET}]{{{PSEUDONYM_LENGTH}}}")


def pseudonym(value: Any, key: bytes) -> str:
    """A short stable token for ``value``: HMAC-SHA256 under ``key``, not reversible without it.

    The value is compared after trimming and full-width normalisation, so ``A123456789`` and
    ``Ａ123456789 `` get the same pseudonym.
    """
    if not key:
        raise ValueError("a pseudonym needs a non-empty key (secret 'pseudonym_key')")
    canonical = normalise(str(value)).strip().upper()
    digest = hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH].translate(_FROM_HEX)


def is_pseudonym(text: str) -> bool:
    """True when ``text`` has exactly the shape of a pseudonym token."""
    return _PSEUDONYM_SHAPE.fullmatch(text) is not None
