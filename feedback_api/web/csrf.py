"""CSRF protection for every HTML form: a token valid only for the session it was issued to.

A token is signed with the ``session_key`` secret (itsdangerous) for one *binding*: the staff
login session when the request carries one (the random id inside the signed session cookie),
otherwise the visitor, a random id kept in the ``kaifang_visitor`` cookie that a citizen gets
with the first page, without logging in. A POST is accepted only when its hidden field holds
a fresh token signed for the binding of that same request. So a token copied from another
browser, from another staff member's session or from before a login does not work; a
cross-site page can neither read our cookies nor sign a token. A console token stays refused
even if an attacker plants his own visitor cookie, as the login cookie is signed; an anonymous
visitor's token is only as strong as the visitor cookie it is bound to. The pages call
:func:`issue_csrf` while rendering and :func:`keep_visitor_cookie` on the response; handlers
call :func:`check_csrf` before acting.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from feedback_api.web.security import is_secure_request
from feedback_api.web.staff_session import session_id

VISITOR_COOKIE = "kaifang_visitor"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 12 * 3600  # a form left open over a long working day still submits


@dataclass(frozen=True)
class CsrfToken:
    value: str  # for the form's hidden field
    visitor: str | None  # the visitor id it is bound to; None when bound to a staff session


def _signer(secret: bytes, binding: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"kaifang-csrf:{binding}")


def _staff_binding(request: Request, secret: bytes) -> str | None:
    staff_session = session_id(request, secret)
    return f"staff:{staff_session}" if staff_session else None


def _visitor_binding(visitor: str) -> str:
    return f"visitor:{visitor}"


def issue_csrf(request: Request, secret: bytes) -> CsrfToken:
    """A token for this request's session; a first-time visitor gets a new visitor id."""
    staff = _staff_binding(request, secret)
    if staff:
        return CsrfToken(_signer(secret, staff).dumps(""), visitor=None)
    visitor = request.cookies.get(VISITOR_COOKIE) or secrets.token_urlsafe(16)
    return CsrfToken(_signer(secret, _visitor_binding(visitor)).dumps(""), visitor)


def keep_visitor_cookie(request: Request, response: Response, token: CsrfToken) -> None:
    """Store or renew the visitor id ``token`` is bound to (HttpOnly, SameSite=Lax, Secure over
    HTTPS), so the cookie lasts as long as the token of the page just sent."""
    if token.visitor is None:
        return
    response.set_cookie(
        VISITOR_COOKIE,
        token.visitor,
        max_age=CSRF_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=is_secure_request(request),
    )


def check_csrf(request: Request, form_value: object, secret: bytes) -> bool:
    """True when the submitted field is a fresh token signed for this request's session."""
    visitor = request.cookies.get(VISITOR_COOKIE)
    binding = _staff_binding(request, secret) or (visitor and _visitor_binding(visitor))
    if not binding or not isinstance(form_value, str) or not form_value:
        return False
    try:
        _signer(secret, binding).loads(form_value, max_age=CSRF_MAX_AGE)
    except BadSignature:
        return False
    return True
