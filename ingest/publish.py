"""Atomic publishing into ``published/``: build elsewhere, fsync, ``os.replace``, manifest last.

New files are built in a work folder on the same filesystem as published/ (``internal/tmp``,
or ``published/.tmp`` when internal/ is on another device), so the swap is one atomic rename:
a reader sees yesterday's complete file or today's, never a partial one. A run killed at any
moment leaves only work files behind, which the next run deletes.

``manifest.json`` is written last, atomically, and only when its dataset entries change, so
the same inputs twice leave every published file byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ingest.provenance import VersionRecord, utc_now
from kaifang.settings import Settings

MANIFEST = "manifest.json"
_HASH_CHUNK = 1 << 20


def work_dir(settings: Settings) -> Path:
    """The folder for files being built: same filesystem as published/, never served."""
    settings.published.mkdir(parents=True, exist_ok=True)
    candidate = settings.internal / "tmp"
    candidate.mkdir(parents=True, exist_ok=True)
    if os.stat(candidate).st_dev == os.stat(settings.published).st_dev:
        return candidate
    fallback = settings.published / ".tmp"
    fallback.mkdir(exist_ok=True)
    return fallback


def clean_work_dir(settings: Settings) -> list[str]:
    """Delete what an interrupted run left in the work folders; return the names removed."""
    removed = []
    for folder in (settings.internal / "tmp", settings.published / ".tmp"):
        if not folder.is_dir():
            continue
        for leftover in sorted(folder.iterdir()):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
            removed.append(leftover.name)
    return removed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_into_place(built: Path, target: Path) -> None:
    """Make ``built`` durable and atomically replace ``target`` with it."""
    _fsync_file(built)
    os.replace(built, target)
    _fsync_dir(target.parent)


def manifest_entries(published: Path, versions: list[VersionRecord]) -> dict[str, dict]:
    """Manifest entries for every dataset whose file is in published/."""
    entries = {}
    for record in versions:
        if (published / f"{record.dataset}.db").exists():
            entries[record.dataset] = {
                "file": f"{record.dataset}.db",
                "version": record.version,
                "sha256": record.sha256,
                "rows": record.rows_published,
                "updated_at": record.published_at,
            }
    return entries


def write_manifest(published: Path, entries: dict[str, dict], scratch: Path) -> bool:
    """Rewrite ``published/manifest.json`` atomically if its datasets differ; True if written."""
    target = published / MANIFEST
    if target.exists():
        try:
            if json.loads(target.read_text(encoding="utf-8")).get("datasets") == entries:
                return False
        except (ValueError, AttributeError):
            pass  # a damaged manifest is simply rewritten
    document = {"generated_at": utc_now(), "datasets": entries}
    temporary = scratch / f"{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    swap_into_place(temporary, target)
    return True
