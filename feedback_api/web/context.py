"""What every page handler needs from the running app: the feedback store, the settings, the
``session_key`` secret that signs CSRF tokens and staff sessions, and the staff login throttle. Built once per app from
``app.state.store`` (set by :func:`feedback_api.app.create_app`) and kept on ``app.state``.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from feedback_api.limits import Rate, TokenBuckets
from feedback_api.store import Store
from kaifang.secrets import get_secret
from kaifang.settings import Settings

LOGIN_RATE = Rate(per_minute=5, burst=10)  # login attempts per client address and per username


@dataclass(frozen=True)
class WebContext:
    store: Store
    settings: Settings
    secret: bytes
    login_attempts: TokenBuckets


def web_context(request: Request) -> WebContext:
    state = request.app.state
    context = getattr(state, "web_context", None)
    if context is None:
        store: Store = state.store
        secret = get_secret(store.settings, "session_key")
        context = WebContext(
            store=store,
            settings=store.settings,
            secret=secret,
            login_attempts=TokenBuckets(LOGIN_RATE),
        )
        state.web_context = context
    return context
