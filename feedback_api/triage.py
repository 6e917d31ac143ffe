"""Which section a new case goes to: the classifier's choice, or the triage queue at 秘書室.

The classifier's router (``classifier.router.load_router``) is loaded once per models folder
and shared by every request (it is thread-safe). A case goes to triage when no model is
installed, when the model is unsure (confidence below ``settings.triage_threshold``), or when
routing fails in any way: routing never blocks or fails a submission.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from kaifang.settings import Settings

log = logging.getLogger(__name__)

TRIAGE_UNIT = "秘書室"
SECTIONS = (
    "電資產品課",
    "機械產品課",
    "化工產品課",
    "計量課",
    "報驗發證課",
    "市場監督課",
    "秘書室",
)
FIELD_OFFICES = ("五堵辦事處", "蘇澳辦事處", "馬祖辦事處")
UNITS = SECTIONS + FIELD_OFFICES


@dataclass(frozen=True)
class RoutingDecision:
    """Where a case goes and why. ``method`` is automatic (the model decided), triage (sent
    to 秘書室 for a person to route) or manual (staff chose)."""

    unit: str
    confidence: float | None
    model_version: str | None
    method: str


_routers: dict[Path, object | None] = {}
_routers_lock = threading.Lock()


def _router_for(models_dir: Path):
    with _routers_lock:
        if models_dir not in _routers:
            try:
                from classifier.router import load_router
            except ImportError as exc:
                log.warning(
                    "the classifier cannot be imported (%s); every case goes to triage", exc
                )
                _routers[models_dir] = None
                return None
            try:
                _routers[models_dir] = load_router(models_dir)
            except Exception:  # a missing or broken model must not stop the service
                log.exception(
                    "no usable routing model in %s; every case goes to triage", models_dir
                )
                _routers[models_dir] = None
        return _routers[models_dir]


def preload_router(settings: Settings) -> bool:
    """Load the routing model now (at start-up) rather than on the first case; True if found."""
    return _router_for(Path(settings.models)) is not None


def route_text(settings: Settings, text: str) -> RoutingDecision:
    """The routing decision for a case's text; never raises."""
    router = _router_for(Path(settings.models))
    if router is None:
        return RoutingDecision(TRIAGE_UNIT, None, None, "triage")
    try:
        routing = router.route(text)
    except Exception:
        log.exception("routing failed; the case goes to triage")
        return RoutingDecision(TRIAGE_UNIT, None, None, "triage")
    confidence = float(routing.confidence)
    version = str(routing.model_version)
    if routing.needs_triage or confidence < settings.triage_threshold or routing.unit not in UNITS:
        return RoutingDecision(TRIAGE_UNIT, confidence, version, "triage")
    return RoutingDecision(routing.unit, confidence, version, "automatic")
