"""The fields of a case form (the citizen form, and staff entering a phone call or letter):
their choices, turning the posted form into the submission the cases service validates, and
the service's error field names back into the form's field ids.

The form's own rules (on top of :func:`feedback_api.validation.parse_submission`): a citizen
either ticks "anonymous" or leaves a name and a way to reach them, never half of each.
Choices and errors come in the page's language (zh-TW, or English on a citizen's request).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from feedback_api import attachments as attachment_files
from feedback_api.attachments import MAX_FILE_BYTES, MAX_FILES
from feedback_api.validation import TEXT_MAX, CaseDraft, ValidationError, parse_submission
from feedback_api.vocabulary import CASE_TYPES, SAFETY_MARK
from feedback_api.web.citizen_language import message_translator
from feedback_api.web.labels import message_part
from publish.i18n import pick

TEXT_FIELDS = (
    "case_type",
    "text",
    "product_name",
    "product_brand",
    "product_model",
    "sold_at_shop",
    "sold_online_url",
    "purchase_date",
    "safety_mark",
    "district",
    "contact_name",
    "contact_email",
    "contact_phone",
)
CHECKBOXES = ("anonymous", "consent_reply_email", "consent_publish")
HONEYPOT_FIELD = "website"

CASE_TYPE_HINTS: dict[str, tuple[str, str]] = {
    "petition": ("對本分局業務的陳情或意見", "A petition or opinion about our work"),
    "report": (
        "檢舉未貼商品安全標章、標示不實或不安全的商品，或度量衡器不準",
        "Report a product without the Commodity Safety Mark, wrongly labelled or unsafe,"
        " or a scale or meter that is not accurate",
    ),
    "inquiry": (
        "詢問檢驗、報驗、標準或計量等規定",
        "Ask about the rules on inspection, applications, standards or metrology",
    ),
    "suggestion": ("對本分局服務的改進建議", "How we could improve our service"),
    "thanks": ("感謝同仁的協助", "Thank our staff for their help"),
}


def case_field_choices(language: str) -> dict:
    """The choices and limits the case fields show, labelled in ``language``."""
    return {
        "case_types": [
            (code, pick(language, *labels), pick(language, *CASE_TYPE_HINTS[code]))
            for code, labels in CASE_TYPES.items()
        ],
        "safety_mark_choices": [
            (code, pick(language, *labels)) for code, labels in SAFETY_MARK.items()
        ],
        "max_text": TEXT_MAX,
        "max_files": MAX_FILES,
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
    }


# The service's field names (feedback_api.validation) → this form's field ids.
FIELD_IDS = {
    "type": "case_type",
    "text": "text",
    "product.name": "product_name",
    "product.brand": "product_brand",
    "product.model": "product_model",
    "product.shop": "sold_at_shop",
    "product.online_url": "sold_online_url",
    "product.purchase_date": "purchase_date",
    "product.safety_mark": "safety_mark",
    "place.district": "district",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "contact.phone": "contact_phone",
    "consents.reply_by_email": "consent_reply_email",
}


def form_values(form: FormData) -> dict[str, str]:
    """What the citizen typed and ticked, to fill the form in again after an error."""
    values = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    values.update({name: "yes" for name in CHECKBOXES if form.get(name)})
    return values


def field_id(service_field: str) -> str:
    """The form field an error of the service belongs to (``attachments[2]`` → attachments)."""
    if service_field.startswith("attachments"):
        return "attachments"
    return FIELD_IDS.get(service_field, "text")


def contact_errors(values: dict[str, str], language: str) -> dict[str, str]:
    """Anonymous means no contact details; otherwise a name and an e-mail or phone are needed."""
    _ = message_translator(language)
    has_contact = any(values[name] for name in ("contact_name", "contact_email", "contact_phone"))
    if values.get("anonymous"):
        if has_contact:
            return {
                "contact_name": _(
                    "You ticked anonymous: please clear your name and contact details,"
                    " or untick “I want to stay anonymous”"
                )
            }
        return {}
    errors = {}
    if not values["contact_name"]:
        errors["contact_name"] = _("Please enter your name, or tick “I want to stay anonymous”")
    if not values["contact_email"] and not values["contact_phone"]:
        errors["contact_email"] = _(
            "Please enter an e-mail address or phone number so that we can reply to you;"
            " or tick “I want to stay anonymous”"
        )
    return errors


def submission(values: dict[str, str]) -> dict:
    """The JSON-shaped submission :func:`feedback_api.validation.parse_submission` expects."""

    def present(**fields: str) -> dict[str, str]:
        return {key: value for key, value in fields.items() if value}

    anonymous = bool(values.get("anonymous"))
    return {
        "type": values["case_type"] or None,
        "text": values["text"],
        "product": present(
            name=values["product_name"],
            brand=values["product_brand"],
            model=values["product_model"],
            shop=values["sold_at_shop"],
            online_url=values["sold_online_url"],
            purchase_date=values["purchase_date"],
            safety_mark=values["safety_mark"],
        ),
        "place": present(district=values["district"]),
        "contact": None
        if anonymous
        else present(
            name=values["contact_name"],
            email=values["contact_email"],
            phone=values["contact_phone"],
        )
        or None,
        "consents": {
            "reply_by_email": bool(values.get("consent_reply_email")) and not anonymous,
            "publish_narrative": bool(values.get("consent_publish")),
        },
    }


async def uploaded_files(form: FormData) -> list[tuple[str, bytes]]:
    """The chosen files as ``(name, content)``; attachments.prepare checks count, size, type.

    Browsers send one empty part when no file was chosen; it is skipped. At most
    ``MAX_FILE_BYTES + 1`` bytes of each file are read, enough to tell it is too big.
    """
    files: list[tuple[str, bytes]] = []
    for item in form.getlist("attachments"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read(MAX_FILE_BYTES + 1)
            if data:
                files.append((item.filename, data))
    return files


FIELD_ORDER = (*TEXT_FIELDS, "consent_reply_email", "attachments")


def in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """The error summary lists problems in the order the fields appear on the page."""
    rank = {name: position for position, name in enumerate(FIELD_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


async def check_submission(
    values: dict[str, str], files: list[tuple[str, bytes]], language: str
) -> tuple[CaseDraft | None, list[attachment_files.PreparedAttachment], dict[str, str]]:
    """The validated case and cleaned files, or the errors by form field in ``language``."""
    _ = message_translator(language)
    errors = contact_errors(values, language)
    draft = None
    try:
        draft = parse_submission(submission(values))
    except ValidationError as exc:
        for error in exc.errors:
            errors.setdefault(field_id(error.field), message_part(error.message, language))
    prepared = []
    try:
        prepared = await run_in_threadpool(attachment_files.prepare, files)
    except attachment_files.AttachmentError as exc:
        messages = (message_part(e.message, language) for e in exc.errors)
        errors.setdefault("attachments", _("; ").join(messages))
    return draft, prepared, errors
