"""The days the operator declares for the branch (kaifang calendar): a typhoon day off (停止上班)
or an extra working day, which the due dates count on top of Taiwan's official calendar.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import feedback_api.schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declared_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("declared_at", feedback_api.schema.UtcDateTime(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_declared_days")),
    )


def downgrade() -> None:
    op.drop_table("declared_days")
