"""k-anonymity on a small table whose answer was worked out by hand, and small-cell suppression."""

from __future__ import annotations

import pytest
import sqlite_utils

from ingest.deid.kanon import (
    KAnonymityError,
    complementary_suppression,
    enforce_k_anonymity,
    suppress_small_cells,
)
from tests.disclosure import recover

HIERARCHIES = {"month": ["month", "quarter", "year"], "district": ["district", "county"]}
QUASI_IDENTIFIERS = ["month", "district", "category"]

# (month, district, category, how many rows)
ROWS = [
    ("2023-01", "基隆市仁愛區", "電器", 2),
    ("2023-02", "基隆市仁愛區", "電器", 1),
    ("2023-03", "基隆市仁愛區", "電器", 1),
    ("2023-01", "基隆市信義區", "玩具", 3),
    ("2023-04", "基隆市信義區", "玩具", 2),
    ("2023-06", "基隆市信義區", "玩具", 1),
    ("2023-05", "基隆市中正區", "電器", 1),
]


@pytest.fixture
def db(tmp_path) -> sqlite_utils.Database:
    database = sqlite_utils.Database(tmp_path / "cases.db")
    database["cases"].insert_all(
        {"month": m, "district": d, "category": c, "note": f"row {i}"}
        for m, d, c, n in ROWS
        for i in range(n)
    )
    return database


def _classes(db) -> list[tuple]:
    return db.execute(
        "select month, district, category, count(*) from cases group by 1, 2, 3 order by 1, 2, 3"
    ).fetchall()


def test_quarters_reach_k_and_the_one_outlier_is_suppressed(db):
    # Months have 6 distinct values, districts 3: months go to quarters first. Then only the
    # single 2023-Q2 中正區 row is below k=3, and the budget (10% of 11 rows) allows one row.
    report = enforce_k_anonymity(db, "cases", QUASI_IDENTIFIERS, 3, HIERARCHIES, 0.10)
    assert report.generalised == {"month": ["quarter"]}
    assert (report.rows_before, report.rows_suppressed, report.rows_after) == (11, 1, 10)
    assert report.smallest_class == 3
    assert _classes(db) == [
        ("2023-Q1", "基隆市仁愛區", "電器", 4),
        ("2023-Q1", "基隆市信義區", "玩具", 3),
        ("2023-Q2", "基隆市信義區", "玩具", 3),
    ]
    assert "suppressed 1 of 11 rows" in report.summary()


def test_without_suppression_budget_it_generalises_further(db):
    # Budget 0: after quarters, districts (3 values) go to the county, then quarters
    # (2 values) go to the year, which leaves two classes of 5 and 6.
    report = enforce_k_anonymity(db, "cases", QUASI_IDENTIFIERS, 3, HIERARCHIES, 0.0)
    assert report.generalised == {"month": ["quarter", "year"], "district": ["county"]}
    assert report.rows_suppressed == 0
    assert _classes(db) == [("2023", "基隆市", "玩具", 6), ("2023", "基隆市", "電器", 5)]


def test_unreachable_k_is_refused_and_names_the_budget(db):
    with pytest.raises(KAnonymityError, match="budget allows 1"):
        enforce_k_anonymity(db, "cases", QUASI_IDENTIFIERS, 8, HIERARCHIES, 0.10)


def test_unknown_column_or_level_is_a_clear_error(db):
    with pytest.raises(KAnonymityError, match="no column"):
        enforce_k_anonymity(db, "cases", ["month", "shoe_size"], 3, HIERARCHIES, 0.1)
    with pytest.raises(KAnonymityError, match="hierarchy of 'month'"):
        enforce_k_anonymity(db, "cases", ["month"], 3, {"month": ["month", "decade"]}, 0.1)


def test_null_quasi_identifiers_form_their_own_class(db):
    db["cases"].insert({"month": None, "district": None, "category": "電器", "note": "x"})
    report = enforce_k_anonymity(db, "cases", QUASI_IDENTIFIERS, 3, HIERARCHIES, 0.2)
    assert db.execute("select count(*) from cases where month is null").fetchone()[0] == 0
    assert report.smallest_class >= 3


def test_small_cells_are_blanked_and_zeros_and_large_counts_kept():
    rows = [
        {"month": "2023-01", "unit": "電資產品課", "cases": 1, "closed": 0},
        {"month": "2023-01", "unit": "化工產品課", "cases": 2, "closed": 2},
        {"month": "2023-02", "unit": "電資產品課", "cases": 14, "closed": 3},
    ]
    published = suppress_small_cells(rows, ["cases", "closed"])
    assert [(r["cases"], r["closed"]) for r in published] == [(None, 0), (None, None), (14, 3)]
    assert rows[0]["cases"] == 1  # the input is not modified
    assert suppress_small_cells(rows, ["cases"], threshold=2)[1]["cases"] == 2


@pytest.mark.parametrize(
    "counts",
    [
        {"電器": 1, "玩具": 7, "其他": 12},  # one small cell: the smallest other is emptied too
        {"電器": 1, "玩具": 1, "其他": 5, "食品": 9},  # two ones sum to their number
        {"電器": 2, "玩具": 2, "其他": 40},  # two small cells that already hide each other
        {"電器": 1, "玩具": 2},  # every cell is needed
    ],
)
def test_no_emptied_cell_can_be_recovered_from_the_total(counts):
    suppressed, withheld = complementary_suppression(counts)
    assert not withheld
    assert {c for c, n in counts.items() if n < 3} <= suppressed
    assert recover(counts, sum(counts.values()), suppressed) is None
    assert len(suppressed) <= 3  # no more than needed


def test_a_one_small_cell_breakdown_empties_exactly_its_smallest_partner():
    assert complementary_suppression({"電器": 1, "玩具": 7, "其他": 12}) == (
        {"電器", "玩具"},
        set(),
    )
    assert complementary_suppression({"電器": 4, "玩具": 7}) == (set(), set())


def test_cells_that_would_all_be_known_as_ones_are_withheld():
    assert complementary_suppression({"電器": 1, "玩具": 1, "其他": 1}) == (
        set(), {"電器", "玩具", "其他"},
    )  # fmt: skip
