"""Each export is in the format and encoding the contract (docs/exports.md) gives it."""

from __future__ import annotations

import json
import re

import feedparser
import pytest
from openpyxl import load_workbook

from kaifang.sample import people, vocab
from kaifang.sample.calendar import parse_roc_date

ROC_DATE = re.compile(r"1\d\d/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])")


def test_market_inspections_are_big5_not_utf8(small_year, read_good_rows):
    raw = (small_year / "market_inspections_112.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp950")
    assert text.startswith("查核編號,查核日期,查核類型")
    rows = read_good_rows(small_year / "market_inspections_112.csv", "cp950", "查核日期")
    assert {r["查核類型"] for r in rows} == {"實體店面", "網路平台"}


def test_every_vocabulary_string_encodes_in_big5():
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(key)
                yield from strings(item)
        elif isinstance(value, tuple | list):
            for item in value:
                yield from strings(item)
        elif hasattr(value, "__dataclass_fields__"):
            yield from strings([getattr(value, f) for f in value.__dataclass_fields__])

    texts = [s for name in dir(vocab) if name.isupper() for s in strings(getattr(vocab, name))]
    texts += [people.SURNAMES, people.GIVEN_CHARS, people.PLATE_LETTERS]
    assert len(texts) > 300
    for text in texts:
        text.encode("cp950")


def test_import_file_is_utf8_with_bom_and_roc_dates(small_year, read_good_rows):
    raw = (small_year / "import_inspections_112.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\xe7\x94\xb3\xe8\xab\x8b")  # BOM then 申請
    rows = read_good_rows(small_year / "import_inspections_112.csv", "utf-8-sig", "報驗日期")
    for row in rows:
        assert ROC_DATE.fullmatch(row["報驗日期"])
        assert parse_roc_date(row["報驗日期"]).year == 2023
        assert row["放行日期"] == "" or ROC_DATE.fullmatch(row["放行日期"])
        assert re.fullmatch(r"KL112\d{7}", row["申請書案號"])
        assert re.fullmatch(r"\d{4}\.\d\d\.\d\d\.\d\d-\d", row["CCC碼"])


def test_failed_batches_workbook_opens_with_text_dates_and_number_quantities(small_year):
    workbook = load_workbook(small_year / "failed_batches_112.xlsx")
    assert workbook.sheetnames == ["不合格批"]
    header, first = (list(r) for r in workbook["不合格批"].iter_rows(max_row=2, values_only=True))
    assert header[:3] == ["申請書案號", "報驗日期", "報驗義務人"]
    assert ROC_DATE.fullmatch(first[1])
    assert isinstance(first[8], int)


def test_measurement_sites_are_a_json_array_of_the_contract_fields(small_year):
    sites = json.loads((small_year / "measurement_sites_112.json").read_text(encoding="utf-8"))
    assert {tuple(site) for site in sites} == {
        (
            "site_id", "site_type", "name", "operator", "operator_type", "county", "district",
            "address", "registered", "registered_on", "contact_person", "contact_phone",
        )
    }  # fmt: skip


def test_feeds_parse_as_rss_and_atom_with_unique_ids(small_year):
    rss = feedparser.parse(str(small_year / "feeds" / "bsmi_recalls.xml"))
    atom = feedparser.parse(str(small_year / "feeds" / "product_safety_news.xml"))
    assert not rss.bozo and not atom.bozo
    assert rss.version == "rss20" and atom.version == "atom10"
    for feed in (rss, atom):
        assert len(feed.entries) >= 20
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)
        assert all(entry.link.startswith("https://") for entry in feed.entries)
        assert all(entry.published_parsed.tm_year == 2023 for entry in feed.entries)
    assert any(entry.title.endswith("召回") for entry in rss.entries)


def test_year_option_moves_every_date(tmp_path, read_good_rows):
    from kaifang.sample.run import write_sample

    write_sample(tmp_path, roc_year=113, scale=0.01, seed=1)
    rows = read_good_rows(tmp_path / "import_inspections_113.csv", "utf-8-sig", "報驗日期")
    assert rows and all(r["報驗日期"].startswith("113/") for r in rows)
    dispatch = read_good_rows(tmp_path / "sampling_dispatch_113.csv", "utf-8", "派遣日期")
    assert all(parse_roc_date(r["派遣日期"]).year == 2024 for r in dispatch)
