"""Accounts and credentials: staff (argon2 password, role, unit), volunteer monitors, and the
API keys of Open311/API clients and volunteers' tokens.

Accounts are never deleted (the audit log and case timelines name them): an account that is no
longer used is deactivated, which ends its sessions and stops its tokens at once. Every change
to an existing account is audited in the same transaction, and no change may leave the service
without an active admin.

Keys and tokens are random (``kfk_…`` for clients, ``kfv_…`` for volunteers), shown once when
created and stored only as an HMAC-SHA256 with the ``api_key_pepper`` secret: a stolen
database does not reveal them, and a lookup is one indexed query (no slow hash per request).
Each key remembers when it was last used, to within :data:`LAST_USED_RESOLUTION`: the lookup
reads the time anyway, and writes it only when it is older than that, so a phone sending every
minute costs one write per key every few minutes, not one per request.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from feedback_api import schema
from feedback_api.audit import Actor, record_audit
from feedback_api.store import Store
from feedback_api.tracking import hash_secret
from feedback_api.triage import UNITS

ROLES = ("section_staff", "supervisor", "admin")
KEY_PREFIXES = {"client": "kfk_", "volunteer": "kfv_"}
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
LAST_USED_RESOLUTION = timedelta(minutes=10)

_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown user as slow as one for a known user.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """An account or key could not be created or changed; the message says why, in zh-TW with
    the English in brackets, and ``field`` names the form field at fault when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Account:
    id: int
    kind: str  # staff | volunteer
    username: str
    display_name: str
    email: str | None
    role: str | None
    unit: str | None
    active: bool
    session_generation: int = 0

    def actor(self) -> Actor:
        """The Actor this account's actions are recorded as."""
        return Actor(self.kind, f"{self.display_name} ({self.username})", self.id)


@dataclass(frozen=True)
class ApiKey:
    id: int
    kind: str  # client | volunteer
    label: str
    account_id: int | None


def _account(row) -> Account:
    return Account(
        row.id, row.kind, row.username, row.display_name, row.email, row.role, row.unit,
        row.active, row.session_generation,
    )  # fmt: skip


def _insert_account(store: Store, **values) -> Account:
    username = values["username"]
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "帳號為 2 到 64 個英文小寫字母、數字、「.」「_」「-」"
            " (a username is 2–64 characters: lower-case letters, digits, '.', '_' or '-')",
            "username",
        )
    try:
        with store.writing() as conn:
            account_id = conn.execute(
                schema.accounts.insert().values(active=True, created_at=datetime.now(UTC), **values)
            ).inserted_primary_key[0]
    except IntegrityError as exc:
        raise AccountError(
            f"帳號 {username} 已有人使用 (the username is taken)", "username"
        ) from exc
    return get_account(store, account_id)


def add_staff(
    store: Store,
    username: str,
    password: str,
    *,
    display_name: str,
    role: str,
    unit: str | None,
    email: str | None = None,
) -> Account:
    """Create a staff account; section staff must belong to a unit."""
    _check_role_and_unit(role, unit)
    _check_password(password)
    return _insert_account(
        store,
        kind="staff",
        username=username,
        display_name=display_name,
        email=email,
        password_hash=_hasher.hash(password),
        role=role,
        unit=unit,
    )


def _check_role_and_unit(role: str, unit: str | None) -> None:
    if role not in ROLES:
        raise AccountError(f"請選擇角色 (role must be one of {', '.join(ROLES)})", "role")
    if unit is not None and unit not in UNITS:
        raise AccountError(
            f"沒有這個單位 (unknown unit {unit!r}; known: {', '.join(UNITS)})", "unit"
        )
    if role == "section_staff" and unit is None:
        raise AccountError("課室承辦人必須選擇單位 (section staff need a unit)", "unit")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密碼至少 {MIN_PASSWORD_LENGTH} 個字元"
            f" (a password needs at least {MIN_PASSWORD_LENGTH} characters)",
            "password",
        )


def add_volunteer(
    store: Store, username: str, *, display_name: str, email: str | None = None
) -> Account:
    """Create a volunteer monitor's account (they authenticate with tokens, not passwords)."""
    return _insert_account(
        store, kind="volunteer", username=username, display_name=display_name, email=email
    )


def end_staff_sessions(store: Store, account_id: int) -> None:
    """Invalidate every session cookie issued to this account so far (logout)."""
    accounts = schema.accounts
    with store.writing() as conn:
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(session_generation=accounts.c.session_generation + 1)
        )


