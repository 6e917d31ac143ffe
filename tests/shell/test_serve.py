"""`kaifang serve`: the portal and the feedback service answer on one port, each on its own paths."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.live_server import free_port


def _serve(home, *args: str):
    port = free_port()
    env = {**os.environ, "KAIFANG_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kaifang", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/.json", timeout=1)
            return process, base
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode()) from None
            time.sleep(0.2)
    process.kill()
    raise AssertionError("server did not start within 60 s")


@pytest.fixture(scope="module")
def served_home(tmp_path_factory):
    return tmp_path_factory.mktemp("served-home")


@pytest.fixture(scope="module")
def server(served_home):
    process, base = _serve(served_home)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_portal_and_feedback_share_one_port(server):
    home = httpx.get(server + "/")
    assert home.status_code == 200
    assert 'lang="zh-Hant-TW"' in home.text
    form = httpx.get(server + "/feedback")
    assert form.status_code == 200
    assert "<form" in form.text
    openapi = httpx.get(server + "/api/v1/openapi.json").json()
    assert openapi["openapi"].startswith("3.")
    services = httpx.get(server + "/open311/v2/services.json").json()
    assert services and {"service_code", "service_name"} <= set(services[0])


def test_the_feedback_store_is_migrated_on_start(server, served_home):
    created = httpx.post(
        server + "/api/v1/cases",
        json={"type": "inquiry", "text": "請問分局櫃台幾點開門？週六有開嗎？"},
    )
    assert created.status_code == 201, created.text
    assert (served_home / "feedback.db").exists()
