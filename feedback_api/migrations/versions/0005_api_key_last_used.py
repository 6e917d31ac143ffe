"""API keys and volunteer tokens remember when they were last used, so operators and admins can
tell a token still in use on a phone from one that is forgotten and should be revoked.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import feedback_api.schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "api_keys",
        sa.Column("last_used_at", feedback_api.schema.UtcDateTime(length=32), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("last_used_at")
