"""kill -9 in the middle of a build: published data stays intact and the next run recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from ingest.build import PAUSE_ENV
from ingest.nightly import run_nightly
from ingest.publish import file_sha256
from tests.ingest.ingest_fixtures import IMPORT_HEADER, import_row, rows, write_csv


def test_kill_9_during_a_build_then_a_clean_recovery(settings, reporter, tmp_path):
    inbox_file = settings.inbox / "import_inspections_112.csv"
    write_csv(inbox_file, IMPORT_HEADER, [import_row(n) for n in range(1, 4)])
    run_nightly(settings, reporter=reporter)
    published = settings.published / "import_inspections.db"
    yesterday = file_sha256(published)
    manifest = (settings.published / "manifest.json").read_bytes()

    write_csv(inbox_file, IMPORT_HEADER, [import_row(n) for n in range(1, 6)])
    marker = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: f"import_inspections:{marker}"}
    child = subprocess.Popen(
        [sys.executable, "-c", "from ingest.cli import nightly; nightly()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the nightly run ended before reaching the build"
            assert time.monotonic() < deadline, "the nightly run never reached the build"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    # the half-built file is left in the work folder, published/ is untouched
    assert list((settings.internal / "tmp").glob("import_inspections.*.db"))
    assert file_sha256(published) == yesterday
    assert (settings.published / "manifest.json").read_bytes() == manifest
    assert rows(published, "SELECT count(*) FROM import_inspections") == [(3,)]
    catalog = settings.published / "catalog.db"
    assert rows(catalog, "SELECT outcome FROM runs ORDER BY started_at") == [("ok",), ("running",)]

    outcome = run_nightly(settings, reporter=reporter)
    assert outcome.exit_code == 0
    assert not list((settings.internal / "tmp").iterdir())
    assert rows(catalog, "SELECT outcome FROM runs ORDER BY started_at") == [
        ("ok",), ("interrupted",), ("ok",)
    ]  # fmt: skip
    assert rows(published, "SELECT count(*) FROM import_inspections") == [(5,)]
    assert rows(catalog, "SELECT max(version) FROM dataset_versions "
                         "WHERE dataset = 'import_inspections'") == [(2,)]  # fmt: skip


def test_a_lost_published_file_is_restored_without_a_new_version(settings, reporter):
    write_csv(settings.inbox / "import_inspections_112.csv", IMPORT_HEADER,
              [import_row(n) for n in range(1, 4)])  # fmt: skip
    run_nightly(settings, reporter=reporter)
    published = settings.published / "import_inspections.db"
    recorded = file_sha256(published)
    published.unlink()

    outcome = run_nightly(settings, reporter=reporter)
    (result,) = [r for r in outcome.results if r.dataset == "import_inspections"]
    assert (result.status, result.version) == ("repaired", 1)
    assert file_sha256(published) == recorded
