"""Personal and business identifiers as they appear in real exports.

Names from the commonest surnames, checksum-valid national IDs, mobile and landline numbers
in the notations people actually type, 門牌 addresses of real districts and roads, licence
plates of the current and older schemes, company names with valid 統一編號. Every function
draws from the `random.Random` it is given and nothing else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from kaifang.sample.vocab import (
    BRANCH_DISTRICTS,
    BUSINESS_DISTRICTS,
    FIRM_PREFIXES,
    FIRM_SUFFIXES,
    FIRM_TRADES,
)

SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高"
    "潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛阮"
)
# Roughly the shares of the commonest surnames (陳 ≈ 11%).
SURNAME_CUM_WEIGHTS = tuple(
    accumulate(
        [11, 8, 6, 5.3, 5.1, 4.1, 4, 3.2, 2.9, 2.7] + [1.2] * 10 + [0.8] * (len(SURNAMES) - 20)
    )
)
GIVEN_CHARS = (
    "志明淑芬美玲家豪雅婷怡君建宏俊傑宗翰冠宇承恩品妤欣怡詩涵子瑜柏翰宜蓁佩珊"
    "文彬秀英國華麗珠金龍春嬌惠美明德正雄信宏靜宜育誠思妤哲維凱文婉婷佳穎"
)

_ID_LETTER_VALUES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            10,
            11,
            12,
            13,
            14,
            15,
            16,
            17,
            34,
            18,
            19,
            20,
            21,
            22,
            35,
            23,
            24,
            25,
            26,
            27,
            28,
            29,
            32,
            30,
            31,
            33,
        ],
        strict=True,
    )
)
_ID_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
# Region letters of people in the branch's district: mostly 基隆 (C), 宜蘭 (G), some 臺北 (A),
# 臺北縣 (F) and 連江 (Z).
COUNTY_ID_LETTERS = {"基隆市": "C", "宜蘭縣": "G", "連江縣": "Z", "新北市": "F", "臺北市": "A"}
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_DIGITS = "012356789"


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM_WEIGHTS)[0]
    given = (
        rng.choice(GIVEN_CHARS)
        if rng.random() < 0.08
        else rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)
    )
    return surname + given


def id_checksum_ok(national_id: str) -> bool:
    """The national ID checksum (also valid for new-format resident numbers)."""
    letter = _ID_LETTER_VALUES[national_id[0]]
    digits = [letter // 10, letter % 10, *(int(c) for c in national_id[1:])]
    return sum(d * w for d, w in zip(digits, _ID_WEIGHTS, strict=True)) % 10 == 0


def national_id(rng: random.Random, letter: str | None = None) -> str:
    """A checksum-valid 國民身分證統一編號."""
    letter = letter or rng.choice("CCCCGGGAFZ")
    body = f"{rng.choice('12')}{rng.randrange(10**7):07d}"
    value = _ID_LETTER_VALUES[letter]
    partial = (
        value // 10
        + (value % 10) * 9
        + sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS[2:10], strict=True))
    )
    return f"{letter}{body}{(10 - partial % 10) % 10}"


def ubn(rng: random.Random) -> str:
    """An 8-digit 統一編號 valid under the 2023 rule (digit sums of weighted digits ≡ 0 mod 5)."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(
            sum(divmod(d * w, 10)) for d, w in zip(digits, (1, 2, 1, 2, 1, 2, 4, 1), strict=True)
        )
        if total % 5 == 0 or (digits[6] == 7 and (total + 1) % 5 == 0):
            return "".join(map(str, digits))


def mobile(rng: random.Random) -> str:
    digits = f"09{rng.randrange(9)}{rng.randrange(10**7):07d}"
    style = rng.random()
    if style < 0.45:
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if style < 0.75:
        return digits
    if style < 0.88:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style < 0.95:
        return f"+886 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    return f"+886-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"


def landline(rng: random.Random, area: str, *, extension: bool = True) -> str:
    """A landline of the area code (02 eight digits, 03/04/07 seven, 0836 five), sometimes
    with an extension (分機, #, 轉) unless `extension` is False."""
    if area == "0836":
        local = f"2{rng.randrange(10**4):04d}"
        head, tail = local[:2], local[2:]
    elif area == "02":
        local = f"{rng.choice('22228')}{rng.randrange(10**7):07d}"
        head, tail = local[:4], local[4:]
    else:
        local = f"{rng.choice('3456789')}{rng.randrange(10**6):06d}"
        head, tail = local[:3], local[3:]
    style = rng.random()
    if style < 0.35:
        text = f"({area}){head}-{tail}"
    elif style < 0.7:
        text = f"{area}-{head}-{tail}"
    elif style < 0.85:
        text = f"{area} {local}"
    elif style < 0.93:
        text = f"{area}{local}"
    else:
        text = f"+886-{area[1:]}-{head}-{tail}"
    if extension and rng.random() < 0.12:
        text += rng.choice((" 分機", "#", " 轉", "分機")) + str(rng.randrange(100, 400))
    return text


