"""The portal's own pages: catalog home, category pages, dataset landing pages, catalog search,
DCAT and data.gov.tw metadata. Datasette keeps the database, table, row and query pages.

Every view reads the ``PortalContext`` of the Datasette instance it runs on, so a page is
always built from one consistent publish.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from datasette.utils.asgi import Response

from publish import dcat
from publish.catalog import PublishedDataset, iter_categories, temporal_coverage
from publish.charts import chart_data, load_charts, localized_rows, vega_lite_spec
from publish.cors import open_to_every_origin
from publish.datagovtw import datagovtw_metadata
from publish.downloads import CSV_PATH, JSON_PATH, json_rows
from publish.i18n import language_of, pick, translator
from publish.metadata import FREQUENCY_LABELS, column_label
from publish.search import ROW_COUNT_CAP, example_search_word, is_searchable, search_catalog

TAIPEI = ZoneInfo("Asia/Taipei")
DC_FORMATS = ("text/csv", "application/json", "application/vnd.sqlite3")
SCHEME_LABELS = {"topic": "Topic", "policy": "Policy", "service": "Service"}
SCHEME_HEADINGS = {"topic": "By topic", "policy": "By policy area", "service": "By service"}
META_TAG_OF_SCHEME = {
    "topic": "Category.Theme",
    "policy": "Category.Cake",
    "service": "Category.Service",
}


def portal_of(datasette):
    return datasette.kaifang_portal


def per_publish(datasette, key: tuple, compute):
    """``compute()`` once per publish: everything it reads is fixed until the next manifest."""
    cache = portal_of(datasette).cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


async def per_publish_awaited(datasette, key: tuple, compute):
    """Like ``per_publish`` for a query: ``await compute()`` once per publish."""
    cache = portal_of(datasette).cache
    if key not in cache:
        cache[key] = await compute()
    return cache[key]


def request_language(request) -> str:
    return language_of(request.scope.get("query_string", b"").decode("latin-1"), request.cookies)


def taipei_time(iso: str | None) -> str:
    """'2026-11-27 16:05' in Asia/Taipei for an ISO 8601 time; the input when it is not one."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return iso
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")


def frequency_label(frequency: str, language: str) -> str:
    zh, en = FREQUENCY_LABELS.get(frequency, (frequency, frequency))
    return pick(language, zh, en)


def category_links(catalog, dataset: PublishedDataset, language: str) -> list[dict]:
    links = []
    for scheme in SCHEME_LABELS:
        for code in dataset.categories(scheme):
            category = catalog.taxonomies.get(scheme, {}).get(code)
            links.append(
                {
                    "scheme": scheme,
                    "code": code,
                    "name": pick(language, category.name, category.name_en) if category else code,
                    "official": bool(category and category.official),
                    "url": f"/categories/{scheme}/{quote(code)}",
                }
            )
    return links


def dataset_summary(catalog, dataset: PublishedDataset, language: str) -> dict:
    definition = dataset.definition
    return {
        "name": dataset.name,
        "title": pick(language, definition.title, definition.title_en),
        "description": pick(language, definition.description, definition.description_en),
        "rows": dataset.rows,
        "updated": taipei_time(dataset.updated_at),
        "frequency": frequency_label(definition.update_frequency, language),
        "url": f"/datasets/{dataset.name}",
        "categories": category_links(catalog, dataset, language),
    }


async def render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    context = {"metadata": datasette.metadata(), **context}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def not_found(datasette, request, what: str) -> Response:
    """A 404 page in the reader's language (raising NotFound would log a traceback)."""
    message = translator(request_language(request))("Page not found") + f": {what}"
    context = {"status": 404, "error": message, "title": None}
    return await render(datasette, request, "error.html", context, status=404)


