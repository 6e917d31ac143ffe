"""HTTP-level safety of the HTML pages: whether a request came over HTTPS, and the headers
every page is sent with.

- ``Content-Security-Policy``: the pages run no script at all and load nothing but this
  service's stylesheet; the QR code is SVG inside the page. Forms submit only here, and
  no site may frame a page (``X-Frame-Options: DENY`` says the same to older browsers).
- ``Referrer-Policy: no-referrer``, stricter than the portal's: a citizen's status and
  confirmation pages carry the case's secret in their address (``?key=``), which must reach
  no other site and no log through a Referer, not even this site's own.
- ``nosniff``, and ``no-store`` so no shared cache keeps a page with personal data.
"""

from __future__ import annotations

from starlette.requests import Request

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
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
