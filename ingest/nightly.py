"""The nightly job: every dataset from the inbox's exports to a published, de-identified file.

For each dataset: read → validate → quarantine bad rows → de-identify → build a new SQLite
file → k-anonymity → leak gate → atomic publish → provenance. Then the routing classifier
retrains on new staff corrections (promoted only when not worse). A dataset that fails keeps
yesterday's file online and does not stop the others; an export that would remove more than
``max_row_drop`` of a dataset's published rows in one run (a truncated file) fails too, until
an operator accepts the drop. One run at a time (``lock``); a run killed at any moment leaves
published/ intact, and the next run deletes its work files and marks it ``interrupted``. Identical inputs build identical files, recognised by sha256, so a
second run publishes nothing new and only adds its run record.
"""

from __future__ import annotations

import secrets
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.build import build_dataset
from ingest.changes import compare_tables
from ingest.definitions import DatasetDefinition, DefinitionError, load_definitions
from ingest.deid.kanon import KAnonymityError
from ingest.feedback_source import FEEDBACK_STORE, open_snapshot, snapshot_path, write_snapshot
from ingest.feeds import FeedStatus, feed_sources, open_feed_items, refresh_feeds, store_path
from ingest.gate import scan_built_dataset
from ingest.lock import run_lock
from ingest.provenance import Catalog, utc_now
from ingest.publish import (
    clean_work_dir,
    file_sha256,
    manifest_entries,
    swap_into_place,
    work_dir,
    write_manifest,
)
from ingest.quarantine import Quarantine
from ingest.readers import SourceError, open_source
from ingest.report import DatasetResult, Reporter
from ingest.validate import DUPLICATE, Rejection, RowValidator
from kaifang.secrets import get_secret
from kaifang.settings import Settings

LEAKS_REPORTED = 20
REFUSED = "refused"  # internal/refused/<dataset>.db: the last file the leak gate refused
_PROGRESS_EVERY = 2000


@dataclass
class RunOutcome:
    run_id: str
    results: list[DatasetResult]
    feeds: list[FeedStatus] = field(default_factory=list)

    @property
    def failed(self) -> list[DatasetResult]:
        return [result for result in self.results if result.failed]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass
class _Context:
    settings: Settings
    catalog: Catalog
    reporter: Reporter
    run_id: str
    key: bytes
    scratch: Path
    accept_drop: frozenset[str] = frozenset()


class RowDropRefused(Exception):
    """A new build would remove more of a dataset's published rows than one run may."""


def run_nightly(
    settings: Settings, *, only: list[str] | None = None, reporter: Reporter | None = None,
    accept_drop: Collection[str] = (),
) -> RunOutcome:  # fmt: skip
    """Run the nightly job once; raises ``AlreadyRunning`` or ``DefinitionError``.

    ``accept_drop``: datasets whose new build may remove more rows than ``max_row_drop``
    allows (an operator confirmed that the rows are really gone)."""
    settings.ensure_dirs()  # internal/ (quarantine, feed store) is made private there
    reporter = reporter or Reporter()
    with run_lock(settings.internal / "nightly.lock"):
        leftovers = clean_work_dir(settings)
        catalog = Catalog(settings.published / "catalog.db")
        try:
            return _run(settings, catalog, reporter, leftovers, only, frozenset(accept_drop))
        finally:
            catalog.close()


