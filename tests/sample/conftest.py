"""Sample years written once per session, and a reader that keeps what a careful pipeline keeps."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from kaifang.sample.calendar import parse_roc_date
from kaifang.sample.run import write_sample

SMALL_SCALE = 0.05


@pytest.fixture(scope="session")
def full_year(tmp_path_factory) -> Path:
    """Year 112 at scale 1.0: the seed figures."""
    inbox = tmp_path_factory.mktemp("full") / "inbox"
    write_sample(inbox, roc_year=112, scale=1.0, seed=1)
    return inbox


@pytest.fixture(scope="session")
def small_year(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("small") / "inbox"
    write_sample(inbox, roc_year=112, scale=SMALL_SCALE, seed=7)
    return inbox


def read_raw(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _valid_roc(text: str) -> bool:
    try:
        parse_roc_date(text)
    except ValueError:
        return False
    return True


def good_rows(path: Path, encoding: str, date_column: str | None = None) -> list[dict[str, str]]:
    """Rows with the header's field count, a key (first column) and a valid date, duplicates dropped."""
    header, rows = read_raw(path, encoding)
    date_index = header.index(date_column) if date_column else None
    seen: set[tuple[str, ...]] = set()
    kept = []
    for row in rows:
        if len(row) != len(header) or not row[0] or tuple(row) in seen:
            continue
        if date_index is not None and not _valid_roc(row[date_index]):
            continue
        seen.add(tuple(row))
        kept.append(dict(zip(header, row, strict=True)))
    return kept


@pytest.fixture(scope="session")
def read_good_rows() -> Callable[..., list[dict[str, str]]]:
    return good_rows
