"""The daily reminders: section staff hear of their own section's cases due soon or late,
supervisors of every late case, nobody of a replied case, and no e-mail carries the citizen's
name, contact or words. ``kaifang remind`` delivers them to a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from feedback_api import accounts, cases
from feedback_api.audit import Actor
from feedback_api.deadlines import OfficeCalendar
from feedback_api.declared_days import CLOSED, WORKING, declare_day, load_office_calendar
from feedback_api.mail import TAIPEI
from feedback_api.reminders import build_reminders, end_of_next_working_day
from feedback_api.store import open_store
from feedback_api.triage import RoutingDecision
from feedback_api.validation import parse_submission
from kaifang.cli import main
from kaifang.settings import load_settings
from tests.cases_open_data.store_cases import service_clock
from tests.feedback.payloads import valid_case
from tests.feedback_web.smtp_sink import body_of, smtp_server

CLERK = Actor("staff", "測試承辦人")
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Taipei


@pytest.fixture
def store(settings, monkeypatch):
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    opened = open_store(settings)
    yield opened
    opened.close()


def add_staff(store, username, role, unit, email="{}@bsmi.example.tw"):
    return accounts.add_staff(
        store, username, "a long enough password", display_name=username.upper(), role=role,
        unit=unit, email=email.format(username) if email else None,
    )  # fmt: skip


def submit(store, unit: str, moment: datetime = START) -> str:
    draft = parse_submission(valid_case())
    with service_clock(moment):
        routing = RoutingDecision(unit, None, None, "manual")
        return cases.submit(store, draft, channel="web", routing=routing).tracking


@pytest.fixture
def office(store):
    """Staff of two sections and a supervisor; cases of three sections, one of them answered."""
    add_staff(store, "wu", "section_staff", "計量課")
    add_staff(store, "lin", "section_staff", "秘書室")
    add_staff(store, "chen", "supervisor", None)
    add_staff(store, "no-mail", "section_staff", "計量課", email=None)
    gone = add_staff(store, "gone", "section_staff", "計量課")
    accounts.change_account(store, gone.id, CLERK, active=False)
    metrology = submit(store, "計量課")
    electrical = submit(store, "電資產品課")
    answered = submit(store, "計量課")
    with service_clock(START + timedelta(hours=5)):
        cases.reply(store, answered, "已派員查核。", actor=CLERK)
    return {"metrology": metrology, "electrical": electrical, "answered": answered}


def by_person(reminders) -> dict[str, object]:
    return {reminder.account.username: reminder for reminder in reminders}


def test_due_soon_runs_to_the_end_of_the_next_working_day():
    taiwan = OfficeCalendar()
    wednesday = datetime(2026, 11, 4, 8, 0, tzinfo=TAIPEI)
    friday = datetime(2026, 11, 6, 8, 0, tzinfo=TAIPEI)
    assert end_of_next_working_day(wednesday, taiwan) == datetime(2026, 11, 6, tzinfo=TAIPEI)
    assert end_of_next_working_day(friday, taiwan) == datetime(2026, 11, 10, tzinfo=TAIPEI)
    # on Friday 13 February 2026, before the Lunar New Year break (14-22): until Monday 23rd ends
    before_new_year = datetime(2026, 2, 13, 8, 0, tzinfo=TAIPEI)
    assert end_of_next_working_day(before_new_year, taiwan) == datetime(2026, 2, 24, tzinfo=TAIPEI)
    # a typhoon day declared for Thursday: Friday is the next working day after Wednesday
    typhoon = OfficeCalendar(declared_closed=frozenset({date(2026, 11, 5)}))
    assert end_of_next_working_day(wednesday, typhoon) == datetime(2026, 11, 7, tzinfo=TAIPEI)


def test_section_staff_hear_of_their_cases_due_by_the_next_working_day(store, settings, office):
    day_before = by_person(build_reminders(store, settings, START + timedelta(days=2, hours=3)))
    assert set(day_before) == {"wu"}  # nothing is late yet; 秘書室 has no case
    wu = day_before["wu"]
    assert (wu.due_soon, wu.overdue) == (1, 0)
    assert office["metrology"] in wu.email.body and office["answered"] not in wu.email.body
    assert office["electrical"] not in wu.email.body
    assert wu.email.to == "wu@bsmi.example.tw" and "即將到期 1 件" in wu.email.subject
    assert build_reminders(store, settings, START + timedelta(days=1)) == []  # not yet due


def test_a_declared_typhoon_day_raises_no_overdue_alarm_the_morning_after(store, settings, office):
    """The office's cases fall due on Thursday at 09:00; Thursday was a typhoon day."""
    friday_morning = START + timedelta(days=4, hours=-1)
    assert set(by_person(build_reminders(store, settings, friday_morning))) == {"wu", "chen"}
    declare_day(store, date(2026, 11, 5), CLOSED, "颱風停止上班", CLERK)
    reminders = by_person(build_reminders(store, settings, friday_morning))
    assert set(reminders) == {"wu"}  # no late case for the supervisor
    assert (reminders["wu"].due_soon, reminders["wu"].overdue) == (1, 0)
    assert "期限 11-06 09:00" in reminders["wu"].email.body


