"""The kaifang Datasette plugin: hooks that turn Datasette into the portal.

Registered as the ``datasette`` entry point. Every hook does nothing unless the Datasette
instance was built by ``publish.server`` (it then carries ``kaifang_portal``), so a plain
``datasette serve`` in the same environment behaves as stock Datasette.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from publish import i18n, introspection
from publish.metadata import datasette_metadata, page_metadata
from publish.middleware import portal_middleware
from publish.search import is_searchable
from publish.security_headers import security_headers_middleware
from publish.views import ROUTES, per_publish, render, request_language

STATIC_MOUNT = "-/kaifang"  # publish/static is served under /-/kaifang/ by publish.server


def _portal(datasette):
    return getattr(datasette, "kaifang_portal", None)


@hookimpl
def register_routes(datasette):
    if not _portal(datasette):
        return []
    return [*ROUTES, (introspection.hidden_paths(STATIC_MOUNT), introspection.hidden_page)]


@hookimpl
def prepare_connection(conn, database, datasette):
    if _portal(datasette):
        conn.set_authorizer(introspection.refuse_server_details)


@hookimpl
def asgi_wrapper(datasette):
    if not _portal(datasette):
        return None

    def searchable_paths() -> set[str]:
        return {
            f"/{d.name}/{d.name}" for d in _portal(datasette).catalog.datasets if is_searchable(d)
        }

    return lambda app: security_headers_middleware(portal_middleware(app, searchable_paths))


@hookimpl
def handle_exception(datasette, request, exception):
    """Datasette's own error pages (an unknown database, table or row, a bad request) as portal
    pages: in the reader's language, with the portal's header, styles and footer. Datasette
    renders them without any plugin's template variables. JSON errors and server errors (whose
    traceback Datasette logs) are left to Datasette."""
    if not _portal(datasette) or request.path.endswith(".json"):
        return None
    if isinstance(exception, Base400):
        status, message, title = exception.status, exception.args[0], None
    elif isinstance(exception, DatasetteError):
        status, title = exception.status, exception.title
        message = Markup(exception.message) if exception.message_is_html else exception.message
    else:
        return None

    async def error_page():
        context = {"ok": False, "status": status, "error": message, "title": title}
        response = await render(datasette, request, "error.html", context, status=status)
        if datasette.cors:
            add_cors_headers(response.headers)
        return response

    return error_page


@hookimpl
def extra_css_urls(datasette):
    return [f"/{STATIC_MOUNT}/portal.css"] if _portal(datasette) else []


def english_metadata(datasette, template: str, database: str | None, table: str | None) -> dict:
    """What an English page gets as ``metadata`` instead of the zh-TW one Datasette holds."""
    portal = _portal(datasette)
    metadata = per_publish(
        datasette,
        ("metadata", i18n.EN),
        lambda: datasette_metadata(portal.metadata, portal.catalog, i18n.EN),
    )
    return page_metadata(metadata, template, database, table)


@hookimpl
def extra_template_vars(datasette, request, template, database, table):
    portal = _portal(datasette)
    if not portal or request is None:
        return {}
    language = request_language(request)
    contact = portal.metadata.portal["contact"]
    query_string = request.scope.get("query_string", b"").decode("latin-1")
    variables = {
        "_": i18n.translator(language),
        "lang": language,
        "html_lang": i18n.HTML_LANG[language],
        "lang_switch": i18n.language_switch(request.path, query_string, language),
        "portal_title": i18n.pick(
            language, portal.metadata.datasette["title"], portal.metadata.portal.get("title_en")
        ),
        "portal_contact": {
            **contact,
            "name": i18n.pick(language, contact["name"], contact.get("name_en")),
        },
        "static_base": f"/{STATIC_MOUNT}",
    }
    if language == i18n.EN:
        variables["metadata"] = english_metadata(datasette, template, database, table)
    original_search = request.args.get("_q")
    if original_search:
        variables["search"] = original_search
    return variables