def change_account(
    store: Store,
    account_id: int,
    actor: Actor,
    *,
    role: str | None = None,
    unit: str | None = None,
    active: bool | None = None,
    password: str | None = None,
    email: str | None = None,
) -> dict:
    """Change an existing account and audit it; return what changed (``{}`` if nothing did).

    ``role`` and ``unit`` apply to staff only and are given together (``unit`` None means every
    unit); ``active`` False deactivates, True reactivates; ``password`` sets a new one for a
    staff member who lost theirs; ``email`` sets the address reminders and mail go to (``""``
    removes it). Deactivating or setting a password ends the account's sessions. The audit
    entry records the old and new values, never a password.
    """
    if password is not None:
        _check_password(password)
    accounts = schema.accounts
    with store.writing() as conn:
        row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        if row is None:
            raise AccountError(f"沒有這個帳號 (no account with id {account_id})")
        values: dict = {}
        if row.kind != "staff" and (role is not None or password is not None):
            raise AccountError(
                "只有工作人員帳號有角色、單位與密碼 (only staff have a role, a unit and a password)"
            )
        if role is not None:
            _check_role_and_unit(role, unit)
            values.update(role=role, unit=unit)
        if active is not None:
            values["active"] = active
        if email is not None:
            values["email"] = email.strip() or None
        changes = {
            name: [getattr(row, name), value]
            for name, value in values.items()
            if getattr(row, name) != value
        }
        if row.kind == "staff":
            _keep_an_active_admin(conn, row, values)
        if password is not None:
            values["password_hash"] = _hasher.hash(password)
            changes["password"] = "reset"
        if not changes:
            return {}
        if values.get("active") is False or password is not None:
            values["session_generation"] = row.session_generation + 1
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
        detail = {"username": row.username, **changes}
        record_audit(conn, actor, f"change_{row.kind}", detail=detail)
    return changes


def _keep_an_active_admin(conn: Connection, row, values: dict) -> None:
    """Refuse a change that would leave no active admin to manage accounts.

    The active admins' rows are locked in id order (PostgreSQL; SQLite writes one transaction at
    a time), so two admins demoting each other at once cannot both succeed."""
    was_admin = row.role == "admin" and row.active
    stays_admin = values.get("role", row.role) == "admin" and values.get("active", row.active)
    if not was_admin or stays_admin:
        return
    accounts = schema.accounts
    admins = conn.execute(
        select(accounts.c.id)
        .where(
            accounts.c.kind == "staff",
            accounts.c.role == "admin",
            accounts.c.active.is_(True),
        )
        .order_by(accounts.c.id)
        .with_for_update()
    ).scalars()
    if not any(admin != row.id for admin in admins):
        raise AccountError(
            "這是最後一位啟用中的系統管理員，請先指定另一位系統管理員"
            " (this is the last active admin: make another admin first)"
        )


def list_accounts(store: Store, kind: str) -> list[Account]:
    """Every account of ``kind`` (staff or volunteer), active or not, by username."""
    accounts = schema.accounts
    with store.reading() as conn:
        rows = conn.execute(
            select(accounts).where(accounts.c.kind == kind).order_by(accounts.c.username)
        ).all()
    return [_account(row) for row in rows]


def get_account(store: Store, account_id: int) -> Account:
    with store.reading() as conn:
        row = conn.execute(select(schema.accounts).where(schema.accounts.c.id == account_id)).one()
    return _account(row)


def find_account(store: Store, username: str) -> Account | None:
    with store.reading() as conn:
        row = conn.execute(
            select(schema.accounts).where(schema.accounts.c.username == username)
        ).first()
    return None if row is None else _account(row)


def authenticate_staff(store: Store, username: str, password: str) -> Account | None:
    """The active staff account these credentials open, or None (in constant-ish time)."""
    with store.reading() as conn:
        row = conn.execute(
            select(schema.accounts).where(
                schema.accounts.c.username == username, schema.accounts.c.kind == "staff"
            )
        ).first()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(stored):
        with store.writing() as conn:
            conn.execute(
                schema.accounts.update()
                .where(schema.accounts.c.id == row.id)
                .values(password_hash=_hasher.hash(password))
            )
    return _account(row)


