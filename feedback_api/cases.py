"""The case service: every operation on a citizen's case, used by the JSON API, Open311, the
volunteer API, the web form, the staff console and ``kaifang sample``.

Each function takes an open :class:`~feedback_api.store.Store`, does its work in one
transaction, and appends an event to the case's timeline; staff actions also go to the audit
log. Status changes follow :mod:`feedback_api.lifecycle` and raise
:class:`~feedback_api.lifecycle.TransitionError` when not allowed. A case is looked up by its
tracking number; citizens must also present its secret (:func:`read_case`), staff code calls
:func:`get_case` after checking the session itself. New cases go through the store's intake
pipeline (:mod:`feedback_api.intake`): concurrent submissions share one classifier call and
one commit, and :func:`submit` returns once its case is committed.

After a commit, the store's ``notifiers`` receive a :class:`Notification` (``received``,
``replied``, ``closed``): they run in the calling thread and their failures are logged, never
raised — a mail server that is down never loses a case.
"""

from __future__ import annotations

import logging
import secrets as _random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Connection, Row, String, and_, cast, func, or_, select
from sqlalchemy.exc import IntegrityError

from feedback_api import attachments as attachment_files
from feedback_api import schema
from feedback_api.audit import CITIZEN, Actor, record_audit
from feedback_api.deadlines import due_after
from feedback_api.declared_days import office_calendar
from feedback_api.intake import BatchPipeline, PipelineItem
from feedback_api.lifecycle import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    ROUTABLE_STATUSES,
    STATUSES,
    check_transition,
)
from feedback_api.store import Store
from feedback_api.tracking import (
    hash_secret,
    new_secret,
    new_tracking_number,
    normalize_secret,
    normalize_tracking,
    secret_matches,
)
from feedback_api.triage import UNITS, RoutingDecision, route_texts
from feedback_api.validation import CaseDraft
from feedback_api.vocabulary import CHANNELS
from ingest.deid.scrub import scrub

log = logging.getLogger(__name__)

REPLY_MAX = 8000
NOTE_MAX = 4000
SURVEY_COMMENT_MAX = 1000


class CaseNotFound(LookupError):
    """No case has this tracking number (or the secret does not match)."""


class CaseError(ValueError):
    """An operation was refused for a reason the message explains (not a status change)."""


@dataclass(frozen=True)
class Case:
    """A case as stored, personal data included: for staff, and the submitter with the secret."""

    id: int
    tracking: str
    case_type: str
    channel: str
    product_area: str | None
    text: str
    product_name: str | None
    product_brand: str | None
    product_model: str | None
    sold_at_shop: str | None
    sold_online_url: str | None
    purchase_date: str | None
    safety_mark: str | None
    district: str | None
    address: str | None
    lat: float | None
    lng: float | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    consent_reply_email: bool
    consent_publish: bool
    consent_publish_withdrawn_at: datetime | None
    unit: str
    routing_confidence: float | None
    routing_model_version: str | None
    routing_method: str
    status: str
    assignee_id: int | None
    volunteer_id: int | None
    reply_text: str | None
    duplicate_of: str | None
    referred_to: str | None
    received_at: datetime
    due_at: datetime
    updated_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    open311_token: str
    personal_data_erased_at: datetime | None = None  # see feedback_api.retention

    @property
    def anonymous(self) -> bool:
        return not (self.contact_name or self.contact_email or self.contact_phone)

    @property
    def publish_consent_active(self) -> bool:
        return self.consent_publish and self.consent_publish_withdrawn_at is None

    def overdue(self, now: datetime | None = None) -> bool:
        """Still waiting for a reply after its due date."""
        now = now or datetime.now(UTC)
        return (
            self.replied_at is None and self.status not in FINISHED_STATUSES and now > self.due_at
        )


_CASE_FIELDS = [name for name in Case.__dataclass_fields__]


def case_from_row(row: Row) -> Case:
    mapping = row._mapping
    return Case(**{name: mapping[name] for name in _CASE_FIELDS})


@dataclass(frozen=True)
class Event:
    """One line of a case's timeline; ``public`` events are shown to the citizen."""

    at: datetime
    kind: str
    actor: str
    public: bool
    message: str | None
    data: dict | None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    original_name: str
    content_type: str
    size: int
    stored_name: str