def phone(rng: random.Random, area: str, mobile_share: float = 0.5) -> str:
    return mobile(rng) if rng.random() < mobile_share else landline(rng, area)


@dataclass(frozen=True)
class Address:
    county: str
    district: str
    text: str
    area_code: str


def address(
    rng: random.Random,
    county: str,
    district: str,
    gazetteer: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = BRANCH_DISTRICTS,
    *,
    floors: bool = True,
) -> Address:
    postcode, area, roads = gazetteer[county][district]
    road = rng.choice(roads)
    number = f"{rng.randrange(1, 400)}號"
    if road.endswith("村"):  # 馬祖: 村 + 號, no roads
        parts = [road, number]
    else:
        parts = [road]
        if rng.random() < 0.35:
            parts.append(f"{rng.randrange(1, 200)}巷")
            if rng.random() < 0.25:
                parts.append(f"{rng.randrange(1, 30)}弄")
        parts.append(number)
        if floors and rng.random() < 0.5:
            parts.append(f"{rng.randrange(2, 15)}樓")
            if rng.random() < 0.2:
                parts.append(f"之{rng.randrange(1, 6)}")
    prefix = postcode if rng.random() < 0.3 else ""
    county_text = county.replace("臺", "台") if rng.random() < 0.3 else county
    return Address(county, district, f"{prefix}{county_text}{district}{''.join(parts)}", area)


def branch_address(
    rng: random.Random, weights: tuple[float, float, float] = (0.6, 0.37, 0.03)
) -> Address:
    """An address in the branch's district: 基隆市, 宜蘭縣 or 連江縣."""
    county = rng.choices(tuple(BRANCH_DISTRICTS), weights)[0]
    return address(rng, county, rng.choice(tuple(BRANCH_DISTRICTS[county])))


def business_address(rng: random.Random) -> Address:
    county = rng.choices(tuple(BUSINESS_DISTRICTS), (30, 35, 15, 6, 6, 8))[0]
    return address(rng, county, rng.choice(tuple(BUSINESS_DISTRICTS[county])), BUSINESS_DISTRICTS)


def plate(rng: random.Random, *, taxi: bool = False) -> str:
    """A licence plate: ABC-1235 (no I, O or 4); older AB-1234 / 1234-AB forms now and then."""
    digits = "".join(rng.choice(PLATE_DIGITS) for _ in range(4))
    if rng.random() < 0.85:
        first = "T" if taxi else rng.choice(PLATE_LETTERS)
        return f"{first}{rng.choice(PLATE_LETTERS)}{rng.choice(PLATE_LETTERS)}-{digits}"
    letters = rng.choice(PLATE_LETTERS) + rng.choice(PLATE_LETTERS)
    return (
        f"{letters}-{rng.randrange(10**4):04d}"
        if rng.random() < 0.5
        else f"{rng.randrange(10**4):04d}-{letters}"
    )


def company_name(rng: random.Random) -> str:
    return rng.choice(FIRM_PREFIXES) + rng.choice(FIRM_TRADES) + rng.choice(FIRM_SUFFIXES)


@dataclass(frozen=True)
class Firm:
    """An importer: its name, 統一編號, responsible person, contact person, phone, address."""

    name: str
    ubn: str
    owner: str
    contact: str
    phone: str
    address: str
    area_code: str  # of its landlines


def firm(rng: random.Random) -> Firm:
    where = business_address(rng)
    return Firm(
        company_name(rng),
        ubn(rng),
        person_name(rng),
        person_name(rng),
        phone(rng, where.area_code, 0.4),
        where.text,
        where.area_code,
    )


def staff_roster(rng: random.Random, size: int) -> list[str]:
    """Distinct staff names."""
    names: list[str] = []
    while len(names) < size:
        name = person_name(rng)
        if name not in names:
            names.append(name)
    return names


def personal_note(rng: random.Random, contact: str, area: str) -> str:
    """A free-text remark mentioning a person, as staff write them in 備註."""
    name = contact if rng.random() < 0.7 else person_name(rng)
    template = rng.randrange(7)
    if template == 0:
        return f"已電洽聯絡人{name} {mobile(rng)} 補件"
    if template == 1:
        return f"{name[0]}{rng.choice(('先生', '小姐'))}來電詢問放行進度，回電{phone(rng, area)}"
    if template == 2:
        return f"代理人{name}（身分證{national_id(rng)}）親至櫃台補正文件"
    if template == 3:
        return f"通知{name}攜帶委任書至五堵辦事處，電話{landline(rng, area)}"
    if template == 4:
        return f"貨主{name}表示將申請複驗，聯絡手機{mobile(rng)}"
    if template == 5:
        return f"已以電子郵件通知{name}，並電話{phone(rng, area)}確認收到"
    return f"{name}稱樣品已寄出，身分證字號{national_id(rng)}，待確認"
