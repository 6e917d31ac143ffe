"""Who did what: the :class:`Actor` behind every change, and the audit log of staff actions.

Every staff action on a case is written to ``audit_log`` in the same transaction as the change
itself (:mod:`feedback_api.cases` does this). Actions that touch no case — a login, a search,
opening a case page — are recorded by the caller with :func:`record_audit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from feedback_api import schema
from feedback_api.store import Store


@dataclass(frozen=True)
class Actor:
    """``kind`` is citizen, volunteer, staff, api_client or system; ``label`` is what the
    timeline shows (never a citizen's name)."""

    kind: str
    label: str
    account_id: int | None = None


CITIZEN = Actor("citizen", "民眾")
SYSTEM = Actor("system", "系統")


def record_audit(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Append one audit entry inside the caller's transaction."""
    conn.execute(
        schema.audit_log.insert().values(
            at=datetime.now(UTC),
            actor_id=actor.account_id,
            actor=actor.label,
            action=action,
            case_id=case_id,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    case_id: int | None
    detail: dict | None


def list_audit(store: Store, *, case_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest audit entries first, optionally only those about one case."""
    log = schema.audit_log
    query = select(log).order_by(log.c.id.desc()).limit(limit)
    if case_id is not None:
        query = query.where(log.c.case_id == case_id)
    with store.reading() as conn:
        return [
            AuditEntry(row.at, row.actor, row.action, row.case_id, row.detail)
            for row in conn.execute(query)
        ]
