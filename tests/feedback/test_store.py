"""The store and the case service, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import make_url, select

from feedback_api import accounts, cases, schema
from feedback_api.audit import Actor, list_audit
from feedback_api.lifecycle import TransitionError
from feedback_api.store import (
    current_revision,
    head_revision,
    iter_case_records,
    iter_routing_corrections,
    open_store,
)
from feedback_api.triage import TRIAGE_UNIT, RoutingDecision
from feedback_api.validation import parse_submission
from tests.cases_open_data.store_cases import service_clock
from tests.feedback.payloads import valid_case


@pytest.fixture
def officer(store):
    return accounts.add_staff(
        store, "chen", "a long enough password", display_name="陳科員",
        role="section_staff", unit="市場監督課",
    ).actor()  # fmt: skip


def submit(store, **overrides):
    return cases.submit(store, parse_submission(valid_case(**overrides)), channel="api")


def test_migrations_bring_a_new_database_to_the_newest_revision(store):
    assert current_revision(store.engine) == head_revision()
    # opening again (a second instance starting) finds nothing to do
    open_store(store.settings).close()
    assert current_revision(store.engine) == head_revision()


def test_the_migrations_build_exactly_the_tables_the_code_declares(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []


def test_a_submission_is_stored_with_its_details_and_due_date(store):
    submitted = submit(store)
    case = cases.read_case(store, submitted.tracking, submitted.secret)
    assert case.text.startswith("夜市攤販")
    assert case.product_name == "塑膠玩具車" and case.safety_mark == "no"
    assert case.contact_phone == "+886912345678"
    assert case.status == "received"
    assert case.due_at > case.received_at
    assert [e.kind for e in cases.timeline(store, case.id)] == ["received"]


TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday morning: Tuesday, Wednesday, Thursday
        (datetime(2026, 11, 2, 9, 0, tzinfo=TAIPEI), datetime(2026, 11, 5, 9, 0, tzinfo=TAIPEI)),
        # Friday afternoon: the weekend does not count, so Monday, Tuesday, Wednesday
        (datetime(2026, 11, 6, 15, 0, tzinfo=TAIPEI), datetime(2026, 11, 11, 15, 0, tzinfo=TAIPEI)),
        # Saturday: the count starts on Monday, so the whole of Wednesday is left
        (datetime(2026, 11, 7, 10, 0, tzinfo=TAIPEI), datetime(2026, 11, 12, 0, 0, tzinfo=TAIPEI)),
        # Sunday just before midnight, Taipei time (still Sunday 15:59 in UTC)
        (datetime(2026, 11, 8, 23, 59, tzinfo=TAIPEI), datetime(2026, 11, 12, 0, 0, tzinfo=TAIPEI)),
        # the working day before the Lunar New Year break, Saturday 14 to Sunday 22 February:
        # Monday 23rd, Tuesday, Wednesday
        (datetime(2026, 2, 13, 15, 0, tzinfo=TAIPEI), datetime(2026, 2, 25, 15, 0, tzinfo=TAIPEI)),
        # New Year's Day of the lunar calendar: counted from Monday 23rd, so Wednesday 25th is left
        (datetime(2026, 2, 17, 10, 0, tzinfo=TAIPEI), datetime(2026, 2, 26, 0, 0, tzinfo=TAIPEI)),
        # Thursday before Children's Day and Tomb-Sweeping Day, observed on Friday 3 and Monday
        # 6 April: Tuesday, Wednesday, Thursday
        (datetime(2026, 4, 2, 9, 0, tzinfo=TAIPEI), datetime(2026, 4, 9, 9, 0, tzinfo=TAIPEI)),
        # Friday before the make-up working Saturday of 8 February 2025 (2026 has none):
        # Saturday, Monday, Tuesday
        (datetime(2025, 2, 7, 10, 0, tzinfo=TAIPEI), datetime(2025, 2, 11, 10, 0, tzinfo=TAIPEI)),
        # on that Saturday itself, a working day: Monday, Tuesday, Wednesday at the same time
        (datetime(2025, 2, 8, 14, 0, tzinfo=TAIPEI), datetime(2025, 2, 12, 14, 0, tzinfo=TAIPEI)),
    ],
)
def test_the_due_date_counts_three_working_days_not_days_off(store, received, due):
    with service_clock(received):
        submitted = submit(store)
    assert submitted.due_at == due
    assert cases.get_case(store, submitted.tracking).due_at == due


def test_without_a_model_every_case_goes_to_triage(store):
    submitted = submit(store)
    case = cases.get_case(store, submitted.tracking)
    assert (case.unit, case.routing_method, case.routing_confidence) == (
        TRIAGE_UNIT,
        "triage",
        None,
    )


def test_the_secret_is_needed_and_stored_only_hashed(store):
    submitted = submit(store)
    with pytest.raises(cases.CaseNotFound):
        cases.read_case(store, submitted.tracking, "WRONGSECRET2")
    with store.reading() as conn:
        stored = conn.execute(select(schema.cases.c.secret_hash)).scalar_one()
    assert submitted.secret not in stored
    assert cases.read_case(store, submitted.tracking, submitted.secret.lower()).id


def test_the_whole_lifecycle_leaves_a_timeline_and_an_audit_trail(store, officer):
    submitted = submit(store)
    cases.assign(store, submitted.tracking, actor=officer)
    cases.start_work(store, submitted.tracking, actor=officer)
    cases.add_note(store, submitted.tracking, "已聯絡攤商", actor=officer)
    cases.reply(store, submitted.tracking, "已派員查核，並要求攤商下架。", actor=officer)
    closed = cases.close(store, submitted.tracking, actor=officer)
    assert closed.status == "closed" and closed.closed_at and closed.replied_at
    public = [e.kind for e in cases.timeline(store, closed.id)]
    everything = [e.kind for e in cases.timeline(store, closed.id, include_internal=True)]
    assert public == ["received", "assigned", "in_progress", "replied", "closed"]
    assert "note" in everything and "routed" in everything and "note" not in public
    actions = [entry.action for entry in list_audit(store, case_id=closed.id)]
    assert sorted(actions) == sorted(["assigned", "in_progress", "note", "replied", "closed"])


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "closed"),  # cannot close what was never answered
        (["assigned"], "received"),
        (["replied", "closed"], "in_progress"),  # a closed case stays closed
        (["duplicate"], "replied"),
    ],
)
def test_invalid_transitions_are_refused(store, officer, steps, refused):
    submitted = submit(store)
    original = submit(store)
    actions = {
        "assigned": lambda: cases.assign(store, submitted.tracking, actor=officer),
        "replied": lambda: cases.reply(store, submitted.tracking, "回覆", actor=officer),
        "closed": lambda: cases.close(store, submitted.tracking, actor=officer),
        "in_progress": lambda: cases.start_work(store, submitted.tracking, actor=officer),
        "duplicate": lambda: cases.mark_duplicate(
            store, submitted.tracking, original.tracking, actor=officer
        ),
        "received": lambda: cases.assign(store, submitted.tracking, actor=officer),
    }
    for step in steps:
        actions[step]()
    before = cases.get_case(store, submitted.tracking).status
    with pytest.raises(TransitionError):
        actions[refused]()
    assert cases.get_case(store, submitted.tracking).status == before


def test_referral_ends_the_case_and_names_the_agency(store, officer):
    submitted = submit(store, type="inquiry", text="買到的鳳梨酥有異味，請問要找誰？")
    referred = cases.refer(store, submitted.tracking, "衛生福利部食品藥物管理署", actor=officer)
    assert referred.status == "referred" and referred.referred_to.endswith("食品藥物管理署")
    with pytest.raises(TransitionError):
        cases.reply(store, submitted.tracking, "回覆", actor=officer)


def test_reassignment_becomes_a_correction_for_the_classifier(store, officer):
    submitted = submit(store)
    cases.reassign(store, submitted.tracking, "化工產品課", actor=officer)
    moved = cases.reassign(store, submitted.tracking, "市場監督課", actor=officer, reason="販售中")
    assert (moved.unit, moved.routing_method) == ("市場監督課", "manual")
    corrections = list(iter_routing_corrections(store.settings))
    assert corrections == [(moved.text, "市場監督課")]  # only the last word counts
    with pytest.raises(cases.CaseError):
        cases.reassign(store, submitted.tracking, "不存在的課", actor=officer)


def test_a_correction_keeps_no_personal_data_for_the_models_it_trains(store, officer):
    # trained models keep character n-grams of their messages, and versions are kept for ever
    text = "我是王小明，電話0912345678，夜市買的延長線沒有標章。"
    submitted = submit(store, text=text)
    cases.reassign(store, submitted.tracking, "市場監督課", actor=officer)
    [(corrected, unit)] = list(iter_routing_corrections(store.settings))
    assert unit == "市場監督課" and "延長線沒有標章" in corrected
    assert "王小明" not in corrected and "0912345678" not in corrected


def test_open_cases_are_counted_per_unit_with_the_overdue_ones(store, officer):
    late, fresh, finished = (submit(store) for _ in range(3))
    cases.reassign(store, finished.tracking, "計量課", actor=officer)
    cases.reply(store, finished.tracking, "已處理", actor=officer)
    cases.close(store, finished.tracking, actor=officer)
    with store.writing() as conn:
        conn.execute(
            schema.cases.update()
            .where(schema.cases.c.tracking == late.tracking)
            .values(due_at=datetime.now(UTC) - timedelta(hours=1))
        )
    counts = cases.open_counts_by_unit(store, datetime.now(UTC))
    assert counts == {late.unit: (2, 1)} and fresh.unit == late.unit


def test_case_records_carry_the_narrative_only_while_consent_stands(store, officer):
    consenting = submit(store, consents={"publish_narrative": True})
    withdrawn = submit(store, consents={"publish_narrative": True})
    silent = submit(store)
    still_open = submit(store, consents={"publish_narrative": True})
    for submitted in (consenting, withdrawn, silent):
        cases.reply(store, submitted.tracking, "已處理", actor=officer)
        cases.close(store, submitted.tracking, actor=officer)
    cases.withdraw_publish_consent(store, withdrawn.tracking, withdrawn.secret)
    records = {case.tracking: case for case in iter_case_records(store.settings)}
    assert set(records) == {t.tracking for t in (consenting, withdrawn, silent, still_open)}
    assert records[consenting.tracking].narrative.startswith("夜市攤販")
    assert records[withdrawn.tracking].narrative is None
    assert records[silent.tracking].narrative is None
    assert records[still_open.tracking].status == "received"
    assert records[silent.tracking].first_replied_at <= records[silent.tracking].due_at
    assert not any(hasattr(case, "contact_email") for case in records.values())


def test_survey_once_after_closing(store, officer):
    submitted = submit(store)
    with pytest.raises(cases.CaseError):
        cases.record_survey(store, submitted.tracking, submitted.secret, 5)
    cases.reply(store, submitted.tracking, "已處理", actor=officer)
    cases.close(store, submitted.tracking, actor=officer)
    cases.record_survey(store, submitted.tracking, submitted.secret, 4, "很快")
    with pytest.raises(cases.CaseError):
        cases.record_survey(store, submitted.tracking, submitted.secret, 1)
    case = cases.get_case(store, submitted.tracking)
    assert cases.get_survey(store, case.id).score == 4


def test_notifiers_hear_of_receipt_reply_and_closing_and_cannot_lose_a_case(store, officer):
    heard = []

    def broken(notification):
        raise ConnectionRefusedError("mail server down")

    store.notifiers.extend([broken, heard.append])
    submitted = submit(store)
    cases.reply(store, submitted.tracking, "已處理", actor=officer)
    cases.close(store, submitted.tracking, actor=officer)
    assert [n.kind for n in heard] == ["received", "replied", "closed"]
    assert heard[0].secret == submitted.secret and heard[1].secret is None
    assert cases.get_case(store, submitted.tracking).status == "closed"


def test_given_routing_is_kept(store):
    draft = parse_submission(valid_case())
    decision = RoutingDecision("市場監督課", 0.91, "test-1", "automatic")
    submitted = cases.submit(store, draft, channel="web", routing=decision)
    case = cases.get_case(store, submitted.tracking)
    assert (case.unit, case.routing_confidence, case.routing_model_version) == (
        "市場監督課", 0.91, "test-1",
    )  # fmt: skip


def test_queue_puts_the_most_urgent_first_and_marks_overdue(store, officer):
    first, second = submit(store), submit(store)
    with store.writing() as conn:
        conn.execute(
            schema.cases.update()
            .where(schema.cases.c.tracking == second.tracking)
            .values(due_at=second.received_at - timedelta(days=1))
        )
    queue = cases.list_queue(store, unit=TRIAGE_UNIT)
    assert [c.tracking for c in queue] == [second.tracking, first.tracking]
    assert queue[0].overdue() and not queue[1].overdue()
    found = {c.tracking for c in cases.search_cases(store, "塑膠玩具")}
    assert found == {first.tracking, second.tracking}


def test_concurrent_submissions_are_all_kept(store):
    with ThreadPoolExecutor(8) as pool:
        submitted = list(pool.map(lambda _: submit(store), range(40)))
    with store.reading() as conn:
        stored = set(conn.execute(select(schema.cases.c.tracking)).scalars())
    assert stored == {s.tracking for s in submitted}


def test_keys_work_until_revoked_and_are_stored_hashed(store):
    key = accounts.create_key(store, "client", "city app")
    found = accounts.authenticate_key(store, key, "client")
    assert found is not None and found.label == "city app"
    assert accounts.authenticate_key(store, key, "volunteer") is None
    with store.reading() as conn:
        assert key not in set(conn.execute(select(schema.api_keys.c.key_hash)).scalars())
    accounts.revoke_key(store, found.id)
    assert accounts.authenticate_key(store, key, "client") is None


def test_staff_passwords_are_argon2_and_checked(store):
    accounts.add_staff(
        store, "wang", "correct horse battery", display_name="王主任", role="admin", unit=None
    )
    assert accounts.authenticate_staff(store, "wang", "correct horse battery").role == "admin"
    assert accounts.authenticate_staff(store, "wang", "wrong password!") is None
    assert accounts.authenticate_staff(store, "nobody", "correct horse battery") is None
    assert accounts.find_account(store, "wang").username == "wang"
    with store.reading() as conn:
        stored = conn.execute(select(schema.accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2")
    with pytest.raises(accounts.AccountError):
        accounts.add_staff(
            store, "wang", "another password", display_name="x", role="admin", unit=None
        )


def test_account_changes_are_audited_and_keep_an_active_admin(store):
    operator = Actor("system", "維運指令")
    root = accounts.add_staff(
        store, "root", "correct horse battery", display_name="管理員", role="admin", unit=None
    )
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.change_account(store, root.id, operator, active=False)
    deputy = accounts.add_staff(
        store, "deputy", "correct horse battery", display_name="副", role="admin", unit=None
    )
    changed = accounts.change_account(
        store, root.id, operator, role="section_staff", unit="計量課", active=False
    )
    assert changed == {
        "role": ["admin", "section_staff"], "unit": [None, "計量課"], "active": [True, False],
    }  # fmt: skip
    after = accounts.get_account(store, root.id)
    assert (after.role, after.unit, after.active) == ("section_staff", "計量課", False)
    assert after.session_generation == root.session_generation + 1
    assert accounts.change_account(store, root.id, operator, active=False) == {}
    with pytest.raises(accounts.AccountError, match="last active admin"):
        accounts.change_account(store, deputy.id, operator, role="supervisor", unit=None)
    [entry] = [e for e in list_audit(store) if e.action == "change_staff"]
    assert entry.actor == "維運指令" and entry.detail["username"] == "root"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(store):
    operator = Actor("system", "維運指令")
    first, second = (
        accounts.add_staff(store, name, "correct horse battery", display_name=name, role="admin",
                           unit=None)
        for name in ("ann", "bob")
    )  # fmt: skip

    def demote(account) -> bool:
        try:
            accounts.change_account(store, account.id, operator, role="supervisor", unit=None)
        except accounts.AccountError:
            return False
        return True

    for _ in range(10):
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(demote, (first, second)))
        assert sorted(outcomes) == [False, True]
        admins = [a for a in accounts.list_accounts(store, "staff") if a.role == "admin"]
        assert len(admins) == 1
        for account in (first, second):  # both admins again for the next round
            accounts.change_account(store, account.id, operator, role="admin", unit=None)


def test_staff_can_enter_a_phone_call_and_the_entry_is_audited(store, officer):
    draft = parse_submission(valid_case(type="inquiry", text="民眾來電詢問計程車計費表檢定時間。"))
    submitted = cases.submit(store, draft, channel="phone", actor=officer)
    case = cases.get_case(store, submitted.tracking)
    assert case.channel == "phone"
    [entry] = list_audit(store, case_id=case.id)
    assert (entry.action, entry.actor, entry.detail) == (
        "enter_case", "陳科員 (chen)", {"channel": "phone"},
    )  # fmt: skip
    with pytest.raises(cases.CaseError):
        cases.submit(store, draft, channel="carrier pigeon")


def test_a_colliding_tracking_number_is_redrawn(store, monkeypatch):
    first = submit(store)
    real = cases.new_tracking_number
    draws = iter([first.tracking])
    monkeypatch.setattr(cases, "new_tracking_number", lambda: next(draws, None) or real())
    second = submit(store)
    assert second.tracking != first.tracking
    assert cases.read_case(store, second.tracking, second.secret).id != first.case_id
    assert cases.read_case(store, first.tracking, first.secret).id == first.case_id


def test_a_new_sqlite_store_is_readable_by_its_owner_only(settings):
    # The store holds citizens' names, addresses and phone numbers: another account on the
    # host must not read it (or its WAL, which SQLite creates with the database's mode).
    previous = os.umask(0o022)
    try:
        opened = open_store(settings)
        try:
            submit(opened)
        finally:
            opened.close()
    finally:
        os.umask(previous)
    database = Path(make_url(settings.database_url).database)
    for path in [database, *database.parent.glob(database.name + "-*")]:
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
