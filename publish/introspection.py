"""What the portal tells the public about the server it runs on: only what programs need.

Datasette answers a family of ``/-/`` pages to anyone: ``/-/databases`` (each database's file
path on the server), ``/-/versions`` (Python, SQLite and library versions), ``/-/threads``,
``/-/plugins``, ``/-/actor`` and its debugging tools. The public needs two of them:
``/-/metadata`` (the title, description and licence of every table and column) and
``/-/settings`` (the page size, row limit and time limit a program must respect). ``/-/static/``
and ``/-/kaifang/`` serve the pages' own files. Every other ``/-/`` path answers 404, so an
introspection page a later Datasette adds stays hidden until someone decides the public needs
it. The public list of databases and tables is ``/.json``.

SQL reaches the same details: ``pragma_database_list`` names each database's file, and
``sqlite_version()`` and its kin describe the library. :func:`refuse_server_details`, the
SQLite authorizer set on every connection of the portal, refuses to read them; Datasette's own
``PRAGMA database_list`` (a statement Datasette never accepts from the public) still works.
"""

from __future__ import annotations

import re
import sqlite3

from datasette.utils.asgi import Response

from publish.views import not_found

PUBLIC_PAGES = ("-/metadata", "-/settings")  # with or without .json
DATASETTE_STATIC = "-/static"

SERVER_DETAIL_TABLES = frozenset({"pragma_database_list"})
SERVER_DETAIL_FUNCTIONS = frozenset(
    {"sqlite_version", "sqlite_source_id", "sqlite_compileoption_get", "sqlite_compileoption_used"}
)


async def hidden_page(datasette, request):
    """The 404 a path outside the public ``/-/`` pages gets, shaped like its neighbours'."""
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": "Not found", "status": 404}, status=404)
    return await not_found(datasette, request, request.path)


def hidden_paths(static_mount: str) -> str:
    """The pattern of every ``/-/`` path but the public pages and the files (Datasette's and
    the portal's, served under ``static_mount``)."""
    pages = [rf"{re.escape(page)}(?:\.json)?$" for page in PUBLIC_PAGES]
    files = [f"{re.escape(mount)}/" for mount in (DATASETTE_STATIC, static_mount)]
    return rf"^/(?!{'|'.join(pages + files)})-/"


def refuse_server_details(action: int, arg1, arg2, database, trigger) -> int:
    """SQLite authorizer: deny reading database file paths and the library's version."""
    if action == sqlite3.SQLITE_READ and (arg1 or "").lower() in SERVER_DETAIL_TABLES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in SERVER_DETAIL_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
