"""Portal serving speed: kaifang's portal against plain `datasette serve -i` on the same files.

Both servers run as subprocesses on loopback ports in the same run: ours through
`kaifang serve --only portal`, plain Datasette with `-i <files> --inspect-file` (its own
`datasette inspect`), `suggest_facets off` and only the FTS table names as metadata, so the
search scenario runs the same bigram query on both. An httpx async client fires each
scenario at 1 and 10 concurrent clients, bounded by request count and time, after a warm-up.

Usage:
  .venv/bin/python bench/serve.py [--home KAIFANG_HOME] [--requests 300] [--seconds 8]
Without --home a year of sample exports is written and the nightly job run into a temp folder.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from ingest.cjk_fts import fts_query
from kaifang.settings import load_settings

DATASET = "import_inspections"
SEARCH_WORD = "玩具"
TABLE = f"/{DATASET}/{DATASET}.json"
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: str
    plain: str | None  # None: plain Datasette has no such page


def scenarios(filter_column: str, filter_value: str, facet_column: str) -> list[Scenario]:
    raw_search = f"_search={quote(fts_query(SEARCH_WORD))}&_searchmode=raw"
    return [
        Scenario("home", "/", "/"),
        Scenario("landing page", f"/datasets/{DATASET}", None),
        Scenario("table JSON ?_size=50", f"{TABLE}?_size=50", f"{TABLE}?_size=50"),
        Scenario(
            "indexed filter",
            f"{TABLE}?_size=50&{filter_column}={quote(filter_value)}",
            f"{TABLE}?_size=50&{filter_column}={quote(filter_value)}",
        ),
        Scenario(
            "facet",
            f"{TABLE}?_size=1&_facet={facet_column}",
            f"{TABLE}?_size=1&_facet={facet_column}",
        ),
        Scenario(
            "Chinese search 玩具",
            f"{TABLE}?_size=50&_search={quote(SEARCH_WORD)}",
            f"{TABLE}?_size=50&{raw_search}",
        ),
        Scenario("catalog search 玩具", f"/search?q={quote(SEARCH_WORD)}", None),
    ]


def prepare_home(home: Path | None) -> Path:
    if home and (home / "published" / "manifest.json").exists():
        return home
    from ingest.nightly import run_nightly
    from kaifang.sample.run import write_sample

    home = home or Path(tempfile.mkdtemp(prefix="kaifang-bench-"))
    settings = load_settings({"KAIFANG_HOME": str(home)}).ensure_dirs()
    print(
        f"writing a year of sample exports and running the nightly job into {home} ...", flush=True
    )
    write_sample(settings.inbox, roc_year=112, scale=1.0, seed=1)
    run_nightly(settings)
    return home


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)
            return process
        except httpx.HTTPError:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}"
                ) from None
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"{' '.join(command)} did not answer within 60 s")


def start_ours(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "KAIFANG_HOME": str(home)}
    command = [
        str(VENV_BIN / "kaifang"),
        "serve",
        "--only",
        "portal",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return start(command, env, port), f"http://127.0.0.1:{port}"


def start_plain(home: Path, work: Path) -> tuple[subprocess.Popen, str]:
    manifest = json.loads((home / "published" / "manifest.json").read_text(encoding="utf-8"))
    files = [str(home / "published" / entry["file"]) for entry in manifest["datasets"].values()]
    inspect_file, metadata_file = work / "inspect.json", work / "metadata.json"
    subprocess.run(
        [str(VENV_BIN / "datasette"), "inspect", *files, "--inspect-file", str(inspect_file)],
        check=True,
    )
    fts = {
        name: {"tables": {name: {"fts_table": f"{name}_fts", "fts_pk": "rowid"}}}
        for name in manifest["datasets"]
    }
    metadata_file.write_text(json.dumps({"databases": fts}), encoding="utf-8")
    port = free_port()
    command = [
        str(VENV_BIN / "datasette"),
        "serve",
        *[arg for f in files for arg in ("-i", f)],
        "--inspect-file",
        str(inspect_file),
        "--metadata",
        str(metadata_file),
        "--setting",
        "suggest_facets",
        "off",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return start(command, dict(os.environ), port), f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def load(
    base_url: str, path: str, concurrency: int, max_requests: int, max_seconds: float
) -> Result:
    latencies: list[float] = []
    errors = 0
    issued = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for _ in range(3):  # warm-up: caches, first-request start-up
            await client.get(path)
        started = time.perf_counter()
        deadline = started + max_seconds

        async def worker():
            nonlocal issued, errors
            while issued < max_requests and time.perf_counter() < deadline:
                issued += 1
                begin = time.perf_counter()
                response = await client.get(path)
                latencies.append((time.perf_counter() - begin) * 1000)
                errors += response.status_code != 200

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99_index = min(len(latencies) - 1, int(len(latencies) * 0.99))
    return Result(
        len(latencies), elapsed, statistics.median(latencies), latencies[p99_index], errors
    )


def pick_filter_and_facet(base_url: str) -> tuple[str, str, str]:
    """An indexed column with a selective value to filter on, and one to facet by."""
    facets = httpx.get(f"{base_url}{TABLE}?_size=1&_facet=result", timeout=30).json()[
        "facet_results"
    ]
    values = facets["result"]["results"]
    rarest = min(values, key=lambda v: v["count"])["value"]
    return "result", rarest, "container_yard"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    home = prepare_home(args.home)
    manifest = json.loads((home / "published" / "manifest.json").read_text(encoding="utf-8"))
    print(f"data: {home}/published, {DATASET} has {manifest['datasets'][DATASET]['rows']:,} rows")
    with tempfile.TemporaryDirectory() as work:
        ours, ours_url = start_ours(home)
        plain, plain_url = start_plain(home, Path(work))
        try:
            filter_column, filter_value, facet_column = pick_filter_and_facet(plain_url)
            header = (
                f"{'scenario':<24}{'clients':>8}{'ours req/s':>12}{'p50 ms':>9}{'p99 ms':>9}"
                f"{'plain req/s':>13}{'p50 ms':>9}{'p99 ms':>9}{'ours/plain':>12}"
            )
            print(header)
            print("-" * len(header))
            for scenario in scenarios(filter_column, filter_value, facet_column):
                for concurrency in (1, 10):
                    mine = asyncio.run(
                        load(ours_url, scenario.ours, concurrency, args.requests, args.seconds)
                    )
                    row = f"{scenario.name:<24}{concurrency:>8}{mine.rps:>12.1f}{mine.p50_ms:>9.1f}{mine.p99_ms:>9.1f}"
                    if scenario.plain:
                        theirs = asyncio.run(
                            load(
                                plain_url, scenario.plain, concurrency, args.requests, args.seconds
                            )
                        )
                        row += f"{theirs.rps:>13.1f}{theirs.p50_ms:>9.1f}{theirs.p99_ms:>9.1f}{mine.rps / theirs.rps:>11.2f}x"
                        errors = mine.errors + theirs.errors
                    else:
                        row += f"{'—':>13}{'':>9}{'':>9}{'':>12}"
                        errors = mine.errors
                    print(row + (f"  ({errors} non-200)" if errors else ""), flush=True)
        finally:
            for process in (ours, plain):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
