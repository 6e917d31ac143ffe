"""Daily reminders of the answer target: each section's staff are told which open cases of
their section are late or fall due before the end of the next working day (Monday after a
Friday, the first day back after a holiday break or a typhoon day: the calendar of
:mod:`feedback_api.deadlines` with the operator's declared days), and supervisors and admins
which cases are late in any section — one e-mail a person, sent through the mail outbox.

Only cases still waiting for a first reply count (a replied case has met its target). An
e-mail leaves the agency's systems, so it names a case by its tracking number, type, channel,
due date and console link only: never the citizen's name, contact details or text. Staff
without an e-mail address, inactive accounts and people with nothing due get nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from feedback_api.accounts import Account, list_accounts
from feedback_api.cases import Case, list_queue
from feedback_api.deadlines import end_of_next_working_day
from feedback_api.declared_days import load_office_calendar
from feedback_api.mail import AGENCY, TAIPEI, Email
from feedback_api.store import Store
from feedback_api.vocabulary import CASE_TYPES, CHANNELS, label
from kaifang.settings import Settings


@dataclass(frozen=True)
class Reminder:
    account: Account
    email: Email
    due_soon: int
    overdue: int


def _waiting(store: Store) -> list[Case]:
    """Open cases without a reply yet, the earliest due first."""
    return [case for case in list_queue(store, limit=100_000) if case.replied_at is None]


def _line(settings: Settings, case: Case, now: datetime) -> str:
    due = case.due_at.astimezone(TAIPEI)
    late = ""
    if case.overdue(now):
        days = (now - case.due_at).total_seconds() / 86400
        late = f"（已逾期 {days:.1f} 天）"
    kind, channel = label(CASE_TYPES, case.case_type), label(CHANNELS, case.channel)
    link = f"{settings.public_url.rstrip('/')}/staff/cases/{case.tracking}"
    return (
        f"- {case.tracking}　{kind}／{channel}　{case.unit}　期限 {due:%m-%d %H:%M}{late}\n  {link}"
    )


def _body(
    settings: Settings, account: Account, sections: list[tuple[str, list[Case]]], now: datetime
) -> str:
    parts = [f"{account.display_name} 您好：\n"]
    for heading, cases in sections:
        if cases:
            parts.append(f"{heading}（{len(cases)} 件）：")
            parts.extend(_line(settings, case, now) for case in cases)
            parts.append("")
    parts.append(f"請登入 {settings.public_url.rstrip('/')}/staff 處理。")
    parts.append(f"\n{AGENCY} 民意案件管理系統（每日自動提醒，請勿直接回信）")
    return "\n".join(parts)


def build_reminders(
    store: Store, settings: Settings, now: datetime | None = None
) -> list[Reminder]:
    """The reminders due at ``now``: for section staff, their section's cases already late and
    those due by the end of the next working day; for supervisors and admins, every late case."""
    now = now or datetime.now(UTC)
    soon_until = end_of_next_working_day(now, load_office_calendar(store))
    by_unit: dict[str, list[Case]] = defaultdict(list)
    late_everywhere: list[Case] = []
    for case in _waiting(store):
        by_unit[case.unit].append(case)
        if case.overdue(now):
            late_everywhere.append(case)
    reminders = []
    for account in list_accounts(store, "staff"):
        if not (account.active and account.email):
            continue
        if account.role == "section_staff":
            mine = by_unit.get(account.unit or "", [])
            late = [case for case in mine if case.overdue(now)]
            soon = [case for case in mine if not case.overdue(now) and case.due_at <= soon_until]
            sections = [("已逾期、尚未回覆", late), ("下一個上班日結束前到期、尚未回覆", soon)]
            subject = f"[民意案件] {account.unit}：逾期 {len(late)} 件、即將到期 {len(soon)} 件"
        else:
            late, soon = late_everywhere, []
            sections = [("各單位已逾期、尚未回覆", late)]
            subject = f"[民意案件] 各單位逾期未回覆 {len(late)} 件"
        if late or soon:
            body = _body(settings, account, sections, now)
            email = Email(account.email, subject, body)
            reminders.append(Reminder(account, email, len(soon), len(late)))
    return reminders
