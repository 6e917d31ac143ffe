"""Which section a new case goes to: the classifier's choice, or the triage queue at 秘書室.

The classifier's router (``classifier.router.load_router``) is loaded once per models folder
(and again when the registry promotes or rolls back a version) and run in a child process; new cases are routed in batches (``Router.route_many``), which
costs much less per message than one call each. A case goes to triage when no model is
installed, when the model is unsure (confidence below ``settings.triage_threshold``), or when
routing fails in any way: routing never blocks or fails a submission.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from classifier.corpus import UNITS as CLASSIFIER_UNITS
from kaifang.settings import Settings

log = logging.getLogger(__name__)

TRIAGE_UNIT = "秘書室"
SECTIONS = CLASSIFIER_UNITS  # the seven sections of units.md, the classifier's labels
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


ROUTING_TIMEOUT_SECONDS = 20.0


class _ProcessRouter:
    """The routing model run in a child process, so its CPU work proceeds beside request
    handling instead of competing with it for this process's GIL. If the child fails or hangs,
    routing falls back to the in-process router (which also proved at start that a model
    exists) for the rest of the process's life."""

    def __init__(self, models_dir: Path, local_router):
        self.local_router = local_router
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_child_load,
            initargs=(str(models_dir),),
        )

    def close(self) -> None:
        """Stop the child process once the calls it is running have finished."""
        if self.pool is not None:
            self.pool.shutdown(wait=False)
            self.pool = None

    def route_many(self, texts: list[str]):
        if self.pool is not None:
            try:
                return self.pool.submit(_child_route, texts).result(ROUTING_TIMEOUT_SECONDS)
            except Exception:
                log.exception("the routing process failed; routing in this process from now on")
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None
        return self.local_router.route_many(texts)


_child_router = None


def _child_load(models_dir: str) -> None:
    global _child_router
    from classifier.router import load_router

    _child_router = load_router(Path(models_dir))


def _child_route(texts: list[str]):
    return _child_router.route_many(texts)


@dataclass(frozen=True)
class LoadedRouter:
    """The router loaded for a models folder, and the state of the registry's pointer file
    (``current.json``) when it was loaded: a promotion or rollback changes the pointer, and
    the next routing call loads the new current model without a restart."""

    pointer_stamp: tuple[int, int] | None
    router: _ProcessRouter | None


_routers: dict[Path, LoadedRouter] = {}
_routers_lock = threading.Lock()


def pointer_stamp(models_dir: Path) -> tuple[int, int] | None:
    """Identifies the registry's pointer file as last written (None: no model installed); the
    registry replaces the file atomically, so every change gives a new inode."""
    from classifier.registry import POINTER_FILE

    try:
        stat = (models_dir / POINTER_FILE).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _router_for(models_dir: Path) -> _ProcessRouter | None:
    stamp = pointer_stamp(models_dir)
    with _routers_lock:
        loaded = _routers.get(models_dir)
        if loaded is None or loaded.pointer_stamp != stamp:
            if loaded is not None and loaded.router is not None:
                loaded.router.close()
            loaded = _routers[models_dir] = LoadedRouter(stamp, _load(models_dir))
        return loaded.router


def _load(models_dir: Path) -> _ProcessRouter | None:
    try:
        from classifier.router import load_router
    except ImportError as exc:
        log.warning("the classifier cannot be imported (%s); every case goes to triage", exc)
        return None
    try:
        local_router = load_router(models_dir)
    except Exception:  # a missing or broken model must not stop the service
        log.exception("no usable routing model in %s; every case goes to triage", models_dir)
        return None
    if local_router is None:
        log.warning("no routing model installed in %s; every case goes to triage", models_dir)
        return None
    return _ProcessRouter(models_dir, local_router)


def in_process_router(settings: Settings):
    """The current model as loaded in this process (``classifier.router.Router``), for the
    staff page's explanations, or None when none is installed; follows promotions too."""
    router = _router_for(Path(settings.models))
    return None if router is None else router.local_router


def preload_router(settings: Settings) -> bool:
    """Load the routing model now (at start-up) rather than on the first case; True if found."""
    return _router_for(Path(settings.models)) is not None


def route_texts(settings: Settings, texts: list[str]) -> list[RoutingDecision]:
    """The routing decision for each text, in order, from one call to the model; never raises."""
    if not texts:
        return []
    triage = RoutingDecision(TRIAGE_UNIT, None, None, "triage")
    router = _router_for(Path(settings.models))
    if router is None:
        return [triage] * len(texts)
    try:
        routings = router.route_many(texts)
    except Exception:
        log.exception("routing failed; %d cases go to triage", len(texts))
        return [triage] * len(texts)
    return [_decision(settings, routing) for routing in routings]


def _decision(settings: Settings, routing) -> RoutingDecision:
    unit, confidence, version = (
        str(routing.unit),
        float(routing.confidence),
        str(routing.model_version),
    )
    if routing.needs_triage or confidence < settings.triage_threshold or unit not in UNITS:
        return RoutingDecision(TRIAGE_UNIT, confidence, version, "triage")
    return RoutingDecision(unit, confidence, version, "automatic")
