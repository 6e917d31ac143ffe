"""The body limits and the slow-upload timeout, on a real server and a raw socket."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from feedback_api.errors import http_exception_handler
from feedback_api.limits import BodyLimitMiddleware, Rate, TokenBuckets
from tests.live_server import serving


async def echo_length(request):
    return JSONResponse({"length": len(await request.body())})


def _app(**limits):
    app = Starlette(
        routes=[Route("/api/v1/echo", echo_length, methods=["POST"])],
        exception_handlers={HTTPException: http_exception_handler},
    )
    app.add_middleware(BodyLimitMiddleware, **limits)
    return app


def _raw_exchange(base_url: str, head: bytes, body_part: bytes) -> bytes:
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head + body_part)
        return sock.recv(65536)


def test_a_stalled_upload_is_answered_408_instead_of_holding_a_worker():
    with serving(_app(timeout=0.3)) as url:
        head = (
            b"POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n"
        )
        answer = _raw_exchange(url, head, b'{"text": "only the beginning')
    assert answer.startswith(b"HTTP/1.1 408")
    assert b'"ok":false' in answer.replace(b" ", b"")


def test_multipart_uploads_get_the_larger_limit():
    with (
        serving(_app(limit=1000, upload_limit=50_000)) as url,
        httpx.Client(base_url=url) as client,
    ):
        big_json = client.post(
            "/api/v1/echo", content=b"x" * 5000, headers={"content-type": "application/json"}
        )
        upload = client.post("/api/v1/echo", files={"f": ("a.pdf", b"%PDF-" + b"0" * 5000)})
        too_big = client.post("/api/v1/echo", files={"f": ("a.pdf", b"%PDF-" + b"0" * 60_000)})
    assert big_json.status_code == 413
    assert upload.status_code == 200 and upload.json()["length"] > 5000
    assert too_big.status_code == 413


def test_token_buckets_refill_at_the_stated_rate():
    buckets = TokenBuckets(Rate(per_minute=60, burst=2))
    assert buckets.take("a", now=0.0) == 0.0
    assert buckets.take("a", now=0.0) == 0.0
    assert buckets.take("a", now=0.0) == 1.0  # one token a second: wait a second
    assert buckets.take("b", now=0.0) == 0.0  # others are not affected
    assert buckets.take("a", now=1.0) == 0.0
