"""The published test vectors: every valid identifier is validated and detected in text,
no invalid one is validated as any kind of identifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.deid.detectors import detect
from ingest.deid.tw_ids import (
    is_national_id,
    is_resident_id,
    is_resident_id_new,
    is_resident_id_old,
    is_ubn,
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared/reference/data/tw-id-vectors.json"


@pytest.fixture(scope="module")
def vectors() -> dict:
    if not VECTORS.exists():
        pytest.skip(f"test vectors not found at {VECTORS} (the shared reference folder)")
    return json.loads(VECTORS.read_text(encoding="utf-8"))


def _is_any_person_id(value: str) -> bool:
    return is_national_id(value) or is_resident_id(value)


@pytest.mark.parametrize(
    ("group", "validator", "entity_type"),
    [
        ("national_id", is_national_id, "national_id"),
        ("resident_old_format", is_resident_id_old, "resident_id"),
        ("resident_new_format", is_resident_id_new, "resident_id"),
    ],
)
def test_valid_person_ids_are_validated_and_detected(vectors, group, validator, entity_type):
    for value in vectors[group]["valid"]:
        assert validator(value), value
        found = detect(f"這位民眾的證件是{value}，請查明。")
        assert [(e.type, e.text) for e in found] == [(entity_type, value)], value


@pytest.mark.parametrize("group", ["national_id", "resident_old_format", "resident_new_format"])
def test_invalid_person_ids_are_not_validated_nor_detected_without_context(vectors, group):
    for value in vectors[group]["invalid"]:
        assert not _is_any_person_id(value), value
        if not _is_any_person_id(value.upper()):
            assert detect(f"備註{value}。") == [], value


def test_a_valid_id_typed_in_lower_case_is_still_scrubbed(vectors):
    # "a123456789" is not a valid ID as written, but it is someone's ID typed carelessly.
    value = vectors["national_id"]["valid"][0].lower()
    assert not is_national_id(value)
    assert [e.type for e in detect(f"我的證號{value}")] == ["national_id"]


def test_invalid_look_alike_is_caught_when_the_context_says_id(vectors):
    value = vectors["national_id"]["invalid"][2]  # right shape, wrong checksum
    found = detect(f"身分證字號：{value}")
    assert [(e.type, e.text) for e in found] == [("national_id", value)]


def test_unified_business_numbers_follow_the_current_rule(vectors):
    ubn = vectors["unified_business_number"]
    assert all(is_ubn(v) for v in ubn["valid"])
    assert not any(is_ubn(v) for v in ubn["invalid"])
    assert not any(is_ubn(v, rule="old") for v in ubn["valid_new_invalid_old"])
    for value in ubn["valid"]:
        assert detect(f"業者統一編號{value}，已完成報驗。") == [], value
