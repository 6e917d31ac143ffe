"""Backing up and restoring what the branch cannot rebuild: a SQLite feedback store (cases,
accounts, audit log), the attachments its cases list and the secrets that make its case links,
keys and pseudonyms work.

A backup is a folder::

    feedback.db      a consistent copy made with SQLite's online backup (the service may run)
    attachments/     every file the copied store lists, nothing else
    secrets/         the secrets kept in KAIFANG_HOME/secrets (not those set in the environment)
    MANIFEST.json    when, the store's migration revision, counts and each file's SHA-256

Everything in it is personal data: the folder is 0700 and its files 0600. Published datasets
and models are not in it: the nightly job and ``kaifang classifier retrain`` rebuild them.
A restore checks every file against the manifest first and writes nothing into a home that
already holds a store, attachments or other secrets, so it cannot mix two installations.
PostgreSQL stores are backed up with ``pg_dump``; the command says so instead of copying half.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from kaifang.secrets import KNOWN_SECRETS
from kaifang.settings import Settings

MANIFEST = "MANIFEST.json"
STORE_FILE = "feedback.db"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    revision: str
    cases: int
    attachments: int
    missing_attachments: tuple[str, ...]
    secrets: tuple[str, ...]
    secrets_in_environment: tuple[str, ...]


def _sqlite_path(settings: Settings) -> Path:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "the feedback store is on PostgreSQL: back it up with pg_dump "
            "(pg_dump --format=custom DBNAME > kaifang.dump) and copy attachments/ and "
            "secrets/ beside it; `kaifang db backup` copies SQLite stores"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("the feedback store is in memory: there is nothing to back up")
    return Path(url.database)


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def _copy_private(source: Path, target: Path) -> None:
    """Copy a file into a new file readable by its owner only."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
        shutil.copyfileobj(handle, out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _empty_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} exists and is not an empty folder: choose a new one")
    _private_folder(folder)


def _copy_store(source: Path, target: Path) -> tuple[str, int, list[str]]:
    """Copy the store with SQLite's online backup; return its revision, number of cases and
    the stored names of its attachments."""
    if not source.is_file():
        raise BackupError(f"no feedback store at {source}: nothing to back up")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    live = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy of {source} fails SQLite's integrity check")
        return _store_contents(copy, source)
    finally:
        copy.close()
        live.close()


def _store_contents(conn: sqlite3.Connection, source: Path) -> tuple[str, int, list[str]]:
    try:
        [revision] = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        [cases] = conn.execute("SELECT count(*) FROM cases").fetchone()
        names = [row[0] for row in conn.execute("SELECT stored_name FROM attachments")]
    except (sqlite3.DatabaseError, TypeError):
        raise BackupError(
            f"{source} is not a kaifang feedback store (no cases or revision)"
        ) from None
    return revision, cases, names


def _secret_files(settings: Settings) -> tuple[list[Path], list[str]]:
    """The secrets kept as files, and the names of those set in the environment."""
    in_environment = [n for n in KNOWN_SECRETS if os.environ.get(f"KAIFANG_SECRET_{n.upper()}")]
    files = [
        settings.secrets / name
        for name in KNOWN_SECRETS
        if name not in in_environment and (settings.secrets / name).is_file()
    ]
    return files, in_environment


def backup(settings: Settings, folder: Path) -> BackupSummary:
    """Write a backup of ``settings``' store, attachments and secrets into a new ``folder``."""
    source = _sqlite_path(settings)
    _empty_folder(folder)
    revision, cases, stored_names = _copy_store(source, folder / STORE_FILE)
    _private_folder(folder / "attachments")
    copied, missing = [], []
    for name in stored_names:
        original = settings.attachments / name
        if original.is_file():
            _copy_private(original, folder / "attachments" / name)
            copied.append(f"attachments/{name}")
        else:
            missing.append(name)
    secret_files, in_environment = _secret_files(settings)
    _private_folder(folder / "secrets")
    for path in secret_files:
        _copy_private(path, folder / "secrets" / path.name)
    files = [STORE_FILE, *copied, *(f"secrets/{p.name}" for p in secret_files)]
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "store_revision": revision,
        "cases": cases,
        "attachments_missing_from_source": missing,
        "secrets_in_environment": in_environment,
        "files": {name: _sha256(folder / name) for name in files},
    }
    fd = os.open(folder / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
    return BackupSummary(
        folder, revision, cases, len(copied), tuple(missing),
        tuple(p.name for p in secret_files), tuple(in_environment),
    )  # fmt: skip


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: not a kaifang backup") from None
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{folder / MANIFEST} is damaged: not a readable manifest") from None
    for name, expected in files.items():
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
            raise BackupError(f"the backup lacks {name}, which its manifest lists")
        if _sha256(path) != expected:
            raise BackupError(f"{name} in the backup does not match its manifest (damaged copy)")
    return manifest


def _refuse_overwrite(plan: Iterable[tuple[Path, Path, bool]]) -> None:
    """Refuse when a target exists, unless it may stay because it equals the backup's copy
    (a secret: restoring onto the installation the backup came from)."""
    for source, target, may_be_identical in plan:
        if target.exists() and not (
            may_be_identical and target.read_bytes() == source.read_bytes()
        ):
            raise BackupError(
                f"{target} already exists: restore into a home without a feedback store, "
                "attachments or other secrets (move them aside first)"
            )


def restore(settings: Settings, folder: Path) -> BackupSummary:
    """Put the backup in ``folder`` into ``settings``' home, after checking it whole."""
    manifest = _read_manifest(folder)
    target_store = _sqlite_path(settings)
    plan = [(folder / STORE_FILE, target_store, False)]
    for name in manifest["files"]:
        kind, _, file_name = name.partition("/")
        if kind == "attachments":
            plan.append((folder / name, settings.attachments / file_name, False))
        elif kind == "secrets":
            plan.append((folder / name, settings.secrets / file_name, True))
    if target_store.exists() and target_store.stat().st_size == 0:
        target_store.unlink()  # the empty file the service makes before its first migration
    _refuse_overwrite(plan)
    target_store.parent.mkdir(parents=True, exist_ok=True)
    _private_folder(settings.attachments)
    _private_folder(settings.secrets)
    for source, target, _ in plan:
        if not target.exists():
            _copy_private(source, target)
    names = [name for name in manifest["files"] if name.startswith("attachments/")]
    secrets = [name.partition("/")[2] for name in manifest["files"] if name.startswith("secrets/")]
    return BackupSummary(
        folder, manifest["store_revision"], manifest["cases"], len(names),
        tuple(manifest["attachments_missing_from_source"]), tuple(secrets),
        tuple(manifest["secrets_in_environment"]),
    )  # fmt: skip
