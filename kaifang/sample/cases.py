"""A year of citizen cases in the feedback store, made through the feedback service's own functions.

Mailbox messages, tips and volunteer monitors' reports at the seed-figure volumes are
submitted with `feedback_api.cases.submit` (so the classifier, or triage, routes them) and
then worked as staff would: reassigned when misrouted, assigned, noted, answered (most within
the 3-day target, some late), closed, marked duplicate or referred, and answered in the
satisfaction survey; a few consents to publication are withdrawn. Actions that would fall
after the export moment (2 January of the next year) are not taken, so the last cases of the
year are still open.

The service reads the time through `feedback_api.cases._now`; `_service_clock` sets it to
each action's moment of the sample year while that action runs (single-threaded use only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

from sqlalchemy import event, func, select

from feedback_api import accounts, schema
from feedback_api import cases as service
from feedback_api.accounts import Account
from feedback_api.audit import CITIZEN, Actor
from feedback_api.store import Store, open_store
from feedback_api.triage import UNITS
from feedback_api.validation import parse_submission
from kaifang.sample.calendar import YearCalendar
from kaifang.sample.case_texts import (
    AGENCY_NOTES,
    MAILBOX,
    TEMPLATES,
    TIP,
    VOLUNTEER,
    Message,
    Template,
    compose,
    email_address,
    internal_note,
    reply_text,
)
from kaifang.sample.people import landline, mobile, person_name
from kaifang.sample.rng import SampleRandom
from kaifang.settings import Settings

TAIPEI = dt.timezone(dt.timedelta(hours=8))
SEED_CASES = {MAILBOX: 920, TIP: 920, VOLUNTEER: 94}
SEED_VOLUNTEERS = 90
UNIT_CODES = dict(
    zip(
        UNITS,
        ("elec", "mech", "chem", "metro", "cert", "market", "secr", "wudu", "suao", "matsu"),
        strict=True,
    )
)
MAILBOX_CHANNELS = (("web", 70), ("email", 18), ("api", 6), ("letter", 6))
TIP_CHANNELS = (("web", 55), ("phone", 22), ("open311", 10), ("email", 8), ("letter", 5))
STAFF_CHANNELS = ("phone", "letter", "email")
SURVEY_SCORES = ((5, 60), (4, 33), (3, 7))  # the branch reported no dissatisfied answer
SURVEY_COMMENTS = (
    "承辦人員很有耐心",
    "回覆很快，謝謝",
    "說明清楚",
    "希望能更快處理",
    None,
    None,
    None,
)


@dataclass
class CasesReport:
    """What `write_sample_cases` did; `skipped` says why nothing was written, if so."""

    submitted: Counter = field(default_factory=Counter)  # by kind
    events: Counter = field(default_factory=Counter)  # reassigned, replied, late_reply, closed …
    volunteers: int = 0
    skipped: str | None = None


@dataclass(frozen=True)
class _Earlier:
    tracking: str
    writer: str
    template: Template
    kind: str


@dataclass(frozen=True)
class _Step:
    """One staff action on a case: the event it counts as and the service call."""

    event: str
    action: Callable[..., object]
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class _Plan:
    """One case's life, drawn before it is submitted."""

    kind: str
    received: dt.datetime
    template: Template
    channel: str
    writer: str
    anonymous: bool
    consent: bool
    duplicate: bool
    late: bool


def write_sample_cases(
    settings: Settings, *, roc_year: int = 112, scale: float = 1.0, seed: int = 1
) -> CasesReport:
    """Create a year of cases in the store of `settings`, only if the store has no case yet:
    sample cases must never mix with real ones."""
    calendar = YearCalendar(roc_year)
    store = open_store(settings)
    try:
        with store.reading() as conn:
            existing = conn.execute(select(func.count()).select_from(schema.cases)).scalar_one()
        if existing:
            return CasesReport(
                skipped=f"the feedback store already holds {existing} cases; "
                "sample cases go only into an empty store"
            )
        with _bulk_loading(store):
            return _Year(store, calendar, scale, SampleRandom(f"{seed}:{roc_year}:cases")).run()
    finally:
        store.close()


