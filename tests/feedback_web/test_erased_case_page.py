"""Staff opening a case whose retention period has passed see that its citizen's data was
erased, and none of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from feedback_api.retention import erase_expired
from tests.feedback.handled_case import handled_case
from tests.feedback_web.web_helpers import log_in


def test_an_erased_case_says_so_and_shows_no_personal_data(client, staff_accounts, store):
    tracking = handled_case(store, datetime.now(UTC) - timedelta(days=800))
    erase_expired(store, replace(store.settings, retention_years=1))
    log_in(client, "chen")
    page = client.get(f"/staff/cases/{tracking}").text
    assert "保存年限已屆滿" in page and "〔姓名〕" in page
    assert "王小明" not in page and "0912-345-678" not in page and "receipt.jpg" not in page
