"""Alembic environment for the feedback store: always run programmatically by
``feedback_api.store.upgrade`` on a connection it has opened (and locked) itself."""

from __future__ import annotations

from alembic import context

from feedback_api.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
