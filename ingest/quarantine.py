"""The quarantine: rows that could not be published, with the reason, in ``internal/quarantine.db``.

It holds the raw rows (personal data included), so it lives under internal/ and is never
served. Each dataset keeps the rows of its latest run, so the table always answers
"what is wrong in today's exports".
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import raw_text

_SCHEMA = """
CREATE TABLE IF NOT EXISTS quarantine (
    run_id TEXT NOT NULL,
    dataset TEXT NOT NULL,
    source_file TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    raw TEXT
);
CREATE INDEX IF NOT EXISTS quarantine_dataset ON quarantine (dataset, source_file, line);
"""
_BATCH = 1000


@dataclass
class Quarantine:
    """Buffered writer of one dataset's rejected rows for one run."""

    path: Path
    run_id: str
    dataset: str
    count: int = 0
    _pending: list[tuple] = field(default_factory=list)
    _conn: sqlite3.Connection | None = None

    def __enter__(self) -> Quarantine:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30)
        self._conn.executescript(_SCHEMA)
        with self._conn:
            self._conn.execute("DELETE FROM quarantine WHERE dataset = ?", (self.dataset,))
        return self

    def add(self, source_file: str, line: int | None, reason: str, raw: object) -> None:
        self._pending.append((self.run_id, self.dataset, source_file, line, reason, raw_text(raw)))
        self.count += 1
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._pending and self._conn is not None:
            with self._conn:
                self._conn.executemany(
                    "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?)", self._pending
                )
            self._pending.clear()

    def __exit__(self, *exc_info) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()


def quarantined_rows(path: Path, dataset: str) -> list[dict]:
    """The quarantined rows of ``dataset`` from its latest run, in file and line order."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT * FROM quarantine WHERE dataset = ? ORDER BY source_file, line", (dataset,)
        )
        return [dict(row) for row in rows]
    finally:
        conn.close()
