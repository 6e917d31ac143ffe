"""Serving the portal: a Datasette over published/ that follows each nightly publish.

``create_portal_app(settings)`` returns an ASGI app. It builds a Datasette instance for the
current manifest (immutable databases, pre-computed row counts, merged metadata, our
templates and static files) and checks manifest.json's mtime at most once a second; when
the nightly job has rewritten it, a fresh instance is built and swapped in. Requests
already running finish on the instance they started on. Only files named in the manifest,
plus catalog.db (read-only, with locking, as the nightly job updates it in place), are
served: never internal/ nor the feedback store.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from datasette.app import Datasette
from datasette.database import WriteTask

from kaifang.settings import Settings
from publish.catalog import MANIFEST, Catalog, load_catalog
from publish.i18n import ZH, lang_attr, translator
from publish.metadata import PortalMetadata, datasette_metadata, load_portal_metadata
from publish.plugin import STATIC_MOUNT

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
RELOAD_CHECK_SECONDS = 1.0

DATASETTE_SETTINGS = {
    "suggest_facets": False,
    "allow_download": True,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "default_page_size": 50,
    "max_csv_mb": 500,
    "num_sql_threads": 3,
    "default_cache_ttl": 60,
}


@dataclass(frozen=True)
class PortalContext:
    """What our plugin hooks need; attached to each Datasette instance as ``kaifang_portal``."""

    settings: Settings
    catalog: Catalog
    metadata: PortalMetadata
    cache: dict = field(default_factory=dict)  # results that depend only on this publish


class ServingError(RuntimeError):
    """The publish cannot be served: a file outside published/, or ``datasette inspect`` failed."""


def check_servable(settings: Settings, files: list[Path]) -> None:
    """Refuse anything outside published/ (internal/, the feedback store, a stray path)."""
    published = settings.published.resolve()
    for file in files:
        resolved = file.resolve()
        if resolved.parent != published:
            raise ServingError(f"refusing to serve {resolved}: not directly inside {published}")


def inspect_cache_path(settings: Settings, catalog: Catalog) -> Path:
    return settings.internal / "portal" / f"inspect-{catalog.manifest_sha256[:16]}.json"


def inspect_data(settings: Settings, catalog: Catalog, files: list[Path]) -> dict:
    """Row counts and hashes from ``datasette inspect``, run once per manifest and cached.

    It runs as a subprocess so that its SQLite connections and threads end with it.
    """
    cache = inspect_cache_path(settings, catalog)
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if {Path(v["file"]).resolve() for v in data.values()} == {f.resolve() for f in files}:
            return data
    if not files:
        return {}
    cache.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_suffix(".tmp")
    command = [
        sys.executable,
        "-m",
        "datasette",
        "inspect",
        *map(str, files),
        "--inspect-file",
        str(temporary),
    ]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise ServingError(f"datasette inspect failed: {finished.stderr.strip()[-1000:]}")
    temporary.replace(cache)
    for stale in cache.parent.glob("inspect-*.json"):
        if stale != cache:
            stale.unlink(missing_ok=True)
    return json.loads(cache.read_text(encoding="utf-8"))


def build_datasette(settings: Settings) -> Datasette:
    """A Datasette instance for the publish manifest.json describes right now."""
    portal_metadata = load_portal_metadata(settings.metadata_file)
    catalog = load_catalog(settings.published, settings.datasets_dir)
    files = catalog.dataset_files()
    provenance = [catalog.provenance_file()] if catalog.provenance_file() else []
    check_servable(settings, files + provenance)
    datasette = Datasette(
        files=[str(f) for f in provenance],
        immutables=[str(f) for f in files],
        inspect_data=inspect_data(settings, catalog, files),
        metadata=datasette_metadata(portal_metadata, catalog),
        template_dir=str(TEMPLATES_DIR),
        static_mounts=[(STATIC_MOUNT, str(STATIC_DIR))],
        settings=DATASETTE_SETTINGS,
        cors=True,
    )
    datasette.jinja_env.globals["_"] = translator(ZH)
    datasette.jinja_env.globals["lang_attr"] = lang_attr
    datasette.refresh_schemas = _once(datasette.refresh_schemas)
    datasette.kaifang_portal = PortalContext(
        settings=settings, catalog=catalog, metadata=portal_metadata
    )
    return datasette


def _once(refresh):
    """Datasette re-reads every database's schema version on each request (one thread hop per
    database). Within one publish no schema changes (a new manifest brings a new instance), so
    reading them once, at the first request, is enough."""
    done = False

    async def refresh_once() -> None:
        nonlocal done
        if not done:
            await refresh()
            done = True

    return refresh_once


@dataclass
class Generation:
    """One publish being served: its Datasette, its ASGI app and how many requests it is serving."""

    datasette: Datasette
    asgi: object
    active: int = 0

    def retire(self) -> None:
        """Close the replaced files and end this instance's threads, so nothing piles up."""
        self.datasette.executor.shutdown(wait=False)
        for database in self.datasette.databases.values():
            database.close()
            _stop_write_thread(database)


def _exit_thread(connection) -> None:
    raise SystemExit


def _stop_write_thread(database) -> None:
    """Datasette 0.65 offers no way to stop a database's write thread (it serves the _internal
    database here); a task raising SystemExit, which its loop does not catch, ends it."""
    thread = database._write_thread
    if thread is not None and thread.is_alive():
        database._write_queue.put(WriteTask(_exit_thread, None, None))


class ReloadingPortal:
    """ASGI app that swaps in a new Datasette when manifest.json changes."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.manifest = settings.published / MANIFEST
        self._mtime = self._manifest_mtime()
        self._failed_mtime: int | None = None
        datasette = build_datasette(settings)
        self.current = Generation(datasette, datasette.app())
        self._checked_at = time.monotonic()
        self._lock = asyncio.Lock()

    @property
    def datasette(self) -> Datasette:
        return self.current.datasette

    def _manifest_mtime(self) -> int | None:
        try:
            return self.manifest.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    async def _reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < RELOAD_CHECK_SECONDS:
            return
        self._checked_at = now
        mtime = self._manifest_mtime()
        if mtime in (self._mtime, self._failed_mtime):
            return
        async with self._lock:
            if mtime in (self._mtime, self._failed_mtime):
                return
            try:
                datasette = await asyncio.to_thread(build_datasette, self.settings)
                await datasette.invoke_startup()
            except Exception:
                # Keep serving the previous publish until manifest.json changes again.
                self._failed_mtime = mtime
                log.exception("portal reload failed; still serving the previous publish")
                return
            previous, self.current = self.current, Generation(datasette, datasette.app())
            self._mtime = mtime
            if previous.active == 0:
                previous.retire()
            log.info(
                "portal now serves manifest %s", datasette.kaifang_portal.catalog.manifest_sha256
            )

    async def _lifespan(self, receive, send) -> None:
        """Answer the server's lifespan here: handed to a generation, the lifespan call would
        count as a request lasting the server's whole life, and that generation (with its open
        files) could never be retired. Each later generation runs its start-up when built."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.current.datasette.invoke_startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http":
            await self._reload_if_changed()
        generation = self.current
        generation.active += 1
        try:
            await generation.asgi(scope, receive, send)
        finally:
            generation.active -= 1
            if generation is not self.current and generation.active == 0:
                generation.retire()


def create_portal_app(settings: Settings) -> ReloadingPortal:
    """The public portal as an ASGI app (interface 7)."""
    settings.ensure_dirs()
    return ReloadingPortal(settings)
