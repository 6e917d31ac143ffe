"""The portal in real Chromium: WCAG 2.1 AA (axe) on the main page types, keyboard use, charts."""

from __future__ import annotations

import pytest

from publish.server import create_portal_app
from tests.live_server import serving
from tests.publish.sample_portal import portal_settings, write_published

PAGES = {
    "home": "/",
    "category": "/categories/service/E00",
    "categories": "/categories",
    "landing": "/datasets/metrology_verifications",
    "table": "/import_inspections/import_inspections",
    "table search": "/import_inspections/import_inspections?_search=玩具",
    "table with a facet selected": "/import_inspections/import_inspections?_facet=result&result=合格",
    "row": "/import_inspections/import_inspections/1",
    "search": "/search?q=血壓",
    "database": "/import_inspections",
    "query": "/import_inspections?sql=select+result,+count(*)+from+import_inspections+group+by+result",
    "not found": "/nope",
    "not found in English": "/import_inspections/nope?_lang=en",
    "home in English": "/?_lang=en",
    "landing in English": "/datasets/metrology_verifications?_lang=en",
    "table in English": "/import_inspections/import_inspections?_lang=en",
}


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory):
    from kaifang.settings import load_settings

    home = tmp_path_factory.mktemp("portal-browser")
    settings = portal_settings(load_settings({"KAIFANG_HOME": str(home)}).ensure_dirs())
    write_published(
        settings, ["import_inspections", "metrology_verifications", "market_inspections"]
    )
    with serving(create_portal_app(settings)) as base_url:
        yield base_url


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_21_aa_violation(page, axe, portal_url, name):
    page.goto(portal_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert violations == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_breaks_no_rule_of_its_content_security_policy(page, csp_violations, portal_url, name):
    response = page.goto(portal_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("1")  # every report sent before this has arrived
    assert csp_violations == []


def test_another_site_cannot_frame_a_page_but_can_frame_the_data(framed_url, portal_url):
    assert framed_url(portal_url + "/datasets/import_inspections").startswith("chrome-error:")
    data = portal_url + "/import_inspections/import_inspections.json"
    assert framed_url(data) == data  # the frame itself works: only pages refuse it


@pytest.mark.parametrize("name", ["landing", "table", "row", "home"])
def test_page_reflows_at_320_px_without_horizontal_scrolling(browser, axe, portal_url, name):
    # WCAG 1.4.10: 400 % zoom of a 1280 px window is a 320 px wide viewport
    context = browser.new_context(locale="zh-TW", viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(portal_url + PAGES[name])
        page.wait_for_load_state("networkidle")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        violations = axe(page)
        assert violations == [], [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
        ]
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, portal_url):
    page.goto(portal_url + "/datasets/import_inspections")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-10000px"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_navigation_and_search_are_reachable_by_keyboard(page, portal_url):
    page.goto(portal_url + "/")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "document.activeElement.getAttribute('href') || document.activeElement.id"
            )
        )
    assert "/categories" in reached and "catalog-q" in reached
    page.focus("#catalog-q")
    page.keyboard.type("玩具")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("a[href='/datasets/import_inspections']").count() == 1


def test_focus_is_visible(page, portal_url):
    page.goto(portal_url + "/")
    page.focus("a[href='/categories']")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_charts_render_offline_and_keep_their_table(page, csp_violations, portal_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(portal_url + "/datasets/import_inspections")
    page.wait_for_selector(".chart-canvas svg", timeout=10000)
    assert all(url.startswith(portal_url) for url in requests)
    labels = page.locator(".chart-canvas svg text").all_text_contents()
    assert "2026-01" in labels and "Jan 2026" not in labels  # months, not in English
    page.locator(".chart-canvas svg .mark-symbol path").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "2026-" in tooltip.inner_text()
    page.click(".chart-data summary")
    assert page.locator(".chart-data table tbody tr").count() > 0
    assert csp_violations == []  # no eval, no inline style: the charts need neither


def test_the_sql_editor_formats_and_runs_a_query(page, csp_violations, portal_url):
    page.goto(portal_url + "/import_inspections")
    editor = page.locator(".CodeMirror")
    editor.wait_for()
    assert page.locator(".CodeMirror textarea").get_attribute("aria-label") == "自訂 SQL 查詢"
    page.click("button#sql-format")
    formatted = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert formatted.splitlines()[0].strip() == "select"  # one clause a line
    editor.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_url("**/import_inspections?sql=*")
    assert page.locator("table.rows-and-columns tbody tr").count() > 0
    assert page.locator(".cm-resize-handle").count() == 1
    assert csp_violations == []


def test_column_menu_opens_by_keyboard_in_chinese(page, csp_violations, portal_url):
    page.goto(portal_url + "/import_inspections/import_inspections")
    icon = page.locator("th[data-column='result'] .dropdown-menu-icon")
    icon.focus()  # focusing scrolls the table, and Datasette closes its menu on scroll:
    page.wait_for_timeout(300)  # let that scroll settle, as it would before a person presses Enter
    page.keyboard.press("Enter")
    menu = page.locator("body > .dropdown-menu")
    assert menu.is_visible()
    assert "遞增排序" in menu.inner_text() and "Sort ascending" not in menu.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "遞增排序"
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "欄位選單 result"
    page.keyboard.press("Enter")
    assert "依此欄分面" in menu.inner_text()  # allow_facet reached Datasette's table.js
    assert csp_violations == []


def test_english_texts_are_marked_english_and_the_chinese_title_chinese(page, portal_url):
    """A screen reader reads each text in its language (WCAG 3.1.2): the English description,
    labels, licence and footer sit in lang="en"; the Chinese title under it in zh-Hant-TW."""
    page.goto(portal_url + "/datasets/import_inspections?_lang=en")
    lang_of = "selector => document.querySelector(selector).closest('[lang]').lang"
    for selector in (".dataset-description", "table.fields td", "a[rel=license]", ".attribution",
                     "footer a[href^=mailto]"):  # fmt: skip
        assert page.evaluate(lang_of, selector) == "en", selector
    assert page.locator(".dataset-description").inner_text().startswith("Batches of imported")
    assert page.evaluate(lang_of, "h1 + p") == "zh-Hant-TW"
