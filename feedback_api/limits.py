"""Protection against abuse and accidents: submission rate limits, request body size limits and
a timeout on slow uploads.

Rate limits are token buckets kept in this process (per client IP, and per API key or
volunteer token when one is used). With several instances behind a proxy each keeps its own
buckets, so the effective limit is multiplied by the number of instances; see
docs/feedback-api.md. Going over a limit gives ``429 Too Many Requests`` with
``Retry-After``.

:class:`BodyLimitMiddleware` answers ``413`` as soon as a body is known to be too large (from
``Content-Length`` or while it streams in): 256 KiB for forms and JSON, room for five 10 MB
files in a ``multipart/form-data`` upload. A body that stalls for ``BODY_TIMEOUT_SECONDS``
gets ``408``.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from feedback_api.attachments import MAX_FILE_BYTES, MAX_FILES
from feedback_api.errors import error_for_path

BODY_LIMIT = 256 * 1024
UPLOAD_BODY_LIMIT = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024  # files plus the form fields
BODY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Rate:
    """``per_minute`` sustained, up to ``burst`` at once."""

    per_minute: float
    burst: int


@dataclass(frozen=True)
class RateLimits:
    """Submission limits: per client IP (anonymous citizens), per API key or volunteer token."""

    per_ip: Rate | None = Rate(per_minute=10, burst=10)
    per_key: Rate | None = Rate(per_minute=600, burst=100)

    @classmethod
    def unlimited(cls) -> RateLimits:
        """No limits (benchmarks and load tests that come from one address)."""
        return cls(per_ip=None, per_key=None)


class TokenBuckets:
    """Thread-safe token buckets keyed by any string."""

    MAX_KEYS = 100_000

    def __init__(self, rate: Rate):
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token for ``key``: 0.0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        refill_per_second = self.rate.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.rate.burst), now))
            tokens = min(float(self.rate.burst), tokens + (now - last) * refill_per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > self.MAX_KEYS:
                self._forget_full(now, refill_per_second)
            return (1.0 - tokens) / refill_per_second

    def _forget_full(self, now: float, refill_per_second: float) -> None:
        full = [
            key
            for key, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * refill_per_second >= self.rate.burst
        ]
        for key in full:
            del self._buckets[key]


class SubmissionLimiter:
    """Applies :class:`RateLimits` to submissions; raises HTTPException(429) when over."""

    def __init__(self, limits: RateLimits):
        self.by_ip = TokenBuckets(limits.per_ip) if limits.per_ip else None
        self.by_key = TokenBuckets(limits.per_key) if limits.per_key else None

    def check(self, request: Request, key_id: int | None = None) -> None:
        """Count one submission from this request's client (or from its key when given)."""
        if key_id is not None:
            buckets, bucket_key = self.by_key, f"key:{key_id}"
        else:
            client = request.client.host if request.client else "unknown"
            buckets, bucket_key = self.by_ip, f"ip:{client}"
        if buckets is None:
            return
        wait = buckets.take(bucket_key)
        if wait > 0:
            raise HTTPException(
                429,
                detail="送出太頻繁，請稍後再試 (too many submissions; try again later)",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )


class BodyLimitMiddleware:
    """ASGI middleware enforcing the body size limits and the upload timeout described above."""

    def __init__(
        self,
        app,
        *,
        limit: int = BODY_LIMIT,
        upload_limit: int = UPLOAD_BODY_LIMIT,
        timeout: float = BODY_TIMEOUT_SECONDS,
    ):
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.timeout = timeout

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.lower(): value for key, value in scope.get("headers", [])}
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        limit = self.upload_limit if content_type == b"multipart/form-data" else self.limit
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(scope, receive, send, 413, limit)
            return

        received = 0
        body_done = False
        response_started = False

        async def limited_receive():
            nonlocal received, body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise HTTPException(408, detail="request body too slow") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, detail=_too_large(limit))
                body_done = not message.get("more_body", False)
            return message

        async def tracking_send(message):
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except HTTPException as exc:
            if response_started or exc.status_code not in (408, 413):
                raise
            await _send_error(scope, receive, send, exc.status_code, limit)


def _too_large(limit: int) -> str:
    return f"內容太大，上限 {limit // 1024} KiB (request body larger than {limit // 1024} KiB)"


async def _send_error(scope, receive, send, status: int, limit: int) -> None:
    message = _too_large(limit) if status == 413 else "上傳逾時 (request body too slow)"
    response = error_for_path(scope, status, message, {"Connection": "close"})
    await response(scope, receive, send)
