"""The dirt documented in docs/exports.md is there, and a seed fixes every byte."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from kaifang.sample.run import write_sample


def _raw_rows(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _duplicates(rows: list[list[str]]) -> int:
    return sum(count - 1 for count in Counter(map(tuple, rows)).values())


def test_import_file_carries_every_kind_of_documented_dirt(small_year):
    path = small_year / "import_inspections_112.csv"
    header, rows = _raw_rows(path, "utf-8-sig")
    dates = Counter(row[1] for row in rows if len(row) == len(header))
    assert _duplicates(rows) == 3
    assert dates["112/13/45"] == dates["112/02/30"] == dates[""] == 1
    assert sum(1 for row in rows if len(row) == len(header) and row[0] == "") == 1
    assert [len(row) > len(header) for row in rows].count(True) == 1
    assert len(rows[-1]) < len(header)
    assert not path.read_bytes().endswith(b"\n")


@pytest.mark.parametrize(
    ("name", "encoding", "duplicates", "bad_date"),
    [
        ("market_inspections_112.csv", "cp950", 2, "112/00/12"),
        ("metrology_verifications_112.csv", "utf-8", 2, "112/04/31"),
        ("sampling_dispatch_112.csv", "utf-8", 1, None),
    ],
)
def test_other_csv_exports_carry_their_documented_dirt(
    small_year, name, encoding, duplicates, bad_date
):
    header, rows = _raw_rows(small_year / name, encoding)
    assert all(len(row) == len(header) for row in rows)
    assert _duplicates(rows) == duplicates
    if bad_date:
        assert [row[1] for row in rows].count(bad_date) == 1
        assert [row[0] for row in rows].count("") == 1


def test_damaged_rows_are_extra_copies_so_good_rows_keep_exact_counts(small_year, read_good_rows):
    rows = read_good_rows(small_year / "import_inspections_112.csv", "utf-8-sig", "報驗日期")
    numbers = [r["申請書案號"] for r in rows]
    assert len(numbers) == len(set(numbers)) == round(49_633 * 0.05)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_the_same_bytes_and_another_seed_other_data(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_sample(tmp_path / name, roc_year=112, scale=0.02, seed=seed)
    first, again, other = (_digests(tmp_path / n) for n in "abc")
    assert len(first) == 9
    assert first == again
    changed = {name for name in first if first[name] != other[name]}
    assert {"import_inspections_112.csv", "failed_batches_112.xlsx"} <= changed
    assert "market_inspections_112.csv" in changed
