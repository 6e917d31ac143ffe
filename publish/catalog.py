"""The published catalog: which datasets are live, with their definitions, counts and history.

A ``Catalog`` is an immutable snapshot of one publish: manifest.json (files, versions, row
counts, update times), the dataset definitions of ``datasets/*.yml`` and the three
classification schemes. The portal builds one per manifest and never mutates it, so a page
always sees one consistent publish. catalog.db (provenance) is read for changelogs.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
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
PERIOD_COLUMNS = ("month", "quarter", "year")  # text periods such as 2023-05, 2023-Q2, 2023
ROC_YEAR_COLUMN = "roc_year"  # an integer 民國 year, e.g. 112 = 2023
ROC_OFFSET = 1911
QUARTER_START = {"1": "01-01", "2": "04-01", "3": "07-01", "4": "10-01"}
QUARTER_END = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}


def as_iso_date(value: str, *, end: bool) -> str | None:
    """A published date, month (2023-05), quarter (2023-Q2) or year (2023) as the ISO date that
    starts it, or ends it when ``end``; None when the value is none of these."""
    value = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
        return value[:10]
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = int(value[:4]), int(value[5:])
        last_day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 1
        return f"{value}-{last_day:02d}" if end else f"{value}-01"
    match = re.fullmatch(r"(\d{4})-?Q([1-4])", value)
    if match:
        year, quarter = match.groups()
        return f"{year}-{(QUARTER_END if end else QUARTER_START)[quarter]}"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-12-31" if end else f"{value}-01-01"
    return None


@lru_cache(maxsize=256)
def _min_max(file: Path, sha256: str, table: str, column: str) -> tuple[str, str] | None:
    connection = sqlite3.connect(f"file:{file}?mode=ro&immutable=1", uri=True)
    try:
        low, high = connection.execute(
            f'select min("{column}"), max("{column}") from "{table}" where "{column}" != \'\''
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    return (str(low), str(high)) if low is not None and high is not None else None


def temporal_coverage(dataset: PublishedDataset) -> tuple[str, str] | None:
    """First and last day the data covers, as ISO dates (DC.coverage.t.*, dct:temporal), from the
    first date column, else a period column (month, quarter, year), else a ROC-year column."""
    columns = dataset.definition.published_columns
    date_column = next((c.name for c in columns if c.type in DATE_TYPES), None)
    date_column = date_column or next((c.name for c in columns if c.name in PERIOD_COLUMNS), None)
    if date_column:
        bounds = _min_max(dataset.file, dataset.sha256, dataset.name, date_column)
        if bounds:
            start, end = as_iso_date(bounds[0], end=False), as_iso_date(bounds[1], end=True)
            return (start, end) if start and end else None
        return None
    if any(c.name == ROC_YEAR_COLUMN for c in columns):
        bounds = _min_max(dataset.file, dataset.sha256, dataset.name, ROC_YEAR_COLUMN)
        if bounds:
            first, last = (int(float(year)) + ROC_OFFSET for year in bounds)
            return f"{first}-01-01", f"{last}-12-31"
    return None
