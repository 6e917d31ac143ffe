"""A fresh installation has no cases yet: the case datasets are skipped, saying why, and
nothing is published for them."""

from __future__ import annotations

import io

from ingest.nightly import run_nightly
from ingest.report import Reporter
from tests.cases_open_data.store_cases import CASE_DATASETS


def test_an_empty_feedback_store_publishes_no_case_dataset(settings):
    outcome = run_nightly(
        settings, only=CASE_DATASETS, reporter=Reporter(interactive=False, stream=io.StringIO())
    )

    assert outcome.exit_code == 0
    for result in outcome.results:
        assert result.status == "skipped"
        assert "feedback store" in result.message
    assert not list(settings.published.glob("citizen_*.db"))
