"""The scrubber's output: typed placeholders, districts kept, everything else untouched."""

from __future__ import annotations

from ingest.deid.scrub import scrub

COMPLAINT = (
    "陳情人王小明（身分證A123456789）表示，於112年3月15日在基隆市仁愛區愛一路12號3樓的"
    "五金行購買型號KX-1250延長線，售價1,299元，使用時冒煙。聯絡電話0912-345-678，"
    "信箱wang.xm@gmail.com，LINE ID：wxm0912。車牌ABC-1235。出生日期民國74年3月15日。"
    "退款請匯入帳號808-1234567890123。"
)


def test_every_type_gets_its_placeholder_and_the_rest_survives():
    result = scrub(COMPLAINT)
    assert result.text == (
        "陳情人〔姓名〕（身分證〔身分證號〕）表示，於112年3月15日在基隆市仁愛區〔地址〕的"
        "五金行購買型號KX-1250延長線，售價1,299元，使用時冒煙。聯絡電話〔電話〕，"
        "信箱〔電子郵件〕，LINE ID：〔LINE〕。車牌〔車牌〕。出生日期〔生日〕。"
        "退款請匯入帳號〔帳號〕。"
    )


def test_entity_offsets_point_into_the_input():
    result = scrub(COMPLAINT)
    assert [e.type for e in result.entities] == [
        "name", "national_id", "address", "phone", "email", "line_id", "plate", "birthdate",
        "bank_account",
    ]  # fmt: skip
    for entity in result.entities:
        assert COMPLAINT[entity.start : entity.end] == entity.text


def test_simplified_chinese_is_scrubbed_too():
    result = scrub(
        "投诉人陈大文表示，张先生的手机是0912 345 678，住址台北市中正区重庆南路一段122号。"
    )
    assert result.text == "投诉人〔姓名〕表示，〔姓名〕的手机是〔電話〕，住址台北市中正区〔地址〕。"


def test_text_without_personal_data_is_returned_unchanged():
    text = "本分局電資產品課於113年第2季受理報驗2,400批，CCC碼8516.31.00.00-4商品抽驗合格率98%。"
    assert scrub(text).text == text
    assert scrub("").text == ""
