"""Fixtures for the web pages: the feedback app over a fresh store, a client that keeps
cookies like a browser, staff accounts, and helpers that fill in forms the way a person does
(see web_helpers.py)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from feedback_api import accounts
from feedback_api.app import create_app
from tests.feedback_web.web_helpers import PASSWORD


@pytest.fixture
def client(settings):
    app = create_app(settings)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def store(client):
    return client.app.state.store


@pytest.fixture
def staff_accounts(store, monkeypatch):
    """A 秘書室 clerk, a 計量課 clerk and a supervisor, all with PASSWORD.

    Real argon2, with its cost turned down so each test does not spend seconds hashing."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    return {
        "clerk": accounts.add_staff(
            store, "lin", PASSWORD, display_name="林技士", role="section_staff", unit="秘書室"
        ),
        "metrology": accounts.add_staff(
            store, "wu", PASSWORD, display_name="吳技正", role="section_staff", unit="計量課"
        ),
        "supervisor": accounts.add_staff(
            store, "chen", PASSWORD, display_name="陳課長", role="supervisor", unit=None
        ),
    }
