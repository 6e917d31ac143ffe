"""Citizen cases from the feedback store as source rows of the published case list
(dataset ``citizen_cases``), and the timing rules the case list and the statistics share.

A row carries what the public may know of a case: the day it was received (published as its
month), channel, type, product category, responsible section and status as zh-TW labels, the
district, days to the first answer, whether that answer came within the 3-day target, and
the satisfaction score. The case is named by a pseudonym: ``C`` and the keyed HMAC of its
tracking number (the ``pseudonym`` rule's value; the letter keeps a pseudonym that starts
with ``02…`` from reading as a phone number), so the tracking number never leaves this
module; contact data never reach it.

The narrative follows the CFPB practice: it is handed on only when the case is finished and
the submitter's consent to publication stands (the store withholds it once withdrawn), and
the definition's ``scrub`` rule removes personal data from it before it is written.

Timing: the first answer is the first staff reply, or, for a case finished without a reply
(marked duplicate, referred to another agency), its closing notice. A case is within target
when answered by its due date (3 working days on the branch's calendar, which the feedback
service counts when the case arrives and again when the operator declares a day: national
holidays and declared typhoon days are not working days, see feedback_api.deadlines); a case
still unanswered after its due date is late; one still unanswered before its due date has no
verdict yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from feedback_api.lifecycle import FINISHED_STATUSES, STATUSES
from feedback_api.store import CaseRecord
from feedback_api.vocabulary import CASE_TYPES, CHANNELS, PRODUCT_AREAS, label
from ingest.deid.rules import pseudonym

TAIPEI = ZoneInfo("Asia/Taipei")
SECONDS_PER_DAY = 86_400


def first_answer_at(case: CaseRecord) -> datetime | None:
    """When the citizen first heard back: the first reply, else the closing of a finished case."""
    if case.first_replied_at is not None:
        return case.first_replied_at
    return case.closed_at if case.status in FINISHED_STATUSES else None


def days_to_first_answer(case: CaseRecord) -> float | None:
    """Elapsed days (one decimal) from receipt to the first answer; None while unanswered."""
    answered = first_answer_at(case)
    if answered is None:
        return None
    return round((answered - case.received_at).total_seconds() / SECONDS_PER_DAY, 1)


def within_target(case: CaseRecord, now: datetime) -> bool | None:
    """Answered by the due date; False when late (answered or not); None while not yet due."""
    answered = first_answer_at(case)
    if answered is not None:
        return answered <= case.due_at
    return False if now > case.due_at else None


def received_month(case: CaseRecord) -> str:
    """The month of receipt on the Taipei calendar, as ``YYYY-MM``."""
    return f"{case.received_at.astimezone(TAIPEI):%Y-%m}"


def case_pseudonym(tracking: str, key: bytes) -> str:
    """The published name of a case: stable across runs, not reversible without ``key``."""
    return f"C{pseudonym(tracking, key)}"


def case_rows(cases: Iterable[CaseRecord], now: datetime, key: bytes) -> Iterator[dict]:
    """One source row per case, keyed by the source names of ``datasets/citizen_cases.yml``."""
    for case in cases:
        publishable = case.status in FINISHED_STATUSES and case.narrative is not None
        on_time = within_target(case, now)
        yield {
            "case_id": case_pseudonym(case.tracking, key),
            "received_on": case.received_at.astimezone(TAIPEI).date().isoformat(),
            "channel": label(CHANNELS, case.channel),
            "case_type": label(CASE_TYPES, case.case_type),
            "product_area": label(PRODUCT_AREAS, case.product_area),
            "unit": case.unit,
            "status": label(STATUSES, case.status),
            "district": case.district,
            "days_to_first_reply": days_to_first_answer(case),
            "within_target": None if on_time is None else int(on_time),
            "satisfaction": case.satisfaction,
            "narrative": case.narrative if publishable else None,
        }
