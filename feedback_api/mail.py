"""E-mail to citizens: the zh-TW messages sent on receipt, reply and closing, and the outbox
that delivers them over SMTP without ever holding up or failing the request that caused them.

A message is first written to a spool folder (``$KAIFANG_HOME/internal/mail-outbox``, one JSON
file per message, written atomically), then a background thread sends it with ``smtplib`` to
``settings.smtp_host:smtp_port``. A failed attempt is retried with growing delays; after
``MAX_ATTEMPTS`` the file moves to ``failed/`` for an operator to look at. Spooled messages
survive a restart. Several processes may share one spool: a file lock lets one send at a time.
When ``smtp_host`` is empty, mail is switched off and nothing is spooled.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from feedback_api.cases import Case, Notification
from kaifang.settings import Settings

log = logging.getLogger(__name__)

AGENCY = "經濟部標準檢驗局基隆分局"
TAIPEI = ZoneInfo("Asia/Taipei")
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 3600.0
SMTP_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


_SIGNATURE = (
    f"\n\n{AGENCY}\n"
    "本信由系統自動寄出，請勿直接回信；如需補充說明，請透過案件查詢頁面或來電洽詢。\n"
)


def receipt_email(to: str, tracking_number: str, status_url: str, due_date: str) -> Email:
    """We received your case: its tracking number, the status link and when to expect a reply."""
    body = (
        "您好：\n\n"
        f"我們已收到您的意見，案件編號為 {tracking_number}。\n"
        f"我們會在 {due_date} 前回覆您。\n\n"
        f"查詢處理進度（此連結含有您的查詢密碼，請勿轉寄他人）：\n{status_url}\n" + _SIGNATURE
    )
    return Email(to, f"[{AGENCY}] 已收到您的案件 {tracking_number}", body)


def reply_email(to: str, tracking_number: str, status_url: str, reply_text: str) -> Email:
    """The branch's reply to the case, quoted in full."""
    body = (
        "您好：\n\n"
        f"關於您的案件 {tracking_number}，本分局回覆如下：\n\n"
        f"{reply_text.strip()}\n\n"
        f"案件處理進度：\n{status_url}\n" + _SIGNATURE
    )
    return Email(to, f"[{AGENCY}] 案件 {tracking_number} 已回覆", body)


def closed_email(to: str, tracking_number: str, status_url: str, outcome: str = "已結案") -> Email:
    """The case is finished (``outcome`` says how); the status page now asks for the survey."""
    body = (
        "您好：\n\n"
        f"您的案件 {tracking_number} {outcome}。\n"
        "歡迎到案件查詢頁面填寫滿意度調查（1 到 5 分），協助我們改進服務：\n"
        f"{status_url}\n" + _SIGNATURE
    )
    return Email(to, f"[{AGENCY}] 案件 {tracking_number} 已結案", body)


