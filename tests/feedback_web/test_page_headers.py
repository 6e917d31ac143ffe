"""Every page of the citizen form and the staff console is sent with the headers that keep it
safe in a browser: nothing framed, no script run, and no case secret passed on in a Referer."""

from __future__ import annotations

from tests.feedback_web.web_helpers import log_in, submit_case


def assert_safe_page(response) -> None:
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy  # no script at all
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_citizen_pages_with_the_case_secret_in_their_address_send_no_referrer(client):
    tracking, key = submit_case(client)
    for path in (
        "/feedback",
        f"/feedback/submitted/{tracking}?key={key}",
        f"/feedback/status/{tracking}?key={key}",
        "/feedback/status",
        "/feedback/status/KF-0000-0000-0?key=wrong",  # not found: the look-up form again
        "/feedback/nope",  # the service's own 404 page
    ):
        response = client.get(path)
        assert_safe_page(response)
        assert '<meta name="referrer" content="no-referrer">' in response.text, path


def test_staff_pages_and_the_refusal_page(client, staff_accounts):
    assert_safe_page(client.get("/staff/login"))
    log_in(client, "lin")
    assert_safe_page(client.get("/staff"))
    refused = client.post("/staff/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert_safe_page(refused)
