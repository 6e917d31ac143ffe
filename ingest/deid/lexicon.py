"""Word lists for finding people in Chinese text: surnames, honorifics, roles and cue words.

Lists are written in Traditional Chinese; ``with_simplified`` adds the Simplified spellings
(via OpenCC's t2s table, compiled into the ``opencc`` package) so the same rules read both.
Surnames are MOI's 112年 top 100 (Open Government Data License) plus other common and
compound surnames.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import opencc

_TOP_100_SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏"
    "孫戴范方宋鄧杜傅侯曹薛阮丁卓馬董温古藍石紀唐蔣姚連馮歐程湯黄田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸"
    "夏柳凃邵"
)
_MORE_SURNAMES = "溫賈孔毛易常武喬賀倪龍萬段雷錢湯尹黎易魯韋俞顧孟秦閻薛耿甘辜褚粘留"
COMPOUND_SURNAMES = ("歐陽", "司馬", "諸葛", "上官", "張簡", "范姜", "周黃", "張廖", "簡林", "江謝")

HONORIFICS = (
    "先生", "小姐", "女士", "太太", "君", "老闆娘", "老闆", "阿姨", "伯伯", "媽媽", "爸爸",
    "經理", "店長", "課長", "科長", "老師", "醫師", "律師", "同學", "姓男子", "姓女子",
    "姓民眾", "姓先生", "姓小姐", "姓女士", "姓男", "姓女", "姓",
    # civil-service and workplace titles (林技士, 胡科員)
    "技士", "技正", "技佐", "科員", "專員", "主任", "組長", "股長", "秘書", "分局長", "局長",
    "隊長", "所長", "里長", "警員", "檢驗員", "稽查員", "護理師", "教授", "師傅", "督導",
)  # fmt: skip

# Words after which a person's name follows (陳情人王小明, 負責人：林美玲).
ROLE_PREFIXES = (
    "陳情人", "檢舉人", "申訴人", "投訴人", "反映人", "申請人", "聯絡人", "連絡人", "負責人",
    "代表人", "承辦人", "經辦人", "承辦", "檢驗員", "檢驗人員", "查核人員", "檢定人員", "稽查員",
    "監視員", "義務監視員", "志工", "民眾", "里長", "司機", "駕駛", "駕駛人", "所有人", "車主",
    "屋主", "房東", "店長", "店員", "老闆", "老闆娘", "業務", "業務員", "員工", "職員", "收件人",
    "寄件人", "報案人", "被害人", "當事人", "消費者", "買家", "賣家", "送件人", "委託人", "受託人",
    "姓名", "本人", "我是", "我叫", "名叫", "叫做", "家屬", "先生", "太太", "女兒", "兒子",
    "同事", "鄰居", "友人", "朋友", "之子", "之女", "之妻", "之夫", "之父", "之母", "感謝", "謝謝",
    "通知", "委請", "轉告", "交由", "聯繫", "聯絡", "自稱", "網友", "移工", "看護", "仲介", "同仁",
    "貨主", "攤商", "攤主", "店主", "房客", "住戶", "患者", "學生", "師傅", "技師", "騎士", "乘客",
    "簽收人", "報驗人", "名字", "叫作", "代理人", "義務人", "受任人", "委任人", "電洽", "my name is", "My name is", "name:", "Name:",
)  # fmt: skip
# Weak cues: a name may follow, but only when a follower word confirms where it ends
# (跟張佩珊一起, 與林美玲合資).
WEAK_ROLE_PREFIXES = ("跟", "和", "與", "及", "、", "或", "由", "請", "向", "給", "被", "讓", "叫")

# Words that may follow a name (王小明表示…); they help decide where a name ends.
NAME_FOLLOWERS = (
    "表示", "說", "稱", "指出", "反映", "陳情", "檢舉", "來電", "致電", "提供", "購買", "購得",
    "於", "在", "向", "到", "至", "前往", "已", "曾", "也", "則", "等", "及", "與", "和", "跟",
    "的", "之", "所", "今", "昨", "當", "再", "又", "要求", "希望", "請", "認為", "發現", "告知",
    "回覆", "同意", "簽收", "確認", "簽名", "持", "攜", "駕駛", "騎", "開", "住", "家", "(", "（",
    "，", "。", "、", "；", "：", ",", ".", ";", ":", " ", "\n", "）", ")", "」", "』", "！", "？",
    "一起", "一同", "合資", "亦", "熱心", "為", "是", "有", "負責", "送", "簽", "他", "她", "我",
    "不在",
)  # fmt: skip

CONTEXT_NATIONAL_ID = ("身分證", "身份證", "統一證號", "居留證", "證號", "ID", "證件號碼")
CONTEXT_BANK = (
    "帳號",
    "帳戶",
    "賬號",
    "賬戶",
    "账号",
    "账户",
    "匯款",
    "轉帳",
    "匯入",
    "戶頭",
    "存簿",
)
CONTEXT_PHONE = (
    "電話", "手機", "市話", "室話", "專線", "分機", "TEL", "Tel", "tel", "撥打", "打給", "call",
)  # fmt: skip
CONTEXT_BIRTH = ("出生年月日", "出生日期", "出生", "生日", "生於", "出生於")
CONTEXT_LINE = ("LINE", "Line", "line", "賴", "ＬＩＮＥ")
CONTEXT_PLATE = (
    "車牌", "車號", "牌照", "車牌號碼", "機車", "汽車", "計程車", "貨車", "小客車", "轎車",
    "車輛", "公務車", "機車牌", "車子", "騎乘", "駕駛", "停在", "停放", "違停", "路邊", "電動車", "重機", "卡車", "公車", "遊覽車", "車主", "plate",
    "vehicle",
)  # fmt: skip


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def simplified(text: str) -> str:
    """The Simplified spelling of Traditional ``text``."""
    return _t2s().convert(text)


def with_simplified(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` plus their Simplified spellings, longest first, without duplicates."""
    forms = set(words)
    forms |= {simplified(w) for w in forms}
    return tuple(sorted(forms, key=lambda w: (-len(w), w)))


@cache
def surnames() -> tuple[str, ...]:
    """Single-character surnames in Traditional and Simplified spelling."""
    singles = set(_TOP_100_SURNAMES) | set(_MORE_SURNAMES)
    return tuple(sorted(singles | {simplified(s) for s in singles}))


@cache
def compound_surnames() -> tuple[str, ...]:
    return with_simplified(COMPOUND_SURNAMES)