class MailOutbox:
    """Spools e-mails and sends them from a background thread, retrying on failure."""

    def __init__(self, settings: Settings, *, autostart: bool = True):
        self.settings = settings
        self.autostart = autostart  # False: only explicit deliver_due() calls send (tests)
        self.spool = Path(settings.internal) / "mail-outbox"
        self.failed = self.spool / "failed"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.settings.smtp_host)

    def send(self, email: Email) -> None:
        """Queue ``email`` for delivery; never raises, never waits for the SMTP server."""
        if not self.enabled:
            log.info("mail is switched off (no smtp_host); not sending %r", email.subject)
            return
        try:
            self.failed.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns()}-{secrets.token_hex(4)}.json"
            self._write(self.spool / name, {**asdict(email), "attempts": 0, "next_try": 0.0})
        except OSError:
            log.exception("could not spool an e-mail to the outbox at %s", self.spool)
            return
        if self.autostart:
            self.start()
        self._wake.set()

    def start(self) -> None:
        """Start the sending thread (idempotent; :meth:`send` calls it); messages spooled before
        a restart go too. The thread is a daemon: what it has not sent stays in the spool."""
        with self._starting:
            if not self.enabled or (self._thread and self._thread.is_alive()):
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="kaifang-mail", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def pending(self) -> list[Path]:
        """The spooled messages not yet sent (oldest first)."""
        if not self.spool.exists():
            return []
        return sorted(self.spool.glob("*.json"))

    def deliver_due(self) -> float:
        """Send every message whose time has come; return seconds until the next one is due."""
        self.failed.mkdir(parents=True, exist_ok=True)
        with open(self.spool / ".lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return FIRST_RETRY_SECONDS  # another process is sending; look again soon
            next_due = LONGEST_RETRY_SECONDS
            for path in self.pending():
                with contextlib.suppress(FileNotFoundError):
                    next_due = min(next_due, self._deliver_one(path))
            return next_due

    def _deliver_one(self, path: Path) -> float:
        entry = json.loads(path.read_text(encoding="utf-8"))
        wait = entry["next_try"] - time.time()
        if wait > 0:
            return wait
        email = Email(entry["to"], entry["subject"], entry["body"])
        try:
            self._smtp_send(email)
        except (OSError, smtplib.SMTPException) as exc:
            entry["attempts"] += 1
            if entry["attempts"] >= MAX_ATTEMPTS:
                log.error(
                    "giving up on e-mail %s after %d attempts: %s", path.name, MAX_ATTEMPTS, exc
                )
                os.replace(path, self.failed / path.name)
                return LONGEST_RETRY_SECONDS
            delay = min(FIRST_RETRY_SECONDS * 2 ** (entry["attempts"] - 1), LONGEST_RETRY_SECONDS)
            entry["next_try"] = time.time() + delay
            log.warning("e-mail %s not sent (%s); retrying in %.0f s", path.name, exc, delay)
            self._write(path, entry)
            return delay
        path.unlink()
        return LONGEST_RETRY_SECONDS

    def _smtp_send(self, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="kaifang")
        message.set_content(email.body, charset="utf-8")
        with smtplib.SMTP(
            self.settings.smtp_host, self.settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            smtp.send_message(message)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                wait = self.deliver_due()
            except Exception:  # the thread must outlive any single bad spool file
                log.exception("mail outbox round failed")
                wait = FIRST_RETRY_SECONDS
            self._wake.wait(timeout=max(wait, 0.05))
            self._wake.clear()

    @staticmethod
    def _write(path: Path, entry: dict) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)


def status_link(settings: Settings, tracking_number: str, secret: str | None) -> str:
    """The citizen's status page: opened directly with the secret, else the look-up form."""
    base = settings.public_url.rstrip("/")
    if secret:
        return f"{base}/feedback/status/{tracking_number}?key={secret}"
    return f"{base}/feedback/status?tracking={tracking_number}"


def _outcome(case: Case) -> str:
    """How a finished case ended, as the closing e-mail says it."""
    if case.status == "duplicate":
        return f"與案件 {case.duplicate_of} 重複，已併案處理"
    if case.status == "referred":
        return f"已移請{case.referred_to}處理"
    return "已結案"


def email_for(settings: Settings, notification: Notification) -> Email | None:
    """The e-mail a case event calls for, or None when the citizen did not ask for e-mail."""
    case = notification.case
    if not (case.consent_reply_email and case.contact_email):
        return None
    link = status_link(settings, case.tracking, notification.secret)
    if notification.kind == "received":
        due = case.due_at.astimezone(TAIPEI).strftime("%Y-%m-%d")
        return receipt_email(case.contact_email, case.tracking, link, due)
    if notification.kind == "replied":
        return reply_email(case.contact_email, case.tracking, link, case.reply_text or "")
    if notification.kind == "closed":
        return closed_email(case.contact_email, case.tracking, link, _outcome(case))
    return None


def email_notifier(settings: Settings) -> Callable[[Notification], None]:
    """A notifier for ``store.notifiers``: e-mails citizens about their case through an outbox
    whose sending thread starts with the first message (or at once, if some are spooled)."""
    outbox = MailOutbox(settings)
    if outbox.pending():
        outbox.start()

    def send_case_email(notification: Notification) -> None:
        email = email_for(settings, notification)
        if email is not None:
            outbox.send(email)

    return send_case_email
