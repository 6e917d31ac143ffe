"""The English pages: a reader who cannot read Chinese meets Chinese only in the data."""

from __future__ import annotations

import pytest

from kaifang.settings import load_settings
from publish.i18n import EN
from tests.publish.conftest import DATASETS, _serve
from tests.publish.sample_portal import portal_settings, write_published


def english(client, path: str) -> str:
    """The page at ``path`` in English."""
    return client.get(path + ("&" if "?" in path else "?") + f"_lang={EN}").text


def serve(settings):
    """(settings, client) of a portal over ``settings`` until the test ends."""
    server = _serve(settings)
    _, client = next(server)
    try:
        yield settings, client
    finally:
        server.close()


@pytest.fixture(scope="module")
def english_portal(tmp_path_factory):
    """(settings, client) of a portal publishing DATASETS."""
    home = tmp_path_factory.mktemp("kaifang-home")
    settings = portal_settings(load_settings({"KAIFANG_HOME": str(home)}).ensure_dirs())
    write_published(settings, DATASETS)
    yield from serve(settings)


def test_english_charts_name_their_columns_and_series_in_english(english_portal):
    _, client = english_portal
    html = english(client, "/datasets/import_inspections")
    table = html.split('class="chart-data"')[1].split("</table>")[0]
    assert '<th scope="col">Month</th>' in table and "<td>Failed batches</td>" in table
    charts = html.split('id="charts-heading"')[1].split("</section>")[0]
    assert "不合格批數" not in charts and "月份" not in charts
    chinese = client.get("/datasets/import_inspections", params={"_lang": "zh-TW"}).text
    assert "<td>不合格批數</td>" in chinese
