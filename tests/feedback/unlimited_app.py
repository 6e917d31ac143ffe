"""The feedback app without rate limits, for uvicorn subprocesses in tests (load from one
address): ``uvicorn --app-dir tests/feedback --factory unlimited_app:create``."""

from __future__ import annotations

from starlette.applications import Starlette

from feedback_api.app import create_app
from feedback_api.limits import RateLimits
from kaifang.settings import load_settings


def create() -> Starlette:
    return create_app(load_settings().ensure_dirs(), rate_limits=RateLimits.unlimited())
