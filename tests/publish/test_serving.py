"""Serving: every published dataset is served, nothing else is, and a new publish shows up live."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from publish.server import (
    ServingError,
    build_datasette,
    check_servable,
    create_portal_app,
    inspect_cache_path,
)
from tests.live_server import serving
from tests.publish.sample_portal import portal_settings, write_published


def test_serves_each_dataset_immutable_with_counts_from_the_inspect_cache(
    fresh_portal, published_settings
):
    _, client = fresh_portal
    assert set(client.get("/.json").json()) == {
        "import_inspections",
        "metrology_verifications",
        "market_inspections",
        "catalog",
    }
    datasette = build_datasette(published_settings)  # what the server built, seen from inside
    mutable = {n for n, db in datasette.databases.items() if db.is_mutable and not db.is_memory}
    assert mutable == {"catalog"}  # updated in place by the nightly job; datasets are swapped whole
    assert inspect_cache_path(published_settings, datasette.kaifang_portal.catalog).exists()
    table = client.get("/import_inspections/import_inspections.json?_size=1").json()
    assert table["filtered_table_rows_count"] == 40


def test_settings_turn_off_suggested_facets_and_allow_whole_database_download(fresh_portal):
    _, client = fresh_portal
    settings = client.get("/-/settings.json").json()
    assert settings["suggest_facets"] is False and settings["allow_download"] is True
    download = client.get("/import_inspections.db")
    assert download.status_code == 200
    assert download.content.startswith(b"SQLite format 3")


def test_internal_and_feedback_databases_are_never_served(published_settings):
    secret = published_settings.internal / "quarantine.db"
    sqlite3.connect(secret).execute("create table quarantine (reason text)").connection.commit()
    feedback = published_settings.home / "feedback.db"
    sqlite3.connect(feedback).execute("create table cases (name text)").connection.commit()

    with serving(create_portal_app(published_settings)) as base_url:
        for path in (
            "/quarantine",
            "/feedback",
            "/quarantine.db",
            "/feedback.db",
            "/feedback/cases.json",
        ):
            assert httpx.get(base_url + path).status_code == 404, path
    with pytest.raises(ServingError):
        check_servable(published_settings, [secret])
    with pytest.raises(ServingError):
        check_servable(published_settings, [feedback])


def test_a_new_manifest_is_served_within_seconds_without_restart(fresh_portal, published_settings):
    _, client = fresh_portal
    assert client.get("/datasets/sampling_dispatch").status_code == 404
    write_published(
        published_settings, ["import_inspections", "sampling_dispatch"], rows=55, version=2
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if client.get("/datasets/sampling_dispatch").status_code == 200:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the new publish was not picked up within 10 s")
    table = client.get("/import_inspections/import_inspections.json?_size=1").json()
    assert table["filtered_table_rows_count"] == 55
    assert client.get("/market_inspections").status_code == 404  # dropped from the manifest


def test_a_broken_manifest_keeps_the_previous_publish_online(fresh_portal, published_settings):
    _, client = fresh_portal
    (published_settings.published / "manifest.json").write_text("{not json", encoding="utf-8")
    time.sleep(1.2)
    assert client.get("/datasets/import_inspections").status_code == 200
    assert client.get("/").status_code == 200


def open_files_under(folder) -> list[str]:
    fds = Path("/proc/self/fd")
    targets = []
    for fd in fds.iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:
            continue
    return [t for t in targets if t.startswith(str(folder))]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_reloads_close_the_replaced_files_and_threads(fresh_portal, published_settings):
    _, client = fresh_portal
    client.get("/import_inspections/import_inspections.json?_size=1")
    threads_before = threading.active_count()
    for version in range(2, 5):
        write_published(
            published_settings, ["import_inspections"], rows=40 + version, version=version
        )
        time.sleep(1.1)
        count = client.get("/import_inspections/import_inspections.json?_size=1").json()
        assert count["filtered_table_rows_count"] == 40 + version
    assert [
        f for f in open_files_under(published_settings.published) if f.endswith("(deleted)")
    ] == []
    assert threading.active_count() <= threads_before + 1


def test_before_the_first_publish_the_portal_shows_an_empty_catalog(settings):
    with serving(create_portal_app(portal_settings(settings))) as base_url:
        home = httpx.get(base_url + "/")
        assert home.status_code == 200 and "0 個資料集" in home.text
        assert httpx.get(base_url + "/datasets/import_inspections").status_code == 404
        assert httpx.get(base_url + "/catalog.jsonld").status_code == 200
