"""What citizens and volunteer monitors write to the branch, as the sample's cases say it.

Message templates per kind of case (mailbox message, tip, volunteer report, referral), each
with the unit that must act on it, filled with products, shops, platforms and places, and
with the personal details real messages carry: the writer's name, phone, national ID and
address, and the names and phones of sellers they report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kaifang.sample.people import (
    Address,
    branch_address,
    mobile,
    national_id,
    person_name,
    phone,
)
from kaifang.sample.vocab import (
    CONTAINER_YARDS,
    FIRM_PREFIXES,
    ONLINE_PLATFORMS,
    PRODUCTS,
    SHOP_KINDS,
)

MAILBOX, TIP, VOLUNTEER = "mailbox", "tip", "volunteer"

# product class of the export vocabulary -> (the case's product_area, the product section)
PRODUCT_CLASSES = {
    "電機電子": ("electrical", "電資產品課"),
    "機械": ("mechanical", "機械產品課"),
    "化工": ("chemical", "化工產品課"),
}
UNIT_AREAS = {"計量課": "metrology", "報驗發證課": "application", "秘書室": "general"}


@dataclass(frozen=True)
class Template:
    kind: str  # mailbox, tip or volunteer
    case_type: str  # petition, report, inquiry, suggestion, thanks
    unit: str  # who must act; "product" = the section of the product's class
    text: str
    referral: str | None = None  # the agency the case belongs to, when not the branch
    category: str | None = None  # only products of this class (電機電子, 機械, 化工) fit


TEMPLATES: tuple[Template, ...] = (
    # mailbox: questions about rules, certificates and applications
    Template(MAILBOX, "inquiry", "product", "我買的{product}使用時會發燙，這類商品要符合哪個CNS標準？需要哪些檢驗項目？", category="電機電子"),
    Template(MAILBOX, "inquiry", "product", "請問進口{product}是採逐批檢驗還是驗證登錄？要準備哪些技術文件？"),
    Template(MAILBOX, "inquiry", "product", "公司想自行進口一批{product}，想知道檢驗標準跟抽樣方式，謝謝。"),
    Template(MAILBOX, "petition", "product", "家裡的{product}用不到一個月就壞了還冒煙，這種商品是怎麼通過檢驗的？", category="電機電子"),
    Template(MAILBOX, "inquiry", "報驗發證課", "我的報驗案號還沒放行，已經等了五天，請問進度？貨放在{yard}。"),
    Template(MAILBOX, "inquiry", "報驗發證課", "免驗申請要附哪些文件？我們只是進口少量樣品做展示用。"),
    Template(MAILBOX, "petition", "報驗發證課", "線上書審系統上傳檔案一直失敗，已經試了好幾次，報驗期限快到了。"),
    Template(MAILBOX, "inquiry", "報驗發證課", "具結先行放行的條件是什麼？保證金額度不足時要怎麼處理？"),
    Template(MAILBOX, "inquiry", "計量課", "想預約計程車計費表到場檢定，我們車行有十幾台車，請問怎麼申請？"),
    Template(MAILBOX, "inquiry", "計量課", "市場攤商的電子秤多久要檢定一次？檢定合格的標誌長什麼樣子？"),
    Template(MAILBOX, "inquiry", "秘書室", "請問分局週六有開放櫃台嗎？我平日要上班沒辦法過去。"),
    Template(MAILBOX, "petition", "秘書室", "上週到櫃台詢問報驗流程，承辦人員態度很差，講話很不耐煩。"),
    Template(MAILBOX, "thanks", "秘書室", "謝謝貴局林技士耐心說明計程車檢定的流程，服務非常好。"),
    Template(MAILBOX, "suggestion", "秘書室", "建議網站的商品檢驗查詢可以用手機操作，現在的頁面在手機上很難用。"),
    Template(MAILBOX, "petition", "秘書室", "網站查詢功能壞了，輸入商品檢驗標識號碼都查不到資料。"),
    Template(MAILBOX, "inquiry", "市場監督課", "在{platform}買的{product}好像被召回了，請問要去哪裡退？"),
    # tips: sellers breaking the rules, scales and meters
    Template(TIP, "report", "市場監督課", "{platform}有賣家在賣沒有檢驗標章的{product}，賣場名稱「{shop}」，價格便宜得離譜。"),
    Template(TIP, "report", "市場監督課", "{place}的{shop}在賣{product}，上面的檢驗標識看起來是印上去的，很像假的。"),
    Template(TIP, "report", "市場監督課", "夜市攤販賣的{product}沒有中文標示，也沒有商品安全標章，小孩子很容易買到。"),
    Template(TIP, "report", "市場監督課", "召回的{product}在{place}的{shop}還在賣，店員說沒收到通知。"),
    Template(TIP, "report", "市場監督課", "{platform}賣家標示「外銷品免檢驗」在賣{product}，這樣可以賣嗎？"),
    Template(TIP, "report", "計量課", "{place}傳統市場攤販的秤不準，買一斤豬肉回家秤少了快兩兩。"),
    Template(TIP, "report", "計量課", "搭計程車從基隆火車站到{place}，跳錶跳得比平常快很多，懷疑計費表有問題。"),
    Template(TIP, "report", "計量課", "{place}的加油站油量好像不足，加了二十公升油箱指針只動一點點。"),
    Template(TIP, "report", "product", "買的{product}使用時起火燃燒，差點釀成火災，請查明是否有瑕疵。", category="電機電子"),
    # volunteer monitors' reports
    Template(VOLUNTEER, "report", "市場監督課", "商品義務監視員通報：在{place}的{shop}發現販售無商品安全標章之{product}，共三款，已拍照存證。"),
    Template(VOLUNTEER, "report", "市場監督課", "義務監視員通報：{platform}賣場「{shop}」販售{product}，商品頁面未標示檢驗標識，疑似未經檢驗。"),
    Template(VOLUNTEER, "report", "市場監督課", "巡查{place}商圈，{shop}陳列之{product}無中文標示及廠商資料，請派員查核。"),
    # not the branch's business: referred to the competent agency
    Template(TIP, "report", "市場監督課", "{platform}上賣的保健食品標示不清，吃了以後拉肚子。", "衛生福利部食品藥物管理署"),
    Template(MAILBOX, "petition", "秘書室", "在{shop}買的{product}壞了，店家不肯退換貨，請幫忙處理消費糾紛。", "基隆市政府消費者服務中心"),
    Template(TIP, "report", "市場監督課", "{platform}賣家在賣自製的化妝品，沒有任何標示。", "衛生福利部食品藥物管理署"),
)  # fmt: skip

AGENCY_NOTES = ("非本局主管業務", "依權責移請處理", "涉及消費爭議")


@dataclass(frozen=True)
class Message:
    """A case to submit: its words, what it is about and who must act on it."""

    template: Template
    text: str
    unit: str
    product_area: str
    product: str
    shop: str | None
    online: bool
    place: Address


def compose(rng: random.Random, template: Template, writer: str) -> Message:
    """Fill a template; about a third of the messages also carry the writer's own details."""
    product = rng.choice([p for p in PRODUCTS if template.category in (None, p.category)])
    place = branch_address(rng)
    online = "{platform}" in template.text
    shop = _shop(rng, online)
    area, product_unit = PRODUCT_CLASSES[product.category]
    unit = product_unit if template.unit == "product" else template.unit
    if unit == "計量課" and place.county != "基隆市":  # on-site metrology goes to the field office
        unit = "蘇澳辦事處" if place.county == "宜蘭縣" else "馬祖辦事處"
    text = template.text.format(
        product=product.name,
        platform=rng.choice(ONLINE_PLATFORMS),
        shop=shop,
        place=f"{place.county}{place.district}",
        yard=rng.choice(CONTAINER_YARDS),
    )
    text = _with_personal_details(rng, text, writer, place, about_seller=template.kind != MAILBOX)
    if template.unit in UNIT_AREAS:
        area = UNIT_AREAS[template.unit]
    return Message(template, text, unit, area, product.name, shop, online, place)


