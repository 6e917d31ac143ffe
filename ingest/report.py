"""How a nightly run talks to its operator.

On a terminal: a progress bar per dataset and a summary table at the end (rich). Otherwise
(cron, systemd): one JSON object per line on stderr for every event, and the same summary as
a plain table on stdout, so the journal keeps both machine- and human-readable records.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.provenance import Changes, utc_now


@dataclass
class DatasetResult:
    """The outcome of one dataset: published, unchanged, repaired, skipped or failed."""

    dataset: str
    status: str
    message: str = ""
    version: int | None = None
    rows_read: int = 0
    rows_published: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    changes: Changes | None = None
    k_anonymity: str = ""
    seconds: float = 0.0
    leaks: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "changes"}
        if self.changes is not None:
            data["changes"] = self.changes.__dict__
        return data


class Reporter:
    """Progress and events for one run; ``interactive`` when stderr is a terminal."""

    def __init__(self, *, interactive: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.console = Console(file=self.stream) if self.interactive else None

    def event(self, name: str, level: str = "info", **fields) -> None:
        if self.interactive:
            if level != "info" or name in ("run_started", "feed"):
                detail = " ".join(f"{k}={v}" for k, v in fields.items())
                self.console.print(f"[bold]{name}[/bold] {detail}", highlight=False)
            return
        record = {"time": utc_now(), "level": level, "event": name, **fields}
        self.stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.stream.flush()

    @contextmanager
    def dataset_progress(self, dataset: str) -> Iterator[Callable[[int], None]]:
        """Yield ``advance(rows)``; shows a live counter on a terminal."""
        if not self.interactive:
            yield lambda rows=1: None
            return
        columns = (
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
            TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
        )  # fmt: skip
        with Progress(*columns, console=self.console, transient=False) as progress:
            task = progress.add_task(dataset, total=None)
            yield lambda rows=1: progress.advance(task, rows)
            progress.update(task, total=progress.tasks[0].completed)


def summary_table(results: list[DatasetResult]) -> Table:
    table = Table(title="kaifang nightly")
    for heading in ("dataset", "status", "version", "read", "published", "quarantined",
                    "duplicates", "+/-/~", "seconds"):  # fmt: skip
        justify = "left" if heading in ("dataset", "status") else "right"
        table.add_column(heading, justify=justify, no_wrap=True)
    table.add_column("message", overflow="fold", min_width=30)
    for result in results:
        changes = result.changes
        delta = f"{changes.added}/{changes.removed}/{changes.changed}" if changes else ""
        table.add_row(
            result.dataset, result.status, str(result.version or ""), f"{result.rows_read:,}",
            f"{result.rows_published:,}", f"{result.rows_quarantined:,}",
            f"{result.rows_duplicate:,}", delta, f"{result.seconds:.1f}",
            result.message or result.k_anonymity,
        )  # fmt: skip
    return table


def print_summary(results: list[DatasetResult], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    Console(file=stream, width=160 if not stream.isatty() else None).print(summary_table(results))
