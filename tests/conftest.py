"""Fixtures every test area shares: an isolated KAIFANG_HOME and its settings."""

from __future__ import annotations

import pytest

from kaifang.settings import Settings, load_settings


@pytest.fixture
def kaifang_home(tmp_path, monkeypatch):
    """A fresh KAIFANG_HOME in a temporary folder, set in the environment for the test."""
    home = tmp_path / "kaifang-home"
    monkeypatch.setenv("KAIFANG_HOME", str(home))
    return home


@pytest.fixture
def settings(kaifang_home) -> Settings:
    """Settings for the temporary KAIFANG_HOME, with its folders created."""
    return load_settings().ensure_dirs()
