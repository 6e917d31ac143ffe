"""The feedback service in real Chromium: a citizen's whole journey (form, a photo, a mistake
and its correction, confirmation, status page via the link and via the e-mail) and a staff
journey (login, reassign, reply, close) with the e-mails received by a real SMTP server; a
citizen's journey in English; axe-core finds no WCAG 2.1 AA violation on any page on the way."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pytest
from PIL import Image

from feedback_api import accounts, cases
from feedback_api.app import create_app
from feedback_api.store import Store, iter_routing_corrections
from feedback_api.validation import parse_submission
from tests.feedback_web.smtp_sink import Mailbox, body_of, smtp_server
from tests.live_server import free_port, serving

PASSWORD = "correct horse battery"


@dataclass
class Live:
    url: str
    store: Store
    mailbox: Mailbox


@pytest.fixture
def live(settings):
    port = free_port()
    with smtp_server() as (mailbox, smtp_port):
        mailing = dataclasses.replace(
            settings,
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            public_url=f"http://127.0.0.1:{port}",
        )
        app = create_app(mailing)
        with serving(app, port) as url:
            yield Live(url, app.state.store, mailbox)


def assert_accessible(page, axe, what: str) -> None:
    violations = axe(page)
    assert violations == [], f"{what}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations
    )


def test_citizen_reports_a_product_and_follows_the_case(page, axe, csp_violations, live, tmp_path):
    photo = tmp_path / "toy.jpg"
    Image.new("RGB", (64, 48), (220, 40, 40)).save(photo, "JPEG")
    requests = []
    page.on("request", lambda request: requests.append(request))

    page.goto(f"{live.url}/feedback")
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert_accessible(page, axe, "empty form")

    # A first try with the text missing: the error summary takes the focus and links the field.
    page.get_by_label("檢舉", exact=True).check()
    page.get_by_label(re.compile(r"^姓名")).fill("王小明")
    page.get_by_role("button", name="送出").click()
    summary = page.locator("#error-summary")
    assert "請填寫內容" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert (
        page.get_by_label(re.compile(r"^姓名")).input_value() == "王小明"
    )  # nothing typed is lost
    assert_accessible(page, axe, "form with errors")
    summary.get_by_role("link", name=re.compile("請填寫內容")).click()
    assert page.evaluate("location.hash") == "#text"

    page.locator("#text").fill("夜市攤販賣的發條玩具車沒有中文標示，也沒有商品安全標章。")
    page.get_by_label("商品名稱").fill("發條玩具車")
    page.get_by_label("沒有商品安全標章").check()
    page.get_by_label("縣市及鄉鎮市區").fill("基隆市仁愛區")
    page.get_by_label(re.compile(r"^電子郵件")).fill("ming@example.tw")
    page.get_by_label("我同意以電子郵件接收通知與回覆").check()
    page.set_input_files("#attachments", str(photo))
    page.get_by_role("button", name="送出").click()

    page.wait_for_url(re.compile(r"/feedback/submitted/"))
    tracking = page.locator("p.tracking").inner_text().strip()
    assert re.fullmatch(r"KF-\w{4}-\w{4}-\w", tracking)
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert_accessible(page, axe, "confirmation page")

    page.get_by_role("link", name=f"查看案件 {tracking} 的處理進度").click()
    page.wait_for_url(re.compile(rf"/feedback/status/{tracking}\?key="))
    assert page.get_by_role("heading", level=1).inner_text() == f"案件 {tracking} 處理進度"
    assert "已收件" in page.inner_text("main")
    assert page.get_by_role("link", name="toy.jpg").is_visible()
    assert_accessible(page, axe, "status page")

    receipt = live.mailbox.wait_for(1)[0]
    link = re.search(r"http://\S+/feedback/status/\S+", body_of(receipt)).group(0)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == f"案件 {tracking} 處理進度"

    # Later, by hand: the look-up form with the number and the secret from the e-mail.
    secret = re.search(r"key=(\w+)", link).group(1)
    page.goto(f"{live.url}/feedback/status")
    assert_accessible(page, axe, "look-up form")
    page.get_by_label("案件編號").fill(tracking.lower())
    page.get_by_label("查詢碼").fill(secret)
    page.get_by_role("button", name="查詢").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"案件 {tracking} 處理進度"

    page.goto(f"{live.url}/feedback/statuss")  # a mistyped address
    assert_accessible(page, axe, "page not found")

    # No request, not even for the stylesheet, tells anyone the status link with its secret.
    assert any(f"key={secret}" in request.url for request in requests)
    referers = [request.header_value("referer") or "" for request in requests]
    assert not any(secret in referer for referer in referers)
    assert csp_violations == []


def test_a_foreign_resident_switches_to_english_and_reports_in_english(page, axe, live):
    page.goto(f"{live.url}/feedback")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, axe, "English form")

    page.get_by_label("Report of a violation", exact=True).check()
    page.get_by_role("button", name="Send", exact=True).click()
    assert "Please enter your name" in page.locator("#error-summary").inner_text()
    assert_accessible(page, axe, "English form with errors")

    page.locator("#text").fill("The toy car sold at the night market has no safety mark.")
    page.get_by_label("No safety mark").check()
    page.get_by_label(re.compile(r"^Name \(")).fill("Maria Santos")
    page.get_by_label(re.compile(r"^Phone")).fill("0912-345-678")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(re.compile(r"/feedback/submitted/"))
    tracking = page.locator("p.tracking").inner_text().strip()
    assert page.get_by_role("heading", level=1).inner_text() == "We have received your case"
    assert_accessible(page, axe, "English confirmation page")

    page.get_by_role("link", name=f"See the progress of case {tracking}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Progress of case {tracking}"
    assert "Received" in page.inner_text("main")
    assert_accessible(page, axe, "English status page")
    page.get_by_role("link", name="中文").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"案件 {tracking} 處理進度"


def test_the_form_works_with_javascript_switched_off(browser, live):
    context = browser.new_context(locale="zh-TW", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live.url}/feedback")
        page.get_by_label("諮詢", exact=True).check()
        page.locator("#text").fill("請問行動電源要符合哪個CNS標準才能販售？")
        page.get_by_label("我要匿名，不留姓名及聯絡方式").check()
        page.get_by_role("button", name="送出").click()
        page.wait_for_url(re.compile(r"/feedback/submitted/"))
        tracking = page.locator("p.tracking").inner_text().strip()
        page.get_by_role("link", name=f"查看案件 {tracking} 的處理進度").click()
        assert "已收件" in page.inner_text("main")
    finally:
        context.close()
    assert cases.get_case(live.store, tracking).anonymous


def test_staff_triage_reassign_reply_and_close(page, axe, csp_violations, live):
    accounts.add_staff(
        live.store, "lin", PASSWORD, display_name="林技士", role="section_staff", unit="秘書室"
    )
    accounts.add_staff(
        live.store, "hsu", PASSWORD, display_name="許技士", role="section_staff", unit="市場監督課"
    )
    draft = parse_submission(
        {
            "type": "report",
            "text": "蝦皮有賣家賣沒有檢驗標章的充電器，網址如附。",
            "contact": {"name": "張小姐", "email": "chang@example.tw"},
            "consents": {"reply_by_email": True},
        }
    )
    submitted = cases.submit(live.store, draft, channel="web")  # no model: to triage
    tracking = submitted.tracking

    def log_in(username: str) -> None:
        page.goto(f"{live.url}/staff")
        page.wait_for_url(re.compile(r"/staff/login"))
        page.get_by_label("帳號").fill(username)
        page.get_by_label("密碼").fill(PASSWORD)
        page.get_by_role("button", name="登入").click()
        page.wait_for_url(re.compile(r"/staff$"))

    page.goto(f"{live.url}/staff/login")
    assert_accessible(page, axe, "login page")
    log_in("lin")
    assert_accessible(page, axe, "queue")
    page.get_by_role("link", name=tracking).click()
    assert "蝦皮有賣家" in page.inner_text("main")
    assert_accessible(page, axe, "case page")
    page.get_by_label("改派到").select_option("市場監督課")
    page.get_by_role("button", name="改派", exact=True).click()
    assert list(iter_routing_corrections(live.store.settings))[-1][1] == "市場監督課"
    page.get_by_role("button", name=re.compile("登出")).click()

    log_in("hsu")
    page.get_by_role("link", name=tracking).click()
    page.get_by_label("回覆內容").fill("已通知平台下架該商品，並函請賣家說明。")
    page.get_by_role("button", name="送出回覆").click()
    assert "已送出回覆" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="結案", exact=True).click()
    assert "已結案" in page.get_by_role("status").inner_text()
    assert_accessible(page, axe, "closed case page")

    receipt, reply, closing = live.mailbox.wait_for(3)
    assert all(str(m["To"]) == "chang@example.tw" for m in (receipt, reply, closing))
    assert "已通知平台下架該商品" in body_of(reply)
    assert "已結案" in str(closing["Subject"])
    assert cases.get_case(live.store, tracking).status == "closed"

    # The citizen answers the satisfaction survey on the status page.
    page.goto(f"{live.url}/feedback/status/{tracking}?key={submitted.secret}")
    assert "已通知平台下架該商品" in page.inner_text("main")
    assert_accessible(page, axe, "status page with the survey")
    page.get_by_label("5 分").check()
    page.get_by_label("意見").fill("處理迅速，謝謝。")
    page.get_by_role("button", name="送出調查").click()
    assert "謝謝您填寫滿意度調查" in page.get_by_role("status").inner_text()
    assert csp_violations == []


def test_another_site_cannot_frame_the_form_or_the_console(framed_url, live):
    for path in ("/feedback", "/feedback/status", "/staff/login"):
        assert framed_url(live.url + path).startswith("chrome-error:"), path
    openapi = live.url + "/api/v1/openapi.json"
    assert framed_url(openapi) == openapi  # the frame itself works: only pages refuse it


def test_supervisor_and_admin_pages_are_accessible(page, axe, live):
    accounts.add_staff(live.store, "root", PASSWORD, display_name="管理員", role="admin", unit=None)
    accounts.add_volunteer(live.store, "vol-a", display_name="志工甲")
    page.goto(f"{live.url}/staff/login")
    page.get_by_label("帳號").fill("root")
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_url(re.compile(r"/staff$"))
    for path, what in (
        ("/staff/search?q=充電器", "search results"),
        ("/staff/audit", "audit log"),
        ("/staff/accounts", "accounts"),
        ("/staff/cases/new", "entering a case"),
    ):
        page.goto(f"{live.url}{path}")
        assert_accessible(page, axe, what)
    page.goto(f"{live.url}/staff/accounts")
    page.get_by_role("link", name="root").click()
    assert_accessible(page, axe, "an account's page")
    page.get_by_label("新密碼").fill("short")
    page.get_by_role("button", name="儲存變更").click()
    assert "密碼至少 10 個字元" in page.get_by_role("alert").inner_text()
    assert_accessible(page, axe, "an account's page with an error")
    page.goto(f"{live.url}/staff/accounts")
    page.get_by_role("link", name="vol-a").click()
    assert_accessible(page, axe, "a volunteer's page with their tokens")
    page.get_by_label("用途").fill("新手機")
    page.get_by_role("button", name="核發權杖").click()
    assert page.get_by_label("權杖").input_value().startswith("kfv_")
    assert_accessible(page, axe, "the page that shows a new token once")


def _luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(n) for n in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_indicator_stands_out_from_the_white_page(page, live):
    # WCAG 1.4.11: a focus ring needs 3:1 against what surrounds it; a pale one is lost on white
    page.goto(f"{live.url}/feedback")
    for selector in (".skip-link", "#case_type", "#text", "main button[type=submit]"):
        page.locator(selector).first.focus()
        colours = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineColor, ...(s.boxShadow.match(/rgba?\\([^)]*\\)/g) || [])]; }"""
        )
        assert max(_contrast(c, "rgb(255, 255, 255)") for c in colours) >= 3, (selector, colours)