def _shop(rng: random.Random, online: bool) -> str:
    if online:
        return f"{rng.choice(FIRM_PREFIXES)}{rng.choice(('生活館', '小舖', '嚴選', '好物社'))}"
    return f"{rng.choice(FIRM_PREFIXES)}{rng.choice(SHOP_KINDS)}"


def _with_personal_details(
    rng: random.Random, text: str, writer: str, place: Address, *, about_seller: bool
) -> str:
    draw = rng.random()
    if draw < 0.15:
        return f"我是{writer}，住在{place.text}，{text}請回電{mobile(rng)}。"
    if draw < 0.22:
        return f"{text}我的身分證字號是{national_id(rng)}，聯絡電話{phone(rng, place.area_code)}，{writer}。"
    if draw < 0.3 and about_seller:
        seller = person_name(rng)
        return f"{text}賣家負責人叫{seller}，電話{mobile(rng)}。"
    if draw < 0.36:
        return f"{writer[0]}{rng.choice(('先生', '小姐', '太太'))}來信：{text}"
    return text


def reply_text(rng: random.Random, message: Message, writer: str | None) -> str:
    """The section's answer, addressed to the writer by name when known."""
    greeting = f"{writer}君您好：" if writer else "您好："
    body = {
        MAILBOX: "有關您詢問的事項，說明如下：相關規定請參閱本局網站公告，如仍有疑問歡迎來電洽詢。",
        TIP: "本分局已派員前往查核，違規業者將依商品檢驗法相關規定辦理，感謝您的檢舉。",
        VOLUNTEER: "感謝您的通報，本分局已將資料列入市場購樣檢查，查核結果將另行通知。",
    }[message.template.kind]
    return f"{greeting}{body}承辦人：{person_name(rng)}，電話(02)2421-{rng.randrange(1000, 9999)}。"


def internal_note(rng: random.Random, writer: str | None) -> str:
    who = writer or person_name(rng)
    return rng.choice(
        (
            f"已電洽陳情人{who} {mobile(rng)}，說明處理方式",
            f"業者負責人{person_name(rng)}（{national_id(rng)}）已到案說明",
            f"請{who}補充購買憑證，聯絡電話{mobile(rng)}",
        )
    )


def email_address(rng: random.Random) -> str:
    local = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(rng.randrange(5, 10)))
    return f"{local}{rng.randrange(10, 999)}@{rng.choice(('gmail.com', 'yahoo.com.tw', 'hotmail.com', 'msa.hinet.net'))}"
