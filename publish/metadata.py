"""Datasette metadata: metadata.yml (catalog level) merged with the dataset definitions.

metadata.yml holds what is true of the whole portal (title, publisher, licences, contact,
provenance tables); ``datasets/*.yml`` hold each dataset's titles, descriptions, columns
and categories. ``datasette_metadata`` joins the two at serve time, so nothing is written
twice. The ``portal`` section of metadata.yml is ours and never handed to Datasette.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.definitions import unfold_cjk
from publish.catalog import CATALOG_DB, Catalog, PublishedDataset

FREQUENCY_LABELS = {
    "daily": ("每日", "Daily"),
    "weekly": ("每週", "Weekly"),
    "monthly": ("每月", "Monthly"),
    "yearly": ("每年", "Yearly"),
    "irregular": ("不定期", "Irregular"),
}


class MetadataError(ValueError):
    """metadata.yml is missing a required entry; the message names it."""


@dataclass(frozen=True)
class Licence:
    key: str
    name: str
    name_en: str
    url: str
    spdx: str
    attribution: str  # template with {publisher} {year} {title} {version}

    def attribution_for(self, publisher: str, dataset: PublishedDataset) -> str:
        year = (dataset.updated_at or "")[:4]
        return self.attribution.format(
            publisher=publisher, year=year, title=dataset.definition.title, version=dataset.version
        )


@dataclass(frozen=True)
class PortalMetadata:
    datasette: dict  # everything Datasette understands (title, license, databases.catalog, ...)
    portal: dict  # publisher, contact, spatial coverage, licences, charts

    @property
    def publisher(self) -> dict:
        return self.portal["publisher"]

    def licence(self, key: str) -> Licence:
        licences = self.portal.get("licences") or {}
        if key not in licences:
            raise MetadataError(f"metadata.yml: portal.licences has no entry {key!r}")
        return Licence(key=key, **licences[key])


REQUIRED_PORTAL_KEYS = ("publisher", "contact", "licences", "spatial", "issued")


def load_portal_metadata(path: Path) -> PortalMetadata:
    """Read metadata.yml; raise MetadataError naming the first missing entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MetadataError(f"{path}: cannot read: {exc}") from exc
    for key in ("title", "description", "license", "license_url"):
        if not data.get(key):
            raise MetadataError(f"{path}: '{key}' is required")
    data["description"] = unfold_cjk(data["description"])
    portal = data.pop("portal", None) or {}
    for key in REQUIRED_PORTAL_KEYS:
        if not portal.get(key):
            raise MetadataError(f"{path}: 'portal.{key}' is required")
    return PortalMetadata(datasette=data, portal=portal)


def column_description(column) -> str:
    """'label：description（單位：unit）', the text shown above a table and in the column menu."""
    text = (
        column.label
        if column.label == column.description
        else f"{column.label}：{column.description}"
    )
    if column.unit:
        text += f"（單位：{column.unit}）"
    return text


def table_metadata(dataset: PublishedDataset) -> dict:
    """Title, descriptions and search index of a dataset's table. No default sort: ordering a
    filtered or searched table by another column makes SQLite walk that column's index."""
    definition = dataset.definition
    table = {
        "title": definition.title,
        "description": definition.description,
        "columns": {c.name: column_description(c) for c in definition.published_columns},
    }
    if any(c.search for c in definition.published_columns):
        table.update({"fts_table": f"{definition.name}_fts", "fts_pk": "rowid"})
    return table


def datasette_metadata(portal: PortalMetadata, catalog: Catalog) -> dict:
    """The metadata dict handed to Datasette for one catalog snapshot."""
    metadata = dict(portal.datasette)
    databases = {}
    for dataset in catalog.datasets:
        licence = portal.licence(dataset.definition.license)
        databases[dataset.name] = {
            "title": dataset.definition.title,
            "description": dataset.definition.description,
            "license": licence.name,
            "license_url": licence.url,
            "tables": {
                dataset.name: table_metadata(dataset),
                f"{dataset.name}_fts": {"hidden": True},
            },
        }
    provenance = (portal.datasette.get("databases") or {}).get(CATALOG_DB.removesuffix(".db"))
    if provenance:
        databases["catalog"] = provenance
    metadata["databases"] = databases
    return metadata
