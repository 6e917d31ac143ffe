"""The words the pages use for a case's codes: types, statuses, channels, routing methods and
timeline events, in zh-TW and, for what citizens see, in English (the vocabularies themselves
live in feedback_api.vocabulary and feedback_api.lifecycle); and the part of a bilingual
service message, ``中文 (English)``, that a page in either language shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from feedback_api.cases import Event
from feedback_api.lifecycle import STATUSES
from feedback_api.vocabulary import CASE_TYPES, CHANNELS
from publish.i18n import ZH, pick

ROUTING_METHODS = {"automatic": "分類模型自動分派", "triage": "待人工分流", "manual": "人工改派"}
ROUTING_METHODS_EN = {
    "automatic": "assigned automatically",
    "triage": "waiting to be assigned by staff",
    "manual": "reassigned by staff",
}
EVENT_LABELS = {
    "received": "收件",
    "routed": "分派",
    "assigned": "分派承辦",
    "in_progress": "處理中",
    "reassigned": "改派",
    "replied": "回覆",
    "note": "內部備註",
    "closed": "結案",
    "duplicate": "重複案件",
    "referred": "移請他機關",
    "survey": "滿意度調查",
    "consent_withdrawn": "撤回公開同意",
    "attachment": "補充附件",  # files added to an open case (cases.add_attachments)
}
EVENT_LABELS_EN = {
    "received": "Received",
    "routed": "Assigned to a section",
    "assigned": "Assigned to an officer",
    "in_progress": "In progress",
    "reassigned": "Reassigned",
    "replied": "Replied",
    "note": "Internal note",
    "closed": "Closed",
    "duplicate": "Duplicate case",
    "referred": "Referred to another agency",
    "survey": "Satisfaction survey",
    "consent_withdrawn": "Consent to publish withdrawn",
    "attachment": "Files added",
}
AUDIT_ACTIONS = {
    "login": "登入",
    "login_failed": "登入失敗",
    "logout": "登出",
    "view_case": "查看案件",
    "view_attachment": "查看附件",
    "search": "搜尋",
    **EVENT_LABELS,
    "enter_case": "代為登錄案件",
    "add_staff": "新增工作人員帳號",
    "change_staff": "變更工作人員帳號",
    "change_volunteer": "變更志工帳號",
    "add_volunteer": "新增志工帳號",
    "issue_volunteer_key": "核發志工權杖",
    "revoke_volunteer_key": "撤銷志工權杖",
    "issue_client_key": "核發 API 金鑰",
    "revoke_client_key": "撤銷 API 金鑰",
    "declare_closed_day": "宣告停止上班日",
    "declare_working_day": "宣告上班日",
    "withdraw_declared_day": "撤銷宣告之停止上班日或上班日",
}


def type_label(code: str, language: str = ZH) -> str:
    return pick(language, *CASE_TYPES.get(code, (code, code)))


def status_label(code: str, language: str = ZH) -> str:
    return pick(language, *STATUSES.get(code, (code, code)))


def channel_label(code: str) -> str:
    return CHANNELS.get(code, (code,))[0]


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    label: str
    actor: str
    public: bool
    message: str | None


def timeline_lines(
    events: list[Event], *, show_reply_text: bool, language: str = ZH
) -> list[TimelineLine]:
    """Events as the pages list them; the reply's text is left out where it is shown above."""
    lines = []
    for event in events:
        actor, message = event.actor, event.message
        if event.kind == "replied" and not show_reply_text:
            message = None
        if event.kind == "routed":  # the system routed it, whoever submitted the case
            actor, message = "系統", _routing_message(event.data or {}, message, language)
        label = pick(
            language, EVENT_LABELS.get(event.kind, event.kind), EVENT_LABELS_EN.get(event.kind)
        )
        lines.append(TimelineLine(event.at, label, actor, event.public, message))
    return lines


def _routing_message(data: dict, fallback: str | None, language: str) -> str | None:
    """``市場監督課（分類模型自動分派，信心度 87%）`` from a routing event's data; in English
    ``市場監督課 (assigned automatically, confidence 87%)``."""
    if not data.get("unit"):
        return fallback
    method = data.get("method", "")
    details = [pick(language, ROUTING_METHODS.get(method, method), ROUTING_METHODS_EN.get(method))]
    if data.get("confidence") is not None:
        details.append(pick(language, "信心度", "confidence") + f" {data['confidence']:.0%}")
    if language == ZH:
        return f"{data['unit']}（{'，'.join(d for d in details if d)}）"
    return f"{data['unit']} ({', '.join(d for d in details if d)})"


_ENGLISH_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")


def zh_part(message: str) -> str:
    """The zh-TW part of a service message written as ``中文 (English)``, for zh-TW pages."""
    return _ENGLISH_TAIL.sub("", message) or message


def message_part(message: str, language: str) -> str:
    """The part of a ``中文 (English)`` service message a page in ``language`` shows; the
    English starts with a capital, as a sentence on the page does."""
    if language == ZH:
        return zh_part(message)
    english = _ENGLISH_TAIL.search(message)
    return english.group(1)[:1].upper() + english.group(1)[1:] if english else message
