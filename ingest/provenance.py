"""Provenance in ``published/catalog.db``: every run, every dataset version and its changelog.

Tables (times are UTC ISO 8601 with offset):
- ``runs(run_id, started_at, finished_at, outcome, datasets_ok, datasets_failed, report)``
- ``dataset_versions(dataset, version, run_id, published_at, sha256, rows_read,
  rows_published, rows_quarantined, sources)`` — ``sources`` is JSON ``[{file, sha256, rows}]``
- ``changelog(dataset, version, published_at, rows_added, rows_removed, rows_changed)``

The catalog is public (it holds no personal data) and is written in short transactions, so
the portal can read it while a run is going on.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    datasets_ok INTEGER,
    datasets_failed INTEGER,
    report TEXT
);
CREATE TABLE IF NOT EXISTS dataset_versions (
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    published_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_published INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    sources TEXT NOT NULL,
    PRIMARY KEY (dataset, version)
);
CREATE TABLE IF NOT EXISTS changelog (
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_removed INTEGER NOT NULL,
    rows_changed INTEGER NOT NULL,
    PRIMARY KEY (dataset, version)
);
"""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class VersionRecord:
    dataset: str
    version: int
    run_id: str
    published_at: str
    sha256: str
    rows_published: int


@dataclass(frozen=True)
class Changes:
    added: int
    removed: int
    changed: int


class Catalog:
    """The provenance database; open with ``Catalog(path)`` and close when done."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30)
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def mark_interrupted_runs(self) -> int:
        """Runs left ``running`` by a killed process become ``interrupted``; return how many."""
        with self.conn:
            cursor = self.conn.execute(
                "UPDATE runs SET outcome = 'interrupted' WHERE outcome = 'running'"
            )
        return cursor.rowcount

    def start_run(self, run_id: str, started_at: str) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO runs (run_id, started_at, outcome) VALUES (?, ?, 'running')",
                (run_id, started_at),
            )

    def finish_run(self, run_id: str, outcome: str, ok: int, failed: int, report: dict) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, outcome = ?, datasets_ok = ?, "
                "datasets_failed = ?, report = ? WHERE run_id = ?",
                (utc_now(), outcome, ok, failed, json.dumps(report, ensure_ascii=False), run_id),
            )

    def latest_version(self, dataset: str) -> VersionRecord | None:
        row = self.conn.execute(
            "SELECT dataset, version, run_id, published_at, sha256, rows_published "
            "FROM dataset_versions WHERE dataset = ? ORDER BY version DESC LIMIT 1",
            (dataset,),
        ).fetchone()
        return VersionRecord(*row) if row else None

    def latest_versions(self) -> list[VersionRecord]:
        rows = self.conn.execute(
            "SELECT dataset, version, run_id, published_at, sha256, rows_published "
            "FROM dataset_versions v WHERE version = "
            "(SELECT max(version) FROM dataset_versions WHERE dataset = v.dataset) "
            "ORDER BY dataset"
        )
        return [VersionRecord(*row) for row in rows]

    def record_version(
        self,
        *,
        dataset: str,
        run_id: str,
        sha256: str,
        rows_read: int,
        rows_published: int,
        rows_quarantined: int,
        sources: list[dict],
        changes: Changes,
    ) -> VersionRecord:
        """Add the next version of ``dataset`` and its changelog entry in one transaction."""
        published_at = utc_now()
        with self.conn:
            (latest,) = self.conn.execute(
                "SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset = ?",
                (dataset,),
            ).fetchone()
            version = latest + 1
            self.conn.execute(
                "INSERT INTO dataset_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    dataset, version, run_id, published_at, sha256, rows_read, rows_published,
                    rows_quarantined, json.dumps(sources, ensure_ascii=False),
                ),
            )  # fmt: skip
            self.conn.execute(
                "INSERT INTO changelog VALUES (?, ?, ?, ?, ?, ?)",
                (dataset, version, published_at, changes.added, changes.removed, changes.changed),
            )
        return VersionRecord(dataset, version, run_id, published_at, sha256, rows_published)
