"""The feedback store's tables, as SQLAlchemy Core metadata (the Alembic migrations create them).

One database holds everything the feedback service keeps, and it holds personal data: it is
never served by Datasette. Times are timezone-aware UTC (``UtcDateTime``): ISO 8601 text with
``+00:00`` on SQLite (so text order is time order), ``timestamptz`` on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime; naive values are refused rather than guessed."""

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the feedback store; use UTC-aware times")
        value = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return value
        return value.isoformat(timespec="microseconds")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(UTC)


accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # staff | volunteer
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("email", String(254)),
    Column("password_hash", String(200)),  # argon2; staff only
    Column("role", String(20)),  # section_staff | supervisor | admin; staff only
    Column("unit", String(40)),  # the section a staff member works in
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    # raised at logout: every staff session cookie issued before then stops working
    Column("session_generation", Integer, nullable=False, default=0, server_default="0"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # client (Open311/API key) | volunteer (token)
    Column("key_hash", String(64), nullable=False, unique=True),  # HMAC-SHA256 with the pepper
    Column("label", String(100), nullable=False),
    Column("account_id", Integer, ForeignKey("accounts.id")),  # the volunteer of a token
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tracking", String(20), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("open311_token", String(40), nullable=False, unique=True),
    Column("case_type", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("product_area", String(16)),
    Column("text", Text, nullable=False),
    Column("product_name", String(200)),
    Column("product_brand", String(100)),
    Column("product_model", String(100)),
    Column("sold_at_shop", String(200)),
    Column("sold_online_url", String(500)),
    Column("purchase_date", String(10)),  # ISO date
    Column("safety_mark", String(8)),  # yes | no | unknown
    Column("district", String(40)),
    Column("address", String(300)),
    Column("lat", Float),
    Column("lng", Float),
    Column("contact_name", String(100)),
    Column("contact_email", String(254)),
    Column("contact_phone", String(30)),
    Column("consent_reply_email", Boolean, nullable=False, default=False),
    Column("consent_publish", Boolean, nullable=False, default=False),
    Column("consent_publish_withdrawn_at", UtcDateTime),
    Column("unit", String(40), nullable=False),
    Column("routing_confidence", Float),
    Column("routing_model_version", String(80)),
    Column("routing_method", String(16), nullable=False),  # automatic | triage | manual
    Column("status", String(16), nullable=False),
    Column("assignee_id", Integer, ForeignKey("accounts.id")),
    Column("volunteer_id", Integer, ForeignKey("accounts.id")),
    Column("api_key_id", Integer, ForeignKey("api_keys.id")),
    Column("reply_text", Text),
    Column("duplicate_of", String(20)),
    Column("referred_to", String(100)),
    Column("received_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("replied_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
    Column("personal_data_erased_at", UtcDateTime),  # by feedback_api.retention
    Index("ix_cases_unit_status_due", "unit", "status", "due_at"),
    Index("ix_cases_received_at", "received_at"),
    Index("ix_cases_volunteer_id", "volunteer_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("public", Boolean, nullable=False),  # shown on the citizen's status page
    Column("message", Text),
    Column("data", JSON),
    Index("ix_events_case_id", "case_id"),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("stored_name", String(80), nullable=False, unique=True),
    Column("original_name", String(255), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Index("ix_attachments_case_id", "case_id"),
)

routing_corrections = Table(
    "routing_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("from_unit", String(40), nullable=False),
    Column("to_unit", String(40), nullable=False),
    Column("actor_id", Integer, ForeignKey("accounts.id")),
    Column("at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_id", Integer, ForeignKey("accounts.id")),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("detail", JSON),
    Index("ix_audit_log_at", "at"),
)

surveys = Table(
    "surveys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("score", Integer, nullable=False),
    Column("comment", Text),
    Column("at", UtcDateTime, nullable=False),
    UniqueConstraint("case_id"),
)

declared_days = Table(
    "declared_days",
    metadata,
    Column("day", Date, primary_key=True),  # a Taipei calendar day
    Column("kind", String(16), nullable=False),  # closed (e.g. a typhoon day) | working
    Column("reason", Text),
    Column("declared_at", UtcDateTime, nullable=False),
)
