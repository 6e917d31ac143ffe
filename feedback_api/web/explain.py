"""Why the classifier routed a case where it did: the n-grams that weighed most for its unit
(``Router.explain``), for the staff case page. It asks the model triage keeps in this process
(:func:`feedback_api.triage.in_process_router`), so there is one copy and a promoted model is
explained as soon as it routes; when no model is installed, or it cannot explain, there is
simply no explanation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from feedback_api.triage import in_process_router
from kaifang.settings import Settings

log = logging.getLogger(__name__)
EXPLAIN_NGRAMS = 8


@dataclass(frozen=True)
class RoutingExplanation:
    unit: str  # the unit the model prefers for this text
    ngrams: list[tuple[str, float]]  # (n-gram, weight), strongest first


def explain_routing(settings: Settings, text: str) -> RoutingExplanation | None:
    """The model's reasons for ``text``, or None; never raises."""
    router = in_process_router(settings)
    if router is None:
        return None
    try:
        unit = str(router.route(text).unit)
        ngrams = [(str(g), float(w)) for g, w in router.explain(text, n=EXPLAIN_NGRAMS)]
    except Exception:
        log.exception("the routing model could not explain a case")
        return None
    return RoutingExplanation(unit, ngrams) if ngrams else None
