"""`kaifang sample` as an operator runs it."""

from __future__ import annotations

from click.testing import CliRunner

from kaifang.cli import main


def test_sample_writes_into_the_settings_inbox_by_default(settings):
    result = CliRunner().invoke(main, ["sample", "--scale", "0.01", "--seed", "2", "--no-cases"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in settings.inbox.iterdir())
    assert names == [
        "failed_batches_112.xlsx", "feeds", "import_inspections_112.csv",
        "market_inspections_112.csv", "measurement_sites_112.json",
        "metrology_verifications_112.csv", "sampling_dispatch_112.csv",
        "service_performance_112.csv",
    ]  # fmt: skip
    assert "496 records (+9 dirty)" in result.output
    assert "import_inspections_112.csv" in result.output
    assert not (settings.home / "feedback.db").exists()  # --no-cases: the store is not touched


def test_an_unsupported_year_or_scale_is_refused_with_the_reason(tmp_path):
    runner = CliRunner()
    year = runner.invoke(main, ["sample", "--year", "150", "--inbox", str(tmp_path)])
    assert year.exit_code == 2 and "109-119" in year.output
    scale = runner.invoke(main, ["sample", "--scale", "0", "--inbox", str(tmp_path)])
    assert scale.exit_code == 2 and "positive" in scale.output
    assert not any(tmp_path.iterdir())


def test_sample_fills_an_empty_feedback_store_once(settings):
    runner = CliRunner()
    first = runner.invoke(main, ["sample", "--scale", "0.01"])
    assert first.exit_code == 0, first.output
    assert "submitted 9 mailbox, 9 tip, 1 volunteer cases to the feedback store" in first.output
    assert "replied" in first.output and "closed" in first.output
    again = runner.invoke(main, ["sample", "--scale", "0.01"])
    assert again.exit_code == 0, again.output
    assert "no sample cases: the feedback store already holds 19 cases" in again.output