async def home(datasette, request):
    portal = portal_of(datasette)
    catalog, language = portal.catalog, request_language(request)
    groups = []
    for category in iter_categories(catalog, "topic"):
        datasets = [d for d in catalog.datasets if category.code in d.categories("topic")]
        if datasets:
            groups.append(
                {
                    "code": category.code,
                    "name": pick(language, category.name, category.name_en),
                    "official": category.official,
                    "url": f"/categories/topic/{quote(category.code)}",
                    "datasets": [dataset_summary(catalog, d, language) for d in datasets],
                }
            )
    grouped = {d["name"] for g in groups for d in g["datasets"]}
    ungrouped = [
        dataset_summary(catalog, d, language) for d in catalog.datasets if d.name not in grouped
    ]
    return await render(
        datasette,
        request,
        "index.html",
        {
            "groups": groups,
            "ungrouped": ungrouped,
            "dataset_count": len(catalog.datasets),
            "total_rows": sum(d.rows for d in catalog.datasets),
            "generated_at": taipei_time(catalog.generated_at),
            "charts": await charts_for(datasette, None, language),
        },
    )


async def categories(datasette, request):
    catalog, language = portal_of(datasette).catalog, request_language(request)
    schemes = []
    for scheme, heading in SCHEME_HEADINGS.items():
        entries = [
            {
                "code": c.code,
                "name": pick(language, c.name, c.name_en),
                "official": c.official,
                "depth": category_depth(catalog, scheme, c.code),
                "count": len(catalog.in_category(scheme, c.code)),
                "url": f"/categories/{scheme}/{quote(c.code)}",
            }
            for c in iter_categories(catalog, scheme)
        ]
        schemes.append({"scheme": scheme, "heading": heading, "categories": entries})
    return await render(datasette, request, "categories.html", {"schemes": schemes})


def category_depth(catalog, scheme: str, code: str) -> int:
    depth, category = 0, catalog.taxonomies[scheme].get(code)
    while category and category.parent and depth < 5:
        depth += 1
        category = catalog.taxonomies[scheme].get(category.parent)
    return depth


async def category(datasette, request):
    scheme, code = request.url_vars["scheme"], request.url_vars["code"]
    catalog, language = portal_of(datasette).catalog, request_language(request)
    entry = catalog.taxonomies.get(scheme, {}).get(code)
    if entry is None:
        return await not_found(datasette, request, f"{scheme}/{code}")
    datasets = [dataset_summary(catalog, d, language) for d in catalog.in_category(scheme, code)]
    children = [
        {
            "code": c.code,
            "name": pick(language, c.name, c.name_en),
            "official": c.official,
            "url": f"/categories/{scheme}/{quote(c.code)}",
        }
        for c in iter_categories(catalog, scheme)
        if c.parent == code
    ]
    return await render(
        datasette,
        request,
        "category.html",
        {
            "scheme": scheme,
            "scheme_label": SCHEME_LABELS[scheme],
            "category": {
                "code": code,
                "name": pick(language, entry.name, entry.name_en),
                "official": entry.official,
            },
            "datasets": datasets,
            "children": children,
            "meta_tags": [(META_TAG_OF_SCHEME[scheme], code)],
        },
    )


def download_links(dataset: PublishedDataset) -> list[dict]:
    csv = CSV_PATH.format(name=dataset.name)
    return [
        {"label": "CSV (UTF-8)", "url": csv, "format": "CSV"},
        {
            "label": "CSV for Excel",
            "url": f"{csv}&_bom=1",
            "format": "CSV",
            "note": "CSV with a byte-order mark, so Excel on Windows shows Chinese correctly",
        },
        {"label": "JSON", "url": JSON_PATH.format(name=dataset.name), "format": "JSON"},
        {"label": "Whole database (SQLite)", "url": f"/{dataset.name}.db", "format": "SQLite"},
    ]