def _run(
    settings: Settings, catalog: Catalog, reporter: Reporter, leftovers: list[str], only,
    accept_drop: frozenset[str],
) -> RunOutcome:  # fmt: skip
    interrupted = catalog.mark_interrupted_runs()
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    catalog.start_run(run_id, utc_now())
    reporter.event(
        "run_started", run_id=run_id, home=str(settings.home),
        removed_work_files=len(leftovers), interrupted_runs_marked=interrupted,
    )  # fmt: skip
    try:
        definitions = _selected(load_definitions(settings.datasets_dir), only, accept_drop)
    except DefinitionError as exc:
        catalog.finish_run(run_id, "failed", 0, 0, {"error": str(exc)})
        raise
    context = _Context(
        settings=settings, catalog=catalog, reporter=reporter, run_id=run_id,
        key=get_secret(settings, "pseudonym_key"), scratch=work_dir(settings),
        accept_drop=accept_drop,
    )  # fmt: skip
    feeds = _refresh_feeds(context, definitions)
    retention = _apply_retention(context)
    results = []
    for definition in definitions:
        result = _process_dataset(context, definition)
        results.append(result)
        level = "error" if result.failed else "info"
        reporter.event("dataset_finished", level=level, **result.as_dict())
    _update_manifest(context)
    retraining = _retrain_routing_model(context)
    outcome = RunOutcome(run_id=run_id, results=results, feeds=feeds)
    report = {
        "retention": retention,
        "routing_model": retraining,
        "datasets": [result.as_dict() for result in results],
        "feeds": [status.__dict__ for status in feeds],
        "removed_work_files": leftovers,
    }
    ok = len(results) - len(outcome.failed)
    catalog.finish_run(
        run_id, "failed" if outcome.failed else "ok", ok, len(outcome.failed), report
    )
    reporter.event(
        "run_finished", run_id=run_id, datasets_ok=ok, datasets_failed=len(outcome.failed)
    )
    return outcome


def _apply_retention(context: _Context) -> str:
    """Erase citizens' personal data from cases past the retention period, before the case
    datasets are built (``feedback_api.retention``). A failure is reported and leaves the data
    for the next run; it never fails the publishing run."""
    from feedback_api.retention import erase_expired
    from feedback_api.store import open_store

    try:
        store = open_store(context.settings)
        try:
            erasure = erase_expired(store, context.settings)
        finally:
            store.close()
    except Exception as exc:  # publishing must not depend on the feedback store
        context.reporter.event("retention", level="error", status="failed", message=str(exc))
        return f"failed: {exc}"
    summary = erasure.summary()
    context.reporter.event("retention", status="applied", message=summary)
    return summary


def _retrain_routing_model(context: _Context) -> str:
    """The classifier learns from staff reassignments: retrain when there are new ones.

    A failure is reported and leaves the current model in service; it never fails the run.
    """
    from classifier.retrain import retrain_from_store

    try:
        result = retrain_from_store(context.settings, only_when_new=True)
    except Exception as exc:  # the publishing run must not depend on the model
        context.reporter.event("routing_model", level="error", status="failed", message=str(exc))
        return f"failed: {exc}"
    if result is None:
        summary = "unchanged: no new staff corrections"
    else:
        summary = result.summary().replace("\n", "; ")
    context.reporter.event(
        "routing_model", status="retrained" if result else "unchanged", message=summary
    )
    return summary


