"""ASGI middleware the portal wraps around Datasette.

- ``_lang=`` is remembered in a cookie so the whole visit stays in the chosen language.
- ``_bom=1`` on a ``.csv`` URL prefixes the download with a UTF-8 byte-order mark, which is
  what Excel on Windows needs to read Chinese text as UTF-8.
- A whole database (``/<name>.db``) is served as ``application/vnd.sqlite3``, the media type
  the DCAT catalog declares for it, not Datasette's ``application/octet-stream``.
- ``_search=`` on a dataset table becomes the bigram FTS5 expression of
  ``ingest.cjk_fts.fts_query`` (raw search mode), so two-character Chinese words match,
  also when typed in Simplified Chinese;
  the reader's own words travel along in ``_q`` for the search box.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from ingest.cjk_fts import fts_query
from publish import i18n

UTF8_BOM = b"\xef\xbb\xbf"
SQLITE_MEDIA_TYPE = b"application/vnd.sqlite3"
ORIGINAL_SEARCH_PARAM = "_q"


def _query(scope) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def rewrite_search(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Turn a reader's ``_search`` into the bigram expression; leave explicit raw searches alone.

    The table form resubmits ``_searchmode=raw`` and ``_q`` as hidden fields, so a raw search
    whose ``_search`` no longer matches its ``_q`` is a new search typed by the reader.
    """
    params = dict(pairs)
    text = params.get("_search", "").strip()
    if not text:
        return pairs
    if params.get("_searchmode") == "raw":
        original = params.get(ORIGINAL_SEARCH_PARAM)
        if original is None or text == fts_query(original):
            return pairs  # an explicit raw query, or one we already rewrote (next-page links)
    kept = [(k, v) for k, v in pairs if k not in ("_search", "_searchmode", ORIGINAL_SEARCH_PARAM)]
    expression = fts_query(text)
    if not expression:
        return kept  # nothing searchable (punctuation only): show the table unfiltered
    return [*kept, ("_search", expression), ("_searchmode", "raw"), (ORIGINAL_SEARCH_PARAM, text)]


def portal_middleware(app, searchable_paths: Callable[[], set[str]]):
    """Wrap ``app``; ``searchable_paths()`` gives the table paths ('/db/table') with a bigram index."""

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        pairs = _query(scope)
        params = dict(pairs)
        path = scope["path"]
        base_path = path.rsplit(".", 1)[0] if path.endswith((".json", ".csv")) else path
        if "_search" in params and base_path in searchable_paths():
            pairs = rewrite_search(pairs)
            scope = {**scope, "query_string": urlencode(pairs).encode("latin-1")}
        language = params.get(i18n.PARAM)
        add_bom = path.endswith(".csv") and params.get("_bom") == "1"
        whole_database = path.endswith(".db")

        async def wrapped_send(message):
            nonlocal add_bom
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if add_bom:
                    headers = [
                        (name, value)
                        for name, value in headers
                        if name.lower() != b"content-length"
                    ]
                if whole_database and message.get("status") == 200:
                    headers = [
                        (name, SQLITE_MEDIA_TYPE if name.lower() == b"content-type" else value)
                        for name, value in headers
                    ]
                if language in i18n.LANGUAGES:
                    cookie = i18n.cookie_header(language)
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and add_bom:
                message = {**message, "body": UTF8_BOM + message.get("body", b"")}
                add_bom = False
            await send(message)

        await app(scope, receive, wrapped_send)

    return middleware
