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
_ANY_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def normalise(text: str) -> str:
    """``text`` with full-width letters, digits and symbols as ASCII (same length)."""
    return text.translate(_FULL_WIDTH) if _ANY_FULL_WIDTH.search(text) else text


def cjk_class(excluding: str = "") -> str:
    """A regex character class of CJK ideographs except the characters in ``excluding``."""
    return rf"[^\x00-\u33ff\u4dc0-\u4dff\ua000-\U0010ffff{excluding}]"


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, factorised as a prefix trie so that matching costs
    one step per character instead of one try per word (the longest word wins). A lookahead
    on the possible first characters lets most positions fail in one step."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    first_characters = "".join(re.escape(char) for char in sorted(trie))
    return f"(?=[{first_characters}]){_trie_regex(trie)}" if len(trie) > 3 else _trie_regex(trie)


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
