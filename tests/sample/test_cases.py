"""A year of citizen cases, made through the feedback service and worked as staff would."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import Counter

import holidays
import pytest

from feedback_api.store import iter_case_records
from kaifang.sample.cases import write_sample_cases
from kaifang.sample.people import id_checksum_ok
from kaifang.settings import load_settings

ONE_DAY = dt.timedelta(days=1)
SCALE = 0.03  # 28 mailbox messages, 28 tips, 3 volunteer reports from 3 volunteers


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory):
    settings = load_settings({"KAIFANG_HOME": str(tmp_path_factory.mktemp("cases"))}).ensure_dirs()
    report = write_sample_cases(settings, roc_year=112, scale=SCALE, seed=5)
    assert report.skipped is None
    return settings


@pytest.fixture(scope="module")
def db(store_settings):
    connection = sqlite3.connect(store_settings.home / "feedback.db")
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def test_volumes_follow_the_seed_figures(db):
    channels = Counter(row["channel"] for row in db.execute("select channel from cases"))
    assert sum(channels.values()) == round(920 * SCALE) * 2 + round(94 * SCALE)
    assert channels["volunteer"] == 3
    assert {"web", "volunteer"} <= set(channels) and len(channels) >= 4
    types = Counter(row["case_type"] for row in db.execute("select case_type from cases"))
    assert types["report"] >= round(920 * SCALE)
    reporters = db.execute(
        "select count(distinct volunteer_id) from cases where channel = 'volunteer'"
    ).fetchone()[0]
    assert reporters == 3


def test_cases_were_routed_worked_and_answered_with_a_timeline(db):
    kinds = Counter(row["kind"] for row in db.execute("select kind from events"))
    for kind in ("received", "routed", "assigned", "replied", "closed", "survey"):
        assert kinds[kind] > 0, kind
    assert (
        kinds["received"]
        == kinds["routed"]
        == db.execute("select count(*) from cases").fetchone()[0]
    )
    assert kinds["duplicate"] >= 1 and kinds["referred"] >= 1
    corrected = db.execute("select count(*) from routing_corrections").fetchone()[0]
    assert corrected == kinds["reassigned"] > 0


def test_due_dates_and_replies_mostly_within_three_working_days(db):
    taiwan = holidays.country_holidays("TW", years=(2023, 2024))  # weekends, holidays, 補班
    taipei = dt.timezone(dt.timedelta(hours=8))
    rows = db.execute("select received_at, due_at, replied_at from cases").fetchall()
    for row in rows:
        received, due = (
            dt.datetime.fromisoformat(row[name]).astimezone(taipei)
            for name in ("received_at", "due_at")
        )
        assert received.year == 2023 and taiwan.is_working_day(due.date())
        if taiwan.is_working_day(received.date()):  # three working days later, same time of day
            assert due.time() == received.time()
            counted = taiwan.get_working_days_count(received.date() + ONE_DAY, due.date())
        else:  # counted from the start of the next working day: due once three have passed
            assert due.time() == dt.time(0)
            counted = taiwan.get_working_days_count(received.date(), due.date() - ONE_DAY)
        assert counted == 3
    replied = [r for r in rows if r["replied_at"]]
    late = [r for r in replied if r["replied_at"] > r["due_at"]]
    assert 1 <= len(late) <= 0.2 * len(replied)


def test_surveys_are_satisfied_and_follow_closure(db):
    rows = db.execute(
        "select s.score, s.at, c.closed_at from surveys s join cases c on c.id = s.case_id"
    ).fetchall()
    assert rows
    assert all(3 <= r["score"] <= 5 and r["at"] > r["closed_at"] for r in rows)


def test_texts_and_contacts_carry_personal_data_and_a_third_consent(db):
    cases = db.execute(
        "select text, contact_name, contact_phone, consent_publish from cases"
    ).fetchall()
    texts = " ".join(r["text"] for r in cases)
    assert any(id_checksum_ok(m) for m in re.findall(r"[A-Z][12]\d{8}", texts))
    assert re.search(r"09\d\d-?\d{3}-?\d{3}", texts)
    assert re.search(r"(基隆市|宜蘭縣|連江縣)\w+?[區鄉鎮市]\w+?(路|街|村)", texts)
    assert sum(1 for r in cases if r["contact_name"] and r["contact_phone"]) > len(cases) / 2
    consenting = sum(r["consent_publish"] for r in cases)
    assert consenting == pytest.approx(0.3 * len(cases), abs=2)


def test_handled_cases_expose_narratives_only_with_consent(store_settings, db):
    handled = [
        case
        for case in iter_case_records(store_settings)
        if case.status in ("closed", "duplicate", "referred")
    ]
    assert {case.status for case in handled} >= {"closed", "duplicate", "referred"}
    consenting = {
        r["tracking"]
        for r in db.execute(
            "select tracking from cases where consent_publish = 1 and consent_publish_withdrawn_at is null"
        )
    }
    for case in handled:
        assert (case.narrative is not None) == (case.tracking in consenting)


def test_a_second_run_adds_nothing_to_a_store_that_has_cases(store_settings, db):
    before = db.execute("select count(*) from cases").fetchone()[0]
    report = write_sample_cases(store_settings, roc_year=112, scale=SCALE, seed=6)
    assert report.skipped and "empty store" in report.skipped
    assert db.execute("select count(*) from cases").fetchone()[0] == before
