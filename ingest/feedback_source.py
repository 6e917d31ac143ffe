"""The ``feedback_store`` source format: datasets read from the feedback store, not the inbox.

A definition with ``source: {format: feedback_store, pattern: <read-out>}`` names one of the
read-outs below. The nightly job asks for a snapshot of it: every case is read once through
``feedback_api.store.iter_case_records`` (the only way ingest reads the store), turned into
source rows by the read-out, and written as a JSON array into the run's private work folder.
From there the rows go through the same validation, column rules, k-anonymity, leak gate and
provenance as an export file; the same store gives the same snapshot bytes, so an unchanged
store publishes nothing new. The snapshot holds unscrubbed narratives: the nightly job
deletes it after the build, and an interrupted run's copy goes with the work folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from feedback_api.store import CaseRecord, iter_case_records
from ingest.case_stats import monthly_statistics
from ingest.cases import case_rows
from ingest.definitions import SourceSpec
from ingest.readers import SourceError, SourceFile, open_source
from kaifang.settings import Settings

FEEDBACK_STORE = "feedback_store"
READOUTS = ("cases", "case_stats")


def snapshot_path(work_dir: Path, dataset: str) -> Path:
    """Where the snapshot of ``dataset``'s read-out is written during a run."""
    return work_dir / f"{dataset}.feedback_store.json"


def _readout(name: str, key: bytes) -> Callable[[Iterable[CaseRecord], datetime], Iterable[dict]]:
    if name == "cases":
        return partial(case_rows, key=key)
    if name == "case_stats":
        return monthly_statistics
    raise SourceError(
        f"unknown feedback-store read-out {name!r} in source.pattern; use one of "
        f"{', '.join(READOUTS)}"
    )


def write_snapshot(
    settings: Settings, readout: str, path: Path, key: bytes, now: datetime | None = None
) -> int:
    """Write the read-out's rows to ``path`` (mode 0600); return how many rows it holds.
    ``key`` is the pseudonym key; ``now`` decides which unanswered cases are already late."""
    build = _readout(readout, key)
    rows = list(build(iter_case_records(settings), now or datetime.now(UTC)))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, ensure_ascii=False, indent=0)
    return len(rows)


@contextmanager
def open_snapshot(path: Path) -> Iterator[SourceFile]:
    """Stream a snapshot's rows with the JSON reader."""
    with open_source(path, SourceSpec(pattern=path.name, format="json")) as source:
        yield source
