"""The leak gate applied to a built dataset, one scan per distinct text value.

Published columns repeat their values (the same company, category, container yard on
thousands of rows), and whether a text holds personal data depends only on the text. So each
distinct value of each text column is copied once into a scratch database, scanned there
with the de-identification helper's ``scan_database``, and every leak is reported back at
every row of the dataset that holds the leaking value. Every cell is still checked; the
same cell is simply not checked twice.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ingest.deid.leak_gate import Leak, scan_database

VALUE = "value"


def scan_built_dataset(built: Path, table: str, scratch: Path) -> list[Leak]:
    """Every personal value in the text cells of ``table`` in ``built``, by rowid of ``table``."""
    distinct = scratch / f"{built.stem}.distinct.db"
    distinct.unlink(missing_ok=True)
    conn = sqlite3.connect(distinct)
    try:
        conn.execute("ATTACH DATABASE ? AS built", (f"file:{built}?mode=ro",))
        columns = [row[1] for row in conn.execute(f"PRAGMA built.table_info([{table}])")]
        with conn:
            for column in columns:
                conn.execute(f"CREATE TABLE [{column}] ({VALUE} TEXT)")
                conn.execute(
                    f"INSERT INTO [{column}] SELECT DISTINCT [{column}] FROM built.[{table}] "
                    f"WHERE typeof([{column}]) = 'text' ORDER BY [{column}]"
                )
        with conn:
            conn.execute("CREATE TABLE found (col TEXT, value TEXT, type TEXT, excerpt TEXT)")
            for leak in scan_database(distinct, tables=columns):
                conn.execute(
                    f"INSERT INTO found SELECT ?, {VALUE}, ?, ? FROM [{leak.table}] WHERE rowid = ?",
                    (leak.table, leak.type, leak.excerpt_masked, leak.rowid),
                )
            conn.execute("CREATE INDEX found_value ON found (col, value)")
        leaks = []
        for (column,) in conn.execute("SELECT DISTINCT col FROM found").fetchall():
            rows = conn.execute(
                f"SELECT b.rowid, f.type, f.excerpt FROM built.[{table}] b "
                f"JOIN found f ON f.col = ? AND f.value = b.[{column}]",
                (column,),
            )
            leaks.extend(Leak(table, column, rowid, kind, excerpt) for rowid, kind, excerpt in rows)
        return sorted(leaks, key=lambda leak: (leak.rowid, leak.column, leak.type))
    finally:
        conn.close()
        distinct.unlink(missing_ok=True)
