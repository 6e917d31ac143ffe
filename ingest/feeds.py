"""Product-safety news from RSS 2.0 and Atom feeds, accumulated in ``internal/feeds.db``.

Each run fetches ``settings.feed_urls`` with a conditional GET (the ETag and Last-Modified of
the previous response are kept in the store) and parses the local files
``inbox/feeds/*.xml``; feedparser reads both formats. Items are de-duplicated by guid (or
link) and kept across runs, so a ``304 Not Modified`` still publishes every known item.
A malformed or unreachable feed is reported and skipped; it never fails the run.
"""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import httpx

from ingest.provenance import utc_now
from ingest.readers import SourceFile, SourceRow

FEED_FIELDS = ["guid", "title", "link", "published", "summary", "feed"]
_TIMEOUT = httpx.Timeout(20.0)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    source TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT,
    fetched_at TEXT, status TEXT, message TEXT
);
CREATE TABLE IF NOT EXISTS feed_items (
    guid TEXT PRIMARY KEY, source TEXT NOT NULL, feed TEXT, title TEXT, link TEXT,
    published TEXT, summary TEXT, first_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feed_items_link ON feed_items (link);
"""


@dataclass(frozen=True)
class FeedStatus:
    """What happened to one feed in this run: fetched, not_modified, parsed or error."""

    source: str
    status: str
    new_items: int = 0
    message: str = ""


def store_path(internal: Path) -> Path:
    return internal / "feeds.db"


@contextmanager
def _store(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.executescript(_SCHEMA)
        yield conn
    finally:
        conn.close()


def refresh_feeds(urls: tuple[str, ...], local_files: list[Path], store: Path) -> list[FeedStatus]:
    """Fetch every URL (conditionally) and parse every local file into the item store."""
    statuses = []
    with _store(store) as conn, httpx.Client(timeout=_TIMEOUT, follow_redirects=True) as client:
        for url in urls:
            statuses.append(_refresh_url(conn, client, url))
        for path in local_files:
            statuses.append(_refresh_file(conn, path))
    return statuses


def _refresh_url(conn: sqlite3.Connection, client: httpx.Client, url: str) -> FeedStatus:
    state = conn.execute(
        "SELECT etag, last_modified FROM feed_state WHERE source = ?", (url,)
    ).fetchone()
    headers = {}
    if state and state[0]:
        headers["If-None-Match"] = state[0]
    if state and state[1]:
        headers["If-Modified-Since"] = state[1]
    try:
        response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        return _record(conn, url, FeedStatus(url, "error", message=f"unreachable: {exc}"))
    if response.status_code == 304:
        return _record(conn, url, FeedStatus(url, "not_modified"))
    if response.status_code >= 400:
        return _record(conn, url, FeedStatus(url, "error", message=f"HTTP {response.status_code}"))
    status = _store_items(conn, url, response.content, "fetched")
    if status.status != "error":
        _record(
            conn, url, status, etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"), body=response.content,
        )  # fmt: skip
    else:
        _record(conn, url, status)
    return status


def _refresh_file(conn: sqlite3.Connection, path: Path) -> FeedStatus:
    source = f"file:{path.name}"
    body = path.read_bytes()
    status = _store_items(conn, source, body, "parsed")
    return _record(conn, source, status, body=body if status.status != "error" else None)


def _store_items(conn: sqlite3.Connection, source: str, body: bytes, ok_status: str) -> FeedStatus:
    parsed = feedparser.parse(body)
    problem = _malformation(parsed)
    if problem and not parsed.entries:
        return FeedStatus(source, "error", message=f"malformed feed: {problem}")
    feed_title = _plain(parsed.feed.get("title")) or source
    new = 0
    now = utc_now()
    with conn:
        for entry in parsed.entries:
            item = _item(entry, feed_title)
            if item is None:
                continue
            known = conn.execute(
                "SELECT 1 FROM feed_items WHERE guid = ? OR (link IS NOT NULL AND link = ?)",
                (item["guid"], item["link"]),
            ).fetchone()
            if known:
                continue
            conn.execute(
                "INSERT INTO feed_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (item["guid"], source, feed_title, item["title"], item["link"],
                 item["published"], item["summary"], now),
            )  # fmt: skip
            new += 1
    if problem:  # the complete items before the damage are kept; the feed is still reported
        return FeedStatus(source, "error", new_items=new, message=f"malformed feed: {problem}")
    return FeedStatus(source, ok_status, new_items=new)


def _malformation(parsed) -> str | None:
    """Why feedparser had to guess, unless it only overrode a declared character encoding."""
    if not parsed.bozo or isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        return None
    return str(parsed.bozo_exception) or type(parsed.bozo_exception).__name__


def _item(entry, feed_title: str) -> dict | None:
    link = entry.get("link") or None
    guid = entry.get("id") or link
    title = _plain(entry.get("title"))
    if not guid or not title:
        return None
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime(*moment[:6], tzinfo=UTC).isoformat() if moment else None
    return {
        "guid": guid, "title": title, "link": link, "published": published,
        "summary": _plain(entry.get("summary")), "feed": feed_title,
    }  # fmt: skip


def _plain(value: str | None) -> str | None:
    """Feed HTML as plain text: tags removed, entities decoded, spaces collapsed."""
    if not value:
        return None
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip() or None


def _record(
    conn: sqlite3.Connection, source: str, status: FeedStatus, *, etag: str | None = None,
    last_modified: str | None = None, body: bytes | None = None,
) -> FeedStatus:  # fmt: skip
    """Remember the outcome; validators and hash are only replaced by a successful fetch."""
    digest = hashlib.sha256(body).hexdigest() if body is not None else None
    with conn:
        conn.execute(
            "INSERT INTO feed_state (source, fetched_at, status, message) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(source) DO UPDATE SET fetched_at = excluded.fetched_at, "
            "status = excluded.status, message = excluded.message",
            (source, utc_now(), status.status, status.message),
        )
        if body is not None:
            conn.execute(
                "UPDATE feed_state SET etag = ?, last_modified = ?, sha256 = ? WHERE source = ?",
                (etag, last_modified, digest, source),
            )
    return status


def feed_sources(store: Path) -> list[dict]:
    """Provenance of the items: each source with the hash of its last body and its item count."""
    with _store(store) as conn:
        rows = conn.execute(
            "SELECT s.source, s.sha256, count(i.guid) FROM feed_state s "
            "LEFT JOIN feed_items i ON i.source = s.source GROUP BY s.source ORDER BY s.source"
        ).fetchall()
    return [{"file": source, "sha256": sha, "rows": count} for source, sha, count in rows]


@contextmanager
def open_feed_items(store: Path) -> Iterator[SourceFile]:
    """Every accumulated item as source rows, in a stable order (published time, then guid)."""
    with _store(store) as conn:
        cursor = conn.execute(
            f"SELECT {', '.join(FEED_FIELDS)} FROM feed_items ORDER BY published, guid"
        )
        rows = (
            SourceRow(line=number, cells=dict(zip(FEED_FIELDS, values, strict=True)), raw=values)
            for number, values in enumerate(cursor, start=1)
        )
        yield SourceFile(path=store, headers=list(FEED_FIELDS), rows=rows)
