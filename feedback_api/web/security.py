"""HTTP-level safety of the HTML pages: whether a request came over HTTPS, and the headers
every page is sent with (no framing, no referrer leaking a status link's secret, a strict CSP).
"""

from __future__ import annotations

from starlette.requests import Request

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def is_secure_request(request: Request) -> bool:
    """True over HTTPS, directly or behind a proxy that says so in X-Forwarded-Proto."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"
