"""The citizens' JSON API over real HTTP: validation messages, error shapes, access with the
secret only, limits, attachments."""

from __future__ import annotations

import io
import json

from PIL import Image

from feedback_api import accounts, cases
from tests.feedback.payloads import valid_case


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_a_submission_answers_the_tracking_number_secret_and_status_link(live):
    client, _store = live
    response = client.post("/api/v1/cases", json=valid_case())
    assert response.status_code == 201
    case = response.json()["case"]
    assert response.headers["location"] == f"/api/v1/cases/{case['tracking']}"
    assert case["status"] == "received" and case["due_at"] > case["received_at"]
    assert f"tracking={case['tracking']}" in case["status_url"]
    assert f"key={case['secret']}" in case["status_url"]


def test_every_bad_field_is_named_with_a_message_in_chinese_and_english(live):
    client, store = live
    body = valid_case(
        type="complaint",
        text="短",
        contact={"email": "not-an-address", "phone": "123"},
        place={"lat": 48.85, "long": 2.35},
        product={"online_url": "ftp://example.com", "purchase_date": "2999-01-01"},
        colour="red",
    )
    response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["ok"] is False
    fields = {error["field"]: error["message"] for error in payload["errors"]}
    assert set(fields) == {
        "colour", "type", "text", "contact.email", "contact.phone", "place.lat", "place.long",
        "product.online_url", "product.purchase_date",
    }  # fmt: skip
    assert "至少需要 5 個字" in fields["text"] and "at least 5 characters" in fields["text"]
    assert "name@example.com" in fields["contact.email"]
    assert cases.list_queue(store) == []  # nothing half-stored


def test_unknown_nested_fields_and_wrong_types_are_refused(live):
    client, _store = live
    body = valid_case(
        product={"name": "充電器", "voltage": 110}, consents={"reply_by_email": "yes"}
    )
    errors = client.post("/api/v1/cases", json=body).json()["errors"]
    assert {e["field"] for e in errors} == {"product.voltage", "consents.reply_by_email"}


def test_reply_by_email_needs_an_address_and_anonymous_cases_are_accepted(live):
    client, _store = live
    needs_email = client.post(
        "/api/v1/cases", json=valid_case(contact=None, consents={"reply_by_email": True})
    )
    assert needs_email.status_code == 422
    assert needs_email.json()["errors"][0]["field"] == "contact.email"
    anonymous = client.post("/api/v1/cases", json=valid_case(contact=None, consents=None))
    assert anonymous.status_code == 201


