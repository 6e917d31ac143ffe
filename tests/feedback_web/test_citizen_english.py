"""The citizen pages in English: chosen with ``?_lang=en`` and remembered in the portal's
cookie, with a link back to Chinese; every message has both languages; a case can be sent and
followed in English; zh-TW stays the default, in the same words as before."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from feedback_api import cases, errors
from feedback_api.audit import Actor
from feedback_api.errors import _PAGE_HEADINGS, _PAGE_HOMES
from feedback_api.web import citizen, citizen_form
from feedback_api.web.citizen import DONE_MESSAGES
from feedback_api.web.citizen_language import MESSAGES
from feedback_api.web.pages import TEMPLATES_DIR
from publish import i18n
from tests.feedback_web.web_helpers import VALID_FORM, csrf_from, post_form, submit_case

ENGLISH_HTML = '<html lang="en">'
CHINESE_HTML = '<html lang="zh-Hant-TW">'
CLERK = Actor("staff", "測試承辦人")


def test_english_is_chosen_with_the_portals_parameter_and_remembered_in_its_cookie(client):
    chinese = client.get("/feedback")
    assert CHINESE_HTML in chinese.text and 'lang="en">English</a>' in chinese.text
    english = client.get("/feedback?_lang=en")
    assert ENGLISH_HTML in english.text and 'lang="zh-Hant-TW">中文</a>' in english.text
    assert english.cookies.get(i18n.COOKIE) == "en"
    tracking, key = submit_case(client)
    for path in (
        f"/feedback/submitted/{tracking}?key={key}",
        "/feedback/status",
        f"/feedback/status/{tracking}?key={key}",
        f"/feedback/status/{tracking}?key=wrong",
        "/feedback/no-such-page",
    ):
        assert ENGLISH_HTML in client.get(path).text, path
    back = client.get("/feedback/status?_lang=zh-TW")
    assert CHINESE_HTML in back.text and back.cookies.get(i18n.COOKIE) == "zh-TW"
    assert CHINESE_HTML in client.get("/feedback").text


def test_the_staff_console_stays_in_chinese(client):
    client.get("/feedback?_lang=en")
    login = client.get("/staff/login")
    assert CHINESE_HTML in login.text and "English" not in login.text


def template_messages() -> set[str]:
    """The ``_("…")`` messages of the templates citizens see (pages, macros, error page)."""
    literal = r"""_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)"""
    templates = [TEMPLATES_DIR / name for name in ("base.html", "error.html", "_macros.html")]
    templates += sorted((TEMPLATES_DIR / "citizen").glob("*.html"))
    return {
        ast.literal_eval(match.group(1))
        for template in templates
        for match in re.finditer(literal, template.read_text(encoding="utf-8"))
    }


def handler_messages() -> set[str]:
    """The ``_("…")`` messages the citizen handlers write, and the texts they translate."""
    used = set(DONE_MESSAGES.values()) | set(_PAGE_HEADINGS.values()) | set(_PAGE_HOMES.values())
    for module in (citizen, citizen_form, errors):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
            if called and isinstance(node.args[0], ast.Constant):  # _(heading): listed above
                used.add(node.args[0].value)
    return used


def test_every_message_of_the_citizen_pages_has_a_zh_tw_text_and_every_text_is_used():
    used = template_messages() | handler_messages()
    assert len(used) > 100  # the extraction found the messages
    assert used - set(MESSAGES) == set()
    assert all(MESSAGES[message].strip() for message in used)
    assert set(MESSAGES) - used == set()


def test_the_english_form_is_labelled_in_english(client):
    html = client.get("/feedback?_lang=en").text
    assert ENGLISH_HTML in html
    for text in (
        "<title>Send feedback | BSMI Keelung Branch</title>",
        '<label for="text">What happened<span class="required"> (required)</span>',
        '<label for="contact_email">E-mail',
        "Report of a violation",  # a case type (feedback_api.vocabulary)
        "No safety mark",  # a safety-mark answer
        "within 3 working days",
        "Notice on the collection of personal data",
        "Article 173 of the Administrative Procedure Act",
        ">Send</button>",
    ):
        assert text in html, text
    for chinese in ("案件類型", "內容", "送出", "個人資料", "蒐集", "檢舉", "匿名"):
        assert chinese not in html, chinese


def test_a_case_sent_from_the_english_form_is_confirmed_and_followed_in_english(client):
    client.get("/feedback?_lang=en")
    mistaken = post_form(client, {**VALID_FORM, "contact_name": "", "text": "bad"})
    assert mistaken.status_code == 400 and ENGLISH_HTML in mistaken.text
    assert "Please enter your name, or tick “I want to stay anonymous”" in mistaken.text
    assert "請填寫姓名" not in mistaken.text
    assert "Text needs at least 5 characters" in mistaken.text  # the service's English part
    tracking, key = submit_case(client)
    confirmation = client.get(f"/feedback/submitted/{tracking}?key={key}").text
    assert ENGLISH_HTML in confirmation and "We have received your case" in confirmation
    assert (
        "Access code: " in confirmation and f"See the progress of case {tracking}" in confirmation
    )
    assert "已收到" not in confirmation and "查詢碼" not in confirmation
    status = client.get(f"/feedback/status/{tracking}?key={key}").text
    assert f"Progress of case {tracking}" in status
    assert "<dt>Status</dt><dd><strong>Received</strong></dd>" in status
    assert "Report of a violation" in status and "已收件" not in status
    assert '<dd lang="zh-Hant-TW">' in status  # the unit's name is Chinese, and marked so


def test_the_english_survey_says_what_is_missing_in_english(client, store):
    tracking, key = submit_case(client)
    cases.reply(store, tracking, "已派員到夜市查核。", actor=CLERK)
    cases.close(store, tracking, actor=CLERK)
    page = client.get(f"/feedback/status/{tracking}?key={key}&_lang=en").text
    assert "<dt>Status</dt><dd><strong>Closed</strong></dd>" in page
    assert "How satisfied are you" in page and ">5 out of 5</label>" in page
    no_score = client.post(
        f"/feedback/status/{tracking}/survey", data={"csrf_token": csrf_from(page), "key": key}
    )
    assert no_score.status_code == 400 and "Please choose a score from 1 to 5" in no_score.text


def test_the_chinese_pages_keep_their_words(client):
    form = client.get("/feedback?_lang=zh-TW").text
    for text in (
        "<title>填寫意見｜經濟部標準檢驗局基隆分局</title>",
        '<label for="text">內容<span class="required">（必填）</span></label>',
        "我們預定在收件後 3 個上班日內回覆。",
        "<legend>商品資料（與商品有關時請填寫）</legend>",
        "<dt>蒐集機關</dt>",
        "但無法回覆您處理結果，且依《行政程序法》第 173 條，匿名陳情得不予處理。",
        '<button type="submit" class="button">送出</button>',
    ):
        assert text in form, text
    assert "(required)" not in form and "Send feedback" not in form
    tracking, key = submit_case(client)
    status = client.get(f"/feedback/status/{tracking}?key={key}").text
    assert f"<h1>案件 {tracking} 處理進度</h1>" in status
    assert "<dt>目前狀態</dt><dd><strong>已收件</strong></dd>" in status
    assert "收件：已收到您的案件</li>" in status
