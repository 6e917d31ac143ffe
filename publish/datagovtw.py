"""A dataset's metadata in data.gov.tw's field set (資料集詮釋資料標準規範, API v1 names).

Served at ``/datasets/{name}/datagovtw.json`` so the branch can sync the national platform.
The identifier is ``{publisherOrgCode}-{6 digits}``; the six digits come from the dataset's
``datagovtw_serial`` in metadata.yml's ``portal.datagovtw_serials`` when the platform has
assigned one, else from the dataset's position in the catalog.
"""

from __future__ import annotations

from publish.catalog import PublishedDataset, temporal_coverage
from publish.downloads import CSV_PATH, JSON_PATH
from publish.metadata import FREQUENCY_LABELS, column_description

FORMATS = (
    ("CSV", "{base}" + CSV_PATH, "CSV 格式（UTF-8）"),
    ("JSON", "{base}" + JSON_PATH, "JSON 格式"),
    ("其他", "{database}.db", "SQLite 資料庫檔"),
)


def dataset_identifier(portal, dataset: PublishedDataset) -> str:
    serials = portal.metadata.portal.get("datagovtw_serials") or {}
    position = [d.name for d in portal.catalog.datasets].index(dataset.name) + 1
    return f"{portal.metadata.publisher['org_code']}-{int(serials.get(dataset.name, position)):06d}"


def datagovtw_metadata(portal, dataset: PublishedDataset) -> dict:
    definition, publisher = dataset.definition, portal.metadata.publisher
    contact = portal.metadata.portal["contact"]
    licence = portal.metadata.licence(definition.license)
    base = portal.settings.public_url.rstrip("/")
    table, database = f"{base}/{dataset.name}/{dataset.name}", f"{base}/{dataset.name}"
    identifier = dataset_identifier(portal, dataset)
    coverage = temporal_coverage(dataset) or ("", "")
    service_codes = dataset.categories("service")
    return {
        "identifier": identifier,
        "categoryCode": service_codes[0] if service_codes else "",
        "title": definition.title,
        "description": definition.description,
        "fieldDescription": "；".join(column_description(c) for c in definition.published_columns),
        "type": "rawData",
        "license": licence.name,
        "licenseURL": licence.url,
        "cost": "免費",
        "costURL": "",
        "costLaw": "",
        "organization": publisher["name"],
        "organizationContactName": contact["name"],
        "organizationContactPhone": contact.get("phone", ""),
        "organizationContactEmail": contact["email"],
        "publisher": publisher["name"],
        "publisherContactName": contact["name"],
        "publisherContactPhone": contact.get("phone", ""),
        "publisherContactEmail": contact["email"],
        "publisherOID": publisher["oid"],
        "publisherOrgCode": publisher["org_code"],
        "accrualPeriodicity": FREQUENCY_LABELS.get(definition.update_frequency, ("不定期",))[0],
        "temporalCoverageFrom": coverage[0],
        "temporalCoverageTo": coverage[1],
        "issued": portal.catalog.first_published(dataset.name) or dataset.updated_at,
        "modified": dataset.updated_at,
        "spatial": "、".join(area["name"] for area in portal.metadata.portal["spatial"]),
        "language": "zh-TW",
        "landingPage": f"{base}/datasets/{dataset.name}",
        "keyword": list(definition.keywords or []),
        "numberOfData": dataset.rows,
        "notes": f"授權說明網址: {licence.url}",
        "distribution": [
            {
                "resourceID": f"{identifier}-{index:03d}",
                "resourceDescription": f"{definition.title}（{description}）",
                "format": fmt,
                "resourceModified": dataset.updated_at,
                "downloadURL": path.format(
                    table=table, database=database, base=base, name=dataset.name
                ),
                "metadataSourceOfData": f"{base}/datasets/{dataset.name}",
                "characterSetCode": "UTF-8",
            }
            for index, (fmt, path, description) in enumerate(FORMATS, start=1)
        ],
    }
