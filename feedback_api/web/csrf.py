"""CSRF protection for every HTML form: a signed token in a cookie, echoed in a hidden field.

The token is a random value signed with the ``session_key`` secret (itsdangerous). A POST is
accepted only when the hidden field equals the cookie and the signature is valid and fresh.
A cross-site page can neither read our cookie nor forge a signature, so it cannot fill in the
field. The pages call :func:`csrf_token` while rendering and :func:`attach_csrf_cookie` on the
response; handlers call :func:`check_csrf` before acting.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from feedback_api.web.security import is_secure_request

CSRF_COOKIE = "kaifang_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 12 * 3600  # a form left open over a long working day still submits


def _serializer(secret: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="kaifang-csrf")


def _valid(secret: bytes, token: str | None) -> bool:
    if not token:
        return False
    try:
        _serializer(secret).loads(token, max_age=CSRF_MAX_AGE)
    except BadSignature:
        return False
    return True


def csrf_token(request: Request, secret: bytes) -> str:
    """The token for this visitor: the cookie's own when still valid, else a new one."""
    existing = request.cookies.get(CSRF_COOKIE)
    if _valid(secret, existing):
        return existing  # type: ignore[return-value]
    return _serializer(secret).dumps(secrets.token_urlsafe(16))


def attach_csrf_cookie(request: Request, response: Response, token: str) -> None:
    """Store ``token`` in the CSRF cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    if request.cookies.get(CSRF_COOKIE) == token:
        return
    response.set_cookie(
        CSRF_COOKIE,
        token,
        max_age=CSRF_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=is_secure_request(request),
    )


def check_csrf(request: Request, form_value: str | None, secret: bytes) -> bool:
    """True when the submitted field matches the cookie and carries our fresh signature."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_value:
        return False
    return secrets.compare_digest(cookie, form_value) and _valid(secret, cookie)
