"""The ``Idempotency-Key`` header of submissions (IETF draft "The Idempotency-Key HTTP Header
Field"): a client that resends a submission whose answer it never got — a volunteer's phone on a
flaky connection — gets the first answer again instead of creating a second case.

A key belongs to its sender, the *scope*: a volunteer account (``volunteer:<id>``, whichever of
their tokens is used), an API key (``client:<id>``), or anonymous citizens as one group
(``anonymous``; keys of at least 16 characters make an accidental shared key unlikely, and the
first answer is only repeated for the very same request). The first case created under a key is
remembered for :data:`RETENTION` with a fingerprint of its request: the same key with the same
request gets the same case, the same key with another request is refused (422), as the draft
says. A request refused for bad input binds nothing, so it can be corrected and resent under its
key. Keys are stored only as HMACs with the pepper; the case's secret is derived from the key and
the request (:func:`feedback_api.tracking.keyed_secret`), so the answer, secret included, can be
repeated without the secret being stored. :mod:`feedback_api.cases` records a claim in the
transaction that creates its case, so two resends racing each other still make one case.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select

from feedback_api import schema
from feedback_api.tracking import hash_secret, keyed_secret
from feedback_api.validation import FieldError, ValidationError

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
KEY_MIN, KEY_MAX = 16, 255
# Visible ASCII without the quote and backslash of a Structured Field string: UUIDs, ULIDs, base64;
# bare, or quoted as a Structured Field string.
_BARE_KEY = rf"[\x21\x23-\x5b\x5d-\x7e]{{{KEY_MIN},{KEY_MAX}}}"
KEY_PATTERN = f'{_BARE_KEY}|"{_BARE_KEY}"'
_KEY = re.compile(KEY_PATTERN)
FIELD = "idempotency_key"


class KeyReused(ValidationError):
    """The key already made a case for a different request (422)."""

    def __init__(self) -> None:
        super().__init__(
            [
                FieldError(
                    FIELD,
                    "這個 Idempotency-Key 已用於另一筆內容不同的送件，新的送件請使用新的 Key "
                    "(this Idempotency-Key was already used for a different request; "
                    "use a new key for a new submission)",
                )
            ]
        )


class ClaimTaken(Exception):
    """Another submission under the same key was committed first (a race the caller resolves by
    answering with that submission's case)."""


def parse_key(values: Sequence[str]) -> str | None:
    """The key in the request's ``Idempotency-Key`` header lines, None when there is none; raise
    ValueError, with the message for the client, when it is malformed or sent twice. The key is
    a Structured Field string (``"…"``) as the draft writes it, or the same characters bare."""
    if not values:
        return None
    value = values[0].strip() if len(values) == 1 else ""
    if not _KEY.fullmatch(value):
        raise ValueError(
            f"Idempotency-Key 應為一個 {KEY_MIN} 到 {KEY_MAX} 字元、不含空白與引號的值，例如 UUID "
            f"(send one Idempotency-Key of {KEY_MIN}–{KEY_MAX} visible ASCII characters "
            "without spaces or quotes, e.g. a UUID)"
        )
    return value.strip('"')


def fingerprint(payload: object, files: Sequence[tuple[str, bytes]] = ()) -> str:
    """A digest of what a request asks for: its JSON (key order and spacing do not matter) and
    each file's name and content, in order."""
    described = [payload, [[name, hashlib.sha256(data).hexdigest()] for name, data in files]]
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A submission's key as stored (``key_hash``) for its ``scope``, the ``fingerprint`` of the
    request it came with, and the ``secret`` the case created under it gets."""

    scope: str
    key_hash: str
    fingerprint: str
    secret: str


def claim(
    pepper: bytes, scope: str, key: str, payload: object, files: Sequence[tuple[str, bytes]] = ()
) -> Claim:
    """The claim of a request sent by ``scope`` with ``key``, asking for ``payload`` and
    ``files``."""
    request = fingerprint(payload, files)
    secret = keyed_secret(pepper, f"case secret\n{scope}\n{key}\n{request}")
    return Claim(scope, hash_secret(key, pepper), request, secret)


def _live(claimed: Claim, now: datetime):
    keys = schema.idempotency_keys
    return (
        keys.c.scope == claimed.scope,
        keys.c.key_hash == claimed.key_hash,
        keys.c.created_at > now - RETENTION,
    )


def find(conn: Connection, claimed: Claim, now: datetime) -> tuple[int, str] | None:
    """The case (id, and the unit its first answer named) made under the claim's key within
    RETENTION, or None; raise KeyReused when it was made for a different request."""
    keys = schema.idempotency_keys
    row = conn.execute(
        select(keys.c.case_id, keys.c.unit, keys.c.fingerprint).where(*_live(claimed, now))
    ).first()
    if row is None:
        return None
    if not hmac.compare_digest(row.fingerprint, claimed.fingerprint):
        raise KeyReused()
    return row.case_id, row.unit


def taken(conn: Connection, claimed: Claim, now: datetime) -> bool:
    """Whether a case was made under the claim's key within RETENTION."""
    keys = schema.idempotency_keys
    return conn.execute(select(keys.c.id).where(*_live(claimed, now))).first() is not None


def record(conn: Connection, made: Sequence[tuple[Claim, int, str]], now: datetime) -> None:
    """Remember each (claim, case id, unit) in the caller's transaction, after forgetting the
    keys older than RETENTION; a key already live for its scope fails the transaction with an
    IntegrityError."""
    keys = schema.idempotency_keys
    conn.execute(delete(keys).where(keys.c.created_at <= now - RETENTION))
    conn.execute(
        keys.insert(),
        [
            {
                "scope": claimed.scope,
                "key_hash": claimed.key_hash,
                "fingerprint": claimed.fingerprint,
                "case_id": case_id,
                "unit": unit,
                "created_at": now,
            }
            for claimed, case_id, unit in made
        ],
    )
