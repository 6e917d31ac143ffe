"""Operators declare the branch's own days off (a typhoon day, 停止上班) and extra working days
with ``kaifang calendar``; due dates already given and new ones count them at once, and a
declaration that is malformed or changes nothing is refused in one line. ``kaifang calendar
list`` shows a year's calendar as the service counts it."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from feedback_api import cases
from feedback_api.deadlines import TAIPEI
from feedback_api.store import open_store
from feedback_api.validation import parse_submission
from kaifang.cli import main
from kaifang.settings import load_settings
from tests.cases_open_data.store_cases import service_clock
from tests.feedback.payloads import valid_case


def kaifang(*args: str):
    return CliRunner().invoke(main, list(args))


def at(*when: int) -> datetime:
    return datetime(*when, tzinfo=TAIPEI)


@pytest.fixture
def cli_store(backend_settings, monkeypatch):
    """The store the kaifang command opens: SQLite, or the tests' PostgreSQL database."""
    monkeypatch.setenv("KAIFANG_DATABASE_URL", backend_settings.database_url)
    store = open_store(load_settings().ensure_dirs())
    yield store
    store.close()


def submit_at(store, moment: datetime) -> str:
    with service_clock(moment):
        return cases.submit(store, parse_submission(valid_case()), channel="api").tracking


def due(store, tracking: str) -> datetime:
    return cases.get_case(store, tracking).due_at


def test_a_typhoon_day_moves_the_due_dates_it_falls_in(cli_store):
    friday = submit_at(cli_store, at(2026, 10, 30, 15))  # due Wednesday 4 November, 15:00
    monday = submit_at(cli_store, at(2026, 11, 2, 9))  # due Thursday 5 November, 09:00
    earlier = submit_at(cli_store, at(2026, 10, 27, 9))  # due Friday 30 October: untouched

    declared = kaifang("calendar", "close", "2026-11-04", "--reason", "颱風停止上班")

    assert declared.exit_code == 0, declared.output
    assert "2026-11-04 Wed declared a day off; 2 case(s) have a new due date" in declared.output
    assert due(cli_store, friday) == at(2026, 11, 5, 15)
    assert due(cli_store, monday) == at(2026, 11, 6, 9)
    assert due(cli_store, earlier) == at(2026, 10, 30, 9)
    # received the day before the typhoon: Thursday, Friday, Monday
    assert due(cli_store, submit_at(cli_store, at(2026, 11, 3, 10))) == at(2026, 11, 9, 10)
    listed = kaifang("calendar", "list", "2026").output
    assert "2026-11-04 Wed\tday off\tdeclared: 颱風停止上班" in listed

    withdrawn = kaifang("calendar", "withdraw", "115/11/04")  # ROC dates are accepted too

    assert withdrawn.exit_code == 0, withdrawn.output
    assert "3 case(s) have a new due date" in withdrawn.output
    assert due(cli_store, friday) == at(2026, 11, 4, 15)
    assert due(cli_store, monday) == at(2026, 11, 5, 9)


def test_an_extra_working_saturday_brings_due_dates_forward(cli_store):
    friday = submit_at(cli_store, at(2026, 11, 6, 15))  # due Wednesday 11 November, 15:00

    declared = kaifang("calendar", "open", "2026-11-07", "--reason", "補行上班")

    assert declared.exit_code == 0, declared.output
    assert due(cli_store, friday) == at(2026, 11, 10, 15)  # Saturday, Monday, Tuesday


def test_the_list_shows_the_weekdays_off_and_the_working_weekend_days(cli_store):
    listed = kaifang("calendar", "list", "2025").output.splitlines()
    assert listed[:3] == [
        "2025-01-01 Wed\tday off\tFounding Day of the Republic of China",
        "2025-01-27 Mon\tday off\tDay off (substituted from 02/08/2025)",
        "2025-01-28 Tue\tday off\tChinese New Year's Eve",
    ]
    assert "2025-02-08 Sat\tworking day\tmake-up working day" in listed
    assert "2025-05-30 Fri\tday off\tDragon Boat Festival (observed)" in listed
    assert not [line for line in listed if line.startswith("2025-05-31")]  # a Saturday anyway


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("close", "2026-02-30"), "'2026-02-30' is not a real date"),
        (("close", "next Tuesday"), "'next Tuesday' is not a date (expected e.g. 112/03/15"),
        (("close", "0206-08-12"), "'0206-08-12' is outside the years kaifang knows"),
        (("close", "2026-02-17"), "2026-02-17 is a day off on Taiwan's official calendar"),
        (("open", "2026-11-04"), "2026-11-04 is a working day on Taiwan's official calendar"),
        (("withdraw", "2026-11-04"), "2026-11-04 has no declaration to withdraw"),
    ],
)
def test_a_declaration_that_is_malformed_or_changes_nothing_is_refused(cli_store, args, says):
    monday = submit_at(cli_store, at(2026, 11, 2, 9))

    refused = kaifang("calendar", *args)

    assert refused.exit_code == 1
    assert refused.output.splitlines() == [refused.output.strip()]  # one line, no traceback
    assert refused.output.startswith("Error: ") and says in refused.output
    assert "declared" not in kaifang("calendar", "list", "2026").output
    assert due(cli_store, monday) == at(2026, 11, 5, 9)
