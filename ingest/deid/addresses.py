"""Finding street addresses (門牌) in text, keeping the county and district readable.

An address is [postcode] [county] [district] street-part, where the street part is
[village 村/里] [N鄰] road (路/街/大道) [N段] [N巷] [N弄] N號 [之N] [N樓] [之N] [N室]; numbers
may be Arabic or Chinese. The county and district are anchored on the gazetteer, so only
the street part is reported: 基隆市仁愛區愛一路1號 yields 愛一路1號, and the scrubber writes
基隆市仁愛區〔地址〕. A road name starts where a non-road character (住, 在, 於, punctuation…)
ends, so 住在中正路5號 yields 中正路5號.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ingest.deid import gazetteer
from ingest.deid.text_forms import cjk_class

_NUMBER = r"[0-9一二三四五六七八九十百零〇]+"
_NOT_IN_ROAD_NAME = (
    "住在於于位址是的到往從从向送寄搬居與与和及或為为至家我他她您其附近對对面旁區区縣县鄉乡鎮镇"
)


@cache
def _address_re() -> re.Pattern[str]:
    road_char = cjk_class(excluding=_NOT_IN_ROAD_NAME)
    village = rf"{cjk_class()}{{1,3}}[村里](?:{_NUMBER}鄰)?"
    road = rf"(?<!{road_char}){road_char}{{1,6}}?(?:大道|路|街|林道)(?:{_NUMBER}段)?"
    number = (
        rf"(?:{_NUMBER}巷)?(?:{_NUMBER}弄)?(?:{_NUMBER}衖)?{_NUMBER}(?:之{_NUMBER})?號"
        rf"(?:之{_NUMBER})?(?:\s*(?:{_NUMBER}樓|{_NUMBER}[Ff]|[Bb]{_NUMBER})(?:之{_NUMBER})?)?"
        rf"(?:{_NUMBER}室)?"
    )
    return re.compile(
        rf"(?:(?P<county>{gazetteer.county_pattern()})\s*)?"
        rf"(?:(?P<district>{gazetteer.district_pattern()})\s*)?"
        rf"(?P<street>(?:{village})?{road}{number}|{village}{number})"
    )


def find_addresses(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _address_re().finditer(text):
        yield "address", match.start("street"), match.end("street")