def test_bodies_that_are_not_json_get_400_or_415(live):
    client, _store = live
    malformed = client.post(
        "/api/v1/cases", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["field"] == "body"
    form = client.post("/api/v1/cases", data={"type": "report"})
    assert form.status_code == 415 and form.json()["ok"] is False
    not_an_object = client.post("/api/v1/cases", json=["report"])
    assert not_an_object.status_code == 422


def test_json_that_python_cannot_read_is_a_400_not_a_crash(live):
    client, store = live
    too_long_a_number = '{"type": "report", "text": ' + "9" * 5000 + "}"
    too_deep = "[" * 100_000 + "]" * 100_000
    for body in (too_long_a_number, too_deep):
        response = client.post(
            "/api/v1/cases", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["field"] == "body"
    assert cases.list_queue(store) == []


def test_a_case_is_readable_only_with_its_secret(live):
    client, _store = live
    mine = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    other = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    path = f"/api/v1/cases/{mine['tracking']}"
    by_header = client.get(path, headers={"X-Case-Secret": mine["secret"]})
    assert by_header.status_code == 200
    assert by_header.json()["case"]["contact"]["email"] == "ming@example.com"
    assert client.get(path, params={"secret": mine["secret"]}).status_code == 200
    for refused in (
        client.get(path),
        client.get(path, headers={"X-Case-Secret": other["secret"]}),
        client.get("/api/v1/cases/KF-2222-2222-2", params={"secret": mine["secret"]}),
    ):
        assert refused.status_code == 404
        assert refused.json() == {
            "ok": False,
            "errors": [{"field": "tracking", "message": refused.json()["errors"][0]["message"]}],
        }
        assert "ming@example.com" not in refused.text


def test_the_status_shows_the_reply_and_public_timeline_only(live, staff):
    client, store = live
    mine = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    cases.add_note(store, mine["tracking"], "內部：攤商是累犯", actor=staff)
    cases.reply(store, mine["tracking"], "已派員查核並要求下架。", actor=staff)
    view = client.get(
        f"/api/v1/cases/{mine['tracking']}", headers={"X-Case-Secret": mine["secret"]}
    ).json()["case"]
    assert view["status"] == "replied" and view["reply"] == "已派員查核並要求下架。"
    assert "累犯" not in json.dumps(view, ensure_ascii=False)
    assert [event["kind"] for event in view["timeline"]] == ["received", "replied"]


def test_too_many_submissions_from_one_address_get_429_with_retry_after(live):
    client, _store = live
    statuses = [client.post("/api/v1/cases", json=valid_case()).status_code for _ in range(12)]
    assert statuses[:10] == [201] * 10
    limited = client.post("/api/v1/cases", json=valid_case())
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["ok"] is False


def test_an_api_key_has_its_own_budget_and_a_bad_key_is_refused(live):
    client, store = live
    key = accounts.create_key(store, "client", "city app")
    for _ in range(11):
        client.post("/api/v1/cases", json=valid_case())
    with_key = client.post("/api/v1/cases", json=valid_case(), headers={"X-API-Key": key})
    assert with_key.status_code == 201
    bad = client.post("/api/v1/cases", json=valid_case(), headers={"X-API-Key": key + "x"})
    assert bad.status_code == 401 and bad.json()["errors"][0]["field"] == "api_key"


def test_a_resent_submission_with_its_idempotency_key_answers_the_same_case(live, client_key):
    client, store = live
    key = {"Idempotency-Key": "c2a9d1e4-8f3b-4c6a-9e21-7d5b0f4a3c18"}
    first = client.post("/api/v1/cases", json=valid_case(), headers=key)
    # the same JSON with its keys in another order is the same request
    reordered = dict(reversed(list(valid_case().items())))
    again = client.post("/api/v1/cases", json=reordered, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(cases.list_queue(store)) == 1

    changed = client.post(
        "/api/v1/cases", json=valid_case(text="另一件完全不同的事。"), headers=key
    )
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "idempotency_key"
    # a client with an API key has keys of its own
    keyed = client.post(
        "/api/v1/cases", json=valid_case(), headers={**key, "X-API-Key": client_key}
    )
    assert keyed.status_code == 201 and "idempotent-replayed" not in keyed.headers
    assert keyed.json()["case"]["tracking"] != first.json()["case"]["tracking"]
    assert len(cases.list_queue(store)) == 2

    malformed = client.post("/api/v1/cases", json=valid_case(), headers={"Idempotency-Key": "1"})
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["message"].startswith("Idempotency-Key 應為")
    assert len(cases.list_queue(store)) == 2


def test_an_oversized_body_gets_413_before_it_is_read(live):
    client, _store = live
    body = json.dumps(valid_case(text="很長" * 200_000)).encode()
    response = client.post(
        "/api/v1/cases", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["ok"] is False and "KiB" in response.json()["errors"][0]["message"]


def test_an_oversized_chunked_body_gets_413_too(live):
    client, _store = live

    def chunks():
        for _ in range(40):
            yield b"x" * 10_000

    response = client.post(
        "/api/v1/cases", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_attachments_reach_the_submitter_only(live):
    client, _store = live
    mine = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    other = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    path = f"/api/v1/cases/{mine['tracking']}/attachments"
    uploaded = client.post(
        path,
        headers={"X-Case-Secret": mine["secret"]},
        files=[("files", ("shelf.jpg", _photo(), "image/jpeg"))],
    )
    assert uploaded.status_code == 201
    attachment = uploaded.json()["attachments"][0]
    assert attachment["content_type"] == "image/jpeg"
    own = client.get(f"{path}/{attachment['id']}", headers={"X-Case-Secret": mine["secret"]})
    assert own.status_code == 200 and own.content.startswith(b"\xff\xd8\xff")
    assert client.get(f"{path}/{attachment['id']}").status_code == 404
    foreign = client.get(f"{path}/{attachment['id']}", headers={"X-Case-Secret": other["secret"]})
    assert foreign.status_code == 404
    via_other_case = client.get(
        f"/api/v1/cases/{other['tracking']}/attachments/{attachment['id']}",
        headers={"X-Case-Secret": other["secret"]},
    )
    assert via_other_case.status_code == 404


def test_more_than_five_files_are_refused_with_the_usual_message(live):
    client, _store = live
    mine = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    photo = _photo()
    response = client.post(
        f"/api/v1/cases/{mine['tracking']}/attachments",
        headers={"X-Case-Secret": mine["secret"]},
        files=[("files", (f"p{n}.jpg", photo, "image/jpeg")) for n in range(8)],
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "files" and error["message"].startswith("最多只能附加 5 個檔案")


def test_a_disguised_file_is_refused_with_its_name(live):
    client, _store = live
    mine = client.post("/api/v1/cases", json=valid_case()).json()["case"]
    response = client.post(
        f"/api/v1/cases/{mine['tracking']}/attachments",
        headers={"X-Case-Secret": mine["secret"]},
        files=[("files", ("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg"))],
    )
    assert response.status_code == 422
    assert "photo.jpg" in response.json()["errors"][0]["message"]


def test_survey_and_consent_withdrawal(live, staff):
    client, store = live
    mine = client.post(
        "/api/v1/cases", json=valid_case(consents={"publish_narrative": True})
    ).json()["case"]
    headers = {"X-Case-Secret": mine["secret"]}
    path = f"/api/v1/cases/{mine['tracking']}"
    early = client.post(f"{path}/survey", json={"score": 5}, headers=headers)
    assert early.status_code == 409
    cases.reply(store, mine["tracking"], "已處理", actor=staff)
    cases.close(store, mine["tracking"], actor=staff)
    assert client.post(f"{path}/survey", json={"score": 9}, headers=headers).status_code == 422
    assert client.post(f"{path}/survey", json={"score": 4}, headers=headers).status_code == 201
    assert client.post(f"{path}/survey", json={"score": 4}, headers=headers).status_code == 409
    withdrawn = client.post(f"{path}/consents/publish_narrative/withdraw", headers=headers)
    assert withdrawn.json()["consents"]["publish_narrative"] is False
    assert client.post(f"{path}/consents/publish_narrative/withdraw").status_code == 404


def test_unknown_paths_and_methods_answer_in_the_api_error_shape(live):
    client, _store = live
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["ok"] is False
    wrong_method = client.delete("/api/v1/cases")
    assert wrong_method.status_code == 405 and wrong_method.json()["ok"] is False
