"""Datasette metadata: metadata.yml (catalog level) merged with the dataset definitions.

metadata.yml holds what is true of the whole portal (title, publisher, licences, contact,
provenance tables); ``datasets/*.yml`` hold each dataset's titles, descriptions, columns
and categories. ``datasette_metadata`` joins the two at serve time, so nothing is written
twice. The ``portal`` section of metadata.yml is ours and never handed to Datasette.

Datasette holds the zh-TW metadata. English pages get the same dict built from the English
texts (``datasette_metadata(..., EN)``), of which ``page_metadata`` picks the part Datasette
would have given the page.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.definitions import ColumnDef, unfold_cjk
from publish.catalog import CATALOG_DB, Catalog, PublishedDataset
from publish.i18n import EN, ZH, Fallback, pick

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
    attribution_en: str | None = None  # the licence's English exhibit, same placeholders

    def attribution_for(self, language: str, publisher: dict, dataset: PublishedDataset) -> str:
        """The 顯名聲明 of ``dataset``; in zh-TW (a ``Fallback``) when there is no English one,
        names included, as a statement is quoted whole."""
        template = pick(language, self.attribution, self.attribution_en)
        if isinstance(template, Fallback):
            return Fallback(self.attribution_for(ZH, publisher, dataset))
        definition = dataset.definition
        return template.format(
            publisher=pick(language, publisher["name"], publisher.get("name_en")),
            year=(dataset.updated_at or "")[:4],
            title=pick(language, definition.title, definition.title_en),
            version=dataset.version,
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


COLUMN_DESCRIPTION = {  # (label with description, unit suffix)
    ZH: ("{label}：{description}", "（單位：{unit}）"),
    EN: ("{label}: {description}", " (unit: {unit})"),
}


def column_label(column: ColumnDef, language: str = ZH) -> str:
    return pick(language, column.label, column.label_en)


def column_description(column: ColumnDef, language: str = ZH) -> str:
    """'label：description（單位：unit）' (English: 'label: description (unit: unit)'), the text
    shown above a table and in the column menu; a ``Fallback`` if any part of it is one, written
    the Chinese way if its description is."""
    label = column_label(column, language)
    description = pick(language, column.description, column.description_en)
    unit = pick(language, column.unit, column.unit_en)
    with_description, with_unit = COLUMN_DESCRIPTION[
        ZH if isinstance(description, Fallback) else language
    ]
    text = (
        label
        if label == description
        else with_description.format(label=label, description=description)
    )
    if unit:
        text += with_unit.format(unit=unit)
    return Fallback(text) if Fallback in map(type, (label, description, unit)) else text


def table_metadata(dataset: PublishedDataset, language: str = ZH) -> dict:
    """Title, descriptions and search index of a dataset's table. No default sort: ordering a
    filtered or searched table by another column makes SQLite walk that column's index."""
    definition = dataset.definition
    table = {
        "title": pick(language, definition.title, definition.title_en),
        "description": pick(language, definition.description, definition.description_en),
        "columns": {c.name: column_description(c, language) for c in definition.published_columns},
    }
    if any(c.search for c in definition.published_columns):
        table.update({"fts_table": f"{definition.name}_fts", "fts_pk": "rowid"})
    return table


def catalog_texts(portal: PortalMetadata, language: str) -> dict:
    """The catalog's title, description, licence and source in ``language``. In English the
    licence is the default one's and the source is the publisher, as they are in metadata.yml."""
    texts, section = portal.datasette, portal.portal
    licence = portal.licence(section.get("default_licence", "ogdl-tw-1"))
    return {
        "title": pick(language, texts["title"], section.get("title_en")),
        "description": pick(language, texts["description"], section.get("description_en")),
        "license": pick(language, texts["license"], licence.name_en),
        "source": pick(language, texts.get("source"), portal.publisher.get("name_en")),
    }


def provenance_metadata(portal: PortalMetadata, language: str) -> dict | None:
    """A copy of catalog.db's entry of metadata.yml (Datasette writes inherited licence and
    source into the dicts it is given), with ``portal.provenance_en`` laid over it in English."""
    provenance = (portal.datasette.get("databases") or {}).get(CATALOG_DB.removesuffix(".db"))
    if not provenance:
        return None
    if language == EN:
        return overlay(provenance, portal.portal.get("provenance_en") or {})
    return copy.deepcopy(provenance)


def overlay(base: dict, texts: dict) -> dict:
    """``base`` with every value that ``texts`` has at the same place replaced by it."""
    return {
        key: overlay(value, texts.get(key) or {})
        if isinstance(value, dict)
        else texts.get(key, value)
        for key, value in base.items()
    }


def datasette_metadata(portal: PortalMetadata, catalog: Catalog, language: str = ZH) -> dict:
    """The metadata dict handed to Datasette for one catalog snapshot (zh-TW), or the same in
    English, which the plugin gives English pages."""
    metadata = {**portal.datasette, **catalog_texts(portal, language)}
    databases = {}
    for dataset in catalog.datasets:
        definition = dataset.definition
        licence = portal.licence(definition.license)
        databases[dataset.name] = {
            "title": pick(language, definition.title, definition.title_en),
            "description": pick(language, definition.description, definition.description_en),
            "license": pick(language, licence.name, licence.name_en),
            "license_url": licence.url,
            "tables": {
                dataset.name: table_metadata(dataset, language),
                f"{dataset.name}_fts": {"hidden": True},
            },
        }
    provenance = provenance_metadata(portal, language)
    if provenance:
        databases["catalog"] = provenance
    metadata["databases"] = databases
    return metadata


INHERITED_KEYS = ("source", "source_url", "license", "license_url", "about", "about_url")
DATASETTE_PAGES = {  # template: the level of metadata Datasette 0.65 gives it
    "table.html": "table",
    "row.html": "table",
    "database.html": "database",
    "query.html": "database",
}


def page_metadata(metadata: dict, template: str, database: str | None, table: str | None) -> dict:
    """The part of ``metadata`` that Datasette gives ``template`` as ``metadata``: a row page
    gets its table's entry; a table, database or query page its table's or database's, with
    what it lacks of ``INHERITED_KEYS`` from the catalog; any other page the catalog's."""
    level = DATASETTE_PAGES.get(template)
    if level is None or database is None:
        return metadata
    entry = (metadata.get("databases") or {}).get(database) or {}
    if level == "table":
        entry = (entry.get("tables") or {}).get(table) or {}
    if template == "row.html":
        return entry
    return {**entry, **{key: entry.get(key) or metadata.get(key) for key in INHERITED_KEYS}}
