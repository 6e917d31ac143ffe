"""The retention period: a case finished longer ago than ``retention_years`` loses everything
that identifies its citizen — contact, address, attachments, and names, phones and IDs in every
text — once, audited; recent and open cases are untouched. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from feedback_api import cases, schema
from feedback_api.audit import Actor, list_audit, record_audit
from feedback_api.retention import erase_expired
from feedback_api.store import open_store
from ingest.nightly import run_nightly
from ingest.report import Reporter
from kaifang.cli import main
from kaifang.settings import load_settings
from tests.feedback.handled_case import PERSONAL, handled_case

NOW = datetime(2031, 6, 1, tzinfo=UTC)


def every_text(store, tracking: str) -> str:
    case = cases.get_case(store, tracking)
    with store.reading() as conn:
        texts = [
            *conn.execute(select(schema.events.c.message).where(schema.events.c.case_id == case.id)).scalars(),
            *conn.execute(select(schema.surveys.c.comment).where(schema.surveys.c.case_id == case.id)).scalars(),
            *conn.execute(select(schema.routing_corrections.c.text).where(schema.routing_corrections.c.case_id == case.id)).scalars(),
        ]  # fmt: skip
    fields = (case.text, case.reply_text, case.contact_name, case.contact_email,
              case.contact_phone, case.address)  # fmt: skip
    return "\n".join(str(value) for value in (*fields, *texts) if value)


def test_an_expired_case_keeps_its_facts_and_loses_its_person(store):
    settings = replace(store.settings, retention_years=5)
    old = handled_case(store, NOW - timedelta(days=6 * 365))
    recent = handled_case(store, NOW - timedelta(days=2 * 365))
    still_open = handled_case(store, NOW - timedelta(days=7 * 365), close=False)
    assert all(value in every_text(store, old) for value in PERSONAL)
    stored = {
        tracking: settings.attachments / attachment.stored_name
        for tracking in (old, recent)
        for attachment in cases.list_attachments(store, cases.get_case(store, tracking).id)
    }

    erasure = erase_expired(store, settings, NOW)
    assert (erasure.cases, erasure.attachments) == (1, 1)
    case = cases.get_case(store, old)
    assert not any(value in every_text(store, old) for value in PERSONAL)
    assert "〔姓名〕" in case.text and "沒有標章的延長線" in case.text
    assert (case.contact_name, case.contact_email, case.contact_phone) == (None, None, None)
    assert (case.address, case.lat, case.lng) == (None, None, None)
    assert (case.district, case.unit, case.status) == ("基隆市仁愛區", "電資產品課", "closed")
    assert case.personal_data_erased_at == NOW
    assert cases.list_attachments(store, case.id) == []
    assert not stored[old].exists() and stored[recent].exists()
    [entry] = [e for e in list_audit(store, case_id=case.id) if e.action == "erase_personal_data"]
    assert entry.detail == {"attachments": 1}

    for untouched in (recent, still_open):
        assert all(value in every_text(store, untouched) for value in PERSONAL)
    assert erase_expired(store, settings, NOW).cases == 0  # once only
    assert erase_expired(store, replace(settings, retention_years=0), NOW).cutoff is None


def test_old_staff_searches_for_a_name_are_de_identified(store):
    settings = replace(store.settings, retention_years=5)
    staff = Actor("staff", "陳科員 (chen)")
    for moment in (NOW - timedelta(days=6 * 365), NOW - timedelta(days=30)):
        with store.writing() as conn:
            record_audit(conn, staff, "search", detail={"q": "王小明 0912-345-678", "hits": 1})
            conn.execute(
                update(schema.audit_log)
                .where(schema.audit_log.c.id == select(func.max(schema.audit_log.c.id)).scalar_subquery())
                .values(at=moment)
            )  # fmt: skip
    assert erase_expired(store, settings, NOW).searches == 1
    queries = [e.detail["q"] for e in list_audit(store) if e.action == "search"]
    assert sorted(queries) == ["〔姓名〕 〔電話〕", "王小明 0912-345-678"]
    assert erase_expired(store, settings, NOW).searches == 0  # once only


def test_kaifang_retention_counts_then_erases(kaifang_home, monkeypatch):
    monkeypatch.setenv("KAIFANG_RETENTION_YEARS", "1")
    store = open_store(load_settings().ensure_dirs())
    tracking = handled_case(store, datetime.now(UTC) - timedelta(days=800))
    store.close()
    preview = CliRunner().invoke(main, ["retention", "--dry-run"])
    assert preview.exit_code == 0 and "1 case(s) finished before" in preview.output
    done = CliRunner().invoke(main, ["retention"])
    assert done.exit_code == 0 and "erased the personal data of 1 case(s)" in done.output
    monkeypatch.setenv("KAIFANG_RETENTION_YEARS", "0")
    off = CliRunner().invoke(main, ["retention", "--dry-run"])
    assert off.exit_code == 0 and "retention is off" in off.output
    store = open_store(load_settings())
    assert cases.get_case(store, tracking).contact_name is None
    store.close()


def test_the_nightly_job_applies_the_retention_period(kaifang_home, monkeypatch):
    monkeypatch.setenv("KAIFANG_RETENTION_YEARS", "1")
    settings = load_settings().ensure_dirs()
    store = open_store(settings)
    old = handled_case(store, datetime.now(UTC) - timedelta(days=800))
    recent = handled_case(store, datetime.now(UTC) - timedelta(days=30))
    store.close()
    run_nightly(
        settings, only=["citizen_cases"], reporter=Reporter(interactive=False, stream=io.StringIO())
    )
    store = open_store(settings)
    assert cases.get_case(store, old).personal_data_erased_at is not None
    assert cases.get_case(store, recent).contact_name == "王小明"
    store.close()
