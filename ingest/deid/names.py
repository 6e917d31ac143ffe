"""Finding person names in Chinese text.

Four surface forms, strongest first:

1. pre-masked names (王○○, 王○明, 王OO);
2. surname + honorific or 姓-form (王先生, 林美玲小姐, 李姓男子);
3. a full name after a role or cue word (陳情人王小明, 負責人：林美玲, 我是張家豪), or after a
   weak cue (跟, 與, 、, the start of a sentence or of the text) when a follower word confirms it
   (跟張佩珊一起, 杜文忠、巫英於);
4. a bare three-character name (surname + two common given-name characters).

Chinese has no spaces, so where a name ends is decided by what follows it (表示, 於, 、 …).
Forms 3 and 4 are checked against jieba's dictionary (it ships with the package): when the
surname and the next character make a common word (黃昏, 陳列, 林業), it is not a name unless
jieba tags the whole as a person name ('nr'). Place names from the gazetteer and company
names (…公司, …商行) are never taken for people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ingest.deid import gazetteer
from ingest.deid.lexicon import (
    HONORIFICS,
    NAME_FOLLOWERS,
    ROLE_PREFIXES,
    WEAK_ROLE_PREFIXES,
    compound_surnames,
    simplified,
    surnames,
    with_simplified,
)
from ingest.deid.text_forms import alternation, cjk_class

# Characters that do not occur in given names but often follow a surname-like character.
_NOT_IN_GIVEN_NAME = (
    "的是在和與及跟向請位名這那該等之對給由被把將為了於說來去到也都還就又並而且或但因所以其此各本每"
    "有無不沒很最更再已會要能可姓課科个们这那为于说对给还"
)
# Common characters of Taiwanese given names; bare names must use two of them.
_GIVEN_NAME_CHARS = (
    "志明俊傑建宏家豪冠宇承翰柏彥宗翔信偉文華國榮正德勝民忠仁義智達賢誠裕福祥瑞安平成功昌興隆元凱皓哲"
    "晨睿恩宥廷宸佑禹丞彬昇育政峰鋒鴻泓弘英雄輝煌耀光亮清松楓龍鵬飛強剛毅威軍勇雲霖雨霞雪慧敏惠玲琳"
    "琪淑芬芳美麗珍珠玉瑩瑜婷娟婉嫻靜怡宜儀雅欣心馨蓉萍菁菲蘭梅秀鳳燕鶯月春秋佳嘉綺筠涵萱瑄璇妤妍彤"
    "姿婕庭郁純貞真潔如君青晴詩琴依伊穎蓁薇思語昀沛千子立仕士永世銘鈞錦鑫森桂益振順坤源泉進發財旺添"
    "貴富生男淳嘉銓翊毓琦珮瑋璟聖聰慈孝廉倫凡一二三大中小金水木火土山海川河江湖天地人和樂康寧欽啟"
)
_MASK_CHARS = "○〇◯●OＯ*＊Xx"
_COMPANY_SUFFIX = re.compile(
    r"公司|企業|商行|行號|實業|電器|工廠|工業|有限|股份|商店|藥局|診所|百貨|超市|量販|科技|國際|貿易"
    r"|食品|五金|商號|工作室|门市|門市|集團|协会|協會|基金會"
)
_DICTIONARY_WORD_FREQ = {"role": 600, "bare": 50}


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    surname = f"(?:{alternation(compound_surnames() + surnames())})"
    given = cjk_class(excluding=_NOT_IN_GIVEN_NAME)
    given_common = f"[{_GIVEN_NAME_CHARS}{simplified(_GIVEN_NAME_CHARS)}]"
    follower = f"(?:{alternation(with_simplified(NAME_FOLLOWERS))}|$)"
    masked = re.compile(
        rf"{surname}(?:[○〇◯]{given}|{given}[○〇◯]|[{_MASK_CHARS}]{{1,2}})(?![A-Za-z])"
    )
    honorific = re.compile(
        rf"{surname}{given}{{0,2}}(?:{alternation(with_simplified(HONORIFICS))})"
    )
    role = re.compile(
        rf"(?:{alternation(with_simplified(ROLE_PREFIXES))})\s*(?:[:]\s*|是|為|为)?\s*"
        rf"(?P<name>{surname}{given}{{2}}(?={follower})|{surname}{given}(?={follower})"
        rf"|{surname}{given}{{2}})"
    )
    confirmed_name = (
        rf"(?P<name>{surname}{given}{{2}}(?={follower})|{surname}{given}(?={follower}))"
    )
    sentence_ends = ("。", "!", "?", ";", "\n")
    weak_cue = alternation(sentence_ends + with_simplified(WEAK_ROLE_PREFIXES))
    weak_role = re.compile(f"(?:{weak_cue}){confirmed_name}")
    text_start = re.compile(confirmed_name)
    bare = re.compile(rf"{surname}{given_common}{{2}}")
    return masked, honorific, role, weak_role, text_start, bare


@cache
def _jieba_dictionary() -> dict[str, tuple[int, str]]:
    """Words of jieba's dictionary (Simplified) that start with a surname: word → (freq, tag).

    Read straight from the dictionary file jieba ships; only the few words a name check can
    ask about are kept, which is much faster than loading jieba's whole tokenizer.
    """
    import jieba

    starts = {simplified(s) for s in surnames()}
    words: dict[str, tuple[int, str]] = {}
    with jieba.dt.get_dict_file() as handle:
        for raw in handle:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if line[:1] in starts:
                word, freq, tag = (line.split() + ["", ""])[:3]
                if 2 <= len(word) <= 3:
                    words[word] = (int(freq), tag)
    return words


@lru_cache(maxsize=8192)
def _is_common_word_not_name(candidate: str, threshold: int) -> bool:
    """True when jieba knows the surname and next character as a common word (黃昏 in 黃昏時),
    unless jieba tags the whole candidate as a person name ('nr')."""
    words = _jieba_dictionary()
    plain = simplified(candidate)
    if len(plain) > 2 and words.get(plain, (0, ""))[1].startswith("nr"):
        return False
    return words.get(plain[:2], (0, ""))[0] >= threshold


@cache
def _cue_word() -> re.Pattern[str]:
    words = ROLE_PREFIXES + NAME_FOLLOWERS + HONORIFICS
    return re.compile(alternation(with_simplified(w for w in words if len(w) > 1)))


def _is_not_a_person(text: str, start: int, end: int) -> bool:
    """A cue word (陳情人), a company (林記電器…, 金華商行) or a place (高雄市, 高雄港) is
    no name."""
    if _cue_word().match(text, start):
        return True
    company = _COMPANY_SUFFIX.search(text, start + 1, end + 4)
    if company is not None and company.start() <= end:
        return True
    return gazetteer.overlaps_division(text, start, end) or gazetteer.overlaps_place_word(
        text, start, end
    )


def find_names(text: str) -> Iterator[tuple[str, int, int]]:
    masked, honorific, role, weak_role, text_start, bare = _patterns()
    for match in masked.finditer(text):
        yield "name", match.start(), match.end()
    for match in honorific.finditer(text):
        yield "name", match.start(), match.end()
    at_start = [found] if (found := text_start.match(text)) else []
    for match in (*role.finditer(text), *weak_role.finditer(text), *at_start):
        start, end = match.span("name")
        if not (
            _is_common_word_not_name(match["name"], _DICTIONARY_WORD_FREQ["role"])
            or _is_not_a_person(text, start, end)
        ):
            yield "name", start, end
    for match in bare.finditer(text):
        start, end = match.span()
        if not (
            _is_common_word_not_name(match.group(), _DICTIONARY_WORD_FREQ["bare"])
            or _is_not_a_person(text, start, end)
        ):
            yield "name", start, end
