"""Finding person names in Chinese text.

Four surface forms, strongest first:

1. pre-masked names (王○○, 王○明, 王OO);
2. surname + honorific or 姓-form (王先生, 林美玲小姐, 李姓男子);
3. a full name after a role or cue word (陳情人王小明, 負責人：林美玲, 我是張家豪,
   民眾Kevin Lin, 看護Nguyen Thi Lan), a nickname after one (網友「小美」, 同事小陳), or a
   full name after a weak cue (跟, 與, 、, the start of a sentence or of the text) when a
   follower word confirms it (跟張佩珊一起, 杜文忠、巫英於);
4. nicknames and other forms: 阿忠, 老陳, Vietnamese 阮氏蘭 (each confirmed by a follower
   word), a surname alone after 姓 (老闆姓何，), and a bare three-character name (surname +
   two common given-name characters).

Chinese has no spaces, so where a name ends is decided by what follows it (表示, 於, 、 …).
Forms 3 and 4 are checked against jieba's dictionary (it ships with the package): when the
surname and the next character make a common word (黃昏, 陳列, 林業), it is not a name unless
the two characters after the surname are a given name (黃家 is a word, 黃家豪 a name: 家豪 is
made of given-name characters and is no word) or jieba tags the whole as a person name
('nr'), and the word is not very common (黃金, 王國, 高中). Place names from the gazetteer and
company names (…公司, …商行, …家電) are never taken for people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import opencc

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
    "志明俊傑建宏家豪冠宇承翰柏彥宗翔信偉文華國榮正德勝民忠仁義智達賢誠裕福祥瑞安平成功昌興隆元凱皓哲晨睿"
    "恩宥廷宸佑禹丞彬昇育政峰鋒鴻泓弘英雄輝煌耀光亮清松楓龍鵬飛強剛毅威軍勇雲霖雨霞雪慧敏惠玲琳琪淑芬芳美"
    "麗珍珠玉瑩瑜婷娟婉嫻靜怡宜儀雅欣心馨蓉萍菁菲蘭梅秀鳳燕鶯月春秋佳嘉綺筠涵萱瑄璇妤妍彤姿婕庭郁純貞真潔"
    "如君青晴詩琴依伊穎蓁薇思語昀沛千子立仕士永世銘鈞錦鑫森桂益振順坤源泉進發財旺添貴富生男淳銓翊毓琦珮瑋"
    "璟聖聰慈孝廉倫凡一二三大中小金水木火土山海川河江湖天人和樂康寧欽啟佩珊雯晉維書琬筱若詠品辰昱韋奕瀞"
    "筑琇卿素碧賜昭丁宛臻伶俐采勳軒樺楷齊崇瑤璋瑾璿莉蓮菊茹芸芷芊蕙蕾薰玟玫翠霓靖竣峻浚淇渝湘潤澤濤瀚洋洲"
    "浩淮羽寶晏晟暉曜朋栩桓楨樑沐治泰洛湧滿漢熙燁玄琛璉盛碩禎祐禮秉程穗紘紹經綸緯肇舜良苑茂茗荃莘蓓蔚蘋虹"
    "誼謙豐賓超逸遠鈺錚鎧長雍霆韻頤駿麒娥嬌滿阿"
)
_MASK_CHARS = "○〇◯●OＯ*＊Xx"
# Words that end the name of a company or another organisation or place (學校, 醫院…).
_COMPANY_SUFFIX = re.compile(
    r"公司|企業|商行|行號|實業|電器|工廠|工業|有限|股份|商店|藥局|診所|百貨|超市|量販|科技|國際|貿易"
    r"|食品|五金|商號|工作室|门市|門市|集團|协会|協會|基金會|國中|國小|高中|高工|高商|大學|学校"
    r"|家電(?![視视話话腦脑])|用品"
    r"|學校|幼兒園|醫院|医院|公園|车站|車站|市場|市场|夜市|大樓|社區|中心|教會|宮|廟|寺"
)
_COMPANY_REACH = 6  # characters between a name-like brand and the company word (家電有限公司)
# Words that end the name of a shop, station or other business place, when they end the run
# of Chinese characters: a branch named after its road (台灣中油金山文化一路站, 全聯中山路店)
# and a possessive shop name (金妤的生活館, 龍明的批發) are businesses, not people.
_PLACE_OF_BUSINESS = "[站店行社廠場館舖鋪坊屋厂场馆铺]|嚴選|严选|批發|批发|商城|選物|选物"
_NOT_CJK_AFTER = r"(?![\u3400-\u4dbf\u4e00-\u9fff])"
_SHOP_NAME_ENDING = re.compile(
    alternation(
        with_simplified(
            ("小舖", "小鋪", "生活館", "精品屋", "雜貨舖", "好物社", "工坊", "專賣店", "旗艦店")
        )
    )
    + _NOT_CJK_AFTER
)
_BRANCH_ENDING = re.compile(rf"(?:大道|路|街|段)(?:{_PLACE_OF_BUSINESS}){_NOT_CJK_AFTER}")
# The nearest of them decides: if it does not confirm a business name (a verb comes first), a
# farther one cannot, as the same verb is before it too. Three searches cost fewer steps than
# one over their alternation, in which the regex engine cannot skip to a possible first
# character.
_BUSINESS_WORDS = (_COMPANY_SUFFIX, _BRANCH_ENDING, _SHOP_NAME_ENDING)
_POSSESSIVE_SHOP_NAME = re.compile(
    rf"的{cjk_class()}{{0,4}}?(?:{_PLACE_OF_BUSINESS}){_NOT_CJK_AFTER}"
)
# Between a brand and its company word there is no verb or preposition (王小明至消保中心).
_COMPANY_NAME_PART = re.compile(
    cjk_class(excluding=_NOT_IN_GIVEN_NAME + "表示說稱指向至往赴回住買購賣找帶送寄從前") + "+"
)
# How common (jieba frequency) the surname and next character may be as a word before a
# candidate stops being a name: lenient after a role word, strict with weak or no cues.
_DICTIONARY_WORD_FREQ = {"role": 600, "weak": 50, "bare": 50}
_VERY_COMMON_WORD = 1000
# How common (jieba frequency) two given-name characters may be as a word and still be read
# as a given name (家豪 and 子涵 are no words; 家人, 908, is one).
_GIVEN_NAME_WORD_FREQ = 50


@dataclass(frozen=True)
class _Patterns:
    surname_forms: re.Pattern[str]  # groups: masked, honorific, vietnamese, bare
    after_role: re.Pattern[str]
    after_weak_cue: re.Pattern[str]
    at_text_start: re.Pattern[str]
    nickname: re.Pattern[str]
    surname_alone: re.Pattern[str]  # 老闆姓何，


@cache
def _patterns() -> _Patterns:
    surname = f"(?:{alternation(compound_surnames() + surnames())})"
    given = cjk_class(excluding=_NOT_IN_GIVEN_NAME)
    given_common = f"[{_GIVEN_NAME_CHARS}{simplified(_GIVEN_NAME_CHARS)}]"
    follower_in_text = alternation(with_simplified(NAME_FOLLOWERS))
    follower = f"(?:{follower_in_text}|$)"
    # One scan for every form that starts with a surname; the surname comes first so the
    # regex engine can skip to the characters that start one.
    surname_forms = re.compile(
        rf"{surname}(?:"
        rf"(?P<masked>(?:[{_MASK_CHARS}]{given_common}|{given}[○〇◯]|[{_MASK_CHARS}]{{1,2}})"
        r"(?![A-Za-z]))"
        rf"|(?P<honorific>{given}{{0,2}}(?:{alternation(with_simplified(HONORIFICS))}))"
        rf"|(?P<vietnamese>氏{given}{{1,2}}(?={follower}))"
        rf"|(?P<bare>{given_common}{{2}}))"
    )
    single_surname = f"[{''.join(surnames())}]"
    # Up to three capitalised words (Nguyen Thi Lan, O'Neil, Jean-Luc); words in capitals
    # are left alone, as they are more often codes and brands (SGS TW) than names.
    latin_word = r"[A-Z](?:'[A-Z])?[a-z]{1,15}(?:-[A-Z]?[a-z]{1,15})?"
    latin_name = rf"{latin_word}(?: {latin_word}){{0,2}}(?![A-Za-z])"
    after_role = re.compile(
        rf"(?:{alternation(with_simplified(ROLE_PREFIXES))})\s*(?:[:]\s*|是|為|为)?\s*"
        r"[「『“\"]?"
        rf"(?P<name>{surname}(?:{given}{{2}}(?={follower})|{given}(?={follower})|{given}{{2}})"
        rf"|{latin_name}"
        rf"|小(?:{single_surname}|{given_common})(?={follower}))"
    )
    # Without a strong cue the given name must be made of common given-name characters.
    # A two-character name alone (a whole cell: 喬山) is more often a brand than a person.
    confirmed_name = (
        rf"(?P<name>{surname}"
        rf"(?:{given_common}{{2}}(?={follower})|{given_common}(?={follower_in_text})))"
    )
    sentence_ends = ("。", "!", "?", ";", "\n")
    weak_cue = alternation(sentence_ends + with_simplified(WEAK_ROLE_PREFIXES))
    return _Patterns(
        surname_forms=surname_forms,
        after_role=after_role,
        after_weak_cue=re.compile(f"(?:{weak_cue}){confirmed_name}"),
        at_text_start=re.compile(confirmed_name),
        nickname=re.compile(rf"(?:阿{given_common}|老{single_surname})(?={follower})"),
        surname_alone=re.compile(rf"姓(?<![百同]姓)(?P<name>{surname})(?={follower})"),
    )


@cache
def _jieba_dictionary() -> dict[str, tuple[int, str]]:
    """Words of jieba's dictionary that a name check can ask about, in Simplified and
    Traditional spelling: word → (frequency, part-of-speech tag). Kept: two-character words
    that start with a surname (黃昏, 陳列) or are made of common given-name characters (家人), and
    three-character person names (tag 'nr').

    Read straight from the dictionary file jieba ships, which is much faster than loading
    jieba's tokenizer; converting the few thousand words once spares a conversion per check.
    """
    import jieba

    surname_starts = {simplified(s) for s in surnames()}
    given_name_chars = _given_name_chars()
    words: dict[str, tuple[int, str]] = {}
    with jieba.dt.get_dict_file() as handle:
        for raw in handle:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if line[:1] in surname_starts:
                word, freq, tag = (line.split() + ["", ""])[:3]
                if len(word) == 2 or (len(word) == 3 and tag.startswith("nr")):
                    words[word] = (int(freq), tag)
            elif line[:1] in given_name_chars and line[1:2] in given_name_chars:
                word, freq, tag = (line.split() + ["", ""])[:3]
                if len(word) == 2:
                    words[word] = (int(freq), tag)
    listed = list(words)
    traditional = opencc.OpenCC("s2t.json").convert("\n".join(listed)).split("\n")
    for simplified_word, traditional_word in zip(listed, traditional, strict=True):
        words.setdefault(traditional_word, words[simplified_word])
    return words


@cache
def _given_name_chars() -> frozenset[str]:
    return frozenset(_GIVEN_NAME_CHARS + simplified(_GIVEN_NAME_CHARS))


def _is_given_name(given: str) -> bool:
    """Two common given-name characters that do not make a common word (家豪, not 家人)."""
    return (
        len(given) == 2
        and all(char in _given_name_chars() for char in given)
        and _jieba_dictionary().get(given, (0, ""))[0] < _GIVEN_NAME_WORD_FREQ
    )


def _surname_length(candidate: str) -> int:
    """1, or 2 for a compound surname (歐陽小華)."""
    return 2 if candidate[:2] in compound_surnames() else 1


def _is_common_word_not_name(candidate: str, threshold: int) -> bool:
    """True when jieba knows the surname and the next character as a common word (黃昏 in
    黃昏時), unless what follows the surname is a given name (黃家 is a word, but 黃家豪 a
    name) and the word is not very common, or jieba tags the whole candidate as a person
    name ('nr') and the word is not very common (jieba also tags 高中生 'nr')."""
    words = _jieba_dictionary()
    surname_length = _surname_length(candidate)
    frequency = words.get(candidate[: surname_length + 1], (0, ""))[0]
    if frequency < threshold:
        return False
    if frequency < _VERY_COMMON_WORD and _is_given_name(candidate[surname_length:]):
        return False
    tagged_as_person = len(candidate) > 2 and words.get(candidate, (0, ""))[1].startswith("nr")
    return not tagged_as_person or frequency >= _VERY_COMMON_WORD


_SAYING = ("表示", "說", "稱", "指出", "來電", "致電")
_TOGETHER = ("一起", "一同")
# What only a person does, for a name with no cue at all (通知王國華攜帶證件, 黃金龍跟我說).
_PERSONS_ACT = ("攜帶", "告知", "告訴", "講")


@cache
def _end_of_a_name_on_its_own() -> dict[str, re.Pattern[str]]:
    """What may follow a name for it to stand alone: after a role word, the end of the phrase,
    an opening bracket, 不在 or a verb of saying; after a weak cue (the start of a sentence, 跟,
    與…), an opening bracket, a verb of saying or 一起 (王國華說, 跟黃金龍一起, 由李珊（…; the given
    name of a weak cue's match is made of common given-name characters, so 和黃金葛一起 is no
    match); with no cue, a verb of saying or something only a person does, also told to
    someone (王國明來電, 王國華攜帶, 黃金龍跟我說)."""
    saying = alternation(with_simplified(_SAYING))
    together = alternation(with_simplified(_TOGETHER))
    persons_act = alternation(with_simplified(_SAYING + _PERSONS_ACT))
    return {
        "role": re.compile(rf"$|[\s\d，。、；：,.;:!?！？）)」』（(]|不在|{saying}"),
        "weak": re.compile(rf"[（(]|{saying}|{together}"),
        "bare": re.compile(rf"(?:[跟和對向][我你他她]們?)?(?:{persons_act})"),
    }


# Last characters that make a word into a person, a unit or a place (陳列師, 林業者, 高中部, 王牌業務,
# 陳列館):
# not a given name's end when the surname and the next character are already a word.
_NOUN_SUFFIXES = "者師师員员生部商家業业長长工人們们類类品區区處处局課课科界館馆"


def _ends_like_a_word(candidate: str) -> bool:
    """A word and a noun ending (陳列師, 王牌業), not a surname and a given name."""
    if candidate[-1] not in _NOUN_SUFFIXES:
        return False
    surname_length = _surname_length(candidate)
    prefix_frequency = _jieba_dictionary().get(candidate[: surname_length + 1], (0, ""))[0]
    return (
        len(candidate) == surname_length + 2 and prefix_frequency >= _DICTIONARY_WORD_FREQ["weak"]
    )


def _stands_alone(text: str, candidate: str, end: int, cue: str) -> bool:
    """A name after a cue and before what ends a name on its own (``_end_of_a_name_on_its_own``)
    is a person even when its surname and first given character make a very common word:

    - a full name whose given name is made of common given-name characters (我叫王國華，,
      負責人黃金龍表示, 。王國華說; not 老闆方便時), unless the whole is a word itself
      (我是高中生，); after a role word a possessive confirms it too (我是王國華的朋友, not
      我是陳列館的志工);
    - a surname and one common given-name character after a role word (貨主高明表示, 代理人黃家（),
      or after a weak cue when jieba knows the two as a person's name (由李珊（…).
    """
    surname_length = _surname_length(candidate)
    given = candidate[surname_length:]
    words = _jieba_dictionary()
    ends_alone = _end_of_a_name_on_its_own()[cue].match(text, end) is not None
    if len(given) == 1:
        frequency, tag = words.get(candidate, (0, ""))
        known_as_person = tag.startswith("nr") and frequency < _VERY_COMMON_WORD
        return ends_alone and given in _given_name_chars() and (cue == "role" or known_as_person)
    if (
        len(given) != 2
        or not all(char in _given_name_chars() for char in given)
        or words.get(candidate, (0, ""))[0] >= _GIVEN_NAME_WORD_FREQ
    ):
        return False
    return ends_alone or (cue == "role" and text.startswith("的", end))


def _stands_alone_without_a_cue(text: str, candidate: str, end: int) -> bool:
    """A bare full name whose surname and next character are a word (王國, 黃金) is a person
    when it stands alone before what only a person does (通知王國華攜帶證件), and is not a
    word with a noun ending (金山人說, 高中生說)."""
    return _stands_alone(text, candidate, end, "bare") and not _ends_like_a_word(candidate)


@cache
def _cue_word() -> re.Pattern[str]:
    words = ROLE_PREFIXES + NAME_FOLLOWERS + HONORIFICS
    return re.compile(alternation(with_simplified(w for w in words if len(w) > 1)))


class _NotAPerson:
    """Tells whether ``text[start:end]`` is a cue word (陳情人), part of a company or shop
    name (林記電器…, 金華商行, 金妤的生活館, 台灣中油…化一路站) or of a place name (高雄市,
    高雄港, 林口 without its 區) rather than a person."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _business_word_follows(self, start: int, end: int) -> bool:
        """A company, branch or shop word begins inside the candidate or a few characters
        after it with nothing like a verb in between (喬山家電有限公司, not 林志明表示公司)."""
        limit = end + _COMPANY_REACH
        # The search window holds the longest word (4 characters) and the one after it.
        nearest = min(
            (
                found.start()
                for word in _BUSINESS_WORDS
                if (found := word.search(self.text, start + 1, limit + 4))
            ),
            default=limit,
        )
        if nearest >= limit:
            return False
        between = self.text[end:nearest]
        return not between or bool(_COMPANY_NAME_PART.fullmatch(between))

    def _is_in_business_name(self, start: int, end: int, *, possessive: bool) -> bool:
        return self._business_word_follows(start, end) or (
            possessive and _POSSESSIVE_SHOP_NAME.match(self.text, end) is not None
        )

    def __call__(self, start: int, end: int, *, cue: str = "bare") -> bool:
        """A surname and one character before a possessive shop word are a shop's name
        (金妤的生活館); a full name (我去王小明的店) or any name after a role word (陳情人王小明的店)
        is the person who owns it."""
        candidate = self.text[start:end]
        possessive_shop_name = cue != "role" and len(candidate) <= _surname_length(candidate) + 1
        return (
            _cue_word().match(self.text, start) is not None
            or gazetteer.overlaps_place_name(self.text, start, end)
            or gazetteer.is_short_district_name(candidate)
            or self._is_in_business_name(start, end, possessive=possessive_shop_name)
        )