@dataclass(frozen=True)
class Submitted:
    """What the submitter gets back: the secret exists only here, it is stored hashed."""

    case_id: int
    tracking: str
    secret: str
    open311_token: str
    unit: str
    routing_method: str
    status: str
    received_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class Notification:
    """Sent to the store's notifiers after a commit: ``kind`` is received, replied or closed.
    ``secret`` is set on ``received`` only (for the status link in the receipt e-mail)."""

    kind: str
    case: Case
    secret: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _notify(store: Store, notification: Notification) -> None:
    for notifier in store.notifiers:
        try:
            notifier(notification)
        except Exception:
            log.exception("notifier %r failed for %s", notifier, notification.case.tracking)


def _event_row(
    case_id: int,
    kind: str,
    actor: Actor,
    *,
    public: bool,
    message: str | None = None,
    data: dict | None = None,
    at: datetime | None = None,
) -> dict:
    return {
        "case_id": case_id,
        "at": at or _now(),
        "kind": kind,
        "actor": actor.label,
        "public": public,
        "message": message,
        "data": data,
    }


def _append_event(conn: Connection, case_id: int, kind: str, actor: Actor, **details) -> None:
    """Add one event to a case's timeline inside the caller's transaction."""
    conn.execute(schema.events.insert(), _event_row(case_id, kind, actor, **details))


def _case_values(draft: CaseDraft) -> dict:
    product, place, contact = draft.product, draft.place, draft.contact
    return {
        "case_type": draft.case_type,
        "product_area": draft.product_area,
        "text": draft.text,
        "product_name": product.name,
        "product_brand": product.brand,
        "product_model": product.model,
        "sold_at_shop": product.shop,
        "sold_online_url": product.online_url,
        "purchase_date": product.purchase_date.isoformat() if product.purchase_date else None,
        "safety_mark": product.safety_mark,
        "district": place.district,
        "address": place.address,
        "lat": place.lat,
        "lng": place.long,
        "contact_name": contact.name if contact else None,
        "contact_email": contact.email if contact else None,
        "contact_phone": contact.phone if contact else None,
        "consent_reply_email": draft.reply_by_email,
        "consent_publish": draft.publish_narrative,
    }


@dataclass(eq=False)
class _NewCase(PipelineItem):
    """A submission on its way through the intake pipeline (see :mod:`feedback_api.intake`)."""

    draft: CaseDraft
    channel: str
    actor: Actor
    stored: list[attachment_files.StoredAttachment]
    volunteer_id: int | None
    api_key_id: int | None
    routing: RoutingDecision | None

    def __post_init__(self) -> None:
        super().__init__()


