"""Volunteer monitors: structured reports with photos, their own reports only."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from feedback_api import accounts, cases, idempotency, schema
from tests.feedback.payloads import GPS_IFD, iphone_photo

REPORT = {
    "text": "五金行在賣沒有商品安全標章的延長線，外包裝也沒有中文標示。",
    "product_area": "electrical",
    "product": {
        "name": "延長線",
        "brand": "無品牌",
        "shop": "基隆市中正區某五金行",
        "safety_mark": "no",
    },
    "place": {"district": "基隆市中正區"},
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def volunteers(sqlite_store):
    tokens = {}
    for username in ("vol-a", "vol-b"):
        account = accounts.add_volunteer(sqlite_store, username, display_name=username)
        tokens[username] = accounts.create_key(
            sqlite_store, "volunteer", f"token of {username}", account_id=account.id
        )
    return tokens


def send(client, token, report=REPORT, photos=1, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/volunteer/reports",
        headers=headers,
        data={"report": json.dumps(report, ensure_ascii=False)},
        files=[("photos", (f"p{i}.png", _png(), "image/png")) for i in range(photos)],
    )


KEY = "5f0c2f6e-6d4a-4b1e-9a57-3c1f2b7d8e90"


def _reports_of(store, username):
    return cases.list_volunteer_reports(store, accounts.find_account(store, username).id)


def test_a_report_with_photos_is_recorded_as_the_volunteers(live, volunteers):
    client, store = live
    response = send(client, volunteers["vol-a"], photos=2)
    assert response.status_code == 201
    tracking = response.json()["case"]["tracking"]
    case = cases.get_case(store, tracking)
    assert (case.channel, case.case_type, case.safety_mark) == ("volunteer", "report", "no")
    assert len(cases.list_attachments(store, case.id)) == 2

    mine = client.get(
        "/api/v1/volunteer/reports", headers={"Authorization": f"Bearer {volunteers['vol-a']}"}
    ).json()["reports"]
    assert [r["tracking"] for r in mine] == [tracking]
    detail = client.get(
        f"/api/v1/volunteer/reports/{tracking}",
        headers={"Authorization": f"Bearer {volunteers['vol-a']}"},
    ).json()["case"]
    assert detail["status"] == "received" and len(detail["attachments"]) == 2
    photo = client.get(
        detail["attachments"][0]["url"],
        headers={"Authorization": f"Bearer {volunteers['vol-a']}"},
    )
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")


def test_an_iphone_photo_reaches_staff_as_a_jpeg_without_its_location(live, volunteers):
    client, store = live
    headers = {"Authorization": f"Bearer {volunteers['vol-a']}"}
    response = client.post(
        "/api/v1/volunteer/reports",
        headers=headers,
        data={"report": json.dumps(REPORT, ensure_ascii=False)},
        files=[("photos", ("IMG_4031.HEIC", iphone_photo(), "image/heic"))],
    )
    assert response.status_code == 201, response.text
    tracking = response.json()["case"]["tracking"]
    [photo] = client.get(f"/api/v1/volunteer/reports/{tracking}", headers=headers).json()["case"][
        "attachments"
    ]
    assert (photo["name"], photo["content_type"]) == ("IMG_4031.jpg", "image/jpeg")
    served = client.get(photo["url"], headers=headers)
    assert served.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG" and image.size == (48, 64)
        assert not image.getexif().get_ifd(GPS_IFD)
    [stored] = cases.list_attachments(store, cases.get_case(store, tracking).id)
    assert stored.stored_name.endswith(".jpg")


def test_a_volunteer_cannot_read_another_volunteers_report(live, volunteers):
    client, _store = live
    tracking = send(client, volunteers["vol-a"]).json()["case"]["tracking"]
    other = {"Authorization": f"Bearer {volunteers['vol-b']}"}
    assert client.get(f"/api/v1/volunteer/reports/{tracking}", headers=other).status_code == 404
    assert (
        client.get(f"/api/v1/volunteer/reports/{tracking}/attachments/1", headers=other).status_code
        == 404
    )
    assert client.get("/api/v1/volunteer/reports", headers=other).json()["reports"] == []


def test_without_a_valid_token_nothing_is_accepted_or_shown(live, volunteers, client_key):
    client, _store = live
    assert send(client, "kfv_made-up").status_code == 401
    assert send(client, client_key).status_code == 401  # a client key is not a volunteer token
    listing = client.get("/api/v1/volunteer/reports")
    assert listing.status_code == 401 and listing.headers["www-authenticate"].startswith("Bearer")


def test_a_report_must_say_what_where_and_whether_it_is_marked(live, volunteers):
    client, _store = live
    incomplete = {"text": "看到有問題的商品，請處理。"}
    response = send(client, volunteers["vol-a"], report=incomplete, photos=0)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"product.name", "product.shop", "product.safety_mark"}


def test_more_than_five_photos_are_refused(live, volunteers):
    client, store = live
    for photos in (6, 7, 20):
        response = send(client, volunteers["vol-a"], photos=photos)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["message"].startswith("最多只能附加 5 個檔案")
    assert cases.list_queue(store) == []


def test_a_report_field_python_cannot_read_is_refused_not_a_crash(live, volunteers):
    client, store = live
    for raw in ('{"text": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000):
        response = client.post(
            "/api/v1/volunteer/reports",
            headers={"Authorization": f"Bearer {volunteers['vol-a']}"},
            data={"report": raw},
            files=[("photos", ("p.png", _png(), "image/png"))],
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "report"
    assert cases.list_queue(store) == []


def test_a_whole_album_or_a_broken_upload_is_refused_in_zh_tw(live, volunteers):
    client, store = live
    headers = {"Authorization": f"Bearer {volunteers['vol-a']}"}
    album = client.post(
        "/api/v1/volunteer/reports",
        headers=headers,
        data={"report": json.dumps(REPORT, ensure_ascii=False)},
        files=[("photos", (f"IMG_{i}.JPG", b"\xff\xd8\xff", "image/jpeg")) for i in range(120)],
    )
    assert album.status_code == 422, album.text
    assert album.json()["errors"][0]["message"].startswith("最多只能附加 5 個檔案")

    broken = client.post(
        "/api/v1/volunteer/reports",
        headers={**headers, "Content-Type": "multipart/form-data"},  # no boundary
        content=b"report=...",
    )
    assert broken.status_code == 400
    message = broken.json()["errors"][0]["message"]
    assert message.startswith("上傳的表單格式不正確") and "(" in message
    assert cases.list_queue(store) == []


def test_a_resent_report_answers_its_first_case_instead_of_a_duplicate(live, volunteers):
    client, store = live
    first = send(client, volunteers["vol-a"], photos=2, key=KEY)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = send(client, volunteers["vol-a"], photos=2, key=KEY)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()  # tracking number, secret, status link: all the same
    assert again.headers["location"] == first.headers["location"]

    volunteer = accounts.find_account(store, "vol-a")
    other_phone = accounts.create_key(store, "volunteer", "平板", account_id=volunteer.id)
    quoted = send(client, other_phone, photos=2, key=f'"{KEY}"')  # as the draft writes it
    assert quoted.json() == first.json()

    [case] = _reports_of(store, "vol-a")
    assert case.tracking == first.json()["case"]["tracking"]
    assert len(cases.list_attachments(store, case.id)) == 2
    secret = again.json()["case"]["secret"]
    assert cases.read_case(store, case.tracking, secret).id == case.id


def test_the_same_key_with_another_report_is_refused_and_makes_nothing(live, volunteers):
    client, store = live
    assert send(client, volunteers["vol-a"], key=KEY).status_code == 201
    changed = {**REPORT, "text": "另一家店也在賣沒有商品安全標章的延長線。"}
    for different in (
        send(client, volunteers["vol-a"], report=changed, key=KEY),
        send(client, volunteers["vol-a"], photos=2, key=KEY),
    ):
        assert different.status_code == 422
        [error] = different.json()["errors"]
        assert error["field"] == "idempotency_key"
        assert error["message"].startswith("這個 Idempotency-Key 已用於另一筆內容不同的送件")
        assert "use a new key for a new submission" in error["message"]
    assert len(_reports_of(store, "vol-a")) == 1
    assert send(client, volunteers["vol-a"], report=changed, key=KEY[::-1]).status_code == 201


def test_a_key_belongs_to_its_volunteer(live, volunteers):
    client, store = live
    mine = send(client, volunteers["vol-a"], key=KEY).json()["case"]["tracking"]
    theirs = send(client, volunteers["vol-b"], key=KEY)
    assert theirs.status_code == 201 and theirs.json()["case"]["tracking"] != mine
    assert [c.tracking for c in _reports_of(store, "vol-b")] == [theirs.json()["case"]["tracking"]]


@pytest.mark.parametrize(
    "key",
    [
        "too-short",
        "x" * 256,
        "has spaces in the middle",
        '"unterminated-quoted-key',
        "é".encode() * 20,
    ],
)
def test_a_malformed_key_gets_400_and_makes_nothing(live, volunteers, key):
    client, store = live
    response = send(client, volunteers["vol-a"], key=key)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "idempotency_key"
    assert error["message"].startswith("Idempotency-Key 應為一個 16 到 255 字元")
    assert "e.g. a UUID" in error["message"]
    assert _reports_of(store, "vol-a") == []


def test_two_key_headers_get_400(live, volunteers):
    client, store = live
    response = client.post(
        "/api/v1/volunteer/reports",
        headers=[
            ("Authorization", f"Bearer {volunteers['vol-a']}"),
            ("Idempotency-Key", KEY),
            ("Idempotency-Key", KEY[::-1]),
        ],
        data={"report": json.dumps(REPORT, ensure_ascii=False)},
    )
    assert response.status_code == 400 and _reports_of(store, "vol-a") == []


def test_a_refused_report_binds_nothing_so_it_can_be_corrected_under_its_key(live, volunteers):
    client, store = live
    incomplete = {"text": "看到有問題的商品，請處理。"}
    assert send(client, volunteers["vol-a"], report=incomplete, key=KEY).status_code == 422
    corrected = send(client, volunteers["vol-a"], key=KEY)
    assert corrected.status_code == 201 and "idempotent-replayed" not in corrected.headers
    assert len(_reports_of(store, "vol-a")) == 1


def test_a_key_is_remembered_for_a_day_only(live, volunteers):
    client, store = live
    first = send(client, volunteers["vol-a"], key=KEY).json()["case"]["tracking"]
    keys = schema.idempotency_keys
    a_day_ago = datetime.now(UTC) - idempotency.RETENTION - timedelta(seconds=1)
    with store.writing() as conn:
        conn.execute(keys.update().values(created_at=a_day_ago))
    later = send(client, volunteers["vol-a"], key=KEY)
    assert later.status_code == 201 and later.json()["case"]["tracking"] != first
    assert len(_reports_of(store, "vol-a")) == 2
    with store.reading() as conn:  # the expired key was forgotten when the new one was recorded
        assert conn.execute(select(func.count()).select_from(keys)).scalar_one() == 1
