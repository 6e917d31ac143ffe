"""Every submission acknowledged to a client survives a kill -9 of the server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.feedback.payloads import valid_case

HERE = Path(__file__).resolve().parent


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "KAIFANG_HOME": str(home)}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "--factory",
            "unlimited_app:create", "--host", "127.0.0.1", "--port", "0", "--log-level", "info",
        ],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    for line in process.stderr:
        match = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
        if match:
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep draining
            return process, match.group(1)
        if time.monotonic() > deadline:
            break
    process.kill()
    pytest.fail("uvicorn did not start")


def test_no_acknowledged_case_is_lost_when_the_server_is_killed(kaifang_home):
    process, url = start_server(kaifang_home)
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client_loop():
        with httpx.Client(base_url=url, timeout=5) as client:
            while not stop.is_set():
                try:
                    response = client.post("/api/v1/cases", json=valid_case())
                except httpx.HTTPError:
                    return  # the server is gone; what was acknowledged is recorded
                if response.status_code == 201:
                    case = response.json()["case"]
                    with lock:
                        acknowledged[case["tracking"]] = case["secret"]

    threads = [threading.Thread(target=client_loop) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)  # mid-load: requests are in flight
    process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 50, "the load did not get going"

    restarted, url = start_server(kaifang_home)
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            missing = [
                tracking
                for tracking, secret in acknowledged.items()
                if client.get(
                    f"/api/v1/cases/{tracking}", headers={"X-Case-Secret": secret}
                ).status_code
                != 200
            ]
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
    assert missing == []
