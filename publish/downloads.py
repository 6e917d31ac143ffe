"""The JSON download of a dataset: every row of its table as one JSON array, streamed.

Datasette streams CSV (``_stream=on``) but cuts a table's JSON at ``max_returned_rows``
(1,000 rows) and only says so in a ``Link: rel="next"`` header, which nobody saving a file
sees. ``/datasets/{name}/rows.json`` (``JSON_PATH``) gives the same rows as the CSV download,
``rowid`` included, read in pages by rowid so any table streams in constant memory. The
landing page, the DCAT catalog and the data.gov.tw metadata all link here.

``CSV_PATH`` is the CSV download all three link to: every row (``_stream=on``) as a file
(``_dl=on``), which Datasette serves as ``text/csv``; without ``_dl`` it answers ``text/plain``
for the browser to show, which is not the media type the catalog declares.
"""

from __future__ import annotations

import json

from datasette.utils.asgi import AsgiStream, Response

from publish.cors import open_to_every_origin

JSON_PATH = "/datasets/{name}/rows.json"
CSV_PATH = "/{name}/{name}.csv?_stream=on&_size=max&_dl=on"
PAGE_ROWS = 1000


async def json_rows(datasette, request):
    portal = datasette.kaifang_portal
    name = request.url_vars["name"]
    if portal.catalog.get(name) is None:
        return open_to_every_origin(
            Response.json({"ok": False, "error": f"no dataset {name!r}"}, status=404)
        )
    database = datasette.get_database(name)

    async def stream(writer) -> None:
        last, separator = 0, "["
        while True:
            page = await database.execute(
                f'select rowid, * from "{name}" where rowid > :last order by rowid limit {PAGE_ROWS}',
                {"last": last},
            )
            rows = page.rows
            if rows:
                await writer.write(
                    separator
                    + ",\n".join(json.dumps(dict(row), ensure_ascii=False) for row in rows)
                )
                separator, last = ",\n", rows[-1]["rowid"]
            if len(rows) < PAGE_ROWS:
                break
        await writer.write("[]" if separator == "[" else "]\n")

    return open_to_every_origin(
        AsgiStream(
            stream,
            headers={"content-disposition": f'attachment; filename="{name}.json"'},
            content_type="application/json; charset=utf-8",
        )
    )