def create_key(
    store: Store,
    kind: str,
    label: str,
    *,
    account_id: int | None = None,
    actor: Actor | None = None,
) -> str:
    """Create a client API key (``kind="client"``) or a volunteer's token
    (``kind="volunteer"``, with the volunteer's ``account_id``); return it — the only time it
    is ever visible. With an ``actor``, the issue is audited (label and owner, never the key)."""
    if kind not in KEY_PREFIXES:
        raise AccountError(f"key kind must be one of {', '.join(KEY_PREFIXES)}")
    owner = get_account(store, account_id) if account_id is not None else None
    if kind == "volunteer" and (owner is None or owner.kind != "volunteer"):
        raise AccountError("a volunteer token belongs to a volunteer account")
    raw = KEY_PREFIXES[kind] + secrets.token_urlsafe(32)
    with store.writing() as conn:
        conn.execute(
            schema.api_keys.insert().values(
                kind=kind,
                key_hash=hash_secret(raw, store.pepper),
                label=label,
                account_id=account_id,
                created_at=datetime.now(UTC),
            )
        )
        if actor is not None:
            detail = {"label": label, "username": owner.username if owner else None}
            record_audit(conn, actor, f"issue_{kind}_key", detail=detail)
    return raw


@dataclass(frozen=True)
class KeyListing:
    """A key or token as operators and admins see it: never the key itself."""

    id: int
    kind: str
    label: str
    owner: str | None  # the volunteer's username
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None  # None: never used


def list_keys(store: Store, *, account_id: int | None = None) -> list[KeyListing]:
    """Every key and token (or only one volunteer's), revoked ones included, oldest first."""
    keys, accounts = schema.api_keys, schema.accounts
    query = (
        select(
            keys.c.id, keys.c.kind, keys.c.label, accounts.c.username, keys.c.created_at,
            keys.c.revoked_at, keys.c.last_used_at,
        )  # the fields of KeyListing, in order
        .outerjoin(accounts, accounts.c.id == keys.c.account_id)
        .order_by(keys.c.id)
    )  # fmt: skip
    if account_id is not None:
        query = query.where(keys.c.account_id == account_id)
    with store.reading() as conn:
        return [KeyListing(*row) for row in conn.execute(query)]


def authenticate_key(store: Store, raw: str | None, kind: str) -> ApiKey | None:
    """The live key of ``kind`` that ``raw`` is, or None."""
    if not raw or not raw.startswith(KEY_PREFIXES.get(kind, "\0")) or len(raw) > 100:
        return None
    keys, accounts = schema.api_keys, schema.accounts
    query = (
        select(keys.c.id, keys.c.kind, keys.c.label, keys.c.account_id, keys.c.last_used_at)
        .outerjoin(accounts, accounts.c.id == keys.c.account_id)
        .where(
            keys.c.key_hash == hash_secret(raw, store.pepper),
            keys.c.kind == kind,
            keys.c.revoked_at.is_(None),
        )
    )
    with store.reading() as conn:
        row = conn.execute(query).first()
        if row is None:
            return None
        if row.account_id is not None:
            active = conn.execute(
                select(accounts.c.active).where(accounts.c.id == row.account_id)
            ).scalar_one()
            if not active:
                return None
    _note_use(store, row.id, row.last_used_at)
    return ApiKey(row.id, row.kind, row.label, row.account_id)


def _note_use(store: Store, key_id: int, last_used_at: datetime | None) -> None:
    """Record that the key is being used, unless that is already known to within
    LAST_USED_RESOLUTION (the condition is checked again in the update, so instances sharing
    the database do not all write it)."""
    now = datetime.now(UTC)
    stale = now - LAST_USED_RESOLUTION
    if last_used_at is not None and last_used_at > stale:
        return
    keys = schema.api_keys
    with store.writing() as conn:
        conn.execute(
            update(keys)
            .where(
                keys.c.id == key_id,
                or_(keys.c.last_used_at.is_(None), keys.c.last_used_at <= stale),
            )
            .values(last_used_at=now)
        )


def tokens_last_used(store: Store) -> dict[int, datetime]:
    """Volunteer account id → when one of their tokens (revoked ones included) was last used;
    a volunteer whose tokens were never used is absent."""
    keys = schema.api_keys
    query = (
        select(keys.c.account_id, func.max(keys.c.last_used_at))
        .where(keys.c.kind == "volunteer", keys.c.last_used_at.is_not(None))
        .group_by(keys.c.account_id)
    )
    with store.reading() as conn:
        return dict(conn.execute(query).all())


def revoke_key(store: Store, key_id: int, *, actor: Actor | None = None) -> bool:
    """Stop a key or token from working; False if it was already revoked. With an ``actor``,
    the revocation is audited."""
    keys = schema.api_keys
    with store.writing() as conn:
        row = conn.execute(select(keys).where(keys.c.id == key_id)).first()
        if row is None:
            raise AccountError(f"沒有這個金鑰 (no key with id {key_id})")
        if row.revoked_at is not None:
            return False
        conn.execute(update(keys).where(keys.c.id == key_id).values(revoked_at=datetime.now(UTC)))
        if actor is not None:
            record_audit(conn, actor, f"revoke_{row.kind}_key", detail={"label": row.label})
    return True
