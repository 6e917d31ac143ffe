"""Charts: Vega-Lite specs drawn from SQL over the published data, with a table alternative.

Charts are declared in metadata.yml (``portal.charts``) next to the dataset they belong to:
a title, one SQL query and which result columns are x, y and (optionally) the colour series.
Each chart is rendered in the browser by the vendored vega-embed (publish/static/vendor) and
its data is also given as an HTML table for screen readers and for readers without script.
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.i18n import pick


@dataclass(frozen=True)
class Chart:
    id: str
    dataset: str
    title: str
    title_en: str
    sql: str
    x: str
    y: str
    x_title: str
    y_title: str
    series: str | None = None
    mark: str = "line"  # line | bar
    x_type: str = "temporal"  # temporal | nominal


def load_charts(portal: dict) -> list[Chart]:
    return [Chart(**entry) for entry in portal.get("charts") or []]


def vega_lite_spec(chart: Chart, rows: list[dict], language: str) -> dict:
    encoding = {
        "x": {"field": chart.x, "type": chart.x_type, "title": chart.x_title},
        "y": {"field": chart.y, "type": "quantitative", "title": chart.y_title},
        "tooltip": [{"field": k} for k in (rows[0].keys() if rows else [])],
    }
    if chart.x_type == "temporal":  # months written YYYY-MM, not as English "Jan 2026"
        month = {"timeUnit": "yearmonth", "type": "temporal"}
        encoding["x"] |= month | {"axis": {"format": "%Y-%m"}}
        encoding["tooltip"] = [
            {**item, **month, "format": "%Y-%m"} if item["field"] == chart.x else item
            for item in encoding["tooltip"]
        ]
    if chart.series:
        encoding["color"] = {"field": chart.series, "type": "nominal"}
    if chart.mark == "bar" and chart.x_type == "nominal":
        encoding["x"]["sort"] = "-y"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": pick(language, chart.title, chart.title_en),
        "width": "container",
        "height": 260,
        "data": {"values": rows},
        "mark": {"type": chart.mark, "point": chart.mark == "line", "tooltip": True},
        "encoding": encoding,
    }


async def chart_data(datasette, chart: Chart) -> list[dict]:
    result = await datasette.get_database(chart.dataset).execute(chart.sql)
    return [dict(row) for row in result.rows]
