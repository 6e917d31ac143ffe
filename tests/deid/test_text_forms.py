"""The character class of CJK ideographs that the name and address patterns are built on."""

from __future__ import annotations

import re

from ingest.deid.text_forms import cjk_class


def test_cjk_class_holds_the_two_ideograph_blocks_except_what_is_excluded():
    cjk = re.compile(cjk_class(excluding="的是"))
    inside = ["\u3400", "\u4dbf", "\u4e00", "王", "\u9fff"]
    outside = ["\u33ff", "\u4dc0", "\u4dff", "\ua000", "\U00020000", "a", "1", "，", "的", "是"]
    assert all(cjk.fullmatch(char) for char in inside)
    assert not any(cjk.fullmatch(char) for char in outside)
    assert re.fullmatch(cjk_class(), "的")  # excluded only when asked