def _title_is_given_name(match: re.Match[str]) -> bool:
    """林君 (君 is a title and a given-name character) may be the start of a shop name
    (林君的批發), so it is checked like a bare name; 林先生 is always a person."""
    return match["honorific"] in _given_name_chars()


@cache
def _titles() -> frozenset[str]:
    return frozenset(with_simplified(HONORIFICS))


def _is_word_before_title(candidate: str) -> bool:
    """高級主任, 林業主任: a very common word made of a surname and one character, then a title,
    is a description, not a person (高明主任 is a person: 高明 is not that common a word)."""
    word_end = _surname_length(candidate) + 1
    return (
        candidate[word_end:] in _titles()
        and _jieba_dictionary().get(candidate[:word_end], (0, ""))[0] >= _VERY_COMMON_WORD
    )


def find_names(text: str) -> Iterator[tuple[str, int, int]]:
    patterns = _patterns()
    not_a_person = _NotAPerson(text)
    found = bytearray(len(text) + 1)  # names already yielded: later forms skip their checks

    def accept(start: int, end: int) -> tuple[str, int, int]:
        found[start:end] = b"\x01" * (end - start)
        return "name", start, end

    at_start = [match] if (match := patterns.at_text_start.match(text)) else []
    after_cues = (
        *((match, "role") for match in patterns.after_role.finditer(text)),
        *((match, "weak") for match in patterns.after_weak_cue.finditer(text)),
        *((match, "weak") for match in at_start),
    )
    for match, cue in after_cues:
        start, end = match.span("name")
        common_word = _ends_like_a_word(match["name"]) or (
            _is_common_word_not_name(match["name"], _DICTIONARY_WORD_FREQ[cue])
            and not _stands_alone(text, match["name"], end, cue)
        )
        if not (common_word or not_a_person(start, end, cue=cue)):
            yield accept(start, end)
    if "阿" in text or "老" in text:  # much faster than a scan for nicknames
        for match in patterns.nickname.finditer(text):
            if not not_a_person(*match.span()):
                yield accept(*match.span())
    for match in patterns.surname_alone.finditer(text):
        yield accept(*match.span("name"))
    position = 0
    while match := patterns.surname_forms.search(text, position):
        start, end = match.span()
        form = match.lastgroup
        if found.find(1, start, end) != -1 and form == "bare":
            position = end  # the same name, already found after its cue
            continue
        if form == "honorific" and _is_word_before_title(match.group()):
            position = start + 1
            continue
        common_word = (
            form == "bare"
            and _is_common_word_not_name(match.group(), _DICTIONARY_WORD_FREQ["bare"])
            and not _stands_alone_without_a_cue(text, match.group(), end)
        )
        if (
            form == "masked"
            or (form == "honorific" and not _title_is_given_name(match))
            or not (common_word or not_a_person(start, end))
        ):
            yield accept(start, end)
            position = end
        elif common_word:
            # A name does not start inside the word (黃金龍一起 holds no 金龍一).
            position = start + _surname_length(match.group()) + 1
        else:
            position = start + 1  # a rejected candidate must not hide a name inside it
