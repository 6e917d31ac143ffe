"""Feeds over a real HTTP server on loopback: RSS and Atom, conditional GET with a 304 on the
second fetch, items accumulated and de-duplicated, broken feeds reported without failing."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.nightly import run_nightly
from kaifang.settings import load_settings
from tests.ingest.ingest_fixtures import rows

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>商品安全資訊網</title><link>http://example.test/</link>
<item><title>行動電源召回</title><link>http://example.test/news/1</link><guid>news-1</guid>
<pubDate>Wed, 15 Mar 2023 08:00:00 +0800</pubDate><description>&lt;p&gt;某廠牌行動電源過熱，請停止使用。&lt;/p&gt;</description></item>
<item><title>電暖器使用注意</title><link>http://example.test/news/2</link><guid>news-2</guid>
<pubDate>Thu, 16 Mar 2023 09:30:00 +0800</pubDate><description>冬季使用電暖器請遠離易燃物。</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>商品回收公告</title><id>urn:recalls</id>
<updated>2023-03-20T00:00:00Z</updated>
<entry><title>兒童玩具回收</title><id>urn:recall:7</id><link href="http://example.test/recall/7"/>
<updated>2023-03-20T00:00:00Z</updated><summary>小零件有誤吞風險。</summary></entry>
<entry><title>行動電源召回（轉載）</title><id>urn:recall:8</id><link href="http://example.test/news/1"/>
<updated>2023-03-21T00:00:00Z</updated><summary>同一則新聞。</summary></entry>
</feed>"""


EMPTY_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>新設的公告</title><link>http://example.test/</link></channel></rss>"""


class FeedServer(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.log: list[tuple[str, int]] = []
        self.bodies = {"/rss.xml": RSS, "/atom.xml": ATOM, "/broken.xml": "<rss><channel><item>",
                       "/empty.xml": EMPTY_RSS}  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = self.server.bodies.get(self.path)
        if body is None:
            return self._send(404, b"")
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        modified = "Mon, 20 Mar 2023 00:00:00 GMT"
        if (
            self.headers.get("If-None-Match") == etag
            or self.headers.get("If-Modified-Since") == modified
        ):
            return self._send(304, b"")
        self._send(200, body.encode("utf-8"), {"ETag": etag, "Last-Modified": modified,
                                               "Content-Type": "application/xml"})  # fmt: skip

    def _send(self, status: int, body: bytes, headers: dict | None = None):
        self.server.log.append((self.path, status))
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone.xml"


def test_feeds_are_fetched_conditionally_and_accumulated(
    kaifang_home, monkeypatch, feed_server, reporter
):
    urls = [feed_server.url("/rss.xml"), feed_server.url("/atom.xml"), feed_server.url("/broken.xml"),
            closed_port_url()]  # fmt: skip
    monkeypatch.setenv("KAIFANG_FEED_URLS", ",".join(urls))
    settings = load_settings().ensure_dirs()

    first = run_nightly(settings, only=["product_safety_news"], reporter=reporter)
    assert first.exit_code == 0  # the broken and unreachable feeds do not fail the run
    statuses = {status.source: status for status in first.feeds}
    assert statuses[urls[0]].status == "fetched" and statuses[urls[0]].new_items == 2
    assert statuses[urls[1]].new_items == 1  # the re-posted item with a known link is a duplicate
    assert statuses[urls[2]].status == "error" and "malformed" in statuses[urls[2]].message
    assert statuses[urls[3]].status == "error" and "unreachable" in statuses[urls[3]].message

    db = settings.published / "product_safety_news.db"
    published = rows(db, "SELECT guid, title, published_at, summary FROM product_safety_news")
    assert [row[0] for row in published] == ["news-1", "news-2", "urn:recall:7"]
    assert published[0][2] == "2023-03-15T00:00:00+00:00"
    assert published[0][3] == "某廠牌行動電源過熱，請停止使用。"  # HTML removed

    second = run_nightly(settings, only=["product_safety_news"], reporter=reporter)
    for path in ("/rss.xml", "/atom.xml"):
        assert [status for fetched, status in feed_server.log if fetched == path] == [200, 304]
    assert {s.source: s.status for s in second.feeds}[urls[0]] == "not_modified"
    assert {s.source: s.status for s in second.feeds}[urls[1]] == "not_modified"
    assert second.results[0].status == "unchanged"  # the known items are still published
    assert rows(db, "SELECT count(*) FROM product_safety_news") == [(3,)]


def test_local_feed_files_in_the_inbox_are_published(settings, reporter):
    (settings.inbox / "feeds").mkdir()
    (settings.inbox / "feeds" / "recalls.xml").write_text(ATOM, encoding="utf-8")
    outcome = run_nightly(settings, only=["product_safety_news"], reporter=reporter)
    assert outcome.results[0].status == "published"
    assert rows(settings.published / "product_safety_news.db",
                "SELECT feed, count(*) FROM product_safety_news") == [("商品回收公告", 2)]  # fmt: skip


def test_a_feed_without_items_yet_does_not_fail_the_run(
    kaifang_home, monkeypatch, feed_server, reporter
):
    monkeypatch.setenv("KAIFANG_FEED_URLS", feed_server.url("/empty.xml"))
    outcome = run_nightly(load_settings().ensure_dirs(), only=["product_safety_news"],
                          reporter=reporter)  # fmt: skip
    assert outcome.exit_code == 0
    assert outcome.results[0].status != "failed", outcome.results[0].message
