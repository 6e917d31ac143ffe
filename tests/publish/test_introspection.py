"""The portal tells the public what programs need (metadata, settings, the list of databases)
and nothing about the server itself: no file paths, no library versions."""

from __future__ import annotations

import pytest

HIDDEN = [
    "/-/databases",
    "/-/databases.json",
    "/-/versions.json",
    "/-/threads.json",
    "/-/plugins.json",
    "/-/actor.json",
    "/-/config.json",
    "/-/messages",
    "/-/patterns",
    "/-/allow-debug",
    "/-/permissions",
]
SERVER_DETAIL_QUERIES = [
    "select * from pragma_database_list",
    "select file from PRAGMA_DATABASE_LIST() where seq = 0",
    "select sqlite_version()",
    "select sqlite_source_id()",
    "select sqlite_compileoption_get(0)",
]


def test_harvesters_still_read_metadata_settings_and_the_database_list(portal):
    _, client = portal
    metadata = client.get("/-/metadata.json").json()
    assert metadata["databases"]["import_inspections"]["license_url"]
    assert client.get("/-/settings.json").json()["max_returned_rows"] == 1000
    assert "import_inspections" in client.get("/.json").json()
    assert "https://data.gov.tw/license" in client.get("/-/metadata").text  # its HTML view too


@pytest.mark.parametrize("path", HIDDEN)
def test_server_introspection_pages_are_not_found(portal, path):
    _, client = portal
    response = client.get(path)
    assert response.status_code == 404
    if path.endswith(".json"):
        assert response.json()["ok"] is False
    else:
        assert "找不到" in response.text  # the portal's own 404 page, in the reader's language


@pytest.mark.parametrize("sql", SERVER_DETAIL_QUERIES)
def test_sql_cannot_read_file_paths_or_library_versions(portal, sql):
    _, client = portal
    response = client.get("/import_inspections.json", params={"sql": sql})
    assert response.status_code == 400
    assert response.json()["rows"] == []
    assert "prohibited" in response.json()["error"] or "not authorized" in response.json()["error"]


def test_sql_about_the_tables_themselves_still_works(portal):
    _, client = portal
    sql = "select name from pragma_table_info('import_inspections') order by cid limit 1"
    answer = client.get("/import_inspections.json", params={"sql": sql, "_shape": "array"})
    assert answer.json() == [{"name": "application_no"}]
    assert client.get("/import_inspections").status_code == 200  # lists attached databases


def test_no_public_answer_names_the_servers_folders(fresh_portal, published_settings):
    _, client = fresh_portal
    folder = str(published_settings.published.resolve())
    paths = [
        *HIDDEN,
        "/",
        "/.json",
        "/-/metadata.json",
        "/-/settings.json",
        "/import_inspections",
        "/import_inspections.json",
        "/import_inspections/import_inspections.json",
        "/catalog.jsonld",
    ]
    paths += [f"/import_inspections.json?sql={sql}" for sql in SERVER_DETAIL_QUERIES]
    for path in paths:
        assert folder not in client.get(path).text, path
