"""Routing decisions: the model's unit when it is sure, triage at 秘書室 otherwise, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.router import Routing
from feedback_api import cases, triage
from feedback_api.validation import parse_submission
from tests.feedback.payloads import valid_case


class StandInRouter:
    """Answers like the classifier's Router: a fixed unit and confidence per text."""

    def __init__(self, answers: dict[str, tuple[str, float]] | None = None, broken=False):
        self.answers = answers or {}
        self.broken = broken

    def route_many(self, texts):
        if self.broken:
            raise MemoryError("model exploded")
        routings = []
        for text in texts:
            unit, confidence = self.answers[text]
            routings.append(Routing(unit, confidence, False, [(unit, confidence)], "v-test"))
        return routings


@pytest.fixture
def installed(settings, monkeypatch):
    def install(router):
        models = Path(settings.models)
        loaded = triage.LoadedRouter(triage.pointer_stamp(models), router)
        monkeypatch.setitem(triage._routers, models, loaded)

    return install


def test_a_sure_model_routes_and_an_unsure_one_sends_to_triage(settings, installed):
    installed(
        StandInRouter(
            {
                "計程車跳錶跳太快，請檢查。": ("計量課", 0.93),
                "這個東西怪怪的，請處理。": ("化工產品課", 0.31),
                "模型亂答的一句話。": ("不存在的課", 0.99),
            }
        )
    )
    sure, unsure, nonsense = triage.route_texts(
        settings, ["計程車跳錶跳太快，請檢查。", "這個東西怪怪的，請處理。", "模型亂答的一句話。"]
    )
    assert (sure.unit, sure.method, sure.confidence) == ("計量課", "automatic", 0.93)
    assert (unsure.unit, unsure.method, unsure.confidence) == ("秘書室", "triage", 0.31)
    assert (nonsense.unit, nonsense.method) == ("秘書室", "triage")


def test_a_failing_model_never_fails_a_submission(sqlite_store, installed):
    installed(StandInRouter(broken=True))
    submitted = cases.submit(sqlite_store, parse_submission(valid_case()), channel="web")
    case = cases.get_case(sqlite_store, submitted.tracking)
    assert (case.unit, case.routing_method) == ("秘書室", "triage")


def test_routed_cases_record_unit_confidence_and_model_version(sqlite_store, installed):
    text = "蝦皮有賣家賣沒有檢驗標章的充電器，請查處。"
    installed(StandInRouter({text: ("市場監督課", 0.88)}))
    submitted = cases.submit(sqlite_store, parse_submission(valid_case(text=text)), channel="api")
    case = cases.get_case(sqlite_store, submitted.tracking)
    assert (case.unit, case.routing_confidence, case.routing_model_version) == (
        "市場監督課", 0.88, "v-test",
    )  # fmt: skip
    assert case.routing_method == "automatic"


@pytest.mark.slow
def test_a_promoted_model_is_used_without_restarting_the_service(settings):
    from classifier import corpus
    from classifier.registry import ensure_default_model, train_and_promote

    text = "計程車跳錶跳太快，請派人檢查。"
    first = ensure_default_model(settings)
    assert triage.route_texts(settings, [text])[0].model_version == first.id
    promotion = train_and_promote(settings.models, corpus.shipped_corpus(), source="retrained")
    assert promotion.promoted
    assert triage.route_texts(settings, [text])[0].model_version == promotion.candidate.id
