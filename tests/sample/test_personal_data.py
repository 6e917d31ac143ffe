"""The exports carry personal data in the forms real ones do: valid IDs, dialable phones, plates."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import phonenumbers
import pytest

from kaifang.sample.people import id_checksum_ok, landline, mobile, national_id, plate, ubn

VECTORS_FILE = Path(__file__).resolve().parents[3] / "shared/reference/data/tw-id-vectors.json"


@pytest.mark.skipif(not VECTORS_FILE.exists(), reason="reference vectors not available")
def test_the_checksum_agrees_with_the_reference_vectors():
    vectors = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    assert all(id_checksum_ok(v) for v in vectors["national_id"]["valid"])
    invalid = [v for v in vectors["national_id"]["invalid"] if re.fullmatch(r"[A-Z][12]\d{8}", v)]
    assert invalid and not any(id_checksum_ok(v) for v in invalid)


def test_generated_identifiers_are_valid():
    rng = random.Random(5)
    for _ in range(500):
        assert id_checksum_ok(national_id(rng))
        number = ubn(rng)
        weighted = sum(
            sum(divmod(int(d) * w, 10))
            for d, w in zip(number, (1, 2, 1, 2, 1, 2, 4, 1), strict=True)
        )
        assert weighted % 5 == 0 or (number[6] == "7" and (weighted + 1) % 5 == 0)
        car = plate(rng, taxi=True)
        if re.fullmatch(r"[A-Z]{3}-\d{4}", car):  # the current scheme: no I, O or 4
            assert car.startswith("T") and not re.search(r"[IO4]", car)
        else:
            assert re.fullmatch(r"[A-Z]{2}-\d{4}|\d{4}-[A-Z]{2}", car)


def test_phones_vary_in_notation_and_are_valid_taiwan_numbers():
    rng = random.Random(9)
    numbers = [mobile(rng) for _ in range(200)] + [
        landline(rng, a) for a in ("02", "03", "0836") * 70
    ]
    assert len({re.sub(r"\d", "9", n) for n in numbers}) >= 8  # many notations
    for text in numbers:
        dialable = re.split(r" ?(?:分機|#| 轉)", text)[0]
        assert phonenumbers.is_valid_number(phonenumbers.parse(dialable, "TW")), text


def test_taxi_rows_carry_driver_name_valid_id_and_plate(small_year, read_good_rows):
    rows = read_good_rows(small_year / "metrology_verifications_112.csv", "utf-8", "檢定日期")
    taxis = [r for r in rows if r["器具種類"] == "計程車計費表"]
    assert taxis
    for row in taxis:
        assert id_checksum_ok(row["駕駛人身分證字號"])
        assert row["車牌號碼"] and row["駕駛人姓名"]
    others = [r for r in rows if r["器具種類"] != "計程車計費表"]
    assert all(not (r["車牌號碼"] or r["駕駛人身分證字號"]) for r in others)


def test_free_text_remarks_mention_people_phones_and_ids(small_year, read_good_rows):
    rows = read_good_rows(small_year / "import_inspections_112.csv", "utf-8-sig", "報驗日期")
    notes = [r["備註"] for r in rows if r["備註"]]
    assert any(re.search(r"09\d\d-?\d{3}-?\d{3}", n) for n in notes)
    assert any(id_checksum_ok(m) for n in notes for m in re.findall(r"[A-Z][12]\d{8}", n))
    assert any(r["聯絡人"] and r["聯絡人"] in r["備註"] for r in rows)
