"""Saving and loading one model folder: ``model.skops`` plus ``metadata.json``.

Models are written with skops, never pickle. Loading passes an explicit list of trusted types:
skops' own safe set (scikit-learn, NumPy, SciPy) plus the three names of this package that the
pipeline refers to. A file that mentions any other type — a tampered or foreign model — is
refused before anything in it runs, and a damaged file (cut short, not a skops zip) is refused
with the same ``ModelFileError``. skops is imported when a model is saved or loaded, not
with this module: its import enumerates every scikit-learn type and takes seconds, which the
nightly job's retraining check (usually "nothing new") should not pay.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"

TRUSTED_TYPES = [
    "classifier.model.TemperatureScaledSVC",
    "classifier.model.TextFeatures",
    "classifier.text.words",
]


class ModelFileError(RuntimeError):
    """A model folder is missing, unreadable or contains types that are not trusted."""


def save_model(directory: Path, pipeline: Pipeline, metadata: dict) -> None:
    """Write the model and its metadata into ``directory`` (created if needed)."""
    import skops.io as sio

    directory.mkdir(parents=True, exist_ok=True)
    sio.dump(pipeline, directory / MODEL_FILE)
    write_json_atomically(directory / METADATA_FILE, metadata)


def read_metadata(directory: Path) -> dict:
    try:
        return json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{directory}: cannot read {METADATA_FILE}: {exc}") from exc


def load_model(directory: Path) -> Pipeline:
    """Load ``directory/model.skops``, refusing any type outside the trusted list."""
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    path = directory / MODEL_FILE
    if not path.is_file():
        raise ModelFileError(f"{directory}: no {MODEL_FILE} (train a model first)")
    try:
        return sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        raise ModelFileError(f"{path}: refused, the file contains untrusted types: {exc}") from exc
    except Exception as exc:  # cut short, overwritten, not a skops file: any error of the reader
        raise ModelFileError(
            f"{path}: damaged, cannot be read as a model ({type(exc).__name__}: {exc}); "
            "roll back (`kaifang classifier rollback`) or train a new model"
        ) from exc


def write_json_atomically(path: Path, data: dict) -> None:
    """Replace ``path`` with ``data`` as JSON in one step (readers never see half a file)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
