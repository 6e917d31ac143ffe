"""The feedback service's HTML pages, for people rather than programs: the citizen form and
status pages (:mod:`.citizen`), the staff console (:mod:`.staff`) and their stylesheet.

``routes`` is everything, ready to be added to the feedback app's route list; the handlers
find the store on ``app.state.store``.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from feedback_api.web import citizen, staff

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

routes = [
    *citizen.routes,
    *staff.routes,
    Mount("/feedback-static", StaticFiles(directory=STATIC_DIR), name="feedback-static"),
]
