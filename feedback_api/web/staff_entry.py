"""Cases staff enter for citizens who phoned, wrote or e-mailed: the citizen form's fields
plus the channel, routed and audited like any case; the page then shows the tracking number
and the secret for the caller (shown this once).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from feedback_api import cases
from feedback_api.mail import status_link
from feedback_api.vocabulary import CHANNELS, STAFF_CHANNELS
from feedback_api.web.citizen_form import (
    case_field_choices,
    check_submission,
    form_values,
    in_form_order,
    uploaded_files,
)
from feedback_api.web.labels import ROUTING_METHODS
from feedback_api.web.staff_access import StaffRequest, staff_page
from publish.i18n import ZH


def _new_case_page(
    staff: StaffRequest, values: dict, errors: dict, status_code: int = 200
) -> Response:
    context = {
        **case_field_choices(ZH),
        "nav": "new",
        "values": values,
        "errors": errors,
        "channels": [(code, CHANNELS[code][0]) for code in STAFF_CHANNELS],
        "reply_days": staff.web.settings.reply_days,
    }
    return staff_page(staff, "staff/new_case.html", context, status_code)


async def new_case_form(staff: StaffRequest) -> Response:
    return _new_case_page(staff, {"channel": "phone"}, {})


async def enter_case(staff: StaffRequest) -> Response:
    values = {**form_values(staff.form), "channel": staff.field("channel")}
    draft, prepared, field_errors = await check_submission(
        values, await uploaded_files(staff.form), ZH
    )
    errors = {}
    if values["channel"] not in STAFF_CHANNELS:
        errors["channel"] = "請選擇案件來源：電話、書信或電子郵件"
    errors.update(in_form_order(field_errors))
    if errors:
        return _new_case_page(staff, values, errors, 400)
    submitted = await run_in_threadpool(
        cases.submit, staff.web.store, draft, channel=values["channel"], actor=staff.actor,
        attachments=prepared,
    )  # fmt: skip
    case = await run_in_threadpool(cases.get_case, staff.web.store, submitted.tracking)
    context = {
        "case": case,
        "secret": submitted.secret,
        "status_url": status_link(staff.web.settings, case.tracking, submitted.secret),
        "lookup_url": staff.web.settings.public_url.rstrip("/") + "/feedback/status",
        "routing_label": ROUTING_METHODS.get(case.routing_method, case.routing_method),
        "nav": "new",
    }
    return staff_page(staff, "staff/entered.html", context)
