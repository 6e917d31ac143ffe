"""The nightly job's classifier step: staff reassignments retrain the routing model once."""

from __future__ import annotations

import io

from classifier import registry
from feedback_api import accounts, cases
from feedback_api.store import open_store
from feedback_api.validation import parse_submission
from ingest.nightly import run_nightly
from ingest.report import Reporter
from kaifang.settings import load_settings
from tests.feedback.payloads import valid_case


def _nightly(settings) -> str:
    log = io.StringIO()
    run_nightly(
        settings, only=["service_performance"], reporter=Reporter(interactive=False, stream=log)
    )
    return log.getvalue()


def test_new_reassignments_retrain_the_model_and_an_unchanged_store_does_not(home_with_model):
    settings = load_settings().ensure_dirs()
    shipped = registry.current_version(settings.models)
    assert '"status": "unchanged"' in _nightly(settings)  # no corrections yet: nothing trained
    assert len(registry.list_versions(settings.models)) == 1

    store = open_store(settings)
    try:
        officer = accounts.add_staff(
            store, "chen", "a long enough password", display_name="陳技士",
            role="section_staff", unit="秘書室",
        ).actor()  # fmt: skip
        text = "社區活動中心的體重計好像不準，要找誰來檢定？"
        submitted = cases.submit(store, parse_submission(valid_case(text=text)), channel="api")
        routed = cases.get_case(store, submitted.tracking).unit
        corrected = "市場監督課" if routed != "市場監督課" else "計量課"
        cases.reassign(store, submitted.tracking, corrected, actor=officer)
    finally:
        store.close()

    log = _nightly(settings)
    assert '"status": "retrained"' in log and "corrections used: 1" in log
    retrained = [v for v in registry.list_versions(settings.models) if v.id != shipped.id]
    assert len(retrained) == 1 and retrained[0].metadata["corrections"] == 1

    assert '"status": "unchanged"' in _nightly(settings)  # the same correction is not learnt twice
    assert len(registry.list_versions(settings.models)) == 2
