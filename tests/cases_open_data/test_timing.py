"""Days to the first reply count from the first answer the citizen got: a later reply, after
staff reopened the case, does not move it. The reply target counts the branch's working days:
a declared typhoon day is not held against staff."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from feedback_api import cases as service
from feedback_api.declared_days import CLOSED, declare_day
from tests.cases_open_data.quarter import person
from tests.cases_open_data.store_cases import (
    TAIPEI,
    body,
    published_rows,
    service_clock,
    submit_at,
)


def test_a_second_reply_does_not_move_the_first(settings, store, staff, run_case_datasets):
    received = datetime(2026, 6, 1, 9, 0, tzinfo=TAIPEI)  # a Monday
    for number in range(3):  # three alike, so k-anonymity keeps them
        submitted = submit_at(
            store, received,
            body(person(number), case_type="inquiry", area="metrology", district="基隆市信義區",
                 text="菜市場的磅秤可以自己拿去校正嗎？"),
            unit="計量課",
        )  # fmt: skip
        with service_clock(received + timedelta(hours=6)):
            service.reply(store, submitted.tracking, "可以送本局檢定。", actor=staff)
        with service_clock(received + timedelta(days=6)):
            service.start_work(store, submitted.tracking, actor=staff)
            service.reply(store, submitted.tracking, "補充：檢定費用另計。", actor=staff)
            service.close(store, submitted.tracking, actor=staff)

    run_case_datasets()

    rows = published_rows(settings.published, "citizen_cases")
    assert [(r["days_to_first_reply"], r["within_target"]) for r in rows] == [(0.2, 1)] * 3


def test_a_reply_after_a_typhoon_day_is_within_the_target(
    settings, store, staff, run_case_datasets
):
    received = datetime(2026, 6, 1, 9, 0, tzinfo=TAIPEI)  # a Monday: due Thursday at 09:00
    replied = datetime(2026, 6, 4, 15, 0, tzinfo=TAIPEI)  # Thursday afternoon
    trackings = [
        submit_at(
            store, received,
            body(person(number), case_type="inquiry", area="metrology", district="基隆市信義區",
                 text="菜市場的磅秤可以自己拿去校正嗎？"),
            unit="計量課",
        ).tracking
        for number in range(3)  # three alike, so k-anonymity keeps them
    ]  # fmt: skip
    # the city closes its offices on Wednesday, announced on Tuesday evening
    declare_day(store, date(2026, 6, 3), CLOSED, "颱風停止上班", staff)
    with service_clock(replied):
        for tracking in trackings:
            service.reply(store, tracking, "可以送本局檢定。", actor=staff)

    run_case_datasets()

    rows = published_rows(settings.published, "citizen_cases")
    assert [r["within_target"] for r in rows] == [1] * 3