def api_examples(base_url: str, dataset: PublishedDataset, keyword: str | None) -> list[dict]:
    """``keyword``: the word of the full-text search example (None: the dataset has no search)."""
    table = f"{base_url}/{dataset.name}/{dataset.name}"
    examples = [{"label": "First 50 rows as JSON", "url": f"{table}.json?_shape=objects&_size=50"}]
    if keyword:
        examples.append(
            {
                "label": "Full-text search as JSON",
                "url": f"{table}.json?{urlencode({'_search': keyword})}",
            }
        )
    examples.append(
        {
            "label": "Metadata for data.gov.tw",
            "url": f"{base_url}/datasets/{dataset.name}/datagovtw.json",
        }
    )
    for example in examples:
        example["curl"] = f"curl -s '{example['url']}'"
    return examples


def publisher_name(portal, language: str) -> str:
    publisher = portal.metadata.publisher
    return pick(language, publisher["name"], publisher.get("name_en"))


def keyword_list(definition, language: str, separator: str) -> str:
    return pick(
        language, separator.join(definition.keywords), separator.join(definition.keywords_en)
    )


def dc_meta_tags(portal, dataset: PublishedDataset, language: str) -> list[tuple[str, str]]:
    """The government and Dublin Core meta tags of a landing page, in the page's language;
    DC.Language stays the data's."""
    definition, publisher = dataset.definition, publisher_name(portal, language)
    licence = portal.metadata.licence(definition.license)
    list_separator = translator(language)("; ")
    tags = [(META_TAG_OF_SCHEME[s], code) for s in SCHEME_LABELS for code in dataset.categories(s)]
    tags += [
        ("DC.Title", pick(language, definition.title, definition.title_en)),
        ("DC.Creator", publisher),
        ("DC.Subject", keyword_list(definition, language, list_separator)),
        ("DC.Description", pick(language, definition.description, definition.description_en)),
        ("DC.Contributor", publisher),
        ("DC.Type", translator(language)("Dataset")),
        ("DC.Format", list_separator.join(DC_FORMATS)),
        ("DC.Source", publisher),
        ("DC.Language", "zh-TW"),
        ("DC.Publisher", publisher),
        ("DC.Date", taipei_time(dataset.updated_at)[:10]),
        ("DC.Identifier", portal.metadata.publisher["oid"]),
        ("DC.Relation", f"{portal.settings.public_url.rstrip('/')}/datasets/{dataset.name}"),
        ("DC.Rights", f"{pick(language, licence.name, licence.name_en)} {licence.url}"),
        ("Keywords", keyword_list(definition, language, ",")),
    ]
    coverage = temporal_coverage(dataset)
    if coverage:
        tags += [("DC.coverage.t.min", coverage[0]), ("DC.coverage.t.max", coverage[1])]
    return tags


async def charts_for(datasette, dataset_name: str | None, language: str) -> list[dict]:
    """Charts of one dataset, or of every dataset for the home page, with their data."""
    catalog = portal_of(datasette).catalog
    rendered = []
    for chart in load_charts(portal_of(datasette).metadata.portal):
        if catalog.get(chart.dataset) is None or dataset_name not in (None, chart.dataset):
            continue
        rows = await per_publish_awaited(
            datasette, ("chart", chart.id), partial(chart_data, datasette, chart)
        )
        rows = localized_rows(chart, rows, language)
        rendered.append(
            {
                "id": chart.id,
                "title": pick(language, chart.title, chart.title_en),
                "spec": json.dumps(vega_lite_spec(chart, rows, language), ensure_ascii=False),
                "columns": list(rows[0].keys()) if rows else [],
                "rows": rows,
            }
        )
    return rendered


