"""Fixtures of the open-data case tests: a feedback store with a staff member, the feedback
app behind a Starlette TestClient, and the nightly job run for the two case datasets."""

from __future__ import annotations

import io

import pytest
from starlette.testclient import TestClient

from feedback_api import accounts
from feedback_api.app import create_app
from feedback_api.limits import RateLimits
from feedback_api.store import open_store
from ingest.nightly import RunOutcome, run_nightly
from ingest.report import Reporter
from tests.cases_open_data.store_cases import CASE_DATASETS


@pytest.fixture
def store(settings):
    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture
def staff(store):
    account = accounts.add_staff(
        store, "chen", "a long enough password", display_name="陳技正",
        role="supervisor", unit=None,
    )  # fmt: skip
    return account.actor()


@pytest.fixture
def client(store):
    """The feedback service's JSON API, without rate limits (every request comes from here)."""
    app = create_app(store.settings, store=store, rate_limits=RateLimits.unlimited())
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def run_case_datasets(settings):
    """Run the nightly job for the case datasets; fail the test if either is not published."""

    def run() -> RunOutcome:
        outcome = run_nightly(
            settings, only=CASE_DATASETS, reporter=Reporter(interactive=False, stream=io.StringIO())
        )
        for result in outcome.results:
            assert result.status in ("published", "unchanged"), result.as_dict()
        return outcome

    return run
