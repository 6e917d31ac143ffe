"""Fixtures of the portal tests: published/ folders from the real definitions and live servers.

``portal`` and ``every_dataset_portal`` are shared by the tests of a module, which only read;
tests that publish again use ``fresh_portal`` over their own ``published_settings``.
"""

from __future__ import annotations

import httpx
import pytest

from kaifang.settings import load_settings
from publish.server import create_portal_app
from tests.live_server import serving
from tests.publish.sample_portal import (
    definitions_by_name,
    portal_settings,
    write_published,
)

DATASETS = ["import_inspections", "metrology_verifications", "market_inspections"]


@pytest.fixture
def published_settings(settings):
    settings = portal_settings(settings)
    write_published(settings, DATASETS)
    return settings


def _serve(settings):
    with (
        serving(create_portal_app(settings)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        yield base_url, client


def _module_settings(tmp_path_factory, names: list[str]):
    home = tmp_path_factory.mktemp("kaifang-home")
    settings = portal_settings(load_settings({"KAIFANG_HOME": str(home)}).ensure_dirs())
    write_published(settings, names)
    return settings


@pytest.fixture
def fresh_portal(published_settings):
    """(base URL, httpx client) of a portal over this test's own published/ folder."""
    yield from _serve(published_settings)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """(base URL, httpx client) of a portal publishing DATASETS, shared by a module's tests."""
    yield from _serve(_module_settings(tmp_path_factory, DATASETS))


@pytest.fixture(scope="module")
def every_dataset_portal(tmp_path_factory):
    """(base URL, httpx client) of a portal publishing every dataset defined in datasets/."""
    yield from _serve(_module_settings(tmp_path_factory, sorted(definitions_by_name())))
