"""The leak gate: scan a database about to be published for personal values.

``scan_database(path)`` runs the free-text detectors over every text cell of every ordinary
table (full-text index tables are derived from them and skipped) and returns one ``Leak``
per value found. The column name is given to the detectors as context, so a bare
``ABC-1235`` in a column called ``plate`` counts as a plate. The nightly job refuses to publish a database with any leak. A leak's
excerpt shows the surrounding text with the value itself, and every other value found near
it, replaced by its type, so the report (published in catalog.db's ``runs``) can be logged
without repeating the leak.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.deid.detectors import ENTITY_TYPES, Entity, detect

EXCERPT_CONTEXT = 8


@dataclass(frozen=True)
class Leak:
    table: str
    column: str
    rowid: int
    type: str
    excerpt_masked: str


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ordinary_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [
        name
        for name, _ in rows
        if name not in virtual and not any(name.startswith(v + "_") for v in virtual)
    ]


def _excerpt(text: str, entities: list[Entity], found: Entity) -> str:
    """The text around ``found`` with every value found in it replaced by its type: the
    context of one value must not show the next one (王小明電話0912-345-678)."""
    low, high = max(0, found.start - EXCERPT_CONTEXT), found.end + EXCERPT_CONTEXT
    pieces, position = [], low
    for entity in entities:
        if entity.end <= low or entity.start >= high:
            continue
        pieces.append(text[position : max(position, entity.start)])
        pieces.append(f"⟨{entity.type}⟩")
        position = max(position, entity.end)
    pieces.append(text[position:high] if position < high else "")
    return "".join(pieces)


def scan_database(
    path: Path, *, tables: Iterable[str] | None = None, types: Iterable[str] = ENTITY_TYPES
) -> list[Leak]:
    """Every personal value in the text cells of ``tables`` (default: all ordinary tables)."""
    wanted_types = set(types)
    leaks: list[Leak] = []
    connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        for table in tables if tables is not None else _ordinary_tables(connection):
            columns = [row[1] for row in connection.execute(f"pragma table_info({_quote(table)})")]
            for column in columns:
                query = (
                    f"select rowid, {_quote(column)} from {_quote(table)} "
                    f"where typeof({_quote(column)}) = 'text'"
                )
                for rowid, value in connection.execute(query):
                    entities = detect(value, context=column)
                    for entity in entities:
                        if entity.type in wanted_types:
                            excerpt = _excerpt(value, entities, entity)
                            leaks.append(Leak(table, column, rowid, entity.type, excerpt))
    finally:
        connection.close()
    return leaks
