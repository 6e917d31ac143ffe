"""One nightly run at a time: an exclusive ``fcntl`` lock on ``internal/nightly.lock``.

The kernel drops the lock when the holder dies, even on ``kill -9``, so a crashed run never
blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another run holds the lock; the message names its process id."""


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the run lock for the duration of the ``with`` block, or raise ``AlreadyRunning``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise AlreadyRunning(
                f"another kaifang nightly run (pid {holder}) holds {path}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
