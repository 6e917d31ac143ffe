"""Cases made through the feedback service's own functions at chosen moments, and the
published rows the tests read back."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

from feedback_api import cases as service
from feedback_api.audit import CITIZEN, Actor
from feedback_api.store import Store
from feedback_api.triage import RoutingDecision
from feedback_api.validation import parse_submission

TAIPEI = ZoneInfo("Asia/Taipei")
CASE_DATASETS = ["citizen_cases", "citizen_case_stats"]


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    national_id: str

    @property
    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.email, self.phone, self.phone.replace("-", ""), self.national_id)


@contextlib.contextmanager
def service_clock(moment: datetime) -> Iterator[None]:
    """The feedback service believes it is ``moment`` while the block runs."""
    with mock.patch.object(service, "_now", lambda: moment.astimezone(UTC)):
        yield


def body(
    person: Person, *, case_type: str, area: str, district: str, text: str, consent: bool = False
) -> dict:
    """A JSON API submission by ``person``, who also names themselves in the text."""
    return {
        "type": case_type,
        "text": text,
        "product_area": area,
        "product": {"name": "延長線", "shop": "基隆廟口夜市", "safety_mark": "no"},
        "place": {"district": district},
        "contact": {"name": person.name, "email": person.email, "phone": person.phone},
        "consents": {"reply_by_email": True, "publish_narrative": consent},
    }


def submit_at(
    store: Store, moment: datetime, submission: dict, *, unit: str, channel: str = "web",
    volunteer_id: int | None = None, actor: Actor = CITIZEN,
) -> service.Submitted:  # fmt: skip
    """Submit as a citizen (or volunteer) would at ``moment``, routed to ``unit``."""
    draft = parse_submission(submission, structured_product=volunteer_id is not None)
    with service_clock(moment):
        return service.submit(
            store, draft, channel=channel, actor=actor, volunteer_id=volunteer_id,
            routing=RoutingDecision(unit, None, None, "manual"),
        )  # fmt: skip


def published_rows(published: Path, table: str) -> list[dict]:
    conn = sqlite3.connect(published / f"{table}.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid")]
    finally:
        conn.close()


def every_published_text(published: Path) -> Iterator[tuple[str, str, str]]:
    """(file, table, text) of every cell of every table of every published database."""
    for path in sorted(published.glob("*.db")):
        conn = sqlite3.connect(path)
        try:
            tables = [
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                for row in conn.execute(f"SELECT * FROM [{table}]"):
                    for cell in row:
                        if cell is not None:
                            yield path.name, table, str(cell)
        finally:
            conn.close()
