"""Three months of cases (July to September 2026) made through the feedback service at chosen
moments, each submitter naming themselves in the text, and what each case should publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from feedback_api import accounts
from feedback_api import cases as service
from feedback_api.audit import CITIZEN, Actor
from feedback_api.store import Store
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
