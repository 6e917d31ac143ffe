"""Charts: Vega-Lite specs drawn from SQL over the published data, with a table alternative.

Charts are declared in metadata.yml (``portal.charts``) next to the dataset they belong to:
a title, one SQL query and which result columns are x, y and (optionally) the colour series.
Each chart is rendered in the browser by the vendored vega-embed (publish/static/vendor) and
its data is also given as an HTML table for screen readers and for readers without script.
The SQL names columns and series in Chinese; English pages show them through ``labels_en``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.i18n import EN, pick


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
    x_title_en: str | None = None
    y_title_en: str | None = None
    labels_en: dict[str, str] = field(default_factory=dict)  # column names and series values

    def label(self, text: str, language: str) -> str:
        """A column name or series value of the chart's SQL in ``language``."""
        return pick(language, text, self.labels_en.get(text))


def load_charts(portal: dict) -> list[Chart]:
    return [Chart(**entry) for entry in portal.get("charts") or []]


def localized_rows(chart: Chart, rows: list[dict], language: str) -> list[dict]:
    """``rows`` of ``chart_data`` with the column names and series values in ``language``."""
    if language != EN:
        return rows
    return [
        {
            chart.label(name, language): chart.label(value, language)
            if name == chart.series and isinstance(value, str)
            else value
            for name, value in row.items()
        }
        for row in rows
    ]


def vega_lite_spec(chart: Chart, rows: list[dict], language: str) -> dict:
    """The chart's spec over ``rows`` in ``language`` (as ``localized_rows`` gives them)."""
    x, y = chart.label(chart.x, language), chart.label(chart.y, language)
    encoding = {
        "x": {
            "field": x,
            "type": chart.x_type,
            "title": pick(language, chart.x_title, chart.x_title_en),
        },
        "y": {
            "field": y,
            "type": "quantitative",
            "title": pick(language, chart.y_title, chart.y_title_en),
        },
        "tooltip": [{"field": k} for k in (rows[0].keys() if rows else [])],
    }
    if chart.x_type == "temporal":  # months written YYYY-MM, not as English "Jan 2026"
        month = {"timeUnit": "yearmonth", "type": "temporal"}
        encoding["x"] |= month | {"axis": {"format": "%Y-%m"}}
        encoding["tooltip"] = [
            {**item, **month, "format": "%Y-%m"} if item["field"] == x else item
            for item in encoding["tooltip"]
        ]
    if chart.series:
        encoding["color"] = {"field": chart.label(chart.series, language), "type": "nominal"}
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
