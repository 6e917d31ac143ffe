"""What a valid case submission is, and turning untrusted input into one.

:func:`parse_submission` takes the JSON object of ``POST /api/v1/cases`` (or the same fields
gathered from a form or an Open311 request) and returns a :class:`CaseDraft`, or raises
:class:`ValidationError` listing every problem at once, each with the field's dotted name and
a message a citizen understands, in zh-TW followed by English. Unknown fields are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import phonenumbers

from feedback_api.vocabulary import CASE_TYPES, PRODUCT_AREAS, SAFETY_MARK

TEXT_MIN = 5
TEXT_MAX = 4000  # Open311's limit for a description
EMAIL_PATTERN = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,}$"
)
TAIWAN_BOUNDS = {"lat": (20.5, 26.5), "long": (116.0, 123.0)}  # incl. Kinmen, Matsu, Penghu
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(ValueError):
    """The submission has problems; ``errors`` lists each of them."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Product:
    name: str | None = None
    brand: str | None = None
    model: str | None = None
    shop: str | None = None  # where it was sold: shop name and place
    online_url: str | None = None  # or the online listing
    purchase_date: date | None = None
    safety_mark: str | None = None  # yes | no | unknown


@dataclass(frozen=True)
class Place:
    district: str | None = None
    address: str | None = None
    lat: float | None = None
    long: float | None = None


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class CaseDraft:
    """A validated submission, ready for :func:`feedback_api.cases.submit`.

    ``contact`` None means anonymous: no reply can be sent, the status page is the only way
    to follow the case. ``publish_narrative`` is the opt-in to publish the de-identified text
    after closing.
    """

    case_type: str
    text: str
    product_area: str | None = None
    product: Product = field(default_factory=Product)
    place: Place = field(default_factory=Place)
    contact: Contact | None = None
    reply_by_email: bool = False
    publish_narrative: bool = False


def _msg(zh: str, en: str) -> str:
    return f"{zh} ({en})"


