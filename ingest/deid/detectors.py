"""Finding personal values in free text: ``detect(text) -> list[Entity]``.

Types: ``name, national_id, resident_id, phone, email, line_id, bank_account, plate, address,
birthdate``. Each type has one finder here (names and addresses have their own modules);
``detect`` runs them all on the offset-preserving normalised text and keeps, where finds
overlap, the one found by the more reliable finder. Values that have a checksum (IDs) or a
numbering plan (phones, checked against ``phonenumbers``' metadata for region TW) are
validated; values with neither (bank accounts, LINE IDs, birth dates, plates, ID look-alikes)
need the context words that announce them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ingest.deid import addresses, names
from ingest.deid.dates import CHINESE_NUMERAL_DATE_PATTERN, DATE_PATTERN
from ingest.deid.lexicon import (
    CONTEXT_BANK,
    CONTEXT_BIRTH,
    CONTEXT_LINE,
    CONTEXT_NATIONAL_ID,
    CONTEXT_PHONE,
    CONTEXT_PLATE,
    with_simplified,
)
from ingest.deid.pseudonyms import is_pseudonym
from ingest.deid.text_forms import alternation, normalise
from ingest.deid.tw_ids import is_national_id, is_resident_id
from ingest.deid.tw_phones import is_local_number, is_tw_phone, national_number

ENTITY_TYPES = (
    "name", "national_id", "resident_id", "phone", "email", "line_id", "bank_account",
    "plate", "address", "birthdate",
)  # fmt: skip


@dataclass(slots=True)
class Entity:
    """One personal value: its type and where it is in the text (``text[start:end]``)."""

    type: str
    start: int
    end: int
    text: str


Span = tuple[str, int, int]


def _words(words: tuple[str, ...]) -> str:
    return alternation(with_simplified(words))


def _context_before(text: str, start: int, context: re.Pattern[str], reach: int) -> bool:
    return context.search(text, max(0, start - reach), start) is not None


_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def find_emails(text: str) -> Iterator[Span]:
    if "@" not in text:  # the cheap test spares most texts the scan
        return
    for match in _EMAIL.finditer(text):
        yield "email", match.start(), match.end()


_ID_CANDIDATE = re.compile(r"[A-Za-z](?<![A-Za-z0-9].)[A-Da-d0-9]\d{7,9}(?![A-Za-z0-9])")
_ID_CONTEXT = re.compile(_words(CONTEXT_NATIONAL_ID) + r"|字號|ID", re.IGNORECASE)


# An ID written in groups or letter by letter (A 123 456 789, A12345 6789): counted only when
# the ten characters without the spaces pass the checksum (not with hyphens: V112-000015 is a
# verification number).
_SPACED_ID = re.compile(r"[A-Za-z](?<![A-Za-z0-9].)(?: ?[A-Da-d0-9])(?: ?\d){8}(?![A-Za-z0-9])")


def find_ids(text: str) -> Iterator[Span]:
    """Checksum-valid IDs anywhere, also written with spaces; look-alikes of the
    same shape only after an ID context."""
    for match in _SPACED_ID.finditer(text) if " " in text else ():
        value = match.group().replace(" ", "").upper()
        if value != match.group().upper() and (is_national_id(value) or is_resident_id(value)):
            kind = "national_id" if is_national_id(value) else "resident_id"
            yield kind, match.start(), match.end()
    for match in _ID_CANDIDATE.finditer(text):
        value = match.group().upper()
        if len(value) == 10 and is_national_id(value):
            yield "national_id", match.start(), match.end()
        elif len(value) == 10 and is_resident_id(value):
            yield "resident_id", match.start(), match.end()
        elif _context_before(text, match.start(), _ID_CONTEXT, 12):
            yield "national_id", match.start(), match.end()


# Every alternative starts with a literal character, so the regex engine skips ahead to the
# few places a number can start; the look-behind after that character checks that it does
# not continue a longer code (the look-behind spans the character before and the literal).
# The end is checked by ``find_phones``: a number glued to further letters or digits is part
# of a longer code (the pseudonym 024366216f9a8b81), not a phone.
_INTERNATIONAL_TAIL = r"886[\s-]*(?:\(0\)|\(|0)?\s*[2-9]\d{0,3}\)?"
_PHONE = re.compile(
    rf"(?:\+(?<![0-9A-Za-z]\+){_INTERNATIONAL_TAIL}"
    rf"|0(?<![0-9A-Za-z]0)0{_INTERNATIONAL_TAIL}"
    rf"|8(?<![0-9A-Za-z]8){_INTERNATIONAL_TAIL[1:]}"
    r"|\((?<![0-9A-Za-z]\()0\d{1,3}\)"
    r"|0(?<![0-9A-Za-z]0)\d{1,4})"
    r"(?:[\s./-]{0,2}\d){5,9}(?!\d)"
)
_EXTENSION = re.compile(r"\s*(?:#|＃|分機|分机|轉|转|ext\.?|EXT\.?|x)\s*\d{1,6}")
# What may directly follow a number's last digit: anything but a letter or digit (or a dot and
# a digit: 0712.90.10.00-9 is a CCC code, 0912.345.678 a phone), or a LINE word
# (0912345678LINE同號).
_PHONE_END = re.compile(rf"(?![0-9A-Za-z]|\.\d)|{_words(CONTEXT_LINE)}")
_CCC_CODE = re.compile(r"\d{4}\.\d{2}\.\d")


def find_phones(text: str) -> Iterator[Span]:
    """Phone numbers in any common notation, validated against Taiwan's numbering plan.

    When the permissive match runs into a following number (``0912345678 2台``), shorter
    prefixes ending on a digit are tried before giving up; a prefix glued to the letters or
    digits after it (``09123456789``, ``0912345678abc``) is no phone.
    """
    for match in _PHONE.finditer(text):
        start, end = match.span()
        if _CCC_CODE.match(text, start):  # 0402.21.00.00-1 is a tariff code, not 04-0221 0000
            continue
        while end - start >= 8:
            extension = _EXTENSION.match(text, end)
            if (extension or _PHONE_END.match(text, end)) and is_tw_phone(
                national_number(text[start:end])
            ):
                yield "phone", start, extension.end() if extension else end
                break
            end = _previous_digit_end(text, start, end)


# After a phone word (up to six characters between them, the last of them no letter, digit or
# hyphen: TEL2457-3388 and 電話：2457-3388, not 電話ab12345678cd), a number of a phone's shape
# (the trunk 0 and 8 or 9 more digits, however separated) or one without its area code.
_AFTER_PHONE_WORD = re.compile(
    rf"(?:{_words(CONTEXT_PHONE)})(?:[^\d\n]{{0,5}}[^\d\nA-Za-z-])?"
    r"(?:(?P<shaped>0\d(?:[\s./-]?\d){7,8})|(?P<local>\d{3,4}[- ]?\d{4}))(?![\dA-Za-z-])"
)


def find_phones_after_a_phone_word(text: str) -> Iterator[Span]:
    """Numbers the word before them makes phones: one of a phone's shape even when the
    numbering plan has no such number (聯絡電話045122497: mistyped or not, it is somebody's),
    and one without its area code that is a valid landline number under some area code
    (電話2457-3388; 電話02023107 is neither)."""
    for match in _AFTER_PHONE_WORD.finditer(text):
        if match["shaped"] or is_local_number(match["local"]):
            yield "phone", *match.span(match.lastgroup)


def _previous_digit_end(text: str, start: int, end: int) -> int:
    end -= 1
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return end


_BANK = re.compile(
    rf"(?:{_words(CONTEXT_BANK)})[^\n。；;]{{0,16}}?(?<!\d)(\d(?:[ -]?\d){{9,15}})(?!\d)"
)


def find_bank_accounts(text: str) -> Iterator[Span]:
    for match in _BANK.finditer(text):
        yield "bank_account", match.start(1), match.end(1)


_LINE_WORD = re.compile(_words(CONTEXT_LINE))
_LINE = re.compile(
    rf"(?<![A-Za-z])(?:{_words(CONTEXT_LINE)})\s*(?:ID|id|Id|帳號|账号)?\s*(?:[:=]|是|為|为)?\s*"
    r"(@?[A-Za-z0-9][A-Za-z0-9._-]{2,19})(?![A-Za-z0-9._-])"
)


def find_line_ids(text: str) -> Iterator[Span]:
    """IDs after LINE/賴, except a pseudonym token: a LINE column published under the
    ``pseudonym`` rule holds tokens, not IDs."""
    if _LINE_WORD.search(text) is None:  # the word alone is found much faster
        return
    for match in _LINE.finditer(text):
        if not is_pseudonym(match.group(1)):
            yield "line_id", match.start(1), match.end(1)


_ANY_DATE = f"(?:{DATE_PATTERN}|{CHINESE_NUMERAL_DATE_PATTERN})"
_BIRTH = re.compile(rf"(?:{_words(CONTEXT_BIRTH)})\s*(?:[:]|是|為|为|於|于)?\s*({_ANY_DATE})")
# 生 after a date (59年7月8日生), unless it starts another word (生效, 生鮮…). The scan looks
# for 生 itself, which the regex engine finds much faster than a character class.
_BORN = re.compile(r"生(?![效產产活意鮮鲜病氣气命物菜長长])")
_DATE_ENDING_HERE = re.compile(rf"({_ANY_DATE})\s*\Z")
_BIRTH_COHORT = re.compile(r"\d{2,3}年次")


def find_birthdates(text: str) -> Iterator[Span]:
    """Dates after 出生/生日…, dates followed by 生 (59年7月8日生), and birth cohorts (74年次)."""
    if "生" in text:  # in every birth word, and after every date of birth
        for match in _BIRTH.finditer(text):
            yield "birthdate", match.start(1), match.end(1)
        yield from _dates_before_born(text)
    if "年次" in text:
        for match in _BIRTH_COHORT.finditer(text):
            yield "birthdate", match.start(), match.end()


def _dates_before_born(text: str) -> Iterator[Span]:
    for born in _BORN.finditer(text):
        last = born.start() - 1
        while last >= 0 and text[last].isspace():
            last -= 1
        if last >= 0 and (text[last] == "日" or text[last].isdecimal()):
            date = _DATE_ENDING_HERE.search(text, max(0, last - 16), last + 1)
            if date:
                yield "birthdate", date.start(1), date.end(1)


# Every plate is 6 to 8 letters and digits with one hyphen (or ABC1234); the exact shapes are
# checked on the few candidates (a leading character class lets the regex engine skip ahead).
# In either case (車牌abc-1235), and letters and digits of the current format may be parted
# by a space (車牌ABC 1235; not 2000 CC, an engine's size).
_PLATE_CANDIDATE = re.compile(
    r"[A-Z0-9](?<![A-Za-z0-9-].)"
    r"(?:[A-Z0-9]{0,3}-[A-Z0-9]{2,4}|(?<=[A-Z])[A-Z]{2}\d{4}|(?<=[A-Z])[A-Z]{1,2} \d{4})"
    r"(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
_PLATE_SHAPES = re.compile(
    r"[A-Z]{3}-?\d{4}|[A-Z]{2}-\d{4}|\d{4}-[A-Z]{2}|\d[A-Z]-\d{4}|[A-Z]\d-\d{4}"
    r"|\d{3}-[A-Z]{3}|[A-Z]{3}-\d{3}|[A-Z]{2}\d-\d{3}|\d{3}-\d{4}"
)
_PLATE_CONTEXT = re.compile(_words(CONTEXT_PLATE), re.IGNORECASE)


def find_plates(text: str) -> Iterator[Span]:
    """Plates after a vehicle word (車牌, 機車, 計程車, 停在…): without one, ABC-1235 is as
    likely a product model as a plate, and model numbers must survive."""
    for match in _PLATE_CANDIDATE.finditer(text):
        plate = match.group().upper().replace(" ", "-")
        if _PLATE_SHAPES.fullmatch(plate) and _context_before(
            text, match.start(), _PLATE_CONTEXT, 12
        ):
            yield "plate", match.start(), match.end()


# Most reliable first: on overlap the earlier finder wins.
FINDERS: tuple[Callable[[str], Iterator[Span]], ...] = (
    find_emails,
    find_birthdates,
    find_bank_accounts,
    find_line_ids,
    find_ids,
    find_phones,
    find_phones_after_a_phone_word,
    find_plates,
    addresses.find_addresses,
    names.find_names,
)


def detect(text: str, *, context: str = "") -> list[Entity]:
    """Every personal value in ``text``, in order, without overlaps (on overlap the span of
    the earlier finder in ``FINDERS`` wins, then the span found first).

    ``context`` is read as if it preceded the text without being part of it: the leak gate
    passes the column name, so a bare ``ABC-1235`` in a column called ``plate`` is a plate.
    """
    if not text:
        return []
    if context:
        offset = len(context) + 1
        return [
            Entity(e.type, e.start - offset, e.end - offset, e.text)
            for e in detect(f"{context}\n{text}")
            if e.start >= offset
        ]
    normal = normalise(text)
    covered = bytearray(len(text))
    taken: list[Span] = []
    for finder in FINDERS:
        for span in finder(normal):
            _, start, end = span
            if covered.find(1, start, end) == -1:
                covered[start:end] = b"\x01" * (end - start)
                taken.append(span)
    taken.sort(key=lambda found: found[1])
    return [Entity(t, s, e, text[s:e]) for t, s, e in taken]
