"""The composed ASGI application: the open-data portal and the feedback service on one port.

Requests under the feedback service's prefixes go to the Starlette app; everything else goes
to the portal (Datasette). Lifespan events are fanned out to both, so each runs its own
start-up (migrations, model loading, Datasette's startup hooks).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from kaifang.settings import Settings

ASGIApp = Callable[
    [dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]
]

FEEDBACK_PREFIXES = ("/feedback", "/feedback-static", "/api/v1", "/open311", "/staff")


def _has_prefix(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


class _SubAppLifespan:
    """One sub-app's lifespan protocol, run in its own task and driven event by event."""

    def __init__(self, app: ASGIApp, scope: dict):
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.task = asyncio.create_task(self._run(app, scope))

    async def _run(self, app: ASGIApp, scope: dict) -> None:
        try:
            await app(scope, self.inbox.get, self.outbox.put)
        except Exception as exc:  # an app without lifespan support raises on the scope type
            await self.outbox.put({"type": "lifespan.unsupported", "message": str(exc)})
        else:
            await self.outbox.put({"type": "lifespan.unsupported"})

    async def deliver(self, event: str) -> None:
        """Send ``lifespan.<event>`` and wait for the answer; raise if the sub-app failed it."""
        if self.task.done():
            return
        await self.inbox.put({"type": f"lifespan.{event}"})
        reply = await self.outbox.get()
        if reply["type"].endswith(".failed"):
            raise RuntimeError(reply.get("message") or f"lifespan {event} failed")


class LifespanFanout:
    """Drives the lifespan protocol of several sub-apps as if each were served alone."""

    def __init__(self, apps: list[ASGIApp]):
        self.apps = apps

    async def __call__(self, scope: dict, receive, send) -> None:
        subs = [_SubAppLifespan(app, scope) for app in self.apps]
        await receive()  # lifespan.startup
        try:
            for sub in subs:
                await sub.deliver("startup")
        except RuntimeError as exc:
            await send({"type": "lifespan.startup.failed", "message": str(exc)})
            return
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        for sub in subs:
            await sub.deliver("shutdown")
        await send({"type": "lifespan.shutdown.complete"})


def create_app(settings: Settings, only: str | None = None) -> Any:
    """Build the ASGI app: ``only`` is None (both), ``"portal"`` or ``"feedback"``."""
    from feedback_api.app import create_app as create_feedback_app
    from publish.server import create_portal_app

    if only == "portal":
        return create_portal_app(settings)
    if only == "feedback":
        return create_feedback_app(settings, serving=True)

    portal = create_portal_app(settings)
    feedback = create_feedback_app(settings, serving=True)
    lifespan = LifespanFanout([feedback, portal])

    async def app(scope: dict, receive, send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(scope, receive, send)
        elif _has_prefix(scope.get("path", ""), FEEDBACK_PREFIXES):
            await feedback(scope, receive, send)
        else:
            await portal(scope, receive, send)

    return app
