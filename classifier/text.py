"""Text normalisation and word segmentation: the one place that decides what the model sees.

Simplified Chinese is converted to Taiwan Traditional (OpenCC ``s2twp``, the compiled binding),
full-width letters, digits and punctuation become half-width (NFKC) and Latin letters lower case,
so 「充电宝」, 「充電寶」 and 「ＵＳＢ」/「usb」 meet the same features.
"""

from __future__ import annotations

import logging
import unicodedata

import jieba
import opencc

jieba.setLogLevel(logging.WARNING)

_TO_TAIWAN_TRADITIONAL = opencc.OpenCC("s2twp")


def normalize(text: str) -> str:
    """Return ``text`` in Taiwan Traditional Chinese, half-width and lower case."""
    converted = _TO_TAIWAN_TRADITIONAL.convert(text)
    return unicodedata.normalize("NFKC", converted).lower()


def load_dictionary() -> None:
    """Load jieba's dictionary now (about a second) instead of on the first message."""
    jieba.initialize()


def words(text: str) -> list[str]:
    """Segment normalised text into jieba words, dropping whitespace tokens.

    Used as the tokenizer of the word features; the persisted model refers to it by name.
    """
    return [token for token in jieba.lcut(text) if not token.isspace()]
