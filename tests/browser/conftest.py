"""Real Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright, plus axe-core."""

from __future__ import annotations

import os
import shutil
from html import escape
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.live_server import serving

CHROMIUM = os.environ.get("KAIFANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs it with apt-get")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def csp_violations(page) -> list[dict]:
    """The Content-Security-Policy violations ``page`` reports, on every document it opens.

    Read it after ``page.wait_for_load_state`` or an ``evaluate``: reports arrive with the
    page's other messages."""
    violations: list[dict] = []
    page.expose_function("kaifangReportCspViolation", lambda report: violations.append(report))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (event) =>"
        " window.kaifangReportCspViolation({directive: event.violatedDirective,"
        " blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber}))"
    )
    return violations


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return results.response["violations"]


@pytest.fixture
def axe():
    """Call ``axe(page)`` to get the list of WCAG 2.1 AA violations on the page."""
    return axe_violations


@pytest.fixture(scope="session")
def framing_site():
    """Another site (localhost, where the apps serve 127.0.0.1) whose page frames ``?src=``."""

    async def framing_page(request):
        source = escape(request.query_params["src"])
        return HTMLResponse(f'<!doctype html><title>elsewhere</title><iframe src="{source}">')

    with serving(Starlette(routes=[Route("/", framing_page)])) as url:
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture
def framed_url(page, framing_site):
    """Call ``framed_url(url)`` to learn where a frame of ``url`` on another site ends up: at
    ``url`` itself, or at Chromium's error page when the answer refuses to be framed."""

    def frame_it(url: str) -> str:
        page.goto(f"{framing_site}/?src={quote(url, safe='')}")
        page.wait_for_load_state("networkidle")
        (frame,) = page.main_frame.child_frames
        return frame.url

    return frame_it