@contextlib.contextmanager
def _bulk_loading(store: Store) -> Iterator[None]:
    """On SQLite, skip the per-commit fsync while the sample is written (one sync at the end).

    The store syncs every commit so that no citizen's case is ever lost; a sample that a
    crash interrupts is simply written again, and fsyncing thousands of commits would take
    minutes.
    """
    if store.engine.dialect.name != "sqlite":
        yield
        return

    def unsynced(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    event.listen(store.engine, "connect", unsynced)
    store.engine.dispose()  # new connections get the pragma
    try:
        yield
    finally:
        event.remove(store.engine, "connect", unsynced)
        store.engine.dispose()
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")


@contextlib.contextmanager
def _service_clock(moment: dt.datetime) -> Iterator[None]:
    """The feedback service believes it is `moment` while the block runs."""
    with mock.patch.object(service, "_now", lambda: moment.astimezone(dt.UTC)):
        yield


class _Year:
    """Submitting and working the cases of one year, in order of receipt."""

    def __init__(self, store: Store, calendar: YearCalendar, scale: float, rng: random.Random):
        self.store, self.calendar, self.rng = store, calendar, rng
        self.scale = scale
        self.cutoff = dt.datetime(calendar.year + 1, 1, 2, 8, 0, tzinfo=TAIPEI)
        self.report = CasesReport()
        self.staff = {unit: self._staff(unit) for unit in UNITS}
        self.earlier: list[_Earlier] = []  # cases a later one may repeat

    def run(self) -> CasesReport:
        volunteers = self._volunteers(max(1, round(SEED_VOLUNTEERS * self.scale)))
        self.report.volunteers = len(volunteers)
        plans = sorted(self._plans(), key=lambda plan: plan.received)
        reports = [p for p in plans if p.kind == VOLUNTEER]
        reporter = {id(p): volunteers[i % len(volunteers)] for i, p in enumerate(reports)}
        for plan in plans:
            self._live(plan, reporter.get(id(plan)))
        return self.report

    # --- accounts ---------------------------------------------------------------------------

    def _staff(self, unit: str) -> Account:
        """The unit's sample staff member (who cannot log in: the password is never shown)."""
        username = f"sample-{UNIT_CODES[unit]}"
        return accounts.find_account(self.store, username) or accounts.add_staff(
            self.store,
            username,
            secrets.token_urlsafe(24),
            display_name=person_name(self.rng),
            role="section_staff",
            unit=unit,
        )

    def _volunteers(self, count: int) -> list[Account]:
        return [
            accounts.find_account(self.store, f"volunteer{n:03d}")
            or accounts.add_volunteer(
                self.store, f"volunteer{n:03d}", display_name=person_name(self.rng)
            )
            for n in range(1, count + 1)
        ]

    # --- planning ---------------------------------------------------------------------------

    def _plans(self) -> Iterator[_Plan]:
        for kind, seed_count in SEED_CASES.items():
            count = round(seed_count * self.scale)
            templates = [t for t in TEMPLATES if t.kind == kind]
            duplicates = set(self._pick(count, 0.03)) if kind != VOLUNTEER else set()
            late = set(self._pick(count, 0.06))
            consent = set(self.rng.sample(range(count), round(count * 0.3)))
            referral_templates = [t for t in templates if t.referral]
            referrals = set(self._pick(count, 0.03)) if referral_templates else set()
            for index in range(count):
                if index in referrals:
                    template = self.rng.choice(referral_templates)
                else:
                    template = self.rng.choice([t for t in templates if not t.referral])
                yield _Plan(
                    kind=kind,
                    received=self._received(kind),
                    template=template,
                    channel=self._channel(kind),
                    writer=person_name(self.rng),
                    anonymous=kind != VOLUNTEER and self.rng.random() < 0.15,
                    consent=index in consent,
                    duplicate=index in duplicates,
                    late=index in late,
                )

    def _pick(self, count: int, share: float) -> list[int]:
        """A share of the indices, at least one when there are twenty or more."""
        wanted = round(count * share) or (1 if count >= 20 else 0)
        return self.rng.sample(range(count), wanted)

    def _channel(self, kind: str) -> str:
        if kind == VOLUNTEER:
            return "volunteer"
        options = MAILBOX_CHANNELS if kind == MAILBOX else TIP_CHANNELS
        return self.rng.choices([c for c, _ in options], [w for _, w in options])[0]

    def _received(self, kind: str) -> dt.datetime:
        day = self.rng.choice(self.calendar.days)
        hour = self.rng.uniform(7, 23) if kind != VOLUNTEER else self.rng.uniform(9, 20)
        return dt.datetime(day.year, day.month, day.day, tzinfo=TAIPEI) + dt.timedelta(hours=hour)

    def _office_time(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself in office hours, else the next working morning."""
        local = moment.astimezone(TAIPEI)
        if self._working(local.date()) and 8.5 <= local.hour + local.minute / 60 < 17.5:
            return local
        day = local.date() + dt.timedelta(days=0 if local.hour < 8 else 1)
        while not self._working(day):
            day += dt.timedelta(days=1)
        start = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI)
        return start + dt.timedelta(minutes=self.rng.randrange(0, 120))

    def _working(self, day: dt.date) -> bool:
        """A working day of the year (its calendar), or a weekday after it."""
        if day.year == self.calendar.year:
            return day in self.calendar.working_day_set
        return day.weekday() < 5

    # --- one case ---------------------------------------------------------------------------

    def _live(self, plan: _Plan, volunteer: Account | None) -> None:
        """Submit one case, then work it as far as the export moment allows."""
        original = self._original(plan)
        writer = original.writer if original else plan.writer
        message = compose(self.rng, original.template if original else plan.template, writer)
        received, submitted = self._submit(plan, message, writer, volunteer)
        if original is None:
            self.earlier.append(_Earlier(submitted.tracking, writer, message.template, plan.kind))
        finish = self._finish_time(received, submitted.due_at, plan.late)
        steps = self._handling(plan, message, submitted, original, writer)
        fractions = sorted(self.rng.uniform(0.05, 0.9) for _ in steps[:-1]) + [1.0]
        for step, fraction in zip(steps, fractions, strict=True):
            moment = received + (finish - received) * fraction
            if not self._act(moment, step.event, step.action, *step.args, **step.kwargs):
                return
        if steps[-1].event == "replied":
            if finish > submitted.due_at:
                self.report.events["late_reply"] += 1
            self._after_reply(plan, submitted, self.staff[message.unit].actor(), finish)

    def _submit(
        self, plan: _Plan, message: Message, writer: str, volunteer: Account | None
    ) -> tuple[dt.datetime, service.Submitted]:
        """The submission, by the citizen, the volunteer, or staff entering a call or letter."""
        received = plan.received
        staff_channel = plan.channel in STAFF_CHANNELS
        if staff_channel:  # entered by staff in office hours, within the year
            entered = self._office_time(received)
            received = entered if entered.year == self.calendar.year else received
        payload = self._payload(plan, message, writer)
        draft = parse_submission(payload, structured_product=volunteer is not None)
        if volunteer is not None:
            actor = volunteer.actor()
        else:
            actor = self.staff["秘書室"].actor() if staff_channel else CITIZEN
        with _service_clock(received):
            submitted = service.submit(
                self.store,
                draft,
                channel=plan.channel,
                actor=actor,
                volunteer_id=volunteer.id if volunteer else None,
            )
        self.report.submitted[plan.kind] += 1
        return received, submitted

    def _handling(
        self,
        plan: _Plan,
        message: Message,
        submitted: service.Submitted,
        original: _Earlier | None,
        writer: str,
    ) -> list[_Step]:
        """Staff actions up to the answer: the last one replies, refers or marks a duplicate."""
        tracking, unit = submitted.tracking, message.unit
        handler = self.staff[unit].actor()
        known_writer = None if plan.anonymous else writer
        steps = []
        if submitted.unit != unit:
            mover = self.staff[submitted.unit].actor()
            steps.append(_Step("reassigned", service.reassign, (tracking, unit),
                               {"actor": mover, "reason": "非本單位業務，改分"}))  # fmt: skip
        if original:
            return steps + [
                _Step(
                    "duplicate",
                    service.mark_duplicate,
                    (tracking, original.tracking),
                    {"actor": handler},
                )  # fmt: skip
            ]
        steps.append(_Step("assigned", service.assign, (tracking,),
                           {"actor": handler, "assignee_id": self.staff[unit].id}))  # fmt: skip
        if self.rng.random() < 0.6:
            steps.append(_Step("in_progress", service.start_work, (tracking,), {"actor": handler}))
        if self.rng.random() < 0.25:
            note = internal_note(self.rng, known_writer)
            steps.append(_Step("note", service.add_note, (tracking, note), {"actor": handler}))
        if plan.template.referral:
            steps.append(_Step("referred", service.refer, (tracking, plan.template.referral),
                               {"actor": handler, "note": self.rng.choice(AGENCY_NOTES)}))  # fmt: skip
        else:
            answer = reply_text(self.rng, message, known_writer)
            steps.append(_Step("replied", service.reply, (tracking, answer), {"actor": handler}))
        return steps

    def _after_reply(
        self, plan: _Plan, submitted: service.Submitted, handler: Actor, replied: dt.datetime
    ) -> None:
        """Closing, the citizen's survey and, rarely, a withdrawn consent to publish."""
        rng, tracking, secret = self.rng, submitted.tracking, submitted.secret
        moment = self._office_time(replied + dt.timedelta(days=rng.uniform(1, 5)))
        if not self._act(moment, "closed", service.close, tracking, actor=handler):
            return
        if rng.random() < 0.45:
            moment += dt.timedelta(hours=rng.uniform(3, 150))
            score = rng.choices([s for s, _ in SURVEY_SCORES], [w for _, w in SURVEY_SCORES])[0]
            self._act(moment, "survey", service.record_survey, tracking, secret, score,
                      rng.choice(SURVEY_COMMENTS))  # fmt: skip
        if plan.consent and rng.random() < 0.03:
            moment += dt.timedelta(days=rng.uniform(1, 20))
            self._act(
                moment, "consent_withdrawn", service.withdraw_publish_consent, tracking, secret
            )

    def _finish_time(self, received: dt.datetime, due: dt.datetime, late: bool) -> dt.datetime:
        """When staff answer: in office hours within the target, or days after it when late."""
        if late:
            answered = self._office_time(received + dt.timedelta(days=self.rng.uniform(3.3, 10)))
            return max(answered, due + dt.timedelta(hours=self.rng.uniform(2, 30)))
        answered = self._office_time(received + dt.timedelta(days=self.rng.uniform(0.05, 1.5)))
        if answered < due:
            return answered
        return max(
            received + (due - received) * 0.5, due - dt.timedelta(hours=self.rng.uniform(1, 6))
        )

    def _act(self, moment: dt.datetime, event: str, action, *args, **kwargs) -> bool:
        """Run one service action at `moment`; False (nothing done) after the export moment."""
        if moment > self.cutoff:
            return False
        with _service_clock(moment):
            action(self.store, *args, **kwargs)
        self.report.events[event] += 1
        return True

    def _original(self, plan: _Plan) -> _Earlier | None:
        """For a duplicate, a recent case of the same kind that its writer sends again."""
        if not plan.duplicate:
            return None
        recent = [e for e in self.earlier[-60:] if e.kind == plan.kind]
        return self.rng.choice(recent) if recent else None

    def _payload(self, plan: _Plan, message: Message, writer: str) -> dict:
        """The submission as the API, the form or a staff member would send it."""
        rng = self.rng
        place = message.place
        payload: dict = {
            "type": plan.template.case_type,
            "text": message.text,
            "product_area": message.product_area,
            "place": {"district": f"{place.county}{place.district}"},
            "consents": {"publish_narrative": plan.consent},
        }
        if rng.random() < 0.4 or plan.kind == VOLUNTEER:
            payload["place"]["address"] = place.text
        if plan.kind == VOLUNTEER or plan.template.unit in ("product", "市場監督課"):
            product: dict = {"name": message.product}
            if message.online:
                product["online_url"] = (
                    f"https://shopee.tw/product/{rng.randrange(10**7)}/{rng.randrange(10**9)}"
                )
            else:
                product["shop"] = f"{message.shop}（{place.county}{place.district}）"
            product["safety_mark"] = (
                "no" if plan.kind == VOLUNTEER else rng.choice(("no", "unknown", "yes"))
            )
            payload["product"] = product
        if not plan.anonymous:
            number = (
                mobile(rng)
                if rng.random() < 0.75
                else landline(rng, place.area_code, extension=False)
            )
            contact = {"name": writer, "phone": number}
            if rng.random() < 0.6:
                contact["email"] = email_address(rng)
                payload["consents"]["reply_by_email"] = rng.random() < 0.7
            payload["contact"] = contact
        return payload
