"""Text helpers for the detectors: offset-keeping normalisation and fast regex building.

Normalisation maps full-width ASCII and the ideographic space to ASCII.

Every character maps to exactly one character, so a match in the normalised text has the
same offsets in the original. Detectors search the normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_FULL_WIDTH_CHARACTER = re.compile("[\uff01-\uff5e\u3000]")


def normalise(text: str) -> str:
    """``text`` with full-width letters, digits and symbols as ASCII (same length).

    Chinese text has full-width punctuation (，：（）) in every sentence; replacing each
    distinct character once is about twice as fast as a substitution per run of them."""
    for character in set(_FULL_WIDTH_CHARACTER.findall(text)):
        text = text.replace(character, chr(_FULL_WIDTH[ord(character)]))
    return text


_CJK_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


def cjk_class(excluding: str = "") -> str:
    """A regex character class of CJK ideographs (U+3400–U+4DBF, U+4E00–U+9FFF) except the
    characters in ``excluding``.

    Written as the ranges that remain rather than as a negated class with the exceptions
    listed, so that the regex engine compiles it to a bitmap: one lookup per character instead
    of a walk through every exception."""
    excluded = sorted({ord(char) for char in excluding})
    ranges = []
    for low, high in _CJK_IDEOGRAPHS:
        start = low
        for code in excluded:
            if start <= code <= high:
                if code > start:
                    ranges.append((start, code - 1))
                start = code + 1
        if start <= high:
            ranges.append((start, high))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, factorised as a prefix trie so that matching costs
    one step per character instead of one try per word (the longest word wins). Every branch
    starts with a literal, so a pattern that starts with this alternation lets the regex
    engine skip ahead to the possible first characters."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = []
    for char in sorted(key for key in node if key):
        branches.append(re.escape(char) + _trie_regex(node[char]))
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body
