"""The published catalog: which datasets are live, with their definitions, counts and history.

A ``Catalog`` is an immutable snapshot of one publish: manifest.json (files, versions, row
counts, update times), the dataset definitions of ``datasets/*.yml`` and the three
classification schemes. The portal builds one per manifest and never mutates it, so a page
always sees one consistent publish. catalog.db (provenance) is read for changelogs.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.definitions import DatasetDefinition, load_definitions
from ingest.taxonomy import load_taxonomies

SCHEMES = ("topic", "policy", "service")
CATALOG_DB = "catalog.db"
MANIFEST = "manifest.json"


class CatalogError(RuntimeError):
    """published/ is not in a servable state; the message says what is wrong."""


@dataclass(frozen=True)
class PublishedDataset:
    definition: DatasetDefinition
    file: Path
    version: int
    rows: int
    updated_at: str
    sha256: str

    @property
    def name(self) -> str:
        return self.definition.name

    def categories(self, scheme: str) -> list[str]:
        return list((self.definition.categories or {}).get(scheme) or [])


@dataclass(frozen=True)
class ChangelogEntry:
    version: int
    published_at: str
    rows_added: int
    rows_removed: int
    rows_changed: int


@dataclass(frozen=True)
class Catalog:
    published_dir: Path
    generated_at: str
    manifest_sha256: str
    datasets: tuple[PublishedDataset, ...]
    taxonomies: dict  # scheme -> {code: Category}

    def get(self, name: str) -> PublishedDataset | None:
        return next((d for d in self.datasets if d.name == name), None)

    def in_category(self, scheme: str, code: str) -> list[PublishedDataset]:
        """Datasets filed under ``code`` or under any of its descendants in ``scheme``."""
        return [
            d
            for d in self.datasets
            if any(self.is_within(scheme, c, code) for c in d.categories(scheme))
        ]

    def is_within(self, scheme: str, code: str, ancestor: str) -> bool:
        categories = self.taxonomies.get(scheme, {})
        seen: set[str] = set()
        while code and code not in seen:
            if code == ancestor:
                return True
            seen.add(code)
            category = categories.get(code)
            code = category.parent if category else None
        return False

    def dataset_files(self) -> list[Path]:
        """The immutable dataset files of this publish (the nightly job swaps them, never edits)."""
        return [d.file for d in self.datasets]

    def provenance_file(self) -> Path | None:
        """catalog.db, which the nightly job updates in place: served mutable, with locking."""
        path = self.published_dir / CATALOG_DB
        return path if path.exists() else None

    def changelog(self, name: str, limit: int = 20) -> list[ChangelogEntry]:
        rows = _query_provenance(
            self.published_dir / CATALOG_DB,
            "select version, published_at, rows_added, rows_removed, rows_changed from changelog "
            "where dataset = ? order by version desc limit ?",
            (name, limit),
        )
        return [ChangelogEntry(*row) for row in rows]

    def first_published(self, name: str) -> str | None:
        rows = _query_provenance(
            self.published_dir / CATALOG_DB,
            "select min(published_at) from dataset_versions where dataset = ?",
            (name,),
        )
        return rows[0][0] if rows else None


def _query_provenance(path: Path, sql: str, params: tuple) -> list[tuple]:
    if not path.exists():
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def read_manifest(published_dir: Path) -> tuple[dict, str]:
    """manifest.json as a dict with the sha256 of its bytes; an empty manifest before the first publish."""
    path = published_dir / MANIFEST
    if not path.exists():
        return {"generated_at": None, "datasets": {}}, "none"
    raw = path.read_bytes()
    try:
        manifest = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path} is not valid JSON: {exc}") from exc
    return manifest, hashlib.sha256(raw).hexdigest()


def load_catalog(published_dir: Path, datasets_dir: Path) -> Catalog:
    """The catalog of one publish: manifest entries that have a definition and a file on disk."""
    manifest, manifest_sha = read_manifest(published_dir)
    definitions = {d.name: d for d in load_definitions(datasets_dir)}
    datasets = []
    for name, entry in sorted((manifest.get("datasets") or {}).items()):
        file = (published_dir / entry["file"]).resolve()
        if file.parent != published_dir.resolve():
            raise CatalogError(
                f"manifest entry {name!r} points outside published/: {entry['file']}"
            )
        if name not in definitions:
            raise CatalogError(f"manifest lists {name!r} but datasets/{name}.yml does not exist")
        if not file.exists():
            raise CatalogError(f"manifest lists {name!r} but {file} is missing")
        datasets.append(
            PublishedDataset(
                definition=definitions[name],
                file=file,
                version=int(entry.get("version", 0)),
                rows=int(entry.get("rows", 0)),
                updated_at=entry.get("updated_at", ""),
                sha256=entry.get("sha256", ""),
            )
        )
    return Catalog(
        published_dir=published_dir.resolve(),
        generated_at=manifest.get("generated_at") or "",
        manifest_sha256=manifest_sha,
        datasets=tuple(datasets),
        taxonomies=load_taxonomies(datasets_dir),
    )


def iter_categories(catalog: Catalog, scheme: str) -> Iterator:
    """The categories of ``scheme`` in code order."""
    yield from sorted(catalog.taxonomies.get(scheme, {}).values(), key=lambda c: c.code)


DATE_TYPES = ("date", "datetime")


@lru_cache(maxsize=256)
def _coverage(file: Path, sha256: str, table: str, column: str) -> tuple[str, str] | None:
    connection = sqlite3.connect(f"file:{file}?mode=ro&immutable=1", uri=True)
    try:
        low, high = connection.execute(
            f'select min("{column}"), max("{column}") from "{table}" where "{column}" != \'\''
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    return (str(low), str(high)) if low and high else None


def temporal_coverage(dataset: PublishedDataset) -> tuple[str, str] | None:
    """First and last value of the dataset's first date column (DC.coverage.t.*, dct:temporal)."""
    column = next(
        (c.name for c in dataset.definition.published_columns if c.type in DATE_TYPES), None
    )
    if column is None:
        return None
    return _coverage(dataset.file, dataset.sha256, dataset.name, column)
