"""Cases remember when the retention job erased their personal data, so it is done once and the
staff console can say so.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import feedback_api.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "cases",
        sa.Column(
            "personal_data_erased_at", feedback_api.schema.UtcDateTime(length=32), nullable=True
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("personal_data_erased_at")
