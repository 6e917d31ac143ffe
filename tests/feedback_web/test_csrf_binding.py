"""A CSRF token works only in the session it was issued to: a staff login, or the anonymous
visitor a citizen is. A token lifted from anywhere else is refused with a page saying so."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from feedback_api import cases
from feedback_api.audit import Actor
from tests.feedback_web.web_helpers import VALID_FORM, csrf_from, log_in, submit_case

REPLY = "已派員查核，攤商已下架。"
CLERK = Actor("staff", "測試承辦人")


@pytest.fixture
def other_browser(client):
    """A second browser, with cookies of its own, on the same running service."""
    with TestClient(client.app, base_url="http://testserver", follow_redirects=False) as browser:
        yield browser


def reply_with(client, tracking: str, token: str):
    return client.post(f"/staff/cases/{tracking}/reply", data={"csrf_token": token, "reply": REPLY})


def assert_refused_clearly(response) -> None:
    assert response.status_code == 403
    assert "頁面已失效" in response.text and "您的操作沒有執行" in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_token_from_another_staff_members_session_is_refused(
    client, other_browser, staff_accounts, store
):
    tracking, _ = submit_case(client)
    log_in(other_browser, "chen")  # the attacker: a colleague with a session of his own
    lifted = csrf_from(other_browser.get(f"/staff/cases/{tracking}").text)
    log_in(client, "lin")
    for name, value in other_browser.cookies.items():  # even with every cookie of the
        if name != "kaifang_staff":  # attacker's browser but his login planted here as well
            client.cookies.set(name, value)
    assert_refused_clearly(reply_with(client, tracking, lifted))
    assert cases.get_case(store, tracking).reply_text is None
    own = csrf_from(client.get(f"/staff/cases/{tracking}").text)
    assert reply_with(client, tracking, own).status_code == 303  # the page's own token works
    assert cases.get_case(store, tracking).reply_text == REPLY


def test_the_same_account_gets_other_tokens_in_each_login(
    client, other_browser, staff_accounts, store
):
    tracking, _ = submit_case(client)
    log_in(client, "lin")
    log_in(other_browser, "lin")
    elsewhere = csrf_from(other_browser.get(f"/staff/cases/{tracking}").text)
    assert_refused_clearly(reply_with(client, tracking, elsewhere))
    left_open = csrf_from(client.get(f"/staff/cases/{tracking}").text)
    client.post("/staff/logout", data={"csrf_token": left_open})
    log_in(client, "lin")
    assert_refused_clearly(reply_with(client, tracking, left_open))  # from the earlier login
    assert cases.get_case(store, tracking).reply_text is None


def test_a_token_from_before_the_login_is_refused_after_it(client, staff_accounts, store):
    tracking, _ = submit_case(client)
    anonymous = csrf_from(client.get("/staff/login").text)
    log_in(client, "lin")
    assert_refused_clearly(reply_with(client, tracking, anonymous))
    assert cases.get_case(store, tracking).reply_text is None


def test_citizens_need_no_login_and_their_token_fits_only_their_browser(
    client, other_browser, store
):
    form = client.get("/feedback")
    cookie = form.headers["set-cookie"]
    assert "kaifang_visitor=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    tracking, key = submit_case(client)  # no account, no JavaScript: the form just works
    cases.reply(store, tracking, REPLY, actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    status = f"/feedback/status/{tracking}"
    lifted = csrf_from(other_browser.get(f"{status}?key={key}").text)
    survey = {"csrf_token": lifted, "key": key, "score": "1"}
    refused = client.post(f"{status}/survey", data=survey)
    assert refused.status_code == 403 and "頁面已逾時" in refused.text
    assert cases.get_survey(store, cases.get_case(store, tracking).id) is None
    refused_form = client.post("/feedback", data={"csrf_token": lifted, **VALID_FORM})
    assert refused_form.status_code == 403 and VALID_FORM["text"] in refused_form.text
