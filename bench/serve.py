"""Portal serving speed: kaifang's portal against plain `datasette serve -i` on the same files.

Both servers run as subprocesses on loopback ports in the same run: ours through
`kaifang serve --only portal`, plain Datasette with `-i <files> --inspect-file` (its own
`datasette inspect`), `suggest_facets off` and only the FTS table names as metadata, so the
search scenario runs the same bigram query on both. An httpx async client fires each
scenario at 1 and 10 concurrent clients, bounded by request count and time, after a warm-up.

Usage (as a module, so that bench/ingest.py does not shadow the ingest package):
  .venv/bin/python -m bench.serve [--home KAIFANG_HOME] [--dataset NAME] [--word 玩具]
                                  [--requests 300] [--seconds 8]
Without --home a year of sample exports is written and the nightly job run into a temp folder.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from ingest.cjk_fts import fts_query
from ingest.definitions import load_definitions
from kaifang.settings import REPO_ROOT, load_settings

VENV_BIN = Path(sys.executable).parent


def definitions_by_name() -> dict:
    return {d.name: d for d in load_definitions(REPO_ROOT / "datasets")}


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: str
    plain: str | None  # None: plain Datasette has no such page


def scenarios(
    dataset: str, word: str, filter_column: str, filter_value: str, facet_column: str
) -> list[Scenario]:
    table = f"/{dataset}/{dataset}.json"
    raw_search = f"_search={quote(fts_query(word))}&_searchmode=raw"
    return [
        Scenario("home", "/", "/"),
        Scenario("landing page", f"/datasets/{dataset}", None),
        Scenario("table JSON ?_size=50", f"{table}?_size=50", f"{table}?_size=50"),
        Scenario(
            "indexed filter",
            f"{table}?_size=50&{filter_column}={quote(filter_value)}",
            f"{table}?_size=50&{filter_column}={quote(filter_value)}",
        ),
        Scenario(
            "facet",
            f"{table}?_size=1&_facet={facet_column}",
            f"{table}?_size=1&_facet={facet_column}",
        ),
        Scenario(
            f"Chinese search {word}",
            f"{table}?_size=50&_search={quote(word)}",
            f"{table}?_size=50&{raw_search}",
        ),
        Scenario(f"catalog search {word}", f"/search?q={quote(word)}", None),
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
            httpx.get(f"http://127.0.0.1:{port}/.json", timeout=2)
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
    files.append(str(home / "published" / "catalog.db"))  # ours serves it too
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


ROUNDS = 3  # ours and plain alternate, so that load from other processes hits both alike


@dataclass(frozen=True)
class Result:
    latencies_ms: tuple[float, ...]
    seconds: float
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]

    def __add__(self, other: Result) -> Result:
        return Result(
            self.latencies_ms + other.latencies_ms,
            self.seconds + other.seconds,
            self.errors + other.errors,
        )


async def load(
    base_url: str, path: str, concurrency: int, max_requests: int, max_seconds: float
) -> Result:
    latencies: list[float] = []
    errors = 0
    issued = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
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
    return Result(tuple(latencies), elapsed, errors)


def compare(ours: tuple[str, str], plain: tuple[str, str] | None, concurrency: int, args):
    """Alternate rounds on our server and plain Datasette; pool each side's rounds."""
    per_round = max(1, args.requests // ROUNDS)
    seconds = args.seconds / ROUNDS
    mine = theirs = Result((), 0.0, 0)
    for _ in range(ROUNDS):
        mine = mine + asyncio.run(load(*ours, concurrency, per_round, seconds))
        if plain:
            theirs = theirs + asyncio.run(load(*plain, concurrency, per_round, seconds))
    return mine, theirs if plain else None


def pick_filter_and_facet(base_url: str, dataset: str) -> tuple[str, str, str]:
    """An indexed text column and its rarest value to filter on, and another one to facet by."""
    columns = [
        c.name
        for c in definitions_by_name()[dataset].published_columns
        if c.index and c.type == "text"
    ]
    chosen: list[tuple[str, str]] = []
    for column in columns:
        url = f"{base_url}/{dataset}/{dataset}.json?_size=1&_facet={column}"
        facet = httpx.get(url, timeout=60).json()["facet_results"][column]
        values = facet["results"]
        if len(values) > 1 and not facet["truncated"]:
            chosen.append((column, min(values, key=lambda v: v["count"])["value"]))
        if len(chosen) == 2:
            return chosen[0][0], str(chosen[0][1]), chosen[1][0]
    raise SystemExit(f"{dataset}: needs two indexed text columns with a few distinct values")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--dataset", default="import_inspections")
    parser.add_argument("--word", default="玩具", help="the Chinese search word")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    home = prepare_home(args.home)
    manifest = json.loads((home / "published" / "manifest.json").read_text(encoding="utf-8"))
    rows = manifest["datasets"][args.dataset]["rows"]
    print(f"data: {home}/published; {args.dataset}: {rows:,} rows; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as work:
        ours, ours_url = start_ours(home)
        plain, plain_url = start_plain(home, Path(work))
        try:
            filter_column, filter_value, facet_column = pick_filter_and_facet(
                plain_url, args.dataset
            )
            print(f"filter {filter_column}={filter_value}, facet {facet_column}")
            header = (
                f"{'scenario':<24}{'clients':>8}{'ours req/s':>12}{'p50 ms':>9}{'p99 ms':>9}"
                f"{'plain req/s':>13}{'p50 ms':>9}{'p99 ms':>9}{'ours/plain':>12}"
            )
            print(header)
            print("-" * len(header))
            for scenario in scenarios(
                args.dataset, args.word, filter_column, filter_value, facet_column
            ):
                for concurrency in (1, 10):
                    plain_target = (plain_url, scenario.plain) if scenario.plain else None
                    mine, theirs = compare(
                        (ours_url, scenario.ours), plain_target, concurrency, args
                    )
                    row = (
                        f"{scenario.name:<24}{concurrency:>8}{mine.rps:>12.1f}"
                        f"{mine.percentile(0.5):>9.1f}{mine.percentile(0.99):>9.1f}"
                    )
                    errors = mine.errors
                    if theirs:
                        row += (
                            f"{theirs.rps:>13.1f}{theirs.percentile(0.5):>9.1f}"
                            f"{theirs.percentile(0.99):>9.1f}{mine.rps / theirs.rps:>11.2f}x"
                        )
                        errors += theirs.errors
                    else:
                        row += f"{'—':>13}"
                    print(row + (f"  ({errors} non-200)" if errors else ""), flush=True)
        finally:
            for process in (ours, plain):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