class _Checker:
    """Collects the errors of one submission while reading its fields."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, name: str, zh: str, en: str) -> None:
        self.errors.append(FieldError(name, _msg(zh, en)))

    def obj(self, data: object, name: str, allowed: set[str]) -> Mapping:
        if data is None:
            return {}
        if not isinstance(data, Mapping):
            self.fail(name or "body", "格式不正確，應為物件", "must be a JSON object")
            return {}
        for key in sorted(set(data) - allowed, key=str):
            prefix = f"{name}." if name else ""
            self.fail(f"{prefix}{key}", "不接受這個欄位", "unknown field; remove it")
        return data

    def text(
        self,
        data: Mapping,
        key: str,
        name: str,
        *,
        max_len: int,
        min_len: int = 0,
        required: bool = False,
        label: str = "",
    ) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, f"請填寫{label}", f"{name} is required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"{label}應為文字", f"{name} must be text")
            return None
        value = value.strip()
        if _CONTROL.search(value):
            self.fail(name, f"{label}含有無法顯示的控制字元", f"{name} contains control characters")
            return None
        if len(value) > max_len:
            self.fail(
                name, f"{label}最多 {max_len} 個字", f"{name} is longer than {max_len} characters"
            )
            return None
        if len(value) < min_len:
            self.fail(
                name,
                f"{label}至少需要 {min_len} 個字",
                f"{name} needs at least {min_len} characters",
            )
            return None
        return value

    def choice(
        self,
        data: Mapping,
        key: str,
        name: str,
        options: Mapping[str, tuple[str, str]],
        *,
        required: bool = False,
        label: str = "",
    ) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(name, f"請選擇{label}", f"choose {name}")
            return None
        if not isinstance(value, str) or value not in options:
            listed = "、".join(f"{code}（{zh}）" for code, (zh, _en) in options.items())
            self.fail(
                name, f"{label}只能是：{listed}", f"{name} must be one of {', '.join(options)}"
            )
            return None
        return value

    def boolean(self, data: Mapping, key: str, name: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(name, "應為 true 或 false", "must be true or false")
            return False
        return value

    def number(
        self, data: Mapping, key: str, name: str, bounds: tuple[float, float]
    ) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(name, "應為數字", "must be a number")
            return None
        low, high = bounds
        if not low <= value <= high:
            self.fail(
                name, f"位置應在臺灣（{low}–{high}）", f"must be within Taiwan ({low}–{high})"
            )
            return None
        return float(value)


def _parse_product(check: _Checker, data: Mapping, *, structured: bool) -> Product:
    raw = check.obj(
        data.get("product"),
        "product",
        {"name", "brand", "model", "shop", "online_url", "purchase_date", "safety_mark"},
    )
    name = check.text(
        raw, "name", "product.name", max_len=200, required=structured, label="商品名稱"
    )
    brand = check.text(raw, "brand", "product.brand", max_len=100, label="廠牌")
    model = check.text(raw, "model", "product.model", max_len=100, label="型號")
    shop = check.text(raw, "shop", "product.shop", max_len=200, label="購買商店")
    online_url = check.text(raw, "online_url", "product.online_url", max_len=500, label="網址")
    if online_url is not None:
        parts = urlsplit(online_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            check.fail(
                "product.online_url",
                "網址應以 http:// 或 https:// 開頭",
                "must be a web address starting with http:// or https://",
            )
            online_url = None
    if (
        structured
        and shop is None
        and online_url is None
        and "product.shop" not in {e.field for e in check.errors}
    ):
        check.fail(
            "product.shop",
            "請填寫販售的商店或網路賣場網址",
            "say where it is sold: a shop or an online listing",
        )
    purchase_date = None
    raw_date = raw.get("purchase_date")
    if raw_date not in (None, ""):
        try:
            purchase_date = date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
        except ValueError:
            purchase_date = None
        if purchase_date is None:
            check.fail(
                "product.purchase_date",
                "購買日期格式應為 YYYY-MM-DD（西元）",
                "purchase date must look like 2026-03-15",
            )
        elif purchase_date > date.today() or purchase_date.year < 1950:
            check.fail(
                "product.purchase_date",
                "購買日期不可能在未來或太久以前",
                "purchase date cannot be in the future or before 1950",
            )
            purchase_date = None
    safety_mark = check.choice(
        raw,
        "safety_mark",
        "product.safety_mark",
        SAFETY_MARK,
        required=structured,
        label="商品安全標章",
    )
    return Product(name, brand, model, shop, online_url, purchase_date, safety_mark)


def _parse_place(check: _Checker, data: Mapping) -> Place:
    raw = check.obj(data.get("place"), "place", {"district", "address", "lat", "long"})
    district = check.text(raw, "district", "place.district", max_len=40, label="縣市鄉鎮")
    address = check.text(raw, "address", "place.address", max_len=300, label="地址")
    lat = check.number(raw, "lat", "place.lat", TAIWAN_BOUNDS["lat"])
    long = check.number(raw, "long", "place.long", TAIWAN_BOUNDS["long"])
    if (lat is None) != (long is None) and not {"place.lat", "place.long"} & {
        e.field for e in check.errors
    }:
        check.fail(
            "place.long" if long is None else "place.lat",
            "經緯度需一起填寫",
            "give both latitude and longitude, or neither",
        )
        lat = long = None
    return Place(district, address, lat, long)


def normalize_phone(raw: str) -> str | None:
    """A Taiwanese or international phone number in E.164, or None when it is not one."""
    try:
        number = phonenumbers.parse(raw, "TW")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_contact(check: _Checker, data: Mapping) -> Contact | None:
    if data.get("contact") is None:
        return None
    raw = check.obj(data.get("contact"), "contact", {"name", "email", "phone"})
    name = check.text(raw, "name", "contact.name", max_len=100, label="姓名")
    email = check.text(raw, "email", "contact.email", max_len=254, label="電子郵件")
    if email is not None and not EMAIL_PATTERN.match(email):
        check.fail(
            "contact.email",
            "電子郵件格式不正確，例如 name@example.com",
            "not a valid e-mail address, e.g. name@example.com",
        )
        email = None
    phone = check.text(raw, "phone", "contact.phone", max_len=30, label="電話")
    if phone is not None:
        phone = normalize_phone(phone)
        if phone is None:
            check.fail(
                "contact.phone",
                "電話號碼不正確，例如 02-2345-6789 或 0912-345-678",
                "not a valid phone number, e.g. 02-2345-6789 or 0912-345-678",
            )
    if name is None and email is None and phone is None:
        return None
    return Contact(name, email, phone)


TOP_LEVEL_FIELDS = {"type", "text", "product_area", "product", "place", "contact", "consents"}


def parse_submission(data: object, *, structured_product: bool = False) -> CaseDraft:
    """Validate a submission; ``structured_product`` demands the product details a volunteer
    monitor's report must carry (name, where sold, safety mark)."""
    check = _Checker()
    if not isinstance(data, Mapping):
        check.fail("body", "內容應為 JSON 物件", "the body must be a JSON object")
        raise ValidationError(check.errors)
    body = check.obj(data, "", TOP_LEVEL_FIELDS)
    case_type = check.choice(body, "type", "type", CASE_TYPES, required=True, label="案件類型")
    text = check.text(
        body, "text", "text", max_len=TEXT_MAX, min_len=TEXT_MIN, required=True, label="內容"
    )
    product_area = check.choice(
        body, "product_area", "product_area", PRODUCT_AREAS, label="商品類別"
    )
    product = _parse_product(check, body, structured=structured_product)
    place = _parse_place(check, body)
    contact = _parse_contact(check, body)
    consents = check.obj(body.get("consents"), "consents", {"reply_by_email", "publish_narrative"})
    reply_by_email = check.boolean(consents, "reply_by_email", "consents.reply_by_email")
    publish_narrative = check.boolean(consents, "publish_narrative", "consents.publish_narrative")
    if (
        reply_by_email
        and (contact is None or contact.email is None)
        and "contact.email" not in {e.field for e in check.errors}
    ):
        check.fail(
            "contact.email",
            "要以電子郵件回覆，請填寫電子郵件",
            "give an e-mail address to be answered by e-mail",
        )
    if check.errors:
        raise ValidationError(check.errors)
    return CaseDraft(
        case_type=case_type,  # type: ignore[arg-type]
        text=text,  # type: ignore[arg-type]
        product_area=product_area,
        product=product,
        place=place,
        contact=contact,
        reply_by_email=reply_by_email,
        publish_narrative=publish_narrative,
    )
