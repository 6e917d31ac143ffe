"""The initial feedback store: accounts, API keys, cases and their timeline, attachments,
routing corrections, the audit log and surveys.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 07:32:12.774456
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import feedback_api.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("revoked_at", feedback_api.schema.UtcDateTime(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_api_keys_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking", sa.String(length=20), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("open311_token", sa.String(length=40), nullable=False),
        sa.Column("case_type", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("product_area", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=True),
        sa.Column("product_brand", sa.String(length=100), nullable=True),
        sa.Column("product_model", sa.String(length=100), nullable=True),
        sa.Column("sold_at_shop", sa.String(length=200), nullable=True),
        sa.Column("sold_online_url", sa.String(length=500), nullable=True),
        sa.Column("purchase_date", sa.String(length=10), nullable=True),
        sa.Column("safety_mark", sa.String(length=8), nullable=True),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("consent_reply_email", sa.Boolean(), nullable=False),
        sa.Column("consent_publish", sa.Boolean(), nullable=False),
        sa.Column(
            "consent_publish_withdrawn_at",
            feedback_api.schema.UtcDateTime(length=32),
            nullable=True,
        ),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("routing_confidence", sa.Float(), nullable=True),
        sa.Column("routing_model_version", sa.String(length=80), nullable=True),
        sa.Column("routing_method", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=20), nullable=True),
        sa.Column("referred_to", sa.String(length=100), nullable=True),
        sa.Column("received_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("due_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("updated_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("replied_at", feedback_api.schema.UtcDateTime(length=32), nullable=True),
        sa.Column("closed_at", feedback_api.schema.UtcDateTime(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_cases_api_key_id_api_keys")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["accounts.id"], name=op.f("fk_cases_assignee_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["accounts.id"], name=op.f("fk_cases_volunteer_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("open311_token", name=op.f("uq_cases_open311_token")),
        sa.UniqueConstraint("tracking", name=op.f("uq_cases_tracking")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_received_at", ["received_at"], unique=False)
        batch_op.create_index(
            "ix_cases_unit_status_due", ["unit", "status", "due_at"], unique=False
        )
        batch_op.create_index("ix_cases_volunteer_id", ["volunteer_id"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_attachments_stored_name")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_case_id", ["case_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["accounts.id"], name=op.f("fk_audit_log_actor_id_accounts")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_audit_log_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_events_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_case_id", ["case_id"], unique=False)

    op.create_table(
        "routing_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("from_unit", sa.String(length=40), nullable=False),
        sa.Column("to_unit", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["accounts.id"], name=op.f("fk_routing_corrections_actor_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_routing_corrections_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_corrections")),
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_surveys_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
        sa.UniqueConstraint("case_id", name=op.f("uq_surveys_case_id")),
    )


def downgrade() -> None:
    op.drop_table("surveys")
    op.drop_table("routing_corrections")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_case_id")

    op.drop_table("events")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")

    op.drop_table("audit_log")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_case_id")

    op.drop_table("attachments")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_volunteer_id")
        batch_op.drop_index("ix_cases_unit_status_due")
        batch_op.drop_index("ix_cases_received_at")

    op.drop_table("cases")
    op.drop_table("api_keys")
    op.drop_table("accounts")
