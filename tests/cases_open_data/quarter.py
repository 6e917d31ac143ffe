"""Three months of cases (July to September 2026) made through the feedback service at chosen
moments, each submitter naming themselves in the text, and what each case should publish."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from feedback_api import accounts
from feedback_api import cases as service
from feedback_api.audit import CITIZEN, Actor
from feedback_api.lifecycle import STATUSES
from feedback_api.store import Store
from feedback_api.vocabulary import CASE_TYPES, CHANNELS
from tests.cases_open_data.store_cases import TAIPEI, Person, body, service_clock, submit_at

CASES_PER_MONTH = {7: 10, 8: 11, 9: 12}
TYPES = ("report", "petition", "inquiry")
AREAS = ("electrical", "metrology")
UNITS = ("電資產品課", "計量課", "市場監督課", "秘書室")
REPLY_HOURS = (3, 20, 45, 100, 70)
REFERRED, LEFT_OPEN = 4, 5  # the fifth case of a month is referred, the sixth never answered
SCORES = (5, 4, 5, 3, 5, 5)
SURNAMES = "陳林黃張李王吳劉蔡楊許"
GIVEN_NAMES = ("志明", "淑芬", "建宏", "雅婷", "俊傑", "怡君")
ID_LETTER_VALUES = {"A": 10, "B": 11, "C": 12, "E": 14, "F": 15, "H": 17}


@dataclass
class Made:
    """One case as the test made it: its facts are what the publication is checked against."""

    tracking: str
    secret: str
    person: Person
    received: datetime
    due: datetime
    case_type: str
    channel: str
    area: str
    unit: str
    answered: datetime | None = None
    status: str = "received"
    score: int | None = None
    consent: bool = False

    @property
    def volunteer(self) -> bool:
        return self.channel == "volunteer"


def national_id(letter: str, serial: int) -> str:
    """A checksum-valid Taiwanese national ID (letter, sex digit, 7 digits, check digit)."""
    digits = f"1{serial:07d}"
    tens, ones = divmod(ID_LETTER_VALUES[letter], 10)
    weights = range(8, 0, -1)
    total = tens + 9 * ones + sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return f"{letter}{digits}{(10 - total % 10) % 10}"


def person(number: int) -> Person:
    name = SURNAMES[number % len(SURNAMES)] + GIVEN_NAMES[number % len(GIVEN_NAMES)]
    letters = tuple(ID_LETTER_VALUES)
    return Person(
        name=name,
        email=f"citizen{number:03d}@example.com",
        phone=f"0912-{300 + number:03d}-{500 + number:03d}",
        national_id=national_id(letters[number % len(letters)], 1234000 + number),
    )


def make_quarter(store: Store, staff: Actor) -> list[Made]:
    """Submit and work every case of the three months; return them in order of receipt."""
    volunteer = accounts.add_volunteer(store, "monitor01", display_name="義務監視員")
    made, number = [], 0
    for month, count in CASES_PER_MONTH.items():
        for i in range(count):
            made.append(_make(store, staff, volunteer, month, i, person(number)))
            number += 1
    return made


def _make(store: Store, staff: Actor, volunteer, month: int, i: int, who: Person) -> Made:
    received = datetime(2026, month, 1 + 2 * i, 10, 0, tzinfo=TAIPEI)
    channel = "volunteer" if i % 4 == 1 else ("web", "api")[i % 2]
    case_type, area, unit = TYPES[i % 3], AREAS[i % 2], UNITS[i % 4]
    consent = i % 2 == 0
    text = (
        f"我是{who.name}，身分證字號{who.national_id}，電話{who.phone}，"
        f"電子郵件{who.email}。市場上賣的商品沒有標示，請派員查核。"
    )
    submission = body(
        who, case_type=case_type, area=area, district=("基隆市中正區", "基隆市仁愛區")[i % 2],
        text=text, consent=consent,
    )  # fmt: skip
    submitted = submit_at(
        store, received, submission, unit=unit, channel=channel,
        volunteer_id=volunteer.id if channel == "volunteer" else None,
        actor=volunteer.actor() if channel == "volunteer" else CITIZEN,
    )  # fmt: skip
    case = Made(
        tracking=submitted.tracking, secret=submitted.secret, person=who, received=received,
        due=submitted.due_at, case_type=case_type, channel=channel, area=area, unit=unit,
        consent=consent,
    )  # fmt: skip
    if i == LEFT_OPEN:
        return case
    if i == REFERRED:  # the closing notice is the first answer
        case.answered = received + timedelta(hours=30)
        with service_clock(case.answered):
            service.refer(store, case.tracking, "衛生福利部食品藥物管理署", actor=staff)
        case.status = "referred"
        return case
    case.answered = received + timedelta(hours=REPLY_HOURS[i % len(REPLY_HOURS)])
    with service_clock(case.answered):
        service.reply(store, case.tracking, "已派員查核並通知業者改善。", actor=staff)
    case.status = "replied"
    if i % 5 != 4:
        with service_clock(case.answered + timedelta(hours=1)):
            service.close(store, case.tracking, actor=staff)
        case.status = "closed"
        case.score = SCORES[i % len(SCORES)]
        with service_clock(case.answered + timedelta(hours=2)):
            service.record_survey(store, case.tracking, case.secret, case.score)
    return case


def true_statistics(made: list[Made]) -> dict[tuple, tuple]:
    """(month, measure, dimension, category) → (value, base), computed from the cases the test
    made, before any cell is emptied."""
    figures: dict[tuple, tuple] = {}

    def put(month, measure, dimension, category, value, base):
        figures[(month, measure, dimension, category)] = (value, base)

    by_month = defaultdict(list)
    for case in made:
        by_month[f"{case.received.astimezone(TAIPEI):%Y-%m}"].append(case)
    for month, cases in by_month.items():
        put(month, "收件數", "合計", "合計", len(cases), len(cases))
        breakdowns = {
            "案件類型": Counter(CASE_TYPES[c.case_type][0] for c in cases),
            "受理管道": Counter(CHANNELS[c.channel][0] for c in cases),
            "承辦單位": Counter(c.unit for c in cases),
        }
        for dimension, counts in breakdowns.items():
            for category, count in counts.items():
                put(month, "收件數", dimension, category, count, count)
        days = sorted(
            round((c.answered - c.received).total_seconds() / 86400, 1)
            for c in cases
            if c.answered is not None
        )
        put(month, "已回覆件數", "合計", "合計", len(days), len(days))
        put(
            month,
            "首次回覆天數中位數",
            "合計",
            "合計",
            round(statistics.median(days), 1),
            len(days),
        )
        p90 = days[math.ceil(0.9 * len(days)) - 1]
        put(month, "首次回覆天數第90百分位數", "合計", "合計", p90, len(days))
        # every unanswered case of these months is past its due date by now: late
        on_time = [c.answered is not None and c.answered <= c.due for c in cases]
        share = round(100 * sum(on_time) / len(on_time), 1)
        put(month, "3日內回覆比率", "合計", "合計", share, len(on_time))
        for score, count in Counter(c.score for c in cases if c.score).items():
            put(month, "滿意度", "滿意度", f"{score}分", count, count)
        volunteer = [c for c in cases if c.volunteer]
        put(month, "義務監視員通報數", "合計", "合計", len(volunteer), len(volunteer))
        for outcome, count in Counter(STATUSES[c.status][0] for c in volunteer).items():
            put(month, "義務監視員通報數", "處理結果", outcome, count, count)
    return figures
