"""What changed between yesterday's published table and today's: rows added, removed, changed.

Rows are matched on the definition's key columns; a row whose key exists on both sides but
whose other published values differ counts as changed. A dataset without a key is compared
as a set of whole rows (a changed row then shows as one removed and one added).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ingest.provenance import Changes


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA [{schema}].table_info([{table}])")]


def compare_tables(
    old_path: Path | None, new_path: Path, table: str, key: tuple[str, ...]
) -> Changes:
    """Compare ``table`` in the previous file (``None`` if there is none) with the new file."""
    conn = sqlite3.connect(f"file:{new_path}?mode=ro", uri=True)
    try:
        (new_count,) = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()
        if old_path is None or not old_path.exists():
            return Changes(added=new_count, removed=0, changed=0)
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{old_path}?mode=ro",))
        old_columns = _columns(conn, "old", table)
        if not old_columns:
            return Changes(added=new_count, removed=0, changed=0)
        new_columns = _columns(conn, "main", table)
        common = [column for column in new_columns if column in old_columns]
        if key and all(column in common for column in key):
            return _by_key(conn, table, key, [c for c in common if c not in key])
        return _by_row(conn, table, common)
    finally:
        conn.close()


def _by_key(
    conn: sqlite3.Connection, table: str, key: tuple[str, ...], others: list[str]
) -> Changes:
    join = " AND ".join(f"n.[{column}] = o.[{column}]" for column in key)
    first = key[0]
    added = conn.execute(
        f"SELECT count(*) FROM main.[{table}] n LEFT JOIN old.[{table}] o ON {join} "
        f"WHERE o.[{first}] IS NULL"
    ).fetchone()[0]
    removed = conn.execute(
        f"SELECT count(*) FROM old.[{table}] o LEFT JOIN main.[{table}] n ON {join} "
        f"WHERE n.[{first}] IS NULL"
    ).fetchone()[0]
    differs = " OR ".join(f"n.[{column}] IS NOT o.[{column}]" for column in others) or "0"
    changed = conn.execute(
        f"SELECT count(*) FROM main.[{table}] n JOIN old.[{table}] o ON {join} WHERE {differs}"
    ).fetchone()[0]
    return Changes(added=added, removed=removed, changed=changed)


def _by_row(conn: sqlite3.Connection, table: str, columns: list[str]) -> Changes:
    selected = ", ".join(f"[{column}]" for column in columns)
    added = conn.execute(
        f"SELECT count(*) FROM (SELECT {selected} FROM main.[{table}] "
        f"EXCEPT SELECT {selected} FROM old.[{table}])"
    ).fetchone()[0]
    removed = conn.execute(
        f"SELECT count(*) FROM (SELECT {selected} FROM old.[{table}] "
        f"EXCEPT SELECT {selected} FROM main.[{table}])"
    ).fetchone()[0]
    return Changes(added=added, removed=removed, changed=0)
