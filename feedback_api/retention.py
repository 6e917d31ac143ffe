"""The retention period: erasing a citizen's personal data from cases finished longer ago than
``settings.retention_years`` (Personal Data Protection Act, Art. 11: data is deleted once the
period the privacy notice names — the agency's 檔案保存年限 — has passed).

Erasing keeps what the statistics and the open data need (type, channel, section, product,
district, dates, status, routing) and removes what identifies the person: name, e-mail, phone,
street address and map point, photos and documents (files and records), and every free text —
the message, the reply, timeline messages and internal notes, the survey comment, the text kept
as a routing correction — is replaced by its de-identified version (``ingest.deid.scrub``).
Each case is erased in one transaction with its audit entry, and only once
(``personal_data_erased_at``). The staff searches recorded in the audit log before the same
cutoff (a search may be for a citizen's name) get their query de-identified too. The nightly
job runs it; ``kaifang retention`` runs it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from feedback_api import schema
from feedback_api.attachments import StoredAttachment, remove_files
from feedback_api.audit import SYSTEM, record_audit
from feedback_api.lifecycle import FINISHED_STATUSES
from feedback_api.store import Store
from ingest.deid.scrub import scrub
from kaifang.settings import Settings

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Erasure:
    cases: int
    attachments: int
    searches: int
    cutoff: datetime | None  # cases finished before it were erased; None: retention is off

    def summary(self) -> str:
        if self.cutoff is None:
            return "retention is off (retention_years = 0): nothing is erased"
        return (
            f"erased the personal data of {self.cases} case(s) finished before "
            f"{self.cutoff:%Y-%m-%d} ({self.attachments} attachment(s)) and of "
            f"{self.searches} staff search(es)"
        )


def cutoff_for(settings: Settings, now: datetime) -> datetime | None:
    if settings.retention_years <= 0:
        return None
    return now - timedelta(days=DAYS_PER_YEAR * settings.retention_years)


def expired_cases(store: Store, cutoff: datetime) -> list[int]:
    """Ids of finished cases closed before ``cutoff`` whose personal data is still there."""
    cases = schema.cases
    query = select(cases.c.id).where(
        cases.c.status.in_(sorted(FINISHED_STATUSES)),
        cases.c.closed_at < cutoff,
        cases.c.personal_data_erased_at.is_(None),
    )
    with store.reading() as conn:
        return list(conn.execute(query.order_by(cases.c.id)).scalars())


def _scrubbed(text: str | None) -> str | None:
    return None if text is None else scrub(text).text


def _erase_texts(conn: Connection, table, key_column, text_column, case_id: int) -> None:
    rows = conn.execute(
        select(key_column, text_column).where(table.c.case_id == case_id, text_column.is_not(None))
    ).all()
    for key, text in rows:
        conn.execute(update(table).where(key_column == key).values({text_column: _scrubbed(text)}))


def _erase_case(conn: Connection, case_id: int, now: datetime) -> list[StoredAttachment]:
    """Erase one case's personal data; return its attachments, whose files go after commit."""
    cases, attachments = schema.cases, schema.attachments
    row = conn.execute(select(cases.c.text, cases.c.reply_text).where(cases.c.id == case_id)).one()
    conn.execute(
        update(cases)
        .where(cases.c.id == case_id)
        .values(
            contact_name=None, contact_email=None, contact_phone=None, address=None, lat=None,
            lng=None, text=_scrubbed(row.text), reply_text=_scrubbed(row.reply_text),
            personal_data_erased_at=now,
        )
    )  # fmt: skip
    for table, key, text in (
        (schema.events, schema.events.c.id, schema.events.c.message),
        (schema.surveys, schema.surveys.c.id, schema.surveys.c.comment),
        (schema.routing_corrections, schema.routing_corrections.c.id,
         schema.routing_corrections.c.text),
    ):  # fmt: skip
        _erase_texts(conn, table, key, text, case_id)
    files = [
        StoredAttachment(r.stored_name, r.original_name, r.content_type, r.size, r.sha256)
        for r in conn.execute(select(attachments).where(attachments.c.case_id == case_id))
    ]
    conn.execute(delete(attachments).where(attachments.c.case_id == case_id))
    record_audit(
        conn, SYSTEM, "erase_personal_data", case_id=case_id, detail={"attachments": len(files)}
    )
    return files


def erase_expired(store: Store, settings: Settings, now: datetime | None = None) -> Erasure:
    """Erase the personal data of every case whose retention period has passed."""
    now = now or datetime.now(UTC)
    cutoff = cutoff_for(settings, now)
    if cutoff is None:
        return Erasure(0, 0, 0, None)
    erased = removed = 0
    for case_id in expired_cases(store, cutoff):
        with store.writing() as conn:
            files = _erase_case(conn, case_id, now)
        remove_files(settings.attachments, files)
        erased += 1
        removed += len(files)
    return Erasure(erased, removed, _erase_old_searches(store, cutoff), cutoff)


def _erase_old_searches(store: Store, cutoff: datetime) -> int:
    """De-identify the queries of staff searches recorded before ``cutoff``, once each."""
    log = schema.audit_log
    with store.writing() as conn:
        rows = conn.execute(
            select(log.c.id, log.c.detail).where(log.c.action == "search", log.c.at < cutoff)
        ).all()
        pending = [(id_, detail) for id_, detail in rows if detail and not detail.get("erased")]
        for id_, detail in pending:
            erased = {**detail, "q": _scrubbed(detail.get("q")), "erased": True}
            conn.execute(update(log).where(log.c.id == id_).values(detail=erased))
    return len(pending)