def _selected(
    definitions: list[DatasetDefinition], only: list[str] | None, accept_drop: frozenset[str]
) -> list[DatasetDefinition]:
    """The definitions to run; every name given (``only``, ``accept_drop``) must be one."""
    known = {definition.name for definition in definitions}
    unknown = sorted((set(only or ()) | accept_drop) - known)
    if unknown:
        raise DefinitionError(
            f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    if not only:
        return definitions
    return [definition for definition in definitions if definition.name in only]


def _refresh_feeds(context: _Context, definitions: list[DatasetDefinition]) -> list[FeedStatus]:
    feed_definitions = [d for d in definitions if d.source.format == "feed"]
    if not feed_definitions:
        return []
    local = sorted(
        {p for d in feed_definitions for p in context.settings.inbox.glob(d.source.pattern)}
    )
    statuses = refresh_feeds(
        context.settings.feed_urls, local, store_path(context.settings.internal)
    )
    for status in statuses:
        level = "warning" if status.status == "error" else "info"
        context.reporter.event("feed", level=level, **status.__dict__)
    return statuses


def _process_dataset(context: _Context, definition: DatasetDefinition) -> DatasetResult:
    started = time.monotonic()
    result = DatasetResult(dataset=definition.name, status="failed")
    built = context.scratch / f"{definition.name}.{context.run_id}.db"
    try:
        _build_and_publish(context, definition, built, result)
    except (SourceError, KAnonymityError, RowDropRefused) as exc:
        result.status, result.message = "failed", str(exc)
    except Exception as exc:  # one dataset's bug must not stop the others
        result.status, result.message = "failed", f"{type(exc).__name__}: {exc}"
        context.reporter.event(
            "dataset_error",
            level="error",
            dataset=definition.name,
            traceback=traceback.format_exc(),
        )
    finally:
        built.unlink(missing_ok=True)
        snapshot_path(context.scratch, definition.name).unlink(missing_ok=True)
        result.seconds = round(time.monotonic() - started, 2)
    return result


def _build_and_publish(
    context: _Context, definition: DatasetDefinition, built: Path, result: DatasetResult
) -> None:
    settings = context.settings
    if definition.source.format == "feed":
        store = store_path(settings.internal)
        sources = feed_sources(store) if store.exists() else []
        files: list[Path] = [store] if sources else []
    elif definition.source.format == FEEDBACK_STORE:
        snapshot = snapshot_path(context.scratch, definition.name)
        rows = write_snapshot(settings, definition.source.pattern, snapshot, context.key)
        files = [snapshot] if rows else []
        sources = [{"file": snapshot.name, "sha256": file_sha256(snapshot), "rows": 0}]
    else:
        files = sorted(settings.inbox.glob(definition.source.pattern))
        sources = [{"file": path.name, "sha256": file_sha256(path), "rows": 0} for path in files]
    if not files:
        if _is_export(definition) and _inbox_lost(context, definition):
            raise SourceError(
                f"the inbox {settings.inbox} is empty, but {definition.name} was published "
                "before: is the export share mounted and the export job running? Yesterday's "
                "file stays online"
            )
        result.status = "skipped"
        place = (
            "the feedback store" if definition.source.format == FEEDBACK_STORE else settings.inbox
        )
        result.message = f"no source matching {definition.source.pattern!r} in {place}"
        return

    tally = _Tally()
    with (
        Quarantine(
            settings.internal / "quarantine.db", context.run_id, definition.name
        ) as quarantine,
        context.reporter.dataset_progress(definition.name) as advance,
    ):
        records = _records(definition, files, quarantine, tally, advance)
        build = build_dataset(built, definition, records, context.key)
    result.rows_published, result.k_anonymity = build.rows, build.k_anonymity
    result.rows_read = sum(tally.rows_per_file.values())
    result.rows_quarantined = quarantine.count
    result.rows_duplicate = tally.duplicates
    if definition.source.format != "feed":
        for source in sources:
            source["rows"] = tally.rows_per_file[source["file"]]
    if _is_export(definition) and not result.rows_read:  # a header and no record: broken
        raise SourceError(
            f"{', '.join(source['file'] for source in sources)}: no data row, only the header; "
            "the export is empty, yesterday's file stays online"
        )

    leaks = scan_built_dataset(built, definition.name, context.scratch)
    if leaks:
        result.leaks = [
            {
                "column": leak.column,
                "rowid": leak.rowid,
                "type": leak.type,
                "excerpt": leak.excerpt_masked,
            }
            for leak in leaks[:LEAKS_REPORTED]
        ]
        first = leaks[0]
        refused = _keep_refused(settings, definition.name, built)
        result.message = (
            f"leak gate: {len(leaks)} personal value(s) found, not published; first: "
            f"column {first.column} row {first.rowid} ({first.type}) {first.excerpt_masked}; "
            f"the refused file is {refused}"
        )
        return
    (settings.internal / REFUSED / f"{definition.name}.db").unlink(missing_ok=True)
    _publish(context, definition, built, result, sources)


def _is_export(definition: DatasetDefinition) -> bool:
    """Read from the branch's export files in the inbox (not from feeds or the feedback store,
    which only accumulate)."""
    return definition.source.format not in ("feed", FEEDBACK_STORE)


def _inbox_lost(context: _Context, definition: DatasetDefinition) -> bool:
    """No file at all in the inbox while the dataset has been published: the exports' share is
    not mounted or the export job stopped, not a day without news."""
    has_files = any(path.is_file() for path in context.settings.inbox.rglob("*"))
    return not has_files and context.catalog.latest_version(definition.name) is not None


def _check_row_drop(
    context: _Context, definition: DatasetDefinition, published: int, built: int
) -> None:
    """Refuse a build of an export that removes more than ``max_row_drop`` of the published
    rows: a truncated or partial export looks exactly like that, and the rows would be gone from
    the portal without anyone noticing."""
    limit = context.settings.max_row_drop
    if not published or not _is_export(definition) or definition.name in context.accept_drop:
        return
    drop = 1 - built / published
    if drop > limit:
        raise RowDropRefused(
            f"{built:,} rows where the published version has {published:,}: {drop:.0%} fewer, "
            f"more than the {limit:.0%} one run may remove (max_row_drop); a truncated or "
            "partial export? Yesterday's file stays online. If the rows are really gone, run "
            f"kaifang nightly --accept-drop {definition.name}"
        )


def _keep_refused(settings: Settings, dataset: str, built: Path) -> Path:
    """Keep the file the leak gate refused in internal/, so its rows can be looked up by rowid."""
    folder = settings.internal / REFUSED
    folder.mkdir(exist_ok=True)
    target = folder / f"{dataset}.db"
    shutil.move(built, target)
    return target


@dataclass
class _Tally:
    rows_per_file: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0


def _records(
    definition: DatasetDefinition, files: list[Path], quarantine: Quarantine, tally: _Tally, advance
) -> Iterator[dict]:
    """Valid typed records of every source file, in order; counts rows read per file."""
    validator = RowValidator(definition)
    for path in files:
        with _open(definition, path) as source:
            validator.check_headers(source)
            read = 0
            for row in source.rows:
                read += 1
                if read % _PROGRESS_EVERY == 0:
                    advance(_PROGRESS_EVERY)
                outcome = validator.validate(source, row)
                if outcome is DUPLICATE:
                    tally.duplicates += 1
                elif isinstance(outcome, Rejection):
                    quarantine.add(path.name, row.line, outcome.reason, row.raw)
                else:
                    yield outcome
            tally.rows_per_file[path.name] = read
            advance(read % _PROGRESS_EVERY)


def _open(definition: DatasetDefinition, path: Path):
    if definition.source.format == "feed":
        return open_feed_items(path)
    if definition.source.format == FEEDBACK_STORE:
        return open_snapshot(path)
    return open_source(path, definition.source)


def _publish(
    context: _Context, definition: DatasetDefinition, built: Path, result: DatasetResult,
    sources: list[dict],
) -> None:  # fmt: skip
    """Swap the checked file in, unless it is byte-identical to the current version."""
    target = context.settings.published / f"{definition.name}.db"
    digest = file_sha256(built)
    latest = context.catalog.latest_version(definition.name)
    if latest is not None and latest.sha256 == digest:
        result.version = latest.version
        if target.exists() and file_sha256(target) == digest:
            result.status, result.message = "unchanged", "same content as the published version"
            return
        # the version was recorded but a killed run never swapped the file in: finish the job
        swap_into_place(built, target)
        result.status, result.message = (
            "repaired",
            "published file restored to its recorded version",
        )
        _update_manifest(context)
        return
    if latest is not None:
        _check_row_drop(context, definition, latest.rows_published, result.rows_published)
    changes = compare_tables(
        target if target.exists() else None, built, definition.name, definition.key
    )
    record = context.catalog.record_version(
        dataset=definition.name, run_id=context.run_id, sha256=digest,
        rows_read=result.rows_read, rows_published=result.rows_published,
        rows_quarantined=result.rows_quarantined, sources=sources, changes=changes,
    )  # fmt: skip
    swap_into_place(built, target)
    result.status, result.version, result.changes = "published", record.version, changes
    _update_manifest(context)


def _update_manifest(context: _Context) -> None:
    published = context.settings.published
    write_manifest(
        published, manifest_entries(published, context.catalog.latest_versions()), context.scratch
    )
