"""The staff console over HTTP: who may log in and see what, CSRF on every action, the queue
order and overdue marks, the actions going through the cases service, and the audit log."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import partial

from feedback_api import accounts, attachments, cases, schema
from feedback_api.audit import CITIZEN, list_audit
from feedback_api.store import iter_routing_corrections
from feedback_api.triage import RoutingDecision
from feedback_api.validation import parse_submission
from feedback_api.web.pages import TAIPEI
from feedback_api.web.staff_queue import SEARCH_LIMIT
from tests.feedback_web.web_helpers import (
    PASSWORD,
    csrf_from,
    jpeg_bytes,
    log_in,
    post_form,
    submit_case,
)


def act(client, tracking: str, action: str, **fields):
    token = csrf_from(client.get(f"/staff/cases/{tracking}").text)
    return client.post(f"/staff/cases/{tracking}/{action}", data={"csrf_token": token, **fields})


def test_pages_need_a_login_and_a_wrong_password_gets_in_nowhere(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    for path in ("/staff", f"/staff/cases/{tracking}", "/staff/search?q=x", "/staff/audit"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/staff/login"
        ), path
    refused = log_in(client, "lin", "not the password")
    assert refused.status_code == 401 and "帳號或密碼不正確" in refused.text
    assert "kaifang_staff" not in refused.headers.get("set-cookie", "")
    assert [entry.action for entry in list_audit(store)][:1] == ["login_failed"]


def test_an_action_without_a_session_changes_nothing(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    token = csrf_from(client.get("/feedback").text)
    response = client.post(
        f"/staff/cases/{tracking}/reply", data={"csrf_token": token, "reply": "冒名回覆"}
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    assert cases.get_case(store, tracking).reply_text is None


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(client, staff_accounts):
    plain = log_in(client, "lin")
    cookie = plain.headers["set-cookie"]
    assert plain.status_code == 303 and "kaifang_staff=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    client.cookies.clear()
    token = csrf_from(client.get("/staff/login").text)
    proxied = client.post(
        "/staff/login",
        data={"csrf_token": token, "username": "lin", "password": "correct horse battery"},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" in proxied.headers["set-cookie"]


def test_an_action_without_the_csrf_token_is_refused(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    log_in(client, "lin")
    response = client.post(f"/staff/cases/{tracking}/reply", data={"reply": "沒有權杖的回覆"})
    assert response.status_code == 403
    forged = client.post(
        f"/staff/cases/{tracking}/reply", data={"csrf_token": "forged", "reply": "偽造的回覆"}
    )
    assert forged.status_code == 403
    assert cases.get_case(store, tracking).status == "received"


def test_section_staff_see_their_own_unit_only(client, staff_accounts, store):
    tracking, _ = submit_case(client)  # no model installed: the case waits at 秘書室 (triage)
    log_in(client, "wu")  # 計量課
    assert tracking not in client.get("/staff").text
    assert tracking not in client.get("/staff/search", params={"q": "玩具"}).text
    assert client.get(f"/staff/cases/{tracking}").status_code == 403
    assert client.get("/staff/audit").status_code == 403
    client.cookies.clear()
    log_in(client, "lin")  # 秘書室
    queue = client.get("/staff").text
    assert tracking in queue and "待分流" in queue  # the triage queue says what waits for a person
    case_page = client.get(f"/staff/cases/{tracking}")
    assert case_page.status_code == 200 and "分派（系統）" in case_page.text
    assert "秘書室（待人工分流）" in case_page.text


def test_the_queue_puts_the_earliest_due_first_and_marks_overdue_in_words(
    client, staff_accounts, store
):
    late, _ = submit_case(client, text="上週寄來的陳情到現在都沒有人回覆。")
    fresh, _ = submit_case(client, text="請問分局幾點開門？")
    with store.writing() as conn:
        conn.execute(
            schema.cases.update()
            .where(schema.cases.c.tracking == late)
            .values(due_at=datetime.now(UTC) - timedelta(days=2))
        )
    log_in(client, "lin")
    page = client.get("/staff").text
    assert page.index(late) < page.index(fresh)
    late_row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{late}.*?</tr>", page, re.S).group(0)
    fresh_row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{fresh}.*?</tr>", page, re.S).group(0)
    assert "逾期 2 天" in late_row and "逾期" not in fresh_row
    assert "其中 1 件已逾期" in page


def test_queue_counts_every_open_case_beyond_the_listed_ones(
    client, staff_accounts, store, monkeypatch
):
    # the listing is capped (500 in production, 1 here): the counts must not be
    late, _ = submit_case(client, text="上週寄來的陳情到現在都沒有人回覆。")
    submit_case(client, text="請問分局幾點開門？")
    with store.writing() as conn:
        conn.execute(
            schema.cases.update()
            .where(schema.cases.c.tracking == late)
            .values(due_at=datetime.now(UTC) - timedelta(days=2))
        )
    monkeypatch.setattr(cases, "list_queue", partial(cases.list_queue, limit=1))
    log_in(client, "chen")
    unit = cases.get_case(store, late).unit
    page = client.get("/staff", params={"unit": unit}).text
    assert f"{unit}（2 件，1 件逾期）" in page
    assert "未結案件 2 件（列出最早到期的 1 件）" in page and "其中 1 件已逾期" in page


def test_reassigning_teaches_the_classifier_and_moves_the_case(
    client, staff_accounts, store, settings
):
    tracking, _ = submit_case(client, text="傳統市場攤販的秤不準，買一斤少了快兩兩。")
    log_in(client, "lin")
    response = act(client, tracking, "reassign", unit="計量課")
    assert response.status_code == 303
    assert cases.get_case(store, tracking).unit == "計量課"
    assert list(iter_routing_corrections(settings)) == [
        ("傳統市場攤販的秤不準，買一斤少了快兩兩。", "計量課")
    ]
    page = client.get(response.headers["location"])
    assert page.status_code == 403  # it left the clerk's unit


def test_reply_note_and_close_through_the_console_are_audited(client, staff_accounts, store):
    tracking, key = submit_case(client)
    log_in(client, "lin")
    assert act(client, tracking, "note", note="已電話聯繫攤商").status_code == 303
    assert act(client, tracking, "reply", reply="已派員查核，攤商已下架商品。").status_code == 303
    assert act(client, tracking, "close").status_code == 303
    case = cases.get_case(store, tracking)
    assert case.status == "closed" and case.reply_text == "已派員查核，攤商已下架商品。"
    citizen_view = client.get(f"/feedback/status/{tracking}?key={key}").text
    assert "已派員查核" in citizen_view and "已電話聯繫攤商" not in citizen_view
    actions = [entry.action for entry in list_audit(store, case_id=case.id)]
    assert {"view_case", "note", "replied", "closed"} <= set(actions)
    assert all(entry.actor == "林技士 (lin)" for entry in list_audit(store, case_id=case.id))


def test_a_refused_action_explains_why_and_keeps_the_text(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    log_in(client, "lin")
    closing_too_early = act(client, tracking, "close")
    assert closing_too_early.status_code == 409 and "無法完成" in closing_too_early.text
    empty = act(client, tracking, "reply", reply="  ")
    assert empty.status_code == 400 and "請填寫回覆內容" in empty.text
    unknown = act(client, tracking, "duplicate", duplicate_of="KF-2222-2222-2")
    assert unknown.status_code == 409 and 'value="KF-2222-2222-2"' in unknown.text
    assert cases.get_case(store, tracking).status == "received"


def test_every_refusal_on_the_case_page_is_explained_in_chinese(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    log_in(client, "lin")  # 秘書室, where an unrouted case waits
    refused = [
        (act(client, tracking, "close"), "不能"),
        (act(client, tracking, "reassign", unit="秘書室"), "秘書室"),
        (act(client, tracking, "duplicate", duplicate_of="KF-2222-2222-2"), "KF-2222-2222-2"),
        (act(client, tracking, "duplicate", duplicate_of=tracking), "本案"),
        (act(client, tracking, "refer", agency="署" * 101), "100"),
        (act(client, tracking, "reply", reply="好" * (cases.REPLY_MAX + 1)), "8000"),
        (act(client, tracking, "note", note="記" * (cases.NOTE_MAX + 1)), "4000"),
    ]
    for response, detail in refused:
        assert response.status_code == 409, response.text
        reason = re.search(r"無法完成：([^<]*)<", response.text).group(1)
        assert detail in reason and not re.search("[A-Za-z]{3,}", reason.replace(tracking, ""))
    assert cases.get_case(store, tracking).status == "received"


def test_duplicate_and_referral(client, staff_accounts, store):
    first, _ = submit_case(client)
    second, _ = submit_case(client)
    food, _ = submit_case(client, text="買到的罐頭食品過期還在賣，請處理。")
    log_in(client, "chen")  # the supervisor works every unit's cases
    assert act(client, second, "duplicate", duplicate_of=first.lower()).status_code == 303
    assert act(client, food, "refer", agency="衛生福利部食品藥物管理署").status_code == 303
    assert cases.get_case(store, second).duplicate_of == first
    referred = cases.get_case(store, food)
    assert (referred.status, referred.referred_to) == ("referred", "衛生福利部食品藥物管理署")


def test_search_by_tracking_number_opens_the_case(client, staff_accounts):
    tracking, _ = submit_case(client)
    log_in(client, "chen")
    response = client.get("/staff/search", params={"q": tracking})
    assert (
        response.status_code == 303 and response.headers["location"] == f"/staff/cases/{tracking}"
    )
    by_text = client.get("/staff/search", params={"q": "中文標示"}).text
    assert tracking in by_text


def test_a_tracking_number_typed_as_dictated_opens_the_case(client, staff_accounts):
    tracking, _ = submit_case(client)
    log_in(client, "chen")
    for typed in (tracking.lower(), tracking.replace("-", " "), tracking.replace("-", "")):
        response = client.get("/staff/search", params={"q": typed})
        assert response.status_code == 303, typed
        assert response.headers["location"] == f"/staff/cases/{tracking}"


def test_a_section_finds_its_own_cases_behind_a_hundred_newer_ones_elsewhere(
    client, staff_accounts, store
):
    def enter(unit: str) -> str:
        draft = parse_submission({"type": "report", "text": "電子秤不準，買菜少了好幾兩。"})
        routing = RoutingDecision(unit, None, None, "manual")
        return cases.submit(store, draft, channel="phone", routing=routing).tracking

    own = enter("計量課")
    for _ in range(SEARCH_LIMIT):
        enter("秘書室")
    log_in(client, "wu")  # 計量課
    page = client.get("/staff/search", params={"q": "電子秤"}).text
    assert own in page


def test_attachments_are_served_to_logged_in_staff(client, staff_accounts, store):
    files = [("attachments", ("toy.jpg", jpeg_bytes(), "image/jpeg"))]
    location = post_form(client, {
        "case_type": "report", "text": "玩具沒有標章，附上照片。", "anonymous": "yes",
    }, files).headers["location"]  # fmt: skip
    tracking = re.match(r"/feedback/submitted/([^?]+)", location).group(1)
    attachment = cases.list_attachments(store, cases.get_case(store, tracking).id)[0]
    url = f"/staff/cases/{tracking}/attachments/{attachment.id}"
    client.cookies.clear()
    assert client.get(url).status_code == 303  # to the login page
    log_in(client, "lin")
    served = client.get(url)
    assert served.status_code == 200 and served.content.startswith(b"\xff\xd8\xff")
    assert "view_attachment" in [entry.action for entry in list_audit(store)]


def test_supervisors_read_the_audit_log_and_logout_ends_the_session(client, staff_accounts):
    tracking, _ = submit_case(client)
    log_in(client, "lin")
    act(client, tracking, "note", note="內部備註")
    token = csrf_from(client.get("/staff").text)
    copied_cookie = client.cookies.get("kaifang_staff")
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/staff").status_code == 303
    client.cookies.set("kaifang_staff", copied_cookie)  # a cookie copied before the logout
    assert client.get("/staff").status_code == 303  # is refused by the server
    client.cookies.clear()
    log_in(client, "chen")
    audit = client.get("/staff/audit")
    assert audit.status_code == 200
    for words in ("登入", "登出", "內部備註", "林技士 (lin)", tracking):
        assert words in audit.text


def test_admins_add_staff_who_can_then_log_in(client, staff_accounts, store):
    accounts.add_staff(store, "root", PASSWORD, display_name="管理員", role="admin", unit=None)
    log_in(client, "chen")
    assert client.get("/staff/accounts").status_code == 403  # supervisors do not manage accounts
    client.cookies.clear()
    log_in(client, "root")
    page = client.get("/staff/accounts").text
    new = {
        "csrf_token": csrf_from(page), "username": "kuo", "display_name": "郭技佐",
        "role": "section_staff", "unit": "機械產品課", "email": "", "password": "short",
    }  # fmt: skip
    too_short = client.post("/staff/accounts", data=new)
    assert too_short.status_code == 400 and 'href="#password"' in too_short.text
    added = client.post("/staff/accounts", data={**new, "password": "long enough password"})
    assert added.status_code == 303
    assert "郭技佐" in client.get(added.headers["location"]).text
    assert "add_staff" in [entry.action for entry in list_audit(store)]
    client.cookies.clear()
    assert log_in(client, "kuo", "long enough password").status_code == 303


def test_staff_enter_a_phone_call_and_the_caller_can_follow_it(client, staff_accounts, store):
    log_in(client, "lin")
    page = client.get("/staff/cases/new").text
    fields = {
        "csrf_token": csrf_from(page), "channel": "phone", "case_type": "inquiry",
        "text": "來電詢問：計程車跳錶好像跳太快，要去哪裡檢定？", "contact_name": "李先生",
        "contact_phone": "0912-345-678",
    }  # fmt: skip
    missing = client.post("/staff/cases/new", data={**fields, "channel": "", "text": ""})
    assert missing.status_code == 400
    assert re.findall(r'<li><a href="#(\w+)">', missing.text)[:2] == ["channel", "text"]
    entered = client.post("/staff/cases/new", data=fields)
    assert entered.status_code == 200
    tracking = re.search(r'<p class="tracking">(KF-[\w-]+)</p>', entered.text).group(1)
    secret = re.search(r'查詢碼：<strong class="tracking">(\w+)</strong>', entered.text).group(1)
    case = cases.get_case(store, tracking)
    assert (case.channel, case.contact_phone) == ("phone", "+886912345678")
    assert "enter_case" in [entry.action for entry in list_audit(store, case_id=case.id)]
    client.cookies.clear()
    assert client.get(f"/feedback/status/{tracking}?key={secret}").status_code == 200


def test_guessing_passwords_is_slowed_down(client, staff_accounts, store):
    for _ in range(10):
        assert log_in(client, "lin", "wrong guess").status_code == 401
    throttled = log_in(client, "lin")  # even the right password waits now
    assert throttled.status_code == 429 and "登入嘗試次數過多" in throttled.text
    assert int(throttled.headers["retry-after"]) >= 1
    assert "kaifang_staff" not in throttled.headers.get("set-cookie", "")


def test_the_case_page_shows_where_it_happened_even_for_an_anonymous_citizen(
    client, staff_accounts, store
):
    """The place decides who acts (on-site metrology in Yilan goes to 蘇澳辦事處): an Open311
    or API case may carry only a street address or a map point, often with no contact."""
    body = {
        "type": "report",
        "text": "加油站的油量好像不足，加了二十公升油箱卻沒滿。",
        "place": {
            "district": "宜蘭縣蘇澳鎮",
            "address": "宜蘭縣蘇澳鎮中山路一段100號",
            "lat": 24.5953,
            "long": 121.8512,
        },
    }
    tracking = cases.submit(store, parse_submission(body), channel="api").tracking
    log_in(client, "lin")
    page = client.get(f"/staff/cases/{tracking}").text
    assert "匿名（無法回覆）" in page
    for shown in ("宜蘭縣蘇澳鎮", "宜蘭縣蘇澳鎮中山路一段100號", "24.5953", "121.8512"):
        assert shown in page, shown


def test_files_a_citizen_adds_later_read_as_such_in_the_timeline(client, staff_accounts, store):
    tracking, secret = submit_case(client)
    photo = attachments.prepare([("更多照片.jpg", jpeg_bytes())])
    cases.add_attachments(store, tracking, photo, actor=CITIZEN)
    log_in(client, "lin")
    page = client.get(f"/staff/cases/{tracking}").text
    assert "補充附件（民眾）：更多照片.jpg" in page
    status = client.get(f"/feedback/status/{tracking}", params={"key": secret}).text
    assert "補充附件" in status and "attachment（" not in status


def test_a_case_late_since_this_morning_shows_the_hour_it_fell_due(client, staff_accounts, store):
    """Due dates keep the time of receipt: "預定完成日 <today>" beside "逾期 1 天" would read as
    a contradiction, so the queue and the case page say when in the day the case fell due."""
    tracking, _ = submit_case(client)
    due = (datetime.now(UTC) - timedelta(minutes=5)).replace(second=0, microsecond=0)
    with store.writing() as conn:
        conn.execute(
            schema.cases.update().where(schema.cases.c.tracking == tracking).values(due_at=due)
        )
    shown = due.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")
    log_in(client, "lin")
    queue = client.get("/staff").text
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{tracking}.*?</tr>", queue, re.S).group(0)
    assert shown in row and "逾期 1 天" in row
    case_page = client.get(f"/staff/cases/{tracking}").text
    assert re.search(rf"<dt>預定完成日</dt><dd>{shown}\b", case_page)


def test_a_volunteer_s_report_names_the_volunteer_who_reads_the_reply(
    client, staff_accounts, store
):
    volunteer = accounts.add_volunteer(
        store, "chen-vol", display_name="陳志工", email="chen@example.tw"
    )
    token = accounts.create_key(store, "volunteer", "手機", account_id=volunteer.id)
    headers = {"Authorization": f"Bearer {token}"}
    report = (
        '{"text": "五金行在賣沒有安全標章的延長線。", "product": {"name": "延長線",'
        ' "shop": "基隆市中正區某五金行", "safety_mark": "no"}}'
    )
    sent = client.post("/api/v1/volunteer/reports", headers=headers, data={"report": report})
    tracking = sent.json()["case"]["tracking"]
    log_in(client, "lin")

    page = client.get(f"/staff/cases/{tracking}").text
    submitter = page.split("陳情人</h2>")[1].split("<h2>")[0]
    assert "匿名" not in submitter and "無法回覆" not in submitter
    assert "義務監視員" in submitter and "陳志工（chen-vol）" in submitter
    assert "chen@example.tw" in submitter
    hint = page.split('id="reply-hint">')[1].split("</p>")[0]
    assert "義務監視員" in hint and "案件查詢頁" not in hint

    assert act(client, tracking, "reply", reply="已派員查核該五金行。").status_code == 303
    seen = client.get(f"/api/v1/volunteer/reports/{tracking}", headers=headers).json()["case"]
    assert seen["reply"] == "已派員查核該五金行。"
