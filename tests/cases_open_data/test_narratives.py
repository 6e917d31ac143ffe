"""Narratives in the published case list: opt-in, only once the case is closed, scrubbed of
personal data, and gone at the next run once consent is withdrawn (the CFPB practice)."""

from __future__ import annotations

import hashlib
import hmac

from feedback_api import cases as service
from kaifang.secrets import get_secret
from tests.cases_open_data.store_cases import Person, body, every_published_text, published_rows

SUBMITTER = Person("王大明", "daming.wang@example.com", "0912-345-678", "A123456789")
NEIGHBOUR = Person("林美惠", "meihui.lin@example.org", "0933-222-111", "F223456780")
PASSER_BY = Person("張志豪", "chihhao@example.net", "0955-666-777", "H121234567")

PERSONAL_TEXT = (
    "我是王大明，身分證字號A123456789，住在基隆市仁愛區愛一路12號3樓，"
    "電話0912-345-678，公司電話02-2423-4567。我在基隆廟口夜市買的延長線插上電暖器後冒煙燒焦，"
    "外盒沒有商品安全標章，請派員查核。"
)
PLAIN_TEXT = "我在夜市買的延長線插頭會發燙，外盒沒有商品安全標章，請派員查核。"


def case_id(tracking: str, key: bytes) -> str:
    """The published name of a case: C and 64 bits of the HMAC-SHA256 of its tracking number."""
    return "C" + hmac.new(key, tracking.encode(), hashlib.sha256).hexdigest()[:16]


def submit(client, person: Person, text: str, *, consent: bool) -> dict:
    submission = body(
        person, case_type="report", area="electrical", district="基隆市仁愛區", text=text,
        consent=consent,
    )  # fmt: skip
    response = client.post("/api/v1/cases", json=submission)
    assert response.status_code == 201, response.text
    return response.json()["case"]


def close(store, staff, tracking: str) -> None:
    service.reply(store, tracking, "已派員查核，該批延長線已下架並通知業者改善。", actor=staff)
    service.close(store, tracking, actor=staff)


def rows_by_case(settings) -> dict[str, dict]:
    return {row["case_id"]: row for row in published_rows(settings.published, "citizen_cases")}


def test_consented_closed_narrative_is_published_scrubbed_and_withdrawal_removes_it(
    settings, store, staff, client, run_case_datasets
):
    consented = submit(client, SUBMITTER, PERSONAL_TEXT, consent=True)
    without_consent = submit(client, NEIGHBOUR, PLAIN_TEXT, consent=False)
    still_open = submit(client, PASSER_BY, PLAIN_TEXT, consent=True)
    close(store, staff, consented["tracking"])
    close(store, staff, without_consent["tracking"])

    run_case_datasets()

    snapshots = list(settings.internal.rglob("*.feedback_store.json"))
    assert not snapshots  # the unscrubbed read-out does not outlive the run
    key = get_secret(settings, "pseudonym_key")
    rows = rows_by_case(settings)
    assert set(rows) == {
        case_id(case["tracking"], key) for case in (consented, without_consent, still_open)
    }
    published = rows[case_id(consented["tracking"], key)]
    narrative = published["narrative"]
    assert "延長線插上電暖器後冒煙燒焦" in narrative  # what was reported is there
    for personal in (*SUBMITTER.identifiers, "愛一路12號", "02-2423-4567"):
        assert personal not in narrative
    assert "〔姓名〕" in narrative and "〔身分證號〕" in narrative and "〔電話〕" in narrative
    assert published["status"] == "已結案"
    assert published["district"] == "基隆市仁愛區"
    assert published["within_target"] == 1
    assert rows[case_id(without_consent["tracking"], key)]["narrative"] is None
    assert rows[case_id(still_open["tracking"], key)]["narrative"] is None  # not closed yet

    withdrawn = client.post(
        f"/api/v1/cases/{consented['tracking']}/consents/publish_narrative/withdraw",
        headers={"X-Case-Secret": consented["secret"]},
    )
    assert withdrawn.json()["consents"]["publish_narrative"] is False

    run_case_datasets()

    again = rows_by_case(settings)[case_id(consented["tracking"], key)]
    assert again["narrative"] is None
    assert again["status"] == "已結案"  # the case itself stays in the list
    texts = [text for _, _, text in every_published_text(settings.published)]
    assert not any("冒煙燒焦" in text for text in texts)  # nor in the search index


def test_tracking_numbers_and_secrets_are_never_published(
    settings, store, staff, client, run_case_datasets
):
    submitted = [submit(client, person, PLAIN_TEXT, consent=True) for person in
                 (SUBMITTER, NEIGHBOUR, PASSER_BY)]  # fmt: skip
    for case in submitted:
        close(store, staff, case["tracking"])

    run_case_datasets()

    texts = [text for _, _, text in every_published_text(settings.published)]
    assert any(PLAIN_TEXT[:10] in text for text in texts)  # the scan does see the narratives
    for case in submitted:
        for secret_value in (case["tracking"], case["secret"]):
            assert not any(secret_value in text for text in texts), secret_value
