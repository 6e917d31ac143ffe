"""Figures of the nightly job (issue 2): a full year through `kaifang nightly` at scale 1 and 10,
its peak memory, and end-to-end rows/s against plain sqlite-utils `insert_all` of the same
final rows, measured in the same run.

Usage: .venv/bin/python bench/ingest.py [SCALE ...]   (default: 1 10)

For each scale: the year written by `kaifang sample --scale S` (kept in var/bench-inbox/scale-S
and reused: the sample is deterministic for its seed, and scale 10 takes minutes to write),
a fresh KAIFANG_HOME pointing at it, then `kaifang nightly` twice (the second run sees the
same inputs: nothing to publish) in child processes whose own peak RSS is read with os.wait4. The baseline inserts the rows of the published tables into a
new file with `insert_all` defaults, and again inside one `db.atomic()` transaction.
Targets: scale 1 < 60 s; scale 10 < 600 s and < 1 GiB; end-to-end ≥ 25 % of insert_all.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from rich.console import Console
from rich.table import Table

KAIFANG = Path(sys.executable).with_name("kaifang")
INBOX_CACHE = Path(__file__).resolve().parent.parent / "var" / "bench-inbox"


@dataclass
class ChildRun:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    exit_code: int


def run_child(args: list[str], env: dict[str, str], log: Path) -> ChildRun:
    """Run a command, returning wall time, CPU time and the child's own peak RSS."""
    started = time.perf_counter()
    with log.open("ab") as output:
        child = subprocess.Popen(args, env=env, stdout=output, stderr=output)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        seconds=time.perf_counter() - started,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,
        exit_code=child.returncode,
    )


def last_run_report(published: Path) -> dict:
    conn = sqlite3.connect(published / "catalog.db")
    try:
        (report,) = conn.execute(
            "SELECT report FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return json.loads(report)


def insert_all_rates(published: Path, scratch: Path) -> tuple[int, list[tuple[float, float]]]:
    """Rows of every built table and the (wall, CPU) seconds insert_all needs: defaults, atomic."""
    tables = []
    refused = published.parent / "internal" / "refused"  # files the leak gate held back
    for path in sorted([*published.glob("*.db"), *refused.glob("*.db")]):
        if path.name == "catalog.db":
            continue
        source = sqlite_utils.Database(path)
        tables.append((path.stem, list(source[path.stem].rows)))
        source.close()
    timings = []
    for mode in ("defaults", "atomic"):
        target_path = scratch / f"baseline-{mode}.db"
        target_path.unlink(missing_ok=True)
        target = sqlite_utils.Database(target_path)
        started, cpu_started = time.perf_counter(), time.process_time()
        for name, rows in tables:
            if mode == "atomic":
                with target.atomic():
                    target[name].insert_all(rows)
            else:
                target[name].insert_all(rows)
        timings.append((time.perf_counter() - started, time.process_time() - cpu_started))
        target.close()
    return sum(len(rows) for _, rows in tables), timings


def bench_scale(scale: float, table: Table) -> None:
    with tempfile.TemporaryDirectory(prefix="kaifang-bench-") as folder:
        home = Path(folder)
        inbox = INBOX_CACHE / f"scale-{scale:g}"
        env = {**os.environ, "KAIFANG_HOME": str(home), "KAIFANG_INBOX": str(inbox)}
        log = home / "bench.log"
        sample_seconds = "cached"
        if not (inbox / "service_performance_112.csv").exists():
            command = [str(KAIFANG), "sample", "--scale", str(scale), "--inbox", str(inbox)]
            sample_seconds = f"{run_child(command, env, log).seconds:.0f}"
        first = run_child([str(KAIFANG), "nightly"], env, log)
        second = run_child([str(KAIFANG), "nightly"], env, log)
        report = last_run_report(home / "published")
        built = sum(d["rows_published"] for d in report["datasets"])
        failed = [d["dataset"] for d in report["datasets"] if d["status"] == "failed"]
        republished = [d["dataset"] for d in report["datasets"] if d["status"] == "published"]
        rows, ((default_seconds, _), (atomic_seconds, atomic_cpu)) = insert_all_rates(
            home / "published", home
        )
        if rows != built:
            print(f"scale {scale:g}: {built:,} rows built but {rows:,} found for the baseline")
        end_to_end = built / first.seconds
        baseline, atomic = rows / default_seconds, rows / atomic_seconds
        table.add_row(
            f"{scale:g}", sample_seconds, f"{built:,}", f"{first.seconds:.1f}",
            f"{first.cpu_seconds:.1f}", f"{first.peak_rss_mib:.0f}",
            f"{second.seconds:.1f} ({len(republished)} new)",
            f"{end_to_end:,.0f}",
            f"{built / first.cpu_seconds:,.0f} ({built / first.cpu_seconds / (rows / atomic_cpu):.0%})",
            f"{baseline:,.0f} ({end_to_end / baseline:.0%})",
            f"{atomic:,.0f} ({end_to_end / atomic:.0%})", ", ".join(failed) or "-",
        )  # fmt: skip


def main(scales: list[float]) -> None:
    table = Table(
        title=f"kaifang nightly, a full year (load average at start {os.getloadavg()[0]:.1f})"
    )
    for heading in (
        "scale", "sample s", "rows built", "nightly s", "CPU s", "peak RSS MiB", "re-run s (new versions)",
        "end-to-end rows/s", "rows per CPU s (share of insert_all atomic)",
        "insert_all rows/s (e2e share)", "insert_all atomic (share)",
        "datasets failed",
    ):  # fmt: skip
        table.add_column(heading, justify="right")
    for scale in scales:
        bench_scale(scale, table)
    Console(width=200).print(table)


if __name__ == "__main__":
    main([float(arg) for arg in sys.argv[1:]] or [1.0, 10.0])
