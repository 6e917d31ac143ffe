"""Which of our own responses any web origin may read: the data and metadata meant for programs.

Datasette already answers its JSON and CSV with CORS headers (``cors`` is on); the plugin's
machine-readable routes — the JSON download, the DCAT catalog, the data.gov.tw metadata — get
the same headers, so a web page on another site (a newsroom's chart, a harvester's browser
front end) can fetch them too.
"""

from __future__ import annotations

from datasette.utils import add_cors_headers


def open_to_every_origin(response):
    """``response`` with Datasette's CORS headers added."""
    add_cors_headers(response.headers)
    return response
