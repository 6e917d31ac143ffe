"""Helpers that use the web pages the way a person does: read the CSRF token from the page
before posting, fill in the citizen form, log in to the staff console."""

from __future__ import annotations

import io
import re

from PIL import Image

PASSWORD = "correct horse battery"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


VALID_FORM = {
    "case_type": "report",
    "text": "夜市攤販賣的玩具沒有中文標示，也沒有商品安全標章。",
    "product_name": "發條玩具車",
    "safety_mark": "no",
    "district": "基隆市仁愛區",
    "contact_name": "王小明",
    "contact_email": "ming@example.tw",
    "consent_reply_email": "yes",
}


def post_form(client, fields: dict, files: list | None = None):
    """Open the form, then post ``fields`` with its CSRF token, as a browser would."""
    token = csrf_from(client.get("/feedback").text)
    parts = files or [("attachments", ("", b"", "application/octet-stream"))]
    return client.post("/feedback", data={"csrf_token": token, **fields}, files=parts)


def submit_case(client, **overrides) -> tuple[str, str]:
    """Submit a valid case through the form; return its tracking number and secret."""
    response = post_form(client, {**VALID_FORM, **overrides})
    assert response.status_code == 303, response.text
    match = re.match(r"/feedback/submitted/([^?]+)\?key=(\w+)$", response.headers["location"])
    assert match
    return match.group(1), match.group(2)


def log_in(client, username: str, password: str = PASSWORD):
    token = csrf_from(client.get("/staff/login").text)
    return client.post(
        "/staff/login", data={"csrf_token": token, "username": username, "password": password}
    )
