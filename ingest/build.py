"""Building one dataset's SQLite file from validated records.

Into a new file in the work folder: the main table (published columns only, typed, rowid
order = source order), every record de-identified by its column rules, all rows inserted in
one transaction; then k-anonymity over the declared quasi-identifiers, the indexes and the
Chinese full-text index. The same records and key always give the same bytes, so an
unchanged dataset is recognised by its sha256.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import sqlite_utils

from ingest.cjk_fts import build_search_index
from ingest.definitions import DatasetDefinition
from ingest.deid.kanon import enforce_k_anonymity

# Test hook for the kill -9 test: "<dataset>:<marker path>" makes the build of that dataset
# touch the marker once its rows are inserted and then wait to be killed.
PAUSE_ENV = "KAIFANG_NIGHTLY_PAUSE_IN_BUILD"
_RULE_CACHE = 1 << 16


def deidentified(
    definition: DatasetDefinition, records: Iterable[dict], key: bytes
) -> Iterator[tuple]:
    """Each record as it will be published, as a tuple in ``published_columns`` order."""
    # Exports repeat values (the same address, officer, company): each rule is a pure
    # function of the value and the key, so it is computed once per distinct value.
    steps = [
        (
            c.name,
            None
            if c.rule.kind == "keep"
            else lru_cache(_RULE_CACHE)(partial(c.rule.apply, key=key)),
        )
        for c in definition.published_columns
    ]
    for record in records:
        yield tuple(record[name] if apply is None else apply(record[name]) for name, apply in steps)


@dataclass(frozen=True)
class BuildResult:
    rows: int
    k_anonymity: str  # what k-anonymity generalised and suppressed ("" without quasi-identifiers)


def build_dataset(
    path: Path, definition: DatasetDefinition, records: Iterable[dict], key: bytes
) -> BuildResult:
    """Write ``definition``'s table into a new SQLite file at ``path``."""
    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    try:
        # The file is private until it is swapped in and is fsynced then: no journal needed.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        columns = definition.published_columns
        db.table(definition.name).create({column.name: column.sqlite_type for column in columns})
        # Rows stream through one prepared INSERT in one transaction: sqlite-utils' insert_all
        # would re-check every batch against the schema that was just created from the definition.
        insert = (
            f"INSERT INTO [{definition.name}] ({', '.join(f'[{c.name}]' for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        with db.atomic():
            db.conn.executemany(insert, deidentified(definition, records, key))
        _pause_if_asked(definition.name)
        k_anonymity = _enforce_k_anonymity(db, definition)
        _create_indexes(db, definition)
        search_columns = [column.name for column in definition.published_columns if column.search]
        if search_columns:
            build_search_index(db, definition.name, search_columns)
        (rows,) = db.execute(f"SELECT count(*) FROM [{definition.name}]").fetchone()
        return BuildResult(rows=rows, k_anonymity=k_anonymity)
    finally:
        db.close()


def _enforce_k_anonymity(db: sqlite_utils.Database, definition: DatasetDefinition) -> str:
    qi = definition.quasi_identifiers
    if qi is None:
        return ""
    report = enforce_k_anonymity(
        db, definition.name, list(qi.columns), qi.k, qi.hierarchies, qi.max_suppression
    )
    return report.summary()


def _create_indexes(db: sqlite_utils.Database, definition: DatasetDefinition) -> None:
    table = db.table(definition.name)
    with db.atomic():
        for column in definition.published_columns:
            if column.index or column.name in definition.key:
                table.create_index([column.name], index_name=f"idx_{definition.name}_{column.name}")


def _pause_if_asked(dataset: str) -> None:
    wanted, _, marker = os.environ.get(PAUSE_ENV, "").partition(":")
    if wanted == dataset and marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(600)
