"""DCAT-AP 3.0.1: the catalog validates against the official SHACL shapes, and data.gov.tw JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from publish.dcat import VCARD
from tests.publish.sample_portal import definitions_by_name

BASE = "http://127.0.0.1:8000"  # settings.public_url of the test home
SHAPES = Path("/work/shared/reference/data/dcat-ap-3.0.1-shacl")


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name)
    return graph


@pytest.fixture
def dcat_graph(every_dataset_portal) -> Graph:
    if not SHAPES.exists():
        pytest.skip(f"DCAT-AP shapes not found at {SHAPES}")
    _, client = every_dataset_portal
    response = client.get("/catalog.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=response.text, format="turtle")


def violations(data: Graph, shape_graph: Graph) -> list[str]:
    conforms, _, text = validate(
        data, shacl_graph=shape_graph, allow_warnings=False, inference="none"
    )
    return [] if conforms else [text]


def test_catalog_has_no_violation_of_the_mandatory_and_range_shapes(dcat_graph):
    assert violations(dcat_graph, shapes("shapes.ttl", "range.ttl")) == []


def test_catalog_has_no_warning_of_the_recommended_shapes(dcat_graph):
    assert violations(dcat_graph, shapes("shapes_recommended.ttl")) == []


def test_catalog_describes_each_dataset_with_three_distributions_and_a_frequency(dcat_graph):
    datasets = set(dcat_graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(definitions_by_name())
    frequency = URIRef("http://publications.europa.eu/resource/authority/frequency/")
    assert dcat_graph.value(
        URIRef(f"{BASE}/datasets/import_inspections"), DCTERMS.accrualPeriodicity
    ) == URIRef(f"{frequency}DAILY")
    assert dcat_graph.value(
        URIRef(f"{BASE}/datasets/service_performance"), DCTERMS.accrualPeriodicity
    ) == URIRef(f"{frequency}ANNUAL")
    for dataset in datasets:
        downloads = {
            str(dcat_graph.value(d, DCAT.downloadURL))
            for d in dcat_graph.objects(dataset, DCAT.distribution)
        }
        assert any(".csv?" in u for u in downloads) and any(
            u.endswith("/rows.json") for u in downloads
        )
        assert any(u.endswith(".db") for u in downloads)
    catalog = next(dcat_graph.subjects(RDF.type, DCAT.Catalog))
    assert len(set(dcat_graph.objects(catalog, DCAT.themeTaxonomy))) == 3


def test_datasets_licence_and_contact_are_described_in_english_too(dcat_graph):
    """A harvester asking for English gets the English description and keywords of every
    dataset, as it gets its English title; the licence and contact point are named in English."""

    def in_english(subject, predicate) -> set[str]:
        return {
            str(text)
            for text in dcat_graph.objects(subject, predicate)
            if (text.language or "").lower() == "en"
        }

    for name, definition in definitions_by_name().items():
        dataset = URIRef(f"{BASE}/datasets/{name}")
        assert in_english(dataset, DCTERMS.description) == {definition.description_en}, name
        assert in_english(dataset, DCAT.keyword) == set(definition.keywords_en), name
        assert definition.description in {
            str(d) for d in dcat_graph.objects(dataset, DCTERMS.description)
        }
    licence = URIRef("https://data.gov.tw/license")
    assert in_english(licence, DCTERMS.title) == {"Open Government Data License, version 1.0"}
    contact = URIRef(f"{BASE}/#contact")
    assert in_english(contact, VCARD.fn) == {"Open data contact, Keelung Branch, BSMI"}


def test_jsonld_is_the_same_graph(every_dataset_portal, dcat_graph):
    _, client = every_dataset_portal
    jsonld = Graph().parse(data=client.get("/catalog.jsonld").text, format="json-ld")
    assert len(jsonld) == len(dcat_graph)


def test_datagovtw_metadata_has_the_platforms_required_fields(portal):
    _, client = portal
    data = client.get("/datasets/import_inspections/datagovtw.json").json()
    required = [
        "identifier",
        "categoryCode",
        "title",
        "description",
        "fieldDescription",
        "type",
        "publisher",
        "accrualPeriodicity",
        "license",
        "licenseURL",
        "cost",
        "keyword",
        "organization",
        "organizationContactName",
        "organizationContactPhone",
        "organizationContactEmail",
        "publisherContactName",
        "publisherContactPhone",
        "publisherContactEmail",
        "publisherOID",
        "distribution",
    ]
    assert [key for key in required if not data.get(key)] == []
    assert data["categoryCode"] == "600" and data["accrualPeriodicity"] == "每日"
    assert data["license"] == "政府資料開放授權條款－第1版" and data["numberOfData"] == 40
    assert data["identifier"].startswith(data["publisherOrgCode"] + "-")
    for resource in data["distribution"]:
        assert resource["resourceID"].startswith(data["identifier"] + "-")
        assert resource["format"] and resource["characterSetCode"] == "UTF-8"
    assert "聯絡人" not in data["fieldDescription"]
    json.dumps(data, ensure_ascii=False)
    assert client.get("/datasets/nope/datagovtw.json").status_code == 404


def test_the_shapes_do_catch_a_dataset_without_a_distribution_or_description(dcat_graph):
    dataset = next(dcat_graph.subjects(RDF.type, DCAT.Dataset))
    dcat_graph.remove((dataset, DCTERMS.description, None))
    dcat_graph.remove((dataset, DCAT.distribution, None))
    assert violations(dcat_graph, shapes("shapes.ttl")) != []
    assert violations(dcat_graph, shapes("shapes_recommended.ttl")) != []


def test_each_download_url_serves_the_media_type_the_catalog_declares(every_dataset_portal):
    """A harvester that fetches the CSV or JSON downloadURL gets what dcat:mediaType says (a CSV
    file, not text to display), and data.gov.tw's CSV resource is the same file."""
    _, client = every_dataset_portal
    graph = Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    dataset = URIRef(f"{BASE}/datasets/import_inspections")
    for key in ("csv", "json"):
        distribution = URIRef(f"{dataset}#{key}")
        url = str(graph.value(distribution, DCAT.downloadURL))
        declared = str(graph.value(distribution, DCAT.mediaType)).rsplit("media-types/", 1)[1]
        response = client.get(url.removeprefix(BASE))
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] == declared, url
    resources = client.get("/datasets/import_inspections/datagovtw.json").json()["distribution"]
    csv = next(r for r in resources if r["format"] == "CSV")
    response = client.get(csv["downloadURL"].removeprefix(BASE))
    assert response.headers["content-type"].split(";")[0] == "text/csv"


BRANCH_DISTRICT = {"基隆市", "宜蘭縣", "連江縣"}  # seed-figures.md: the branch's district


def test_spatial_coverage_is_the_whole_district_not_keelung_alone(every_dataset_portal, dcat_graph):
    """Market inspections and verifications happen in all three counties: a harvester filtering
    by place, or a curator reading 空間範圍, must find 宜蘭縣 and 連江縣 too."""
    dataset = URIRef(f"{BASE}/datasets/market_inspections")
    places = {
        str(label)
        for location in dcat_graph.objects(dataset, DCTERMS.spatial)
        for label in dcat_graph.objects(location, SKOS.prefLabel)
    }
    assert places >= BRANCH_DISTRICT
    catalog = next(dcat_graph.subjects(RDF.type, DCAT.Catalog))
    assert set(dcat_graph.objects(catalog, DCTERMS.spatial)) == set(
        dcat_graph.objects(dataset, DCTERMS.spatial)
    )
    _, client = every_dataset_portal
    spatial = client.get("/datasets/market_inspections/datagovtw.json").json()["spatial"]
    assert set(spatial.split("、")) == BRANCH_DISTRICT
