"""Downloads: CSV in UTF-8, with a byte-order mark for Excel on request; JSON; the whole database."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import DCAT

from publish.server import create_portal_app
from tests.live_server import serving
from tests.publish.sample_portal import portal_settings, write_published

BOM = b"\xef\xbb\xbf"


def test_csv_is_utf8_and_only_the_excel_link_adds_a_bom(portal):
    _, client = portal
    plain = client.get("/import_inspections/import_inspections.csv?_size=5")
    assert plain.status_code == 200 and not plain.content.startswith(BOM)
    excel = client.get("/import_inspections/import_inspections.csv?_size=5&_bom=1")
    assert excel.content.startswith(BOM)
    assert excel.content[len(BOM) :] == plain.content
    rows = list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig"))))
    assert "product_name" in rows[0] and rows[0]["result"] in ("合格", "不合格")


def test_streamed_download_of_every_row_gets_the_bom_once(portal):
    _, client = portal
    response = client.get(
        "/import_inspections/import_inspections.csv?_stream=on&_size=max&_dl=on&_bom=1"
    )
    assert response.content.startswith(BOM) and response.content.count(BOM) == 1
    assert "attachment" in response.headers["content-disposition"]
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 41


def test_json_rows_and_the_sqlite_file_download(portal):
    _, client = portal
    rows = client.get(
        "/metrology_verifications/metrology_verifications.json?_shape=array&_size=max"
    ).json()
    assert len(rows) == 40 and "owner" not in rows[0]
    assert client.get("/metrology_verifications.db").content[:15] == b"SQLite format 3"


@pytest.fixture
def big_table_portal(settings):
    """A portal whose measurement_sites has more rows than Datasette returns at once (1,000)."""
    settings = portal_settings(settings)
    write_published(settings, ["measurement_sites"], rows=1_234)
    with (
        serving(create_portal_app(settings)) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        yield client


def test_the_table_pages_excel_link_downloads_every_row_as_a_file(big_table_portal):
    client = big_table_portal
    page = client.get("/measurement_sites/measurement_sites").text
    link = unescape(re.search(r'<a href="([^"]+)">Excel 用 CSV</a>', page)[1])
    response = client.get(link)
    assert response.content.startswith(BOM)
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1_234 and rows[-1]["rowid"] == "1234"


def test_json_downloads_hold_every_row_beyond_datasettes_page_limit(big_table_portal):
    # Datasette cuts a table's JSON at max_returned_rows (1,000); the download must not
    client = big_table_portal
    landing = client.get("/datasets/measurement_sites").text
    downloads = landing.split('<ul class="downloads">')[1].split("</ul>")[0]
    links = [unescape(href) for href in re.findall(r'href="([^"]+)"', downloads)]
    offered = [link for link in links if "json" in link]
    catalog = Graph().parse(data=client.get("/catalog.jsonld").text, format="json-ld")
    offered += [
        str(catalog.value(distribution, DCAT.downloadURL))
        for distribution in catalog.objects(None, DCAT.distribution)
        if str(distribution).endswith("/datasets/measurement_sites#json")
    ]
    offered.append(
        next(
            d["downloadURL"]
            for d in client.get("/datasets/measurement_sites/datagovtw.json").json()["distribution"]
            if d["format"] == "JSON"
        )
    )
    assert len(offered) == 3
    for url in offered:
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        rows = response.json()
        assert len(rows) == 1_234, url
        assert [row["site_id"] for row in rows[:2]] == ["場所編號0", "場所編號1"]
        assert "contact_phone" not in rows[0]


@pytest.mark.parametrize(
    "path",
    [
        "/datasets/import_inspections/rows.json",
        "/catalog.jsonld",
        "/catalog.ttl",
        "/datasets/import_inspections/datagovtw.json",
        "/import_inspections/import_inspections.json",  # Datasette's own, for comparison
    ],
)
def test_data_for_programs_can_be_read_from_any_web_origin(portal, path):
    _, client = portal
    response = client.get(path, headers={"Origin": "https://newsroom.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_whole_database_is_served_as_the_media_type_the_catalog_declares(portal):
    _, client = portal
    response = client.get("/import_inspections.db")
    assert response.status_code == 200 and response.content.startswith(b"SQLite format 3")
    assert response.headers["content-type"] == "application/vnd.sqlite3"
    graph = Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    declared = {str(o) for o in graph.objects(None, DCAT.mediaType)}
    assert "https://www.iana.org/assignments/media-types/application/vnd.sqlite3" in declared