def test_late_cases_reach_their_section_and_every_supervisor(store, settings, office):
    late = by_person(build_reminders(store, settings, START + timedelta(days=4)))
    assert set(late) == {"wu", "chen"}  # no one without e-mail, no inactive account
    assert (late["wu"].overdue, late["wu"].due_soon) == (1, 0)
    assert "已逾期 1.0 天" in late["wu"].email.body
    supervisor = late["chen"].email.body
    assert office["metrology"] in supervisor and office["electrical"] in supervisor
    assert office["answered"] not in supervisor
    assert f"/staff/cases/{office['electrical']}" in supervisor
    citizen = valid_case()
    for reminder in late.values():
        for personal in ("王小明", "ming@example.com", "0912-345-678", citizen["text"][:8]):
            assert personal not in reminder.email.body + reminder.email.subject


def make_today(store, kind: str) -> None:
    """Declare today a working day or a closed one, unless the calendar already says so."""
    today = datetime.now(TAIPEI).date()
    if load_office_calendar(store).is_working_day(today) != (kind == WORKING):
        declare_day(store, today, kind, "test", Actor("system", "test"))


def a_late_case_for_wu(monkeypatch, port: int, today: str) -> str:
    """Mail through the SMTP sink at ``port``, today a working day or closed (``today``), and
    section staff wu with a month-old case, late whatever holidays came between: its number."""
    monkeypatch.setenv("KAIFANG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KAIFANG_SMTP_PORT", str(port))
    store = open_store(load_settings().ensure_dirs())
    make_today(store, today)
    add_staff(store, "wu", "section_staff", "計量課")
    tracking = submit(store, "計量課", datetime.now(UTC) - timedelta(days=30))
    store.close()
    return tracking


def test_kaifang_remind_delivers_over_smtp(kaifang_home, monkeypatch):
    with smtp_server() as (mailbox, port):
        tracking = a_late_case_for_wu(monkeypatch, port, WORKING)
        preview = CliRunner().invoke(main, ["remind", "--dry-run"])
        assert preview.exit_code == 0 and tracking in preview.output
        assert "would send 1 reminder(s)" in preview.output and not mailbox.messages
        sent = CliRunner().invoke(main, ["remind"])
        assert sent.exit_code == 0 and "sent 1 reminder(s)" in sent.output, sent.output
        [message] = mailbox.wait_for(1)
        assert message["To"] == "wu@bsmi.example.tw" and tracking in body_of(message)


def test_kaifang_remind_sends_nothing_on_a_day_the_branch_is_closed(kaifang_home, monkeypatch):
    with smtp_server() as (mailbox, port):
        a_late_case_for_wu(monkeypatch, port, CLOSED)
        quiet = CliRunner().invoke(main, ["remind"])
        assert quiet.exit_code == 0 and "not a working day" in quiet.output
        assert "sent" not in quiet.output.replace("no reminders sent", "")
        anyway = CliRunner().invoke(main, ["remind", "--any-day"])
        assert anyway.exit_code == 0 and "sent 1 reminder(s)" in anyway.output
        assert len(mailbox.wait_for(1)) == 1
