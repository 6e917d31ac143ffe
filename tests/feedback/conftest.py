"""Fixtures of the feedback service's tests: a store on SQLite or on a fresh PostgreSQL
database, the app served over real HTTP on loopback, and ready-made accounts and keys."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from feedback_api import accounts, schema
from feedback_api.app import create_app
from feedback_api.limits import RateLimits
from feedback_api.store import open_store
from tests.live_server import serving

PG_ADMIN_URL = os.environ.get("KAIFANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
OPEN311_SCHEMAS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/reference/data/open311-georeport-v2-schemas"
)


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL database created for this test session and dropped after it."""
    if not _pg_reachable():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (CI must provide it)")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432; store tests ran on SQLite only")
    import psycopg

    name = f"kaifang_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_settings(request, settings):
    """Settings whose database is SQLite (a fresh file) or the session's PostgreSQL database
    (emptied after the test)."""
    if request.param == "sqlite":
        yield settings
        return
    url = request.getfixturevalue("postgres_url")
    yield replace(settings, database_url=url)
    empty_postgres(replace(settings, database_url=url))


def empty_postgres(settings) -> None:
    """Delete every row of the session's PostgreSQL database (the next test starts clean)."""
    store = open_store(settings, migrate=False)
    with store.writing() as conn:
        names = ", ".join(table.name for table in schema.metadata.sorted_tables)
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    store.close()


@pytest.fixture
def store(backend_settings):
    opened = open_store(backend_settings)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(settings):
    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture
def live(sqlite_store):
    """The feedback app (default rate limits) over HTTP: (httpx client, store)."""
    app = create_app(sqlite_store.settings, store=sqlite_store)
    with serving(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield client, sqlite_store


@pytest.fixture
def live_unlimited(sqlite_store):
    """The feedback app without rate limits over HTTP: (httpx client, store)."""
    app = create_app(sqlite_store.settings, store=sqlite_store, rate_limits=RateLimits.unlimited())
    with serving(app) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield client, sqlite_store


@pytest.fixture
def staff(sqlite_store):
    account = accounts.add_staff(
        sqlite_store, "lin", "a long enough password", display_name="林技士",
        role="supervisor", unit=None,
    )  # fmt: skip
    return account.actor()


@pytest.fixture
def client_key(sqlite_store) -> str:
    return accounts.create_key(sqlite_store, "client", "city app")
