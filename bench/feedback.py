"""Submissions per second and latency of the feedback JSON API, beside a bare endpoint.

Run: ``.venv/bin/python bench/feedback.py`` (about a minute). In a fresh temporary
KAIFANG_HOME it trains the routing model (``kaifang classifier train``), then serves, one at a
time and each in its own uvicorn process on loopback:

- ``feedback API``: ``POST /api/v1/cases`` — validation, routing by the classifier, a durable
  write (SQLite WAL, synchronous=FULL) of the case and its timeline, the JSON answer;
- ``bare insert``: a Starlette endpoint that parses the same JSON and inserts it as one row
  (same SQLite settings).

Each is driven by 1 and by 16 concurrent clients (threads with keep-alive connections) and
the table shows requests/s, p50 and p99 latency. Targets: at 16 clients ≥ 300/s, p99 < 100 ms
and at least half the bare endpoint's rate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MESSAGES = [
    "蝦皮有賣家賣沒有檢驗標章的充電器，請查處。",
    "傳統市場攤販的秤不準，買一斤少了快兩兩。",
    "我的報驗案號還沒放行，請問進度？",
    "小孩的玩具掉漆，會不會含鉛？",
    "嬰兒推車的煞車沒作用，這款有沒有經過檢驗？",
    "櫃台人員態度很好，謝謝林技士耐心說明。",
    "行動電源充電時發燙膨脹，這類商品要符合哪個CNS標準？",
    "計程車跳錶跳太快，從車站到家多了一百元。",
]


def _case(i: int) -> bytes:
    return json.dumps(
        {
            "type": "report",
            "text": MESSAGES[i % len(MESSAGES)] + f"（第 {i} 件）",
            "product": {"name": "商品", "shop": "基隆市某商店", "safety_mark": "no"},
            "place": {"district": "基隆市仁愛區"},
            "contact": {"name": "王小明", "email": "ming@example.com"},
            "consents": {"reply_by_email": True},
        },
        ensure_ascii=False,
    ).encode("utf-8")


# ---- the two servers (each run in its own process by start()) ----


def feedback_app():
    """The real feedback app as a server runs it, rate limits off (all load comes from one
    address)."""
    from feedback_api.app import create_app
    from feedback_api.limits import RateLimits
    from kaifang.settings import load_settings

    return create_app(
        load_settings().ensure_dirs(), rate_limits=RateLimits.unlimited(), serving=True
    )


def bare_app():
    """A Starlette endpoint doing one SQLite insert of the posted JSON."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    path = Path(os.environ["KAIFANG_HOME"]) / "bare.db"
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            local.db.execute("PRAGMA journal_mode=WAL")
            local.db.execute("PRAGMA synchronous=FULL")
            local.db.execute("CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, body TEXT)")
        return local.db

    def insert(body: dict) -> int:
        db = connection()
        db.execute("BEGIN IMMEDIATE")
        row_id = db.execute("INSERT INTO cases (body) VALUES (?)", (json.dumps(body),)).lastrowid
        db.execute("COMMIT")
        return row_id

    async def endpoint(request):
        row_id = await run_in_threadpool(insert, await request.json())
        return JSONResponse({"ok": True, "id": row_id}, status_code=201)

    return Starlette(routes=[Route("/api/v1/cases", endpoint, methods=["POST"])])


# ---- driving them ----


SERVE = (
    "import runpy, sys, uvicorn; "
    "factory = runpy.run_path(sys.argv[1], run_name='bench_feedback')[sys.argv[2]]; "
    "uvicorn.run(factory(), host='127.0.0.1', port=0, log_level='info', access_log=False)"
)


def start(factory: str, home: Path) -> tuple[subprocess.Popen, int]:
    """Serve ``factory`` of this file in a uvicorn process (this folder is kept off sys.path:
    other benchmarks' file names would shadow packages)."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(Path(__file__).resolve()), factory],
        env={**os.environ, "KAIFANG_HOME": str(home)},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    for line in process.stderr:
        match = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
        if match:
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, int(match.group(1))
    raise SystemExit(f"{factory} did not start")


def drive(port: int, clients: int, requests: int, offset: int) -> dict:
    """``requests`` POSTs spread over ``clients`` threads; latencies of the 201s."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    per_client = requests // clients

    def client(index: int) -> None:
        nonlocal failures
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        for n in range(per_client):
            body = _case(offset + index * per_client + n)
            began = time.perf_counter()
            connection.request("POST", "/api/v1/cases", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - began
            if response.status == 201:
                mine.append(elapsed)
            else:
                bad += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "ok": len(latencies),
        "failed": failures,
        "rate": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def train_model(home: Path) -> str:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("kaifang")), "classifier", "train"],
        env={**os.environ, "KAIFANG_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return f"no model (training failed: {result.stderr.strip()[-200:]}); cases go to triage"
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1600, help="requests at 16 clients")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kaifang-bench-") as tmp:
        home = Path(tmp)
        print(f"routing model: {train_model(home)}")
        for label, factory in (("feedback API", "feedback_app"), ("bare insert", "bare_app")):
            process, port = start(factory, home)
            try:
                drive(port, 4, 100, offset=0)  # warm-up: imports, model, connections
                for clients, requests in ((1, max(200, args.requests // 8)), (16, args.requests)):
                    result = drive(port, clients, requests, offset=clients * 100_000)
                    rows.append((label, clients, result))
            finally:
                process.terminate()
                process.wait(timeout=10)

    print()
    print(
        f"{'endpoint':<14}{'clients':>8}{'ok':>7}{'failed':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for label, clients, r in rows:
        print(
            f"{label:<14}{clients:>8}{r['ok']:>7}{r['failed']:>8}{r['rate']:>9.0f}"
            f"{r['p50']:>9.1f}{r['p99']:>9.1f}"
        )
    api16 = next(r for label, c, r in rows if label == "feedback API" and c == 16)
    bare16 = next(r for label, c, r in rows if label == "bare insert" and c == 16)
    ratio = api16["rate"] / bare16["rate"]
    print()
    print(
        f"at 16 clients: {api16['rate']:.0f}/s (target ≥ 300), p99 {api16['p99']:.1f} ms "
        f"(target < 100), {ratio:.0%} of the bare endpoint (target ≥ 50%)"
    )


if __name__ == "__main__":
    main()
