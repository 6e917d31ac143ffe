"""The model registry under ``$KAIFANG_HOME/models/``: versions, the current pointer, promotion
and rollback.

Layout::

    models/<version>/model.skops      the model (skops)
    models/<version>/metadata.json    created, training-data sha256, libraries, metrics
    models/current.json               {"current": "<version>", "history": [older currents]}

A candidate is promoted only when its held-out macro-F1 is not worse than the current model's;
``rollback`` makes the previous current version current again. ``current.json`` is replaced
atomically, so a reader always sees one whole pointer. Several processes may use one registry
at once (the nightly step and ``kaifang classifier retrain``): a new version's folder is claimed
with an exclusive ``mkdir``, and promotion and rollback hold an ``fcntl`` lock on
``models/registry.lock`` while they read, compare and replace the pointer.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from classifier import corpus
from classifier.persist import (
    ModelFileError,
    load_model,
    read_metadata,
    save_model,
    write_json_atomically,
)
from kaifang.settings import Settings

if TYPE_CHECKING:
    from classifier.training import TrainedModel

POINTER_FILE = "current.json"
LOCK_FILE = "registry.lock"


class RegistryError(RuntimeError):
    """The registry cannot do what was asked; the message says why and what to do."""


@dataclass(frozen=True)
class ModelVersion:
    id: str
    path: Path
    metadata: dict

    @property
    def heldout_macro_f1(self) -> float:
        return self.metadata["metrics"]["heldout"]["macro_f1"]

    def __str__(self) -> str:
        return f"{self.id} (held-out macro-F1 {self.heldout_macro_f1:.3f})"


@dataclass(frozen=True)
class Promotion:
    promoted: bool
    candidate: ModelVersion
    previous: ModelVersion | None
    reason: str

    @property
    def refused(self) -> bool:
        """True when the candidate lost to the current model (not when it already is current)."""
        return (
            not self.promoted
            and self.previous is not None
            and self.previous.id != self.candidate.id
        )


def _pointer(models_dir: Path) -> dict:
    path = models_dir / POINTER_FILE
    if not path.exists():
        return {"current": None, "history": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{path}: not valid JSON ({exc}); fix or delete it") from exc


def get_version(models_dir: Path, version_id: str) -> ModelVersion:
    path = models_dir / version_id
    if not (path / "metadata.json").is_file():
        raise RegistryError(f"no model version {version_id!r} in {models_dir}")
    return ModelVersion(version_id, path, read_metadata(path))


def current_version(models_dir: Path) -> ModelVersion | None:
    """The version classify and the router use, or None when none is promoted yet."""
    current = _pointer(models_dir)["current"]
    return get_version(models_dir, current) if current else None


def list_versions(models_dir: Path) -> list[ModelVersion]:
    """Every stored version, oldest first."""
    if not models_dir.is_dir():
        return []
    versions = []
    for path in sorted(p for p in models_dir.iterdir() if (p / "metadata.json").is_file()):
        try:
            versions.append(ModelVersion(path.name, path, read_metadata(path)))
        except ModelFileError:
            continue
    return versions


@contextmanager
def _locked(models_dir: Path) -> Iterator[None]:
    """Hold the registry's pointer lock (waiting for another process to release it)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(models_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _claim_version_id(models_dir: Path) -> str:
    """A new version id whose folder this call has created: ``mkdir`` fails for all but one of
    several processes claiming the same second."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = stamp, 1
    while True:
        try:
            (models_dir / candidate).mkdir()
            return candidate
        except FileExistsError:
            n += 1
            candidate = f"{stamp}-{n}"


def add_version(models_dir: Path, trained: TrainedModel) -> ModelVersion:
    """Store a trained model as a new (not yet current) version."""
    models_dir.mkdir(parents=True, exist_ok=True)
    version_id = _claim_version_id(models_dir)
    metadata = {"version": version_id, **trained.metadata}
    save_model(models_dir / version_id, trained.pipeline, metadata)
    return ModelVersion(version_id, models_dir / version_id, metadata)


def _make_current(models_dir: Path, version_id: str) -> None:
    pointer = _pointer(models_dir)
    history = list(pointer["history"])
    if pointer["current"]:
        history.append(pointer["current"])
    write_json_atomically(models_dir / POINTER_FILE, {"current": version_id, "history": history})


def promote(models_dir: Path, version_id: str, *, force: bool = False) -> Promotion:
    """Make ``version_id`` current if its held-out macro-F1 is not worse than the current one's."""
    with _locked(models_dir):
        return _promote(models_dir, version_id, force=force)


def _promote(models_dir: Path, version_id: str, *, force: bool) -> Promotion:
    candidate = get_version(models_dir, version_id)
    current = current_version(models_dir)
    if current is not None and current.id == candidate.id:
        return Promotion(False, candidate, current, f"{candidate.id} is already current")
    if current is None:
        reason = "no current model"
    elif candidate.heldout_macro_f1 >= current.heldout_macro_f1:
        reason = (
            f"held-out macro-F1 {candidate.heldout_macro_f1:.4f} is not worse than "
            f"{current.heldout_macro_f1:.4f} of {current.id}"
        )
    elif force:
        reason = (
            f"forced: held-out macro-F1 {candidate.heldout_macro_f1:.4f} is worse than "
            f"{current.heldout_macro_f1:.4f} of {current.id}"
        )
    else:
        reason = (
            f"refused: held-out macro-F1 {candidate.heldout_macro_f1:.4f} is worse than "
            f"{current.heldout_macro_f1:.4f} of {current.id}"
        )
        return Promotion(False, candidate, current, reason)
    try:
        load_model(candidate.path)  # the service must be able to load what becomes current
    except ModelFileError as exc:
        return Promotion(False, candidate, current, f"refused: {exc}")
    _make_current(models_dir, candidate.id)
    return Promotion(True, candidate, current, reason)


def rollback(models_dir: Path) -> ModelVersion:
    """Make the previously current version current again; return it."""
    with _locked(models_dir):
        return _rollback(models_dir)


def _rollback(models_dir: Path) -> ModelVersion:
    pointer = _pointer(models_dir)
    if not pointer["history"]:
        raise RegistryError("nothing to roll back to: no earlier version was ever current")
    history = list(pointer["history"])
    previous = history.pop()
    try:
        load_model(get_version(models_dir, previous).path)  # it must still exist and load
    except ModelFileError as exc:
        raise RegistryError(f"cannot roll back to {previous}: {exc}") from None
    write_json_atomically(models_dir / POINTER_FILE, {"current": previous, "history": history})
    return get_version(models_dir, previous)


def train_and_promote(
    models_dir: Path, examples: list[corpus.Example], *, source: str, corrections: int = 0
) -> Promotion:
    """Train a candidate, store it as a version and promote it when it is not worse."""
    from classifier.training import train_and_evaluate  # scikit-learn loads only to train

    trained = train_and_evaluate(examples, source=source, corrections=corrections)
    return promote(models_dir, add_version(models_dir, trained).id)


def ensure_default_model(settings: Settings) -> ModelVersion:
    """Return the current model, training the shipped-corpus model first when there is none."""
    current = current_version(settings.models)
    if current is not None:
        return current
    promotion = train_and_promote(settings.models, corpus.shipped_corpus(), source="shipped corpus")
    return promotion.candidate
