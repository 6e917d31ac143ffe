"""Fixtures for the nightly job's tests: settings with an inbox, and a quiet reporter."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ingest.report import Reporter
from kaifang.settings import REPO_ROOT, load_settings


@pytest.fixture
def reporter() -> Reporter:
    """A non-interactive reporter writing JSON lines into memory."""
    return Reporter(interactive=False, stream=io.StringIO())


@pytest.fixture
def datasets_dir(tmp_path, monkeypatch) -> Path:
    """A private copy of the taxonomies, for tests that write their own definitions."""
    folder = tmp_path / "datasets"
    shutil.copytree(REPO_ROOT / "datasets" / "taxonomies", folder / "taxonomies")
    monkeypatch.setenv("KAIFANG_DATASETS_DIR", str(folder))
    return folder


@pytest.fixture
def custom_settings(kaifang_home, datasets_dir):
    """Settings whose dataset definitions come from ``datasets_dir``."""
    return load_settings().ensure_dirs()
