"""Two service instances on one PostgreSQL database behave as one service."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx

from feedback_api.app import create_app
from feedback_api.limits import RateLimits
from tests.feedback.conftest import empty_postgres
from tests.feedback.payloads import valid_case
from tests.live_server import serving


def test_cases_sent_to_either_instance_are_readable_from_both(settings, postgres_url):
    shared = replace(settings, database_url=postgres_url)
    first = create_app(shared, rate_limits=RateLimits.unlimited())
    second = create_app(shared, rate_limits=RateLimits.unlimited())
    try:
        with serving(first) as url_a, serving(second) as url_b:
            clients = [httpx.Client(base_url=url, timeout=10) for url in (url_a, url_b)]

            def send(index: int) -> dict:
                response = clients[index % 2].post("/api/v1/cases", json=valid_case())
                assert response.status_code == 201
                return response.json()["case"]

            with ThreadPoolExecutor(8) as pool:
                sent = list(pool.map(send, range(40)))
            for index, case in enumerate(sent):
                other = clients[(index + 1) % 2]
                read = other.get(
                    f"/api/v1/cases/{case['tracking']}", headers={"X-Case-Secret": case["secret"]}
                )
                assert read.status_code == 200
            listed = {
                r["service_request_id"] for r in clients[1].get("/open311/v2/requests.json").json()
            }
            assert {case["tracking"] for case in sent} <= listed
            for client in clients:
                client.close()
    finally:
        empty_postgres(shared)
