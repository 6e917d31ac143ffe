"""No published value identifies a submitter: every cell of every published database is
searched for the names, e-mail addresses, phone numbers, national IDs and tracking numbers of
everyone who wrote in, and the case list is k-anonymous over its quasi-identifiers."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from feedback_api import cases as service
from tests.cases_open_data.quarter import make_quarter, person
from tests.cases_open_data.store_cases import (
    TAIPEI,
    Person,
    body,
    every_published_text,
    published_rows,
    service_clock,
    submit_at,
)

QUASI_IDENTIFIERS = ("month", "district", "case_type", "product_category")


def test_no_published_value_identifies_a_submitter(settings, store, staff, run_case_datasets):
    made = make_quarter(store, staff)
    run_case_datasets()

    texts = list(every_published_text(settings.published))
    narratives = [row["narrative"] for row in published_rows(settings.published, "citizen_cases")]
    assert sum(n is not None for n in narratives) >= 10  # consented, closed, and scanned here
    for case in made:
        for value in (*case.person.identifiers, case.tracking, case.secret):
            found = [(file, table) for file, table, text in texts if value in text]
            assert not found, f"{value} published in {found}"


def test_case_list_is_k_anonymous_and_a_one_off_case_is_left_out(
    settings, store, staff, run_case_datasets
):
    made = make_quarter(store, staff)
    submit_at(
        store, datetime(2026, 8, 14, 9, 0, tzinfo=TAIPEI),
        body(person(99), case_type="thanks", area="general", district="連江縣南竿鄉",
             text="謝謝貴局協助處理馬祖的檢驗申請。"),
        unit="馬祖辦事處",
    )  # fmt: skip
    results = {result.dataset: result for result in run_case_datasets().results}

    rows = published_rows(settings.published, "citizen_cases")
    assert len(rows) == len(made)  # every case but the one-off
    assert not any(row["district"] and "連江" in row["district"] for row in rows)
    classes = Counter(tuple(row[c] for c in QUASI_IDENTIFIERS) for row in rows)
    assert min(classes.values()) >= 3
    k_anonymity = results["citizen_cases"].k_anonymity
    assert "suppressed 1 of" in k_anonymity, k_anonymity
    stats = published_rows(settings.published, "citizen_case_stats")
    total = {
        r["month"]: r["value"]
        for r in stats
        if r["measure"] == "收件數" and r["dimension"] == "合計"
    }
    assert total["2026-08"] == 12  # the statistics still count it


def test_a_surname_with_the_given_name_jiahao_is_not_published(
    settings, store, staff, run_case_datasets
):
    make_quarter(store, staff)  # two August reports on electrical goods from 中正區 among them
    writer = Person("黃家豪", "jiahao@example.com", "0922-111-333", "A123456789")
    submitted = submit_at(
        store, datetime(2026, 8, 3, 10, 0, tzinfo=TAIPEI),
        body(writer, case_type="report", area="electrical", district="基隆市中正區",
             text="申訴人黃家豪表示，夜市買的延長線沒有商品安全標章。", consent=True),
        unit="電資產品課",
    )  # fmt: skip
    with service_clock(datetime(2026, 8, 3, 15, 0, tzinfo=TAIPEI)):
        service.reply(store, submitted.tracking, "已派員查核。", actor=staff)
        service.close(store, submitted.tracking, actor=staff)
    run_case_datasets()

    narratives = [
        row["narrative"] or "" for row in published_rows(settings.published, "citizen_cases")
    ]
    assert any("夜市買的延長線沒有商品安全標章" in n for n in narratives)  # it is published
    assert not any("黃家豪" in text for _, _, text in every_published_text(settings.published))