def submit(
    store: Store,
    draft: CaseDraft,
    *,
    channel: str,
    actor: Actor = CITIZEN,
    attachments: Sequence[attachment_files.PreparedAttachment] = (),
    volunteer_id: int | None = None,
    api_key_id: int | None = None,
    routing: RoutingDecision | None = None,
) -> Submitted:
    """Record a new case (routed by the classifier unless ``routing`` is given) with its
    attachments; when this returns, the case is durably stored.

    ``channel`` is one of :data:`feedback_api.vocabulary.CHANNELS`; staff entering a phone
    call, letter or e-mail pass their own ``actor``. Concurrent calls are routed and committed
    together (:func:`_intake`), so this blocks until the batch it joined is on disk.
    """
    if channel not in CHANNELS:
        raise CaseError(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
    stored = attachment_files.write_files(store.settings.attachments, list(attachments))
    item = _NewCase(draft, channel, actor, stored, volunteer_id, api_key_id, routing)
    try:
        submitted, case = _intake(store).put(item).result()
    except Exception:
        attachment_files.remove_files(store.settings.attachments, stored)
        raise
    _notify(store, Notification("received", case, secret=submitted.secret))
    return submitted


_intake_lock = threading.Lock()


def _intake(store: Store) -> BatchPipeline:
    """The store's intake pipeline (routing, then writing), started on first use."""
    with _intake_lock:
        if store.intake is None:
            store.intake = BatchPipeline(
                [partial(_route_new_cases, store), partial(_write_new_cases, store)],
                name="case-intake",
            )
        return store.intake


def _route_new_cases(store: Store, items: list[_NewCase]) -> None:
    unrouted = [item for item in items if item.routing is None]
    decisions = route_texts(store.settings, [item.draft.text for item in unrouted])
    for item, decision in zip(unrouted, decisions, strict=True):
        item.routing = decision


def _write_new_cases(store: Store, items: list[_NewCase]) -> None:
    """Write the batch in one transaction; if that fails, each item on its own, so one bad
    item (or a colliding tracking number, redrawn) cannot fail the others. Only a failure
    before the commit leads to a retry, so no case is ever written twice."""
    try:
        written = _insert_cases(store, items)
    except Exception:
        log.warning("batch of %d new cases failed; writing them one by one", len(items))
        for item in items:
            for attempt in range(5):
                try:
                    [one] = _insert_cases(store, [item])
                except IntegrityError as exc:
                    if attempt == 4:
                        item.future.set_exception(exc)
                    continue
                except Exception as exc:
                    item.future.set_exception(exc)
                else:
                    _resolve(item, one)
                break
        return
    for item, one in zip(items, written, strict=True):
        _resolve(item, one)


def _resolve(item: _NewCase, written: tuple[int, str, dict]) -> None:
    """Tell the waiting caller about its committed case."""
    case_id, secret, row = written
    try:
        case = Case(**{name: row.get(name) for name in _CASE_FIELDS if name != "id"}, id=case_id)
        submitted = Submitted(
            case_id=case_id,
            tracking=row["tracking"],
            secret=secret,
            open311_token=row["open311_token"],
            unit=row["unit"],
            routing_method=row["routing_method"],
            status="received",
            received_at=row["received_at"],
            due_at=row["due_at"],
        )
    except Exception as exc:
        item.future.set_exception(exc)
    else:
        item.future.set_result((submitted, case))


def _insert_cases(store: Store, items: list[_NewCase]) -> list[tuple[int, str, dict]]:
    """Insert new cases, their first events and attachments in one committed transaction;
    return each case's id, secret and stored values. The due date counts the declared days as
    this transaction reads them."""
    now = _now()
    cases_table = schema.cases
    with store.writing() as conn:
        due = due_after(now, store.settings.reply_days, office_calendar(conn))
        secrets_, rows = _new_case_rows(store, items, now, due)
        ids = (
            conn.execute(
                cases_table.insert().returning(cases_table.c.id, sort_by_parameter_order=True),
                rows,
            )
            .scalars()
            .all()
        )
        events, files, audits = [], [], []
        for case_id, item, row in zip(ids, items, rows, strict=True):
            decision = item.routing
            events.append(
                _event_row(
                    case_id, "received", item.actor, public=True, at=now,
                    message="已收到您的案件",
                    data={"channel": item.channel, "due_at": due.isoformat()},
                )
            )  # fmt: skip
            events.append(
                _event_row(
                    case_id, "routed", item.actor, public=False, at=now, message=decision.unit,
                    data={
                        "unit": decision.unit,
                        "confidence": decision.confidence,
                        "model_version": decision.model_version,
                        "method": decision.method,
                    },
                )
            )  # fmt: skip
            files.extend(
                {
                    "case_id": case_id,
                    "stored_name": stored.stored_name,
                    "original_name": stored.original_name,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "uploaded_at": now,
                }
                for stored in item.stored
            )
            if item.actor.kind == "staff":
                audits.append((item.actor, case_id, row["channel"]))
        conn.execute(schema.events.insert(), events)
        if files:
            conn.execute(schema.attachments.insert(), files)
        for actor, case_id, channel in audits:
            record_audit(conn, actor, "enter_case", case_id=case_id, detail={"channel": channel})
    return list(zip(ids, secrets_, rows, strict=True))


def _new_case_rows(
    store: Store, items: list[_NewCase], now: datetime, due: datetime
) -> tuple[list[str], list[dict]]:
    """Each new case's secret and the row that stores it."""
    secrets_, rows = [], []
    for item in items:
        secret = new_secret()
        decision = item.routing
        secrets_.append(secret)
        rows.append(
            {
                "tracking": new_tracking_number(),
                "secret_hash": hash_secret(secret, store.pepper),
                "open311_token": _random.token_hex(16),
                "channel": item.channel,
                "unit": decision.unit,
                "routing_confidence": decision.confidence,
                "routing_model_version": decision.model_version,
                "routing_method": decision.method,
                "status": "received",
                "volunteer_id": item.volunteer_id,
                "api_key_id": item.api_key_id,
                "received_at": now,
                "due_at": due,
                "updated_at": now,
                **_case_values(item.draft),
            }
        )
    return secrets_, rows


def _select_case(conn: Connection, tracking: str, *, for_update: bool = False) -> Row:
    canonical = normalize_tracking(tracking)
    if canonical is None:
        raise CaseNotFound(tracking)
    query = select(schema.cases).where(schema.cases.c.tracking == canonical)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise CaseNotFound(tracking)
    return row


def get_case(store: Store, tracking: str) -> Case:
    """The case with this tracking number, for staff; raises CaseNotFound."""
    with store.reading() as conn:
        return case_from_row(_select_case(conn, tracking))


def get_case_by_token(store: Store, token: str) -> Case:
    """The case an Open311 token stands for; raises CaseNotFound."""
    with store.reading() as conn:
        row = conn.execute(
            select(schema.cases).where(schema.cases.c.open311_token == token)
        ).first()
    if row is None:
        raise CaseNotFound(token)
    return case_from_row(row)


def read_case(store: Store, tracking: str, secret: str) -> Case:
    """The case for its submitter: raises CaseNotFound when the number is unknown or the secret
    is wrong (the two are not told apart, so numbers cannot be probed)."""
    with store.reading() as conn:
        row = _select_case(conn, tracking)
    if not secret_matches(normalize_secret(secret or ""), row.secret_hash, store.pepper):
        raise CaseNotFound(tracking)
    return case_from_row(row)


def _try_get(store: Store, tracking: str) -> Case | None:
    try:
        return get_case(store, tracking)
    except CaseNotFound:
        return None


def timeline(store: Store, case_id: int, *, include_internal: bool = False) -> list[Event]:
    """The case's events, oldest first; internal ones (notes, routing) only for staff."""
    events = schema.events
    query = select(events).where(events.c.case_id == case_id).order_by(events.c.id)
    if not include_internal:
        query = query.where(events.c.public.is_(True))
    with store.reading() as conn:
        return [
            Event(row.at, row.kind, row.actor, row.public, row.message, row.data)
            for row in conn.execute(query)
        ]


def list_attachments(store: Store, case_id: int) -> list[AttachmentInfo]:
    """The case's attachments in upload order."""
    table = schema.attachments
    with store.reading() as conn:
        return [
            AttachmentInfo(row.id, row.original_name, row.content_type, row.size, row.stored_name)
            for row in conn.execute(
                select(table).where(table.c.case_id == case_id).order_by(table.c.id)
            )
        ]


def add_attachments(
    store: Store,
    tracking: str,
    prepared: Sequence[attachment_files.PreparedAttachment],
    *,
    actor: Actor,
) -> list[AttachmentInfo]:
    """Attach more files to an open case, keeping the total within the limit."""
    stored = attachment_files.write_files(store.settings.attachments, list(prepared))
    try:
        with store.writing() as conn:
            row = _select_case(conn, tracking, for_update=True)
            if row.status in FINISHED_STATUSES:
                raise CaseError("這個案件已結案，不能再附加檔案 (the case is finished)")
            count = conn.execute(
                select(func.count()).where(schema.attachments.c.case_id == row.id)
            ).scalar_one()
            if count + len(stored) > attachment_files.MAX_FILES:
                raise CaseError(
                    f"每個案件最多 {attachment_files.MAX_FILES} 個檔案 "
                    f"(at most {attachment_files.MAX_FILES} files per case)"
                )
            now = _now()
            for item in stored:
                conn.execute(
                    schema.attachments.insert().values(
                        case_id=row.id,
                        stored_name=item.stored_name,
                        original_name=item.original_name,
                        content_type=item.content_type,
                        size=item.size,
                        sha256=item.sha256,
                        uploaded_at=now,
                    )
                )
            _append_event(
                conn, row.id, "attachment", actor, public=True,
                message="、".join(item.original_name for item in stored),
            )  # fmt: skip
            _touch(conn, row.id, now)
    except Exception:
        attachment_files.remove_files(store.settings.attachments, stored)
        raise
    return list_attachments(store, row.id)


def _touch(conn: Connection, case_id: int, now: datetime, **values) -> None:
    conn.execute(
        schema.cases.update().where(schema.cases.c.id == case_id).values(updated_at=now, **values)
    )


def _staff_change(
    store: Store,
    tracking: str,
    actor: Actor,
    action: str,
    *,
    target_status: str | None,
    values: dict | None = None,
    event_message: str | None = None,
    public: bool = True,
    detail: dict | None = None,
) -> Case:
    """One staff action: check the transition, update, add the event and the audit entry."""
    now = _now()
    with store.writing() as conn:
        row = _select_case(conn, tracking, for_update=True)
        changes = dict(values or {})
        if target_status is not None:
            check_transition(row.status, target_status)
            changes["status"] = target_status
        _touch(conn, row.id, now, **changes)
        event_data = {"from": row.status, "to": target_status} if target_status else None
        if detail:
            event_data = {**(event_data or {}), **detail}
        _append_event(
            conn, row.id, action, actor, public=public, message=event_message, data=event_data,
            at=now,
        )  # fmt: skip
        record_audit(conn, actor, action, case_id=row.id, detail=event_data)
        return case_from_row(
            conn.execute(select(schema.cases).where(schema.cases.c.id == row.id)).one()
        )


def assign(store: Store, tracking: str, *, actor: Actor, assignee_id: int | None = None) -> Case:
    """A section takes the case (received → assigned), optionally naming the staff member."""
    return _staff_change(
        store, tracking, actor, "assigned", target_status="assigned",
        values={"assignee_id": assignee_id}, event_message="案件已分派承辦",
    )  # fmt: skip


def start_work(store: Store, tracking: str, *, actor: Actor) -> Case:
    """Work has begun (→ in_progress)."""
    return _staff_change(
        store, tracking, actor, "in_progress", target_status="in_progress",
        event_message="案件處理中",
    )  # fmt: skip


def reassign(
    store: Store, tracking: str, unit: str, *, actor: Actor, reason: str | None = None
) -> Case:
    """Send the case to another unit; the move is kept as a routing correction for the
    classifier's retraining. Allowed while the case is received, assigned or in progress; a
    reassigned case waits in its new unit's queue as ``received``."""
    if unit not in UNITS:
        raise CaseError(
            f"沒有「{unit}」這個單位 (unknown unit {unit!r}; known: {', '.join(UNITS)})"
        )
    now = _now()
    with store.writing() as conn:
        row = _select_case(conn, tracking, for_update=True)
        if row.status not in ROUTABLE_STATUSES:
            raise CaseError(
                f"「{STATUSES[row.status][0]}」的案件不能再改派 "
                f"(a case that is {row.status} can no longer be reassigned)"
            )
        if row.unit == unit:
            raise CaseError(f"案件已在{unit} (the case is already at {unit})")
        conn.execute(
            schema.routing_corrections.insert().values(
                case_id=row.id, text=scrub(row.text).text, from_unit=row.unit, to_unit=unit,
                actor_id=actor.account_id, at=now,
            )
        )  # fmt: skip
        _touch(
            conn, row.id, now, unit=unit, routing_method="manual", status="received",
            assignee_id=None,
        )  # fmt: skip
        detail = {"from_unit": row.unit, "to_unit": unit, "reason": reason}
        _append_event(
            conn, row.id, "reassigned", actor, public=True, at=now,
            message=f"改由{unit}處理", data=detail,
        )  # fmt: skip
        record_audit(conn, actor, "reassigned", case_id=row.id, detail=detail)
        return case_from_row(
            conn.execute(select(schema.cases).where(schema.cases.c.id == row.id)).one()
        )


def reply(store: Store, tracking: str, text: str, *, actor: Actor) -> Case:
    """Answer the citizen (→ replied); the reply shows on the status page and is e-mailed by the
    notifiers when the citizen asked for e-mail."""
    text = (text or "").strip()
    if not text or len(text) > REPLY_MAX:
        raise CaseError(
            f"回覆需要 1 到 {REPLY_MAX} 個字 (a reply needs between 1 and {REPLY_MAX} characters)"
        )
    now = _now()
    case = _staff_change(
        store, tracking, actor, "replied", target_status="replied",
        values={"reply_text": text, "replied_at": now}, event_message=text,
    )  # fmt: skip
    _notify(store, Notification("replied", case))
    return case


def add_note(store: Store, tracking: str, text: str, *, actor: Actor) -> Case:
    """An internal note, seen by staff only."""
    text = (text or "").strip()
    if not text or len(text) > NOTE_MAX:
        raise CaseError(
            f"備註需要 1 到 {NOTE_MAX} 個字 (a note needs between 1 and {NOTE_MAX} characters)"
        )
    return _staff_change(
        store, tracking, actor, "note", target_status=None, event_message=text, public=False
    )


def close(store: Store, tracking: str, *, actor: Actor, note: str | None = None) -> Case:
    """Close a replied case (→ closed); the survey opens for the citizen."""
    case = _staff_change(
        store, tracking, actor, "closed", target_status="closed",
        values={"closed_at": _now()}, event_message=note or "案件已結案",
    )  # fmt: skip
    _notify(store, Notification("closed", case))
    return case


def mark_duplicate(store: Store, tracking: str, original: str, *, actor: Actor) -> Case:
    """The case repeats ``original`` (another tracking number), which carries the work."""
    original_case = _try_get(store, original)
    if original_case is None:
        raise CaseError(
            f"找不到案件編號 {original} 的案件，請核對原案件編號 "
            f"(no case has the tracking number {original!r})"
        )
    if normalize_tracking(tracking) == original_case.tracking:
        raise CaseError("本案不能與自己重複，請填寫原案件編號 (a case cannot duplicate itself)")
    case = _staff_change(
        store, tracking, actor, "duplicate", target_status="duplicate",
        values={"duplicate_of": original_case.tracking, "closed_at": _now()},
        event_message=f"與案件 {original_case.tracking} 重複，併案處理",
    )  # fmt: skip
    _notify(store, Notification("closed", case))
    return case


def refer(
    store: Store, tracking: str, agency: str, *, actor: Actor, note: str | None = None
) -> Case:
    """Send the case to the competent agency (e.g. 衛生福利部食品藥物管理署 for food)."""
    agency = (agency or "").strip()
    if not agency or len(agency) > 100:
        raise CaseError(
            "請填寫權責機關名稱，1 到 100 個字 "
            "(name the agency the case is referred to, 1–100 characters)"
        )
    message = f"已移請{agency}處理" + (f"：{note}" if note else "")
    case = _staff_change(
        store, tracking, actor, "referred", target_status="referred",
        values={"referred_to": agency, "closed_at": _now()}, event_message=message,
    )  # fmt: skip
    _notify(store, Notification("closed", case))
    return case


def withdraw_publish_consent(store: Store, tracking: str, secret: str) -> Case:
    """The citizen withdraws consent to publish their narrative; it stops at the next publish."""
    case = read_case(store, tracking, secret)
    if not case.publish_consent_active:
        return case
    now = _now()
    with store.writing() as conn:
        _touch(conn, case.id, now, consent_publish_withdrawn_at=now)
        _append_event(
            conn, case.id, "consent_withdrawn", CITIZEN, public=True, at=now,
            message="已撤回公開敘述的同意",
        )  # fmt: skip
    return get_case(store, case.tracking)


@dataclass(frozen=True)
class Survey:
    score: int
    comment: str | None
    at: datetime


def record_survey(
    store: Store, tracking: str, secret: str, score: int, comment: str | None = None
) -> Survey:
    """The citizen's satisfaction (1–5, optional comment), once, after the case is closed."""
    case = read_case(store, tracking, secret)
    if case.status not in FINISHED_STATUSES:
        raise CaseError("滿意度調查在結案後才開放 (the survey opens once the case is closed)")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise CaseError("請選擇 1 到 5 分 (choose a score from 1 to 5)")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > SURVEY_COMMENT_MAX:
        raise CaseError(
            f"意見最多 {SURVEY_COMMENT_MAX} 個字 "
            f"(the comment is longer than {SURVEY_COMMENT_MAX} characters)"
        )
    now = _now()
    try:
        with store.writing() as conn:
            conn.execute(
                schema.surveys.insert().values(
                    case_id=case.id, score=score, comment=comment, at=now
                )
            )
            _append_event(
                conn, case.id, "survey", CITIZEN, public=True, at=now,
                message=f"滿意度 {score} 分",
            )  # fmt: skip
    except IntegrityError as exc:
        raise CaseError("這個案件已填過滿意度調查 (the survey was already answered)") from exc
    return Survey(score, comment, now)


def get_survey(store: Store, case_id: int) -> Survey | None:
    """The case's survey answer, if any."""
    with store.reading() as conn:
        row = conn.execute(
            select(schema.surveys).where(schema.surveys.c.case_id == case_id)
        ).first()
    return None if row is None else Survey(row.score, row.comment, row.at)


def list_queue(
    store: Store,
    *,
    unit: str | None = None,
    statuses: Sequence[str] = tuple(sorted(OPEN_STATUSES)),
    limit: int = 500,
) -> list[Case]:
    """A queue for the staff console: cases of ``unit`` (all units when None) in ``statuses``,
    the most urgent (earliest due date) first. ``Case.overdue()`` marks the late ones."""
    cases = schema.cases
    query = select(cases).where(cases.c.status.in_(list(statuses)))
    if unit is not None:
        query = query.where(cases.c.unit == unit)
    query = query.order_by(cases.c.due_at, cases.c.id).limit(limit)
    with store.reading() as conn:
        return [case_from_row(row) for row in conn.execute(query)]


def open_counts_by_unit(store: Store, now: datetime) -> dict[str, tuple[int, int]]:
    """Unit → (open cases, of which overdue) over every open case, counted in the database:
    the supervisors' unit tabs, which a listing capped at ``list_queue``'s limit would undercount."""
    cases = schema.cases
    late = and_(
        cases.c.replied_at.is_(None),
        cases.c.status.notin_(list(FINISHED_STATUSES)),
        cases.c.due_at < now,
    )
    query = (
        select(cases.c.unit, func.count(), func.count().filter(late))
        .where(cases.c.status.in_(sorted(OPEN_STATUSES)))
        .group_by(cases.c.unit)
    )
    with store.reading() as conn:
        return {unit: (total, overdue) for unit, total, overdue in conn.execute(query)}


def search_cases(
    store: Store, query_text: str, *, unit: str | None = None, limit: int = 100
) -> list[Case]:
    """Cases (of ``unit``; all units when None) whose tracking number, text, product or contact
    contains ``query_text`` (case-insensitive), newest first; for staff."""
    needle = (query_text or "").strip()
    if not needle:
        return []
    canonical = normalize_tracking(needle)
    cases = schema.cases
    pattern = f"%{needle.lower()}%"
    searched = (
        cases.c.text, cases.c.product_name, cases.c.product_brand, cases.c.product_model,
        cases.c.sold_at_shop, cases.c.contact_name, cases.c.contact_email,
        cases.c.contact_phone, cast(cases.c.tracking, String),
    )  # fmt: skip
    condition = or_(*(func.lower(column).like(pattern) for column in searched))
    if canonical:
        condition = or_(condition, cases.c.tracking == canonical)
    if unit is not None:
        condition = and_(condition, cases.c.unit == unit)
    query = select(cases).where(condition).order_by(cases.c.received_at.desc()).limit(limit)
    with store.reading() as conn:
        return [case_from_row(row) for row in conn.execute(query)]


def list_volunteer_reports(store: Store, volunteer_id: int) -> list[Case]:
    """A volunteer monitor's own reports, newest first."""
    cases = schema.cases
    query = (
        select(cases)
        .where(cases.c.volunteer_id == volunteer_id)
        .order_by(cases.c.received_at.desc(), cases.c.id.desc())
    )
    with store.reading() as conn:
        return [case_from_row(row) for row in conn.execute(query)]
