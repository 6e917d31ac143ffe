"""The citizen's form and status page over HTTP: what a person sees, what is refused, and what
ends up in the feedback store."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from feedback_api import cases, schema
from feedback_api.audit import Actor
from tests.feedback.payloads import iphone_photo
from tests.feedback_web.web_helpers import VALID_FORM, csrf_from, jpeg_bytes, post_form, submit_case

CLERK = Actor("staff", "測試承辦人")


def case_count(store) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(schema.cases)).scalar_one()


def test_the_form_is_zh_tw_labelled_and_carries_the_personal_data_notice(client):
    html = client.get("/feedback").text
    assert '<html lang="zh-Hant-TW">' in html
    for heading in (
        "蒐集機關",
        "蒐集目的",
        "個人資料類別",
        "利用期間、地區、對象及方式",
        "第 3 條",
        "不提供的影響",
    ):
        assert heading in html, heading
    visible_inputs = re.findall(
        r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
    )
    assert {"text", "contact_email", "attachments", "website"} <= set(visible_inputs)
    for field in visible_inputs:
        assert f'<label for="{field}"' in html, f"no label for #{field}"
    assert "無法回覆" in html  # the form says what anonymity costs


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client, store):
    client.get("/feedback")  # the cookie alone is not enough
    response = client.post("/feedback", data=VALID_FORM)
    assert response.status_code == 403
    assert "已逾時" in response.text
    assert VALID_FORM["text"] in response.text  # the citizen's words are kept for the retry
    assert case_count(store) == 0


def test_a_token_from_another_browser_does_not_fit_this_cookie(client, store):
    token = csrf_from(client.get("/feedback").text)
    client.cookies.clear()
    client.get("/feedback")  # a fresh visitor gets a fresh cookie
    response = client.post("/feedback", data={"csrf_token": token, **VALID_FORM})
    assert response.status_code == 403
    assert case_count(store) == 0


def test_a_filled_honeypot_is_rejected(client, store):
    response = post_form(client, {**VALID_FORM, "website": "http://spam.example"})
    assert response.status_code == 400
    assert case_count(store) == 0


def test_mistakes_come_back_with_messages_linked_to_the_fields_and_the_input_kept(client, store):
    response = post_form(
        client, {"text": "太短", "contact_email": "not-an-address", "district": "基隆市中正區"}
    )
    assert response.status_code == 400
    summary = re.findall(r'<li><a href="#(\w+)">([^<]+)</a>', response.text)
    fields = [field for field, _ in summary]
    assert fields[:2] == ["case_type", "text"]  # in the order of the page
    assert "contact_name" in fields and "contact_email" in fields
    messages = dict(summary)
    assert "請選擇案件類型" in messages["case_type"]
    assert "至少需要 5 個字" in messages["text"]
    assert "(" not in messages["text"]  # zh-TW only on the zh-TW form
    assert 'value="基隆市中正區"' in response.text and ">太短</textarea>" in response.text
    assert 'aria-invalid="true"' in response.text and 'id="text-error"' in response.text
    assert case_count(store) == 0


def test_anonymous_with_contact_details_is_a_contradiction_the_form_points_out(client):
    response = post_form(client, {**VALID_FORM, "anonymous": "yes"})
    assert response.status_code == 400
    assert "您勾選了匿名" in response.text


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_by_name(client, store):
    files = [("attachments", ("notes.txt", b"just text", "text/plain"))]
    response = post_form(client, VALID_FORM, files)
    assert response.status_code == 400
    assert "「notes.txt」不是 JPEG、PNG、HEIC 或 PDF 檔" in response.text
    assert case_count(store) == 0


def test_submitting_gives_tracking_number_secret_link_and_qr_code(client, store):
    files = [("attachments", ("toy.jpg", jpeg_bytes(), "image/jpeg"))]
    response = post_form(client, VALID_FORM, files)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    tracking = re.search(r'<p class="tracking">(KF-[\w-]+)</p>', page.text).group(1)
    link = re.search(r'href="(/feedback/status/[^"]+)" id="status-link"', page.text).group(1)
    assert f"/feedback/status/{tracking}?key=" in link
    assert re.search(r'<svg role="img" aria-label="QR code[^"]*"', page.text)
    case = cases.get_case(store, tracking)
    assert (case.channel, case.case_type, case.product_name) == ("web", "report", "發條玩具車")
    assert case.contact_email == "ming@example.tw" and case.consent_reply_email
    assert [a.original_name for a in cases.list_attachments(store, case.id)] == ["toy.jpg"]


def test_the_status_page_opens_only_with_the_secret(client):
    tracking, key = submit_case(client)
    opened = client.get(f"/feedback/status/{tracking}?key={key}")
    assert (
        opened.status_code == 200 and "已收件" in opened.text and VALID_FORM["text"] in opened.text
    )
    wrong = client.get(f"/feedback/status/{tracking}?key=AAAAAAAAAAAA")
    unknown = client.get(f"/feedback/status/KF-2222-2222-2?key={key}")
    bare = client.get(f"/feedback/status/{tracking}")
    for refused in (wrong, unknown, bare):
        assert refused.status_code == 404
        assert VALID_FORM["text"] not in refused.text
        assert "找不到這個案件，或查詢碼不正確" in refused.text


def test_the_lookup_form_and_the_api_style_link_lead_to_the_status_page(client):
    tracking, key = submit_case(client)
    typed = tracking.lower().replace("-", " ")  # as read over the phone
    response = client.get("/feedback/status", params={"tracking": typed, "key": key.lower()})
    assert response.status_code == 303
    assert client.get(response.headers["location"]).status_code == 200
    mistyped = tracking[:-1] + ("2" if tracking[-1] != "2" else "3")  # the check character fails
    typo = client.get("/feedback/status", params={"tracking": mistyped, "key": key})
    assert typo.status_code == 400 and "案件編號格式不正確" in typo.text


def test_an_attachment_is_served_to_the_submitter_only(client, store):
    files = [("attachments", ("toy.jpg", jpeg_bytes(), "image/jpeg"))]
    location = post_form(client, VALID_FORM, files).headers["location"]
    tracking, key = re.match(r"/feedback/submitted/([^?]+)\?key=(\w+)", location).groups()
    attachment = cases.list_attachments(store, cases.get_case(store, tracking).id)[0]
    url = f"/feedback/status/{tracking}/attachments/{attachment.id}"
    served = client.get(f"{url}?key={key}")
    assert served.status_code == 200 and served.content.startswith(b"\xff\xd8\xff")
    assert served.headers["content-disposition"].startswith("attachment;")
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?key=AAAAAAAAAAAA").status_code == 404


def test_an_iphone_photo_can_be_chosen_and_comes_back_as_a_jpeg(client):
    picker = re.search(r'<input type="file" id="attachments"[^>]*>', client.get("/feedback").text)
    accepted = re.search(r'accept="([^"]+)"', picker.group(0)).group(1).split(",")
    assert {"image/heic", ".heic", "image/jpeg"} <= set(accepted)

    files = [("attachments", ("IMG_4031.HEIC", iphone_photo(), "image/heic"))]
    location = post_form(client, VALID_FORM, files).headers["location"]
    tracking, key = re.match(r"/feedback/submitted/([^?]+)\?key=(\w+)", location).groups()
    status = client.get(f"/feedback/status/{tracking}?key={key}").text
    link = re.search(r'<a href="([^"]+/attachments/\d+)\?key=\w+">IMG_4031.jpg</a>', status)
    assert link, status
    served = client.get(f"{link.group(1)}?key={key}")
    assert served.content.startswith(b"\xff\xd8\xff")
    assert served.headers["content-disposition"].endswith("IMG_4031.jpg")


def test_the_survey_opens_after_closing_and_takes_one_answer(client, store):
    tracking, key = submit_case(client)
    status_url = f"/feedback/status/{tracking}?key={key}"
    assert "滿意度調查" not in client.get(status_url).text
    cases.reply(store, tracking, "已派員到夜市查核，攤商已下架。", actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    page = client.get(status_url).text
    assert "已派員到夜市查核" in page and 'name="score"' in page
    token = csrf_from(page)
    no_score = client.post(
        f"/feedback/status/{tracking}/survey", data={"csrf_token": token, "key": key}
    )
    assert no_score.status_code == 400 and "請選擇 1 到 5 分" in no_score.text
    answered = client.post(
        f"/feedback/status/{tracking}/survey",
        data={"csrf_token": token, "key": key, "score": "4", "comment": "處理很快"},
    )
    assert answered.status_code == 303
    assert cases.get_survey(store, cases.get_case(store, tracking).id).score == 4
    after = client.get(answered.headers["location"]).text
    assert "謝謝您填寫滿意度調查" in after and 'name="score"' not in after
    again = client.post(
        f"/feedback/status/{tracking}/survey",
        data={"csrf_token": token, "key": key, "score": "1"},
    )
    assert again.status_code == 400
    assert cases.get_survey(store, cases.get_case(store, tracking).id).score == 4


def test_the_survey_needs_the_secret_and_the_token(client, store):
    tracking, key = submit_case(client)
    cases.reply(store, tracking, "已回覆。", actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    token = csrf_from(client.get(f"/feedback/status/{tracking}?key={key}").text)
    url = f"/feedback/status/{tracking}/survey"
    assert client.post(url, data={"key": key, "score": "5"}).status_code == 403
    assert (
        client.post(url, data={"csrf_token": token, "key": "WRONG", "score": "5"}).status_code
        == 404
    )
    assert cases.get_survey(store, cases.get_case(store, tracking).id) is None


def test_publication_consent_can_be_withdrawn_from_the_status_page(client, store):
    tracking, key = submit_case(client, consent_publish="yes")
    page = client.get(f"/feedback/status/{tracking}?key={key}").text
    assert "撤回公開同意" in page
    response = client.post(
        f"/feedback/status/{tracking}/withdraw-consent",
        data={"csrf_token": csrf_from(page), "key": key},
    )
    assert response.status_code == 303
    case = cases.get_case(store, tracking)
    assert case.consent_publish and not case.publish_consent_active
    assert "撤回公開同意</button>" not in client.get(response.headers["location"]).text


def test_six_photos_are_one_too_many(client, store):
    photo = jpeg_bytes()
    files = [("attachments", (f"p{n}.jpg", photo, "image/jpeg")) for n in range(6)]
    response = post_form(client, VALID_FORM, files)
    assert response.status_code == 400 and "最多只能附加 5 個檔案" in response.text
    assert case_count(store) == 0


def test_a_whole_album_of_photos_is_refused_in_chinese_and_the_text_is_kept(client, store):
    photo = jpeg_bytes()
    files = [("attachments", (f"p{n}.jpg", photo, "image/jpeg")) for n in range(12)]
    response = post_form(client, VALID_FORM, files)
    assert response.status_code == 400
    assert "最多只能附加 5 個檔案" in response.text
    assert VALID_FORM["text"] in response.text and 'value="王小明"' in response.text
    assert case_count(store) == 0


def test_more_file_parts_than_the_form_reads_get_a_chinese_page_not_a_bare_error(client, store):
    files = [("attachments", (f"p{n}.jpg", b"\xff\xd8\xff", "image/jpeg")) for n in range(150)]
    response = post_form(client, VALID_FORM, files)
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "最多只能附加 5 個檔案" in response.text and 'id="error-summary"' in response.text
    assert case_count(store) == 0


def test_a_survey_sent_back_for_a_fix_keeps_the_comment_and_the_score(client, store):
    tracking, key = submit_case(client)
    cases.reply(store, tracking, "已派員查核。", actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    url = f"/feedback/status/{tracking}"
    page = client.get(f"{url}?key={key}").text
    assert f'maxlength="{cases.SURVEY_COMMENT_MAX}"' in page  # the browser stops where we do
    token = csrf_from(page)
    comment = "承辦人很有耐心，但等了很久才回覆。"
    no_score = client.post(
        f"{url}/survey", data={"csrf_token": token, "key": key, "comment": comment}
    )
    assert no_score.status_code == 400 and "請選擇 1 到 5 分" in no_score.text
    assert comment in no_score.text
    too_long = "好" * (cases.SURVEY_COMMENT_MAX + 1)
    refused = client.post(
        f"{url}/survey", data={"csrf_token": token, "key": key, "score": "3", "comment": too_long}
    )
    assert refused.status_code == 400 and too_long in refused.text
    assert re.search(r'value="3" id="score-3"\s+checked', refused.text)
    assert cases.get_survey(store, cases.get_case(store, tracking).id) is None


def test_a_mistyped_address_gets_a_zh_tw_page_with_a_way_back(client):
    for path, home in (("/feedback/statuss", "/feedback"), ("/staff/casse", "/staff")):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-Hant-TW">' in response.text
        assert "<title>找不到這個頁面｜" in response.text
        assert f'<a href="{home}">回到' in response.text
