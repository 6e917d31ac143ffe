"""The mail outbox against a real SMTP server: zh-TW messages arrive, failures are retried
from the spool, and sending never raises into the caller."""

from __future__ import annotations

import dataclasses
import time

from feedback_api import mail
from feedback_api.mail import MailOutbox, closed_email, receipt_email, reply_email
from tests.feedback_web.smtp_sink import body_of, smtp_server
from tests.live_server import free_port


def test_receipt_reply_and_closing_arrive_in_zh_tw(settings):
    with smtp_server() as (mailbox, port):
        outbox = MailOutbox(dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port))
        try:
            link = "http://127.0.0.1/feedback/status/KF-ABCD-EFGH-J?key=SECRET"
            outbox.send(receipt_email("citizen@example.tw", "KF-ABCD-EFGH-J", link, "2026-11-30"))
            outbox.send(reply_email("citizen@example.tw", "KF-ABCD-EFGH-J", link, "已派員查核。"))
            outbox.send(closed_email("citizen@example.tw", "KF-ABCD-EFGH-J", link))
            received = mailbox.wait_for(3)
        finally:
            outbox.stop()
    subjects = sorted(str(m["Subject"]) for m in received)
    assert all("KF-ABCD-EFGH-J" in s for s in subjects)
    assert any("已收到" in s for s in subjects) and any("已回覆" in s for s in subjects)
    reply = next(m for m in received if "已回覆" in str(m["Subject"]))
    assert "已派員查核。" in body_of(reply) and link in body_of(reply)
    assert str(reply["To"]) == "citizen@example.tw"
    assert outbox.pending() == []


def test_a_message_spooled_while_smtp_is_down_is_sent_once_it_is_back(settings, monkeypatch):
    monkeypatch.setattr(mail, "FIRST_RETRY_SECONDS", 0.05)
    port = free_port()
    outbox = MailOutbox(
        dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port), autostart=False
    )
    outbox.send(receipt_email("a@example.tw", "KF-ABCD-EFGH-J", "http://x/", "2026-11-30"))
    outbox.deliver_due()  # nobody listens on the port: the attempt fails, the message stays
    assert len(outbox.pending()) == 1
    time.sleep(0.1)
    with smtp_server() as (mailbox, live_port):
        outbox = MailOutbox(
            dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=live_port),
            autostart=False,
        )
        outbox.deliver_due()
        assert len(mailbox.wait_for(1)) == 1
    assert outbox.pending() == []


def test_a_message_that_keeps_failing_moves_to_failed(settings, monkeypatch):
    monkeypatch.setattr(mail, "FIRST_RETRY_SECONDS", 0.0)
    outbox = MailOutbox(
        dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=free_port()),
        autostart=False,
    )
    outbox.send(closed_email("a@example.tw", "KF-ABCD-EFGH-J", "http://x/"))
    for _ in range(mail.MAX_ATTEMPTS):
        outbox.deliver_due()
    assert outbox.pending() == []
    assert len(list(outbox.failed.glob("*.json"))) == 1


def test_without_smtp_host_sending_is_a_quiet_no_op(settings):
    outbox = MailOutbox(dataclasses.replace(settings, smtp_host=""))
    outbox.send(closed_email("a@example.tw", "KF-ABCD-EFGH-J", "http://x/"))
    assert outbox.pending() == []
