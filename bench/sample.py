"""How long `kaifang sample` takes: the exports at scale 1 and 10, and a year of cases at scale 1.

Usage: .venv/bin/python -m bench.sample [SCALE ...]   (default: 1 10; cases always at scale 1)
(as a module, so that bench/classifier.py does not shadow the classifier package).
Figures are process CPU seconds as well as wall seconds: on a shared machine the wall clock
mostly measures the neighbours.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from kaifang.sample.cases import write_sample_cases
from kaifang.sample.run import write_sample
from kaifang.settings import load_settings


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_exports(scale: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), time.process_time()
        written = write_sample(Path(folder), scale=scale)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        records = sum(f.records for f in written)
        size = sum(f.path.stat().st_size for f in written) / 2**20
    print(
        f"exports scale {scale:>5}: {records:>9,} records, {size:7.1f} MiB in {seconds:6.1f} s "
        f"({cpu:.1f} s CPU, {records / cpu:,.0f} records per CPU second), "
        f"peak RSS so far {peak_mib():.0f} MiB"
    )


def bench_cases() -> None:
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings({"KAIFANG_HOME": home}).ensure_dirs()
        started, cpu = time.perf_counter(), time.process_time()
        report = write_sample_cases(settings, scale=1.0)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    cases = sum(report.submitted.values())
    actions = sum(report.events.values()) + cases
    print(
        f"cases   scale   1.0: {cases:>9,} cases, {actions:,} service calls in {seconds:6.1f} s "
        f"({cpu:.1f} s CPU, {actions / seconds:,.0f} calls/s)"
    )


if __name__ == "__main__":
    for scale in [float(arg) for arg in sys.argv[1:]] or [1.0, 10.0]:
        bench_exports(scale)
    bench_cases()
