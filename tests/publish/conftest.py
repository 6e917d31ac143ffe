"""Fixtures of the portal tests: a published/ folder from the real definitions and a live server."""

from __future__ import annotations

import httpx
import pytest

from publish.server import create_portal_app
from tests.publish.sample_portal import (
    definitions_by_name,
    portal_settings,
    serving,
    write_published,
)

DATASETS = ["import_inspections", "metrology_verifications", "market_inspections"]


@pytest.fixture
def published_settings(settings):
    settings = portal_settings(settings)
    write_published(settings, DATASETS)
    return settings


@pytest.fixture
def portal(published_settings):
    """(base URL, httpx client) of a real portal server over the sample publish."""
    with (
        serving(create_portal_app(published_settings)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        yield base_url, client


@pytest.fixture
def every_dataset_portal(settings):
    """(base URL, client) of a portal publishing every dataset defined in datasets/."""
    settings = portal_settings(settings)
    write_published(settings, sorted(definitions_by_name()))
    with (
        serving(create_portal_app(settings)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        yield base_url, client
