"""`kaifang nightly` as an operator runs it: exit codes, the summary table, JSON-lines logs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ingest.cli import nightly
from tests.ingest.ingest_fixtures import (
    IMPORT_HEADER,
    MARKET_HEADER,
    copy_definition,
    import_row,
    market_row,
    write_csv,
)


def test_exit_code_summary_and_json_lines_when_a_dataset_fails(settings):
    write_csv(settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, [import_row(1)])
    write_csv(settings.inbox / "market_inspections_112.csv", MARKET_HEADER + ["額外"],
              [market_row(1) + ["x"]], encoding="cp950")  # fmt: skip
    result = CliRunner().invoke(nightly, [])
    assert result.exit_code == 1
    assert "import_inspections" in result.stdout and "published" in result.stdout
    assert "failed: market_inspections (yesterday's files are still published)" in result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    finished = {e["dataset"]: e for e in events if e["event"] == "dataset_finished"}
    assert finished["market_inspections"]["level"] == "error"
    assert "unknown column(s) '額外'" in finished["market_inspections"]["message"]
    assert events[-1]["event"] == "run_finished" and events[-1]["datasets_failed"] == 1


def test_invalid_definitions_stop_the_run_before_anything_is_built(custom_settings, datasets_dir):
    copy_definition(
        datasets_dir, "import_inspections", {"license: ogdl-tw-1": "license: all-rights"}
    )
    write_csv(custom_settings.inbox / "import_inspections_112.csv", IMPORT_HEADER, [import_row(1)])
    result = CliRunner().invoke(nightly, [])
    assert result.exit_code == 2
    assert "import_inspections.yml:" in result.stderr and "license: 'all-rights'" in result.stderr
    assert not (custom_settings.published / "import_inspections.db").exists()
