"""Text normalisation that keeps offsets: full-width ASCII and the ideographic space to ASCII.

Every character maps to exactly one character, so a match in the normalised text has the
same offsets in the original. Detectors search the normalised text.
"""

from __future__ import annotations

_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space


def normalise(text: str) -> str:
    """``text`` with full-width letters, digits and symbols as ASCII (same length)."""
    return text.translate(_FULL_WIDTH)


def cjk_class(excluding: str = "") -> str:
    """A regex character class of CJK ideographs except the characters in ``excluding``."""
    return rf"[^\x00-\u33ff\u4dc0-\u4dff\ua000-\U0010ffff{excluding}]"
