"""Fixtures of the classifier tests: one model trained on the shipped corpus per session (through
``ensure_default_model``, as ``kaifang up`` does), copies of it in fresh registries, and a small
labelled CSV for fast command-line training."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from classifier import corpus, registry
from classifier.router import load_router
from kaifang.settings import load_settings


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory) -> Path:
    """A KAIFANG_HOME whose registry holds the default model, trained once per session."""
    home = tmp_path_factory.mktemp("classifier-home")
    settings = load_settings(env={"KAIFANG_HOME": str(home)}).ensure_dirs()
    registry.ensure_default_model(settings)
    return home


@pytest.fixture(scope="session")
def trained_models(trained_home) -> Path:
    return trained_home / "models"


@pytest.fixture(scope="session")
def router(trained_models):
    return load_router(trained_models)


@pytest.fixture
def models_copy(trained_models, tmp_path) -> Path:
    """A registry of its own (to promote, roll back, retrain) holding the session's model."""
    copy = tmp_path / "models"
    shutil.copytree(trained_models, copy)
    return copy


@pytest.fixture
def home_with_model(trained_home, kaifang_home) -> Path:
    """The test's KAIFANG_HOME (set in the environment) with the session's model installed."""
    shutil.copytree(trained_home / "models", kaifang_home / "models")
    return kaifang_home


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory) -> Path:
    """Twelve training messages per unit from the shipped corpus, as a CSV file."""
    path = tmp_path_factory.mktemp("data") / "small.csv"
    per_unit: dict[str, int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for example in corpus.split(corpus.shipped_corpus(), "train"):
            if per_unit.get(example.label, 0) < 12:
                per_unit[example.label] = per_unit.get(example.label, 0) + 1
                writer.writerow([example.text, example.label])
    return path
