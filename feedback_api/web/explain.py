"""Why the classifier routed a case where it did: the n-grams that weighed most for its unit
(``Router.explain``), for the staff case page. The router is loaded in this process on the
first case page that asks (triage runs its own copy in a child process) and kept per models
folder; when no model is installed, or it cannot explain, there is simply no explanation.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from kaifang.settings import Settings

log = logging.getLogger(__name__)
EXPLAIN_NGRAMS = 8


@dataclass(frozen=True)
class RoutingExplanation:
    unit: str  # the unit the model prefers for this text
    ngrams: list[tuple[str, float]]  # (n-gram, weight), strongest first


_routers: dict[Path, object | None] = {}
_routers_lock = threading.Lock()


def _router(models_dir: Path):
    with _routers_lock:
        if models_dir not in _routers:
            try:
                from classifier.router import load_router

                _routers[models_dir] = load_router(models_dir)
            except Exception:
                log.exception("no routing model to explain cases with in %s", models_dir)
                _routers[models_dir] = None
        return _routers[models_dir]


def explain_routing(settings: Settings, text: str) -> RoutingExplanation | None:
    """The model's reasons for ``text``, or None; never raises."""
    router = _router(Path(settings.models))
    if router is None:
        return None
    try:
        unit = str(router.route(text).unit)
        ngrams = [(str(g), float(w)) for g, w in router.explain(text, n=EXPLAIN_NGRAMS)]
    except Exception:
        log.exception("the routing model could not explain a case")
        return None
    return RoutingExplanation(unit, ngrams) if ngrams else None
