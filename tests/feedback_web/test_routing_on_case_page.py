"""With a routing model installed, a case reaches its section by itself and the case page shows
the confidence and the words the model went by."""

from __future__ import annotations

import shutil

import pytest
from starlette.testclient import TestClient

from classifier import registry
from feedback_api import accounts, cases
from feedback_api.app import create_app
from kaifang.settings import load_settings
from tests.feedback_web.web_helpers import log_in, submit_case


@pytest.fixture(scope="module")
def trained_models(tmp_path_factory):
    """The default model trained on the shipped corpus, once for this module."""
    home = tmp_path_factory.mktemp("routing-model")
    model_settings = load_settings(env={"KAIFANG_HOME": str(home)}).ensure_dirs()
    registry.ensure_default_model(model_settings)
    return model_settings.models


@pytest.mark.slow
def test_the_case_page_shows_confidence_and_the_deciding_words(settings, trained_models):
    shutil.rmtree(settings.models)
    shutil.copytree(trained_models, settings.models)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        store = client.app.state.store
        accounts.add_staff(
            store, "wu", "correct horse battery", display_name="吳技正",
            role="section_staff", unit="計量課",
        )  # fmt: skip
        tracking, _ = submit_case(
            client, case_type="petition", text="傳統市場攤販的秤不準，買一斤少了快兩兩。"
        )
        case = cases.get_case(store, tracking)
        assert (case.unit, case.routing_method) == ("計量課", "automatic")
        log_in(client, "wu")
        page = client.get(f"/staff/cases/{tracking}").text
        assert "分類模型自動分派，信心度" in page
        assert "分派（系統）" in page and "計量課（分類模型自動分派，信心度" in page
        assert "模型判斷為「計量課」時權重最高的詞" in page
        assert "<td>秤</td>" in page
