"""E-mails a citizen gets through the running app, received by a real aiosmtpd server: the
receipt's link opens the status page; reply and closing follow; anonymous citizens and those
who did not ask for e-mail get nothing; a mail server that is down loses no case."""

from __future__ import annotations

import dataclasses
import re

import pytest
from starlette.testclient import TestClient

from feedback_api import cases
from feedback_api.app import create_app
from feedback_api.audit import Actor
from tests.feedback_web.smtp_sink import body_of, smtp_server
from tests.feedback_web.web_helpers import submit_case
from tests.live_server import free_port

CLERK = Actor("staff", "測試承辦人")


@pytest.fixture
def mailbox_and_client(settings):
    with smtp_server() as (mailbox, port):
        mailing = dataclasses.replace(
            settings, smtp_host="127.0.0.1", smtp_port=port, public_url="http://testserver"
        )
        with TestClient(create_app(mailing), follow_redirects=False) as client:
            yield mailbox, client


def test_receipt_reply_and_closing_reach_the_citizen(mailbox_and_client):
    mailbox, client = mailbox_and_client
    tracking, key = submit_case(client)
    receipt = mailbox.wait_for(1)[0]
    assert str(receipt["To"]) == "ming@example.tw" and tracking in str(receipt["Subject"])
    link = re.search(r"http://testserver(/feedback/status/\S+)", body_of(receipt)).group(1)
    assert link == f"/feedback/status/{tracking}?key={key}"
    assert client.get(link).status_code == 200
    store = client.app.state.store
    cases.reply(store, tracking, "已派員查核。", actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    receipt, reply, closing = mailbox.wait_for(3)
    assert "已派員查核。" in body_of(reply)
    # Later e-mails carry no secret: their link opens the look-up form with the number filled in.
    lookup = re.search(r"http://testserver(/feedback/status\?\S+)", body_of(reply)).group(1)
    form = client.get(lookup)
    assert form.status_code == 200 and f'value="{tracking}"' in form.text
    assert "error-summary" not in form.text
    assert "已結案" in str(closing["Subject"]) and "滿意度" in body_of(closing)


def test_no_email_without_consent_or_when_anonymous(mailbox_and_client):
    mailbox, client = mailbox_and_client
    submit_case(client, consent_reply_email="")
    submit_case(client, anonymous="yes", contact_name="", contact_email="")
    submit_case(client)  # the one that asked for e-mail
    assert len(mailbox.wait_for(1)) == 1
    assert len(mailbox.messages) == 1


def test_a_mail_server_that_is_down_does_not_stop_a_submission(settings):
    down = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=free_port())
    with TestClient(create_app(down), follow_redirects=False) as client:
        tracking, key = submit_case(client)
        assert client.get(f"/feedback/status/{tracking}?key={key}").status_code == 200


def test_a_referral_tells_the_citizen_which_agency_took_the_case(mailbox_and_client):
    mailbox, client = mailbox_and_client
    tracking, _ = submit_case(client, text="買到的罐頭食品過期還在賣，請處理。")
    cases.refer(client.app.state.store, tracking, "衛生福利部食品藥物管理署", actor=CLERK)
    _, closing = mailbox.wait_for(2)
    assert f"您的案件 {tracking} 已移請衛生福利部食品藥物管理署處理。" in body_of(closing)
