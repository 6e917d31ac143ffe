"""A case taken through its whole life — photo, reassignment, note, reply, closing, survey —
with its citizen's name, phone, ID and address in the texts: for the retention tests."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from PIL import Image

from feedback_api import cases
from feedback_api.attachments import prepare
from feedback_api.audit import Actor
from feedback_api.validation import parse_submission
from tests.cases_open_data.store_cases import service_clock
from tests.feedback.payloads import valid_case

OFFICER = Actor("staff", "陳科員 (chen)")
PERSONAL = ("王小明", "0912-345-678", "ming@example.com", "A123456789", "愛一路12號")


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, "JPEG")
    return out.getvalue()


def handled_case(store, received: datetime, *, close: bool = True) -> str:
    """A case that went all the way: photo, reassignment, note, reply, closing, survey —
    with the citizen's name, phone and ID in the texts."""
    body = valid_case(
        text="我是王小明，身分證A123456789，電話0912-345-678，住基隆市仁愛區愛一路12號，買到沒有標章的延長線。",
        place={"district": "基隆市仁愛區", "address": "基隆市仁愛區愛一路12號"},
    )
    with service_clock(received):
        submitted = cases.submit(
            store, parse_submission(body), channel="web",
            attachments=prepare([("receipt.jpg", photo())]),
        )  # fmt: skip
    tracking = submitted.tracking
    with service_clock(received + timedelta(hours=2)):
        cases.reassign(store, tracking, "電資產品課", actor=OFFICER)
        cases.add_note(store, tracking, "已致電王小明 0912-345-678 確認購買地點。", actor=OFFICER)
        cases.reply(store, tracking, "王小明先生您好，已派員查核。", actor=OFFICER)
        if close:
            cases.close(store, tracking, actor=OFFICER)
    if close:
        with service_clock(received + timedelta(hours=3)):
            cases.record_survey(store, tracking, submitted.secret, 5, "謝謝，我是王小明。")
    return tracking
