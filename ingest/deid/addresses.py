"""Finding street addresses (門牌) in text, keeping the county and district readable.

An address is [postcode] [county] [district] street-part, where the street part is
[village 村/里] road (路/街/大道) [N段] [N巷] [N弄] N號 [之N] [N樓] [之N] [N室] (or a rural
village [N鄰] N號, as on Matsu: 介壽村230號, or a named lane: 太平巷162號); numbers may be
Arabic or Chinese. Only the street part is reported: 基隆市仁愛區愛一路1號 yields 愛一路1號,
so the scrubber writes 基隆市仁愛區〔地址〕.

The search is anchored on the road word and the house number that follows it (cheap to
find); the road name is then read backwards over Chinese characters until a word that
cannot be part of it (住, 在, 於, punctuation…) or the end of a county or district name
from the gazetteer, so 住在中正路5號 yields 中正路5號 and 彰化縣員林市林森北路1號 keeps
彰化縣員林市; a verb before it (反映, 說…) stays too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.deid import gazetteer

_NUMBER = r"[0-9一二三四五六七八九十百零〇]+"
_NOT_IN_ROAD_NAME = frozenset(
    "住在於于位址是的到往從从向送寄搬居與与及或為为至家我他她您其附近對对面旁區区縣县鄉乡鎮镇"
)
# Verbs that often come right before an address and are never part of a road name: the road
# name starts after the last of them (反映中正路5號 keeps 反映).
_VERB_BEFORE_ROAD = re.compile(
    "說|説|说|反映|表示|指出|檢舉|检举|發現|发现|看到|經過|经过|路過|路过|告知|通報|通报|查獲|查获"
)
_LONGEST_ROAD_NAME = 8  # characters before 路/街, a village name (…里) included
_HOUSE_NUMBER = (
    rf"(?:{_NUMBER}巷)?(?:{_NUMBER}弄)?(?:{_NUMBER}衖)?{_NUMBER}(?:之{_NUMBER})?[號号]"
    rf"(?:之{_NUMBER})?(?:\s*(?:(?:{_NUMBER})?(?:樓|楼|[Ff])|[Bb]{_NUMBER})(?:之{_NUMBER})?)?"
    rf"(?:{_NUMBER}室)?"
)
# A named lane takes a house number like a road (宜蘭縣大同鄉太平巷162號); it needs a name
# before it, so a lane number of a road (中正路5巷3號) is read with its road.
_ROAD_AND_NUMBER = re.compile(rf"(?:大道|路|街|林道|巷)(?:{_NUMBER}段)?{_HOUSE_NUMBER}")
# A village, with or without its neighbourhood (鄰), then the house number: rural and Matsu
# addresses have no road (連江縣南竿鄉介壽村230號).
_VILLAGE_AND_NUMBER = re.compile(rf"[村里](?:{_NUMBER}[鄰邻])?{_HOUSE_NUMBER}")
# Words ending in 里 that are distances, not villages (3公里5號出口 is no address).
_NOT_A_VILLAGE = frozenset("公英海千")


def _is_road_character(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" and char not in _NOT_IN_ROAD_NAME


def _road_name_start(text: str, road_word_start: int) -> int:
    start = road_word_start
    limit = max(0, road_word_start - _LONGEST_ROAD_NAME)
    while start > limit and _is_road_character(text[start - 1]):
        start -= 1
    for verb in _VERB_BEFORE_ROAD.finditer(text, start, road_word_start):
        start = verb.end()
    for split in range(road_word_start - 1, start, -1):
        if gazetteer.division_ending_at(text, split) is not None:
            return split
    return start


def find_addresses(text: str) -> Iterator[tuple[str, int, int]]:
    if "號" not in text and "号" not in text:  # every address has a house number
        return
    for match in _ROAD_AND_NUMBER.finditer(text):
        start = _road_name_start(text, match.start())
        if start < match.start():
            yield "address", start, match.end()
    for match in _VILLAGE_AND_NUMBER.finditer(text):
        start = _road_name_start(text, match.start() + 1)
        neighbourhood = "鄰" in match.group() or "邻" in match.group()
        named = start < match.start() and text[match.start() - 1] not in _NOT_A_VILLAGE
        if neighbourhood or named:
            yield "address", start, match.end()