async def landing(datasette, request):
    portal = portal_of(datasette)
    catalog, language = portal.catalog, request_language(request)
    dataset = catalog.get(request.url_vars["name"])
    if dataset is None:
        return await not_found(datasette, request, request.url_vars["name"])
    definition = dataset.definition
    licence = portal.metadata.licence(definition.license)
    base_url = portal.settings.public_url.rstrip("/")
    coverage = temporal_coverage(dataset)
    search_word = None
    if is_searchable(dataset):
        search_word = await per_publish_awaited(
            datasette,
            ("search_example", dataset.name),
            partial(example_search_word, datasette, dataset),
        )
    return await render(
        datasette,
        request,
        "dataset.html",
        {
            "dataset": {
                **dataset_summary(catalog, dataset, language),
                "title_zh": definition.title,
                "title_en": definition.title_en,
                "keywords": keyword_list(definition, language, translator(language)(", ")),
                "version": dataset.version,
                "first_published": taipei_time(
                    per_publish(
                        datasette,
                        ("first", dataset.name),
                        lambda: catalog.first_published(dataset.name),
                    )
                ),
                "coverage": coverage,
                "table_url": f"/{dataset.name}/{dataset.name}",
            },
            "fields": [
                {
                    "name": c.name,
                    "label": column_label(c, language),
                    "type": c.type,
                    "unit": pick(language, c.unit, c.unit_en) or "",
                    "description": pick(language, c.description, c.description_en),
                }
                for c in definition.published_columns
            ],
            "publisher_name": publisher_name(portal, language),
            "licence": licence,
            "licence_name": pick(language, licence.name, licence.name_en),
            "attribution": licence.attribution_for(language, portal.metadata.publisher, dataset),
            "changelog": [
                {**entry.__dict__, "published_at": taipei_time(entry.published_at)}
                for entry in per_publish(
                    datasette, ("changelog", dataset.name), lambda: catalog.changelog(dataset.name)
                )
            ],
            "downloads": download_links(dataset),
            "api_examples": api_examples(base_url, dataset, search_word),
            "meta_tags": dc_meta_tags(portal, dataset, language),
            "charts": await charts_for(datasette, dataset.name, language),
            "searchable": is_searchable(dataset),
        },
    )


async def catalog_search(datasette, request):
    portal = portal_of(datasette)
    text = (request.args.get("q") or "").strip()
    language = request_language(request)
    hits = await search_catalog(datasette, portal.catalog, text) if text else []
    results = [
        {
            **dataset_summary(portal.catalog, hit.dataset, language),
            "in_metadata": hit.in_metadata,
            "matching_rows": min(hit.matching_rows, ROW_COUNT_CAP),
            "rows_capped": hit.rows_capped,
            "rows_url": f"/{hit.dataset.name}/{hit.dataset.name}?{urlencode({'_search': text})}",
        }
        for hit in hits
    ]
    return await render(datasette, request, "search.html", {"q": text, "results": results})


def datagovtw(datasette, request):
    portal = portal_of(datasette)
    dataset = portal.catalog.get(request.url_vars["name"])
    if dataset is None:
        return open_to_every_origin(
            Response.json(
                {"ok": False, "error": f"no dataset {request.url_vars['name']!r}"}, status=404
            )
        )
    return open_to_every_origin(Response.json(datagovtw_metadata(portal, dataset)))


def catalog_jsonld(datasette, request):
    graph = dcat.catalog_graph(portal_of(datasette))
    return open_to_every_origin(
        Response(dcat.to_jsonld(graph), content_type="application/ld+json; charset=utf-8")
    )


def catalog_turtle(datasette, request):
    graph = dcat.catalog_graph(portal_of(datasette))
    return open_to_every_origin(
        Response(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")
    )


ROUTES = [
    (r"^/$", home),
    (r"^/categories$", categories),
    (r"^/categories/(?P<scheme>topic|policy|service)/(?P<code>[^/]+)$", category),
    (r"^/datasets/(?P<name>[A-Za-z0-9_-]+)$", landing),
    (r"^/datasets/(?P<name>[A-Za-z0-9_-]+)/datagovtw\.json$", datagovtw),
    (r"^/datasets/(?P<name>[A-Za-z0-9_-]+)/rows\.json$", json_rows),
    (r"^/search$", catalog_search),
    (r"^/catalog\.jsonld$", catalog_jsonld),
    (r"^/catalog\.ttl$", catalog_turtle),
]
