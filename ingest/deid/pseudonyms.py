"""Keyed pseudonyms: how the ``pseudonym`` column rule makes its tokens, and how they look.

A pseudonym is the first 64 bits of the HMAC-SHA256 of the value under the pseudonym key,
as 16 hex digits. The same value gets the same token every night; nobody without the key can
compute or reverse it. The detectors know this shape: a token is never read as a phone,
account or LINE ID by the leak gate (``024366216f9a8b81`` once began like a Taipei number).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from ingest.deid.text_forms import normalise

PSEUDONYM_LENGTH = 16  # hex digits of the HMAC-SHA256 digest: 64 bits
_PSEUDONYM_SHAPE = re.compile(f"[0-9a-f]{{{PSEUDONYM_LENGTH}}}")


def pseudonym(value: Any, key: bytes) -> str:
    """A short stable token for ``value``: HMAC-SHA256 under ``key``, not reversible without it.

    The value is compared after trimming and full-width normalisation, so ``A123456789`` and
    ``Ａ123456789 `` get the same pseudonym.
    """
    if not key:
        raise ValueError("a pseudonym needs a non-empty key (secret 'pseudonym_key')")
    canonical = normalise(str(value)).strip().upper()
    digest = hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def is_pseudonym(text: str) -> bool:
    """True when ``text`` has exactly the shape of a pseudonym token."""
    return _PSEUDONYM_SHAPE.fullmatch(text) is not None
