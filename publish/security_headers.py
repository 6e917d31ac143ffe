"""The HTTP headers that keep the portal's pages safe in a browser.

Every response carries ``X-Content-Type-Options: nosniff``, so a CSV or JSON answer is never
sniffed into a page. HTML pages also carry:

- ``Content-Security-Policy``: scripts, styles, images, fonts and fetches come from the portal
  itself only. No inline script and no eval: the templates keep their scripts in static files,
  and the charts evaluate Vega expressions with vega-interpreter. No inline style either,
  except the fixed stylesheet that Datasette's cm-resize 1.0.1 adds for the SQL editor's resize
  handle (allowed by hash: it is added empty, then filled, hence two hashes). ``data:`` images
  are allowed for the icons in Datasette's and cm-resize's CSS. No plugins, no ``<base>``,
  forms submit only to the portal, and no site may frame a page.
- ``X-Frame-Options: DENY``: the same refusal for browsers that ignore ``frame-ancestors``.
  The portal offers no embeddable view; other sites reuse its data through the JSON, CSV and
  DCAT answers, which any origin may read (``publish.cors``).
- ``Referrer-Policy: strict-origin-when-cross-origin``: another site learns only that a reader
  came from the portal, not which search or page. Datasette's stricter ``no-referrer`` on
  query pages (their SQL is in the URL) is kept: a header already set is never replaced.
"""

from __future__ import annotations

CM_RESIZE_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style> element
    "'sha256-38xqj8N9cygggde3AvM+xVgS15DUXTOhM9fjk0hLOS0='",  # its .cm-resize-handle rule
)
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' {' '.join(CM_RESIZE_STYLE_HASHES)}",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
EVERY_RESPONSE = ((b"x-content-type-options", b"nosniff"),)
HTML_PAGES = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` plus the security headers its content type calls for and it lacks."""
    present = {name.lower() for name, _ in headers}
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    wanted = EVERY_RESPONSE + (HTML_PAGES if content_type.startswith(b"text/html") else ())
    return headers + [(name, value) for name, value in wanted if name not in present]


def security_headers_middleware(app):
    """Wrap the ASGI ``app`` so that each of its responses carries the security headers."""

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = with_security_headers(list(message.get("headers", [])))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
