"""Column rules: parsing, each rule's published value, and pseudonyms that are stable and keyed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from ingest.deid.detectors import detect
from ingest.deid.rules import RuleError, parse_rule

KEY = b"test-pseudonym-key"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("hide", "unknown de-identification rule 'hide'"),
        ("generalize", "needs one of month, quarter, year, district, county"),
        ("generalize:week", "needs one of"),
        ("mask:email", "needs one of name, id, phone, plate"),
        ("band:", "band edges must be numbers"),
        ("band:10,5", "increasing"),
        ("keep:yes", "takes no argument"),
    ],
)
def test_bad_specs_are_refused_with_a_message(spec, message):
    with pytest.raises(RuleError, match=message):
        parse_rule(spec)


def test_keep_and_drop():
    assert parse_rule("keep").apply("王小明", KEY) == "王小明"
    drop = parse_rule("drop")
    assert not drop.publishes and drop.apply("王小明", KEY) is None


def test_pseudonym_is_stable_across_runs_and_spellings():
    rule = parse_rule("pseudonym")
    first = rule.apply("A123456789", KEY)
    assert first == parse_rule(" pseudonym ").apply("Ａ123456789 ", KEY)
    assert first != rule.apply("A123456780", KEY)
    assert len(first) == 16 and "A123456789" not in first


def test_pseudonym_cannot_be_reproduced_without_the_key():
    rule = parse_rule("pseudonym")
    token = rule.apply("A123456789", KEY)
    assert token != rule.apply("A123456789", b"another-key")
    # not a plain hash someone could recompute from a list of IDs
    assert token not in hashlib.sha256(b"A123456789").hexdigest()
    with pytest.raises(ValueError, match="key"):
        rule.apply("A123456789", b"")


@pytest.mark.parametrize(
    ("spec", "value", "published"),
    [
        ("generalize:month", "112/03/15", "2023-03"),
        ("generalize:month", "民國112年3月15日", "2023-03"),
        ("generalize:month", "2023-03-15T09:30:00+08:00", "2023-03"),
        ("generalize:month", date(2023, 3, 15), "2023-03"),
        ("generalize:quarter", "112/05/02", "2023-Q2"),
        ("generalize:quarter", "2023-11", "2023-Q4"),
        ("generalize:year", "2023-Q4", "2023"),
        ("generalize:month", "not a date", None),
        ("generalize:district", "基隆市仁愛區愛一路12號3樓", "基隆市仁愛區"),
        ("generalize:district", "台北市中正區重慶南路一段122號", "臺北市中正區"),
        ("generalize:district", "暖暖區暖暖街5號", "基隆市暖暖區"),
        ("generalize:county", "基隆市仁愛區", "基隆市"),
        ("generalize:county", "somewhere", None),
        ("band:0,10,100,1000", 5, "0–9"),
        ("band:0,10,100,1000", "1,234", "1000+"),
        ("band:0,10,100,1000", -2, "<0"),
        ("band:0,100,1000", "10–99", "0–99"),
        ("band:0,0.5,1", 0.7, "0.5–<1"),
        ("mask:name", "王小明", "王○明"),
        ("mask:name", "王明", "王○"),
        ("mask:name", "歐陽小明", "歐陽○明"),
        ("mask:id", "A123456789", "A12****789"),
        ("mask:phone", "0912-345-678", "0912-***-678"),
        ("mask:phone", "+886 912 345 678", "0912-***-678"),
        ("mask:phone", "(02)2311-1234", "02-*****234"),
        ("mask:plate", "ABC-1234", "ABC-**34"),
        ("mask:plate", "123-ABC", "*23-ABC"),
        ("scrub", "聯絡人王小明，電話0912345678", "聯絡人〔姓名〕，電話〔電話〕"),
        ("mask:name", None, None),
    ],
)
def test_published_values(spec, value, published):
    assert parse_rule(spec).apply(value, KEY) == published


@pytest.mark.parametrize(
    "column", ["pseudonym", "聯絡電話", "LINE", "賴", "帳號", "車牌", "身分證字號", "生日", "姓名"]
)
def test_no_pseudonym_looks_like_personal_data_to_the_leak_gate(column):
    tokens = [parse_rule("pseudonym").apply(f"value {n}", KEY) for n in range(500)]
    assert [token for token in tokens if detect(token, context=column)] == []
