"""The citizen pages in English: chosen with ``?_lang=en`` and remembered in the portal's
cookie, with a link back to Chinese; zh-TW stays the default."""

from __future__ import annotations

from publish import i18n
from tests.feedback_web.web_helpers import submit_case

ENGLISH_HTML = '<html lang="en">'
CHINESE_HTML = '<html lang="zh-Hant-TW">'


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
