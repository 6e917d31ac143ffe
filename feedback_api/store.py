"""The feedback store: opening the database, applying migrations, and the read-outs other
areas use (routing corrections for the classifier; handled cases and every case's record for
the open-data case list and monthly statistics).

SQLite (the default, ``$KAIFANG_HOME/feedback.db``) runs in WAL mode with
``synchronous=FULL``: a transaction is on disk when ``COMMIT`` returns, so every submission
acknowledged to a client survives a kill -9 (and a power cut). Writers take the write lock
up front (``BEGIN IMMEDIATE``) so two concurrent writers queue on ``busy_timeout`` instead of
failing on a lock upgrade. PostgreSQL is used when ``settings.database_url`` names one
(``postgresql+psycopg://...``); several service instances can then share it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, make_url, select, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from feedback_api import schema
from kaifang.secrets import get_secret
from kaifang.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_PG_MIGRATION_LOCK = 0x6B616966  # "kaif": one migrator at a time across instances


@dataclass
class Store:
    """An open feedback store: the engine, the settings it came from, the pepper that keys
    the hashes of case secrets and API keys, and the notifiers.

    ``notifiers`` are called by :mod:`feedback_api.cases` after a change is committed (see
    :class:`feedback_api.cases.Notification`); the web side appends its e-mail sender here.
    """

    engine: Engine
    settings: Settings
    pepper: bytes
    notifiers: list[Callable] = field(default_factory=list)
    intake: Any = field(default=None, repr=False)  # cases' intake pipeline, started on use

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on normal exit, rolled back on error."""
        with self.engine.connect().execution_options(kaifang_write=True) as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (a consistent snapshot for the whole block)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        """Finish queued submissions, then release the database connections."""
        if self.intake is not None:
            self.intake.close()
            self.intake = None
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("kaifang_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class StoreUnavailable(RuntimeError):
    """The feedback store cannot be opened: its URL is unreadable or its server refuses; the
    message says which, names the setting and never shows a password."""


_CHECK_URL = "check database_url (KAIFANG_DATABASE_URL)"


def _create_private(path: Path) -> None:
    """Create a new SQLite file readable by its owner only: it holds citizens' personal data.
    SQLite gives the -wal and -shm files it creates the database file's mode. An existing file
    keeps the mode it has."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def create_store_engine(database_url: str) -> Engine:
    """An engine for ``database_url`` with the durability settings described above."""
    try:
        url = make_url(database_url)
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise StoreUnavailable(
            f"no database driver for {url.drivername!r} in the feedback store's URL: "
            f"{_CHECK_URL}; PostgreSQL is postgresql+psycopg://user@host/kaifang"
        ) from None
    except ArgumentError:
        raise StoreUnavailable(
            f"the feedback store's URL is not a database URL: {_CHECK_URL}, e.g. "
            "sqlite:////var/lib/kaifang/feedback.db or postgresql+psycopg://user@host/kaifang"
        ) from None
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[-1]
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                _create_private(Path(url.database or path))
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot create the feedback store's folder {exc.filename}: {exc.strerror}; "
                    f"{_CHECK_URL} and KAIFANG_HOME"
                ) from None
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=8,
            max_overflow=24,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(database_url, pool_size=8, max_overflow=24, pool_pre_ping=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> str:
    """Apply every pending migration; return the revision the database is now at.

    Safe to run from several instances at once: PostgreSQL takes an advisory lock, SQLite the
    write lock, so the second migrator waits and then finds nothing to do.
    """
    try:
        connection = engine.connect()
    except OperationalError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreUnavailable(
            f"cannot connect to the feedback store at {shown}: {exc.orig}; {_CHECK_URL} "
            "and that the database server is running"
        ) from None
    with connection.execution_options(kaifang_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(_alembic_config(conn), "head")
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this code."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


_open_lock = threading.Lock()


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    """Open the store at ``settings.database_url``, applying migrations unless told not to."""
    with _open_lock:
        engine = create_store_engine(settings.database_url)
        if migrate:
            upgrade(engine)
    return Store(engine=engine, settings=settings, pepper=get_secret(settings, "api_key_pepper"))


@contextlib.contextmanager
def _opened(settings: Settings) -> Iterator[Store]:
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


def iter_routing_corrections(settings: Settings) -> Iterator[tuple[str, str]]:
    """Yield ``(case text, corrected unit)`` for every case staff reassigned, oldest first.

    When a case was reassigned several times only its last correction counts: that is the
    unit the staff finally settled on. For the classifier's retraining.
    """
    corrections = schema.routing_corrections
    last_per_case = select(func.max(corrections.c.id)).group_by(corrections.c.case_id)
    with _opened(settings) as store, store.reading() as conn:
        rows = conn.execute(
            select(corrections.c.text, corrections.c.to_unit)
            .where(corrections.c.id.in_(last_per_case))
            .order_by(corrections.c.id)
        ).all()
    yield from ((row.text, row.to_unit) for row in rows)


@dataclass(frozen=True)
class CaseRecord:
    """Any case, open or finished, as the open-data case list and monthly statistics need it:
    no contact details, no tracking secret. ``first_replied_at`` is the first staff reply (later
    replies do not move it), ``satisfaction`` the survey score (1–5) if answered, ``volunteer``
    whether a volunteer monitor sent it. ``narrative`` is the raw text, present only while the
    citizen's consent to publication stands: the nightly pipeline must still scrub it."""

    tracking: str
    case_type: str
    channel: str
    product_area: str | None
    unit: str
    status: str
    district: str | None
    volunteer: bool
    received_at: datetime
    due_at: datetime
    first_replied_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None
    narrative: str | None


def iter_case_records(settings: Settings) -> Iterator[CaseRecord]:
    """Yield every case, oldest first (a consistent snapshot of the store)."""
    cases, events, surveys = schema.cases, schema.events, schema.surveys
    first_reply = (
        select(events.c.case_id, func.min(events.c.at).label("at"))
        .where(events.c.kind == "replied")
        .group_by(events.c.case_id)
        .subquery()
    )
    query = (
        select(cases, first_reply.c.at.label("first_replied_at"), surveys.c.score)
        .outerjoin(first_reply, first_reply.c.case_id == cases.c.id)
        .outerjoin(surveys, surveys.c.case_id == cases.c.id)
        .order_by(cases.c.received_at, cases.c.id)
    )
    with _opened(settings) as store, store.reading() as conn:
        rows = conn.execute(query).all()
    for row in rows:
        consented = row.consent_publish and row.consent_publish_withdrawn_at is None
        yield CaseRecord(
            tracking=row.tracking,
            case_type=row.case_type,
            channel=row.channel,
            product_area=row.product_area,
            unit=row.unit,
            status=row.status,
            district=row.district,
            volunteer=row.volunteer_id is not None,
            received_at=row.received_at,
            due_at=row.due_at,
            first_replied_at=row.first_replied_at,
            closed_at=row.closed_at,
            satisfaction=row.score,
            narrative=row.text if consented else None,
        )
