"""A published/ folder as the nightly job leaves it, built from the real dataset definitions,
and a real HTTP server around the portal. Shared by tests/publish, tests/browser and bench/.

Rows are synthetic but shaped by each definition's published columns; text columns that are
searchable cycle through PRODUCTS, so a test knows how many rows contain 玩具 or 血壓.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from ingest.cjk_fts import build_search_index
from ingest.definitions import DatasetDefinition, load_definitions
from kaifang.settings import REPO_ROOT, Settings

PRODUCTS = ("兒童玩具車", "電子血壓計", "電暖器", "LED燈泡")
RESULTS = ("合格", "合格", "合格", "不合格")
INSTRUMENTS = ("計程車計費表", "加油機", "電度表", "水量計", "非自動衡器")


def portal_settings(settings: Settings) -> Settings:
    """The test settings pointed at the repository's datasets/ and metadata.yml."""
    return replace(
        settings, datasets_dir=REPO_ROOT / "datasets", metadata_file=REPO_ROOT / "metadata.yml"
    )


def definitions_by_name() -> dict[str, DatasetDefinition]:
    return {d.name: d for d in load_definitions(REPO_ROOT / "datasets")}


def sample_value(column, i: int, start: date):
    if column.name == "month":  # a period column, YYYY-MM as the exports write it
        return (start + timedelta(days=(i * 7) % 365)).isoformat()[:7]
    if column.type == "date":
        return (start + timedelta(days=(i * 7) % 365)).isoformat()
    if column.type == "datetime":
        return datetime.combine(
            start + timedelta(days=(i * 7) % 365), datetime.min.time(), UTC
        ).isoformat()
    if column.type in ("integer", "boolean"):
        return i % 2 if column.type == "boolean" else (i * 13) % 97 + 1
    if column.type == "real":
        return round((i * 1.7) % 50, 2)
    if column.name == "result" or "result" in column.name:
        return RESULTS[i % len(RESULTS)]
    if "instrument" in column.name:
        return INSTRUMENTS[i % len(INSTRUMENTS)]
    if column.search:
        return f"{PRODUCTS[i % len(PRODUCTS)]} 第{i}批"
    return f"{column.label}{i % 7}"


def build_dataset_db(path: Path, definition: DatasetDefinition, rows: int, start: date) -> None:
    db = sqlite_utils.Database(path, recreate=True)
    columns = definition.published_columns
    with db.conn:
        db[definition.name].insert_all(
            ({c.name: sample_value(c, i, start) for c in columns} for i in range(rows)),
            batch_size=500,
        )
    for column in columns:
        if column.index:
            db[definition.name].create_index([column.name])
    searchable = [c.name for c in columns if c.search]
    if searchable:
        build_search_index(db, definition.name, searchable)
    db.conn.commit()
    db.close()


def write_published(
    settings: Settings,
    names: list[str],
    rows: int = 40,
    version: int = 1,
    start: date = date(2026, 1, 1),
) -> dict:
    """Build published/<name>.db for ``names``, catalog.db and, last, manifest.json."""
    definitions = definitions_by_name()
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries = {}
    catalog = sqlite_utils.Database(settings.published / "catalog.db")
    for name in names:
        temporary = settings.published / f".{name}.db.tmp"
        build_dataset_db(temporary, definitions[name], rows, start)
        temporary.replace(settings.published / f"{name}.db")
        entries[name] = {
            "file": f"{name}.db",
            "version": version,
            "sha256": f"{version:064x}",
            "rows": rows,
            "updated_at": now,
        }
        catalog["dataset_versions"].insert(
            {
                "dataset": name,
                "version": version,
                "run_id": f"run-{version}",
                "published_at": now,
                "sha256": entries[name]["sha256"],
                "rows_read": rows + 2,
                "rows_published": rows,
                "rows_quarantined": 2,
                "sources": "[]",
            },
            pk=("dataset", "version"),
            replace=True,
        )
        catalog["changelog"].insert(
            {
                "dataset": name,
                "version": version,
                "published_at": now,
                "rows_added": rows,
                "rows_removed": 0,
                "rows_changed": version - 1,
            },
            pk=("dataset", "version"),
            replace=True,
        )
    catalog["runs"].insert(
        {
            "run_id": f"run-{version}",
            "started_at": now,
            "finished_at": now,
            "outcome": "ok",
            "datasets_ok": len(names),
            "datasets_failed": 0,
            "report": "{}",
        },
        pk="run_id",
        replace=True,
    )
    catalog.close()
    manifest = {"generated_at": now, "datasets": entries}
    temporary = settings.published / "manifest.json.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    temporary.replace(settings.published / "manifest.json")
    return manifest
