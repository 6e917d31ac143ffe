"""How long `kaifang sample` takes to write a year at scale 1 and 10, and its peak memory.

Usage: .venv/bin/python bench/sample.py [SCALE ...]   (default: 1 10)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from kaifang.sample.run import write_sample


def main(scales: list[float]) -> None:
    for scale in scales:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            written = write_sample(Path(folder), scale=scale)
            seconds = time.perf_counter() - started
            records = sum(f.records for f in written)
            size = sum(f.path.stat().st_size for f in written) / 2**20
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"scale {scale:>5}: {records:>9,} records, {size:7.1f} MiB in {seconds:6.1f} s "
            f"({records / seconds:,.0f} records/s), peak RSS so far {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main([float(arg) for arg in sys.argv[1:]] or [1.0, 10.0])
