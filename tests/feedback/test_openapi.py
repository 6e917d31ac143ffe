"""The OpenAPI document is accurate: schemathesis generates requests from it (valid and
invalid) against the real server and finds no server error and no response outside it."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from feedback_api.app import create_app
from feedback_api.limits import RateLimits
from feedback_api.openapi import openapi_document
from tests.live_server import serving


@pytest.fixture
def base_url(sqlite_store):
    app = create_app(sqlite_store.settings, store=sqlite_store, rate_limits=RateLimits.unlimited())
    with serving(app) as url:
        yield url


schema = schemathesis.openapi.from_dict(openapi_document("http://127.0.0.1"))


def test_the_served_document_is_the_one_tested(base_url):
    served = httpx.get(f"{base_url}/api/v1/openapi.json").json()
    assert served["paths"] == schema.raw_schema["paths"]
    assert served["openapi"].startswith("3.")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case, base_url):
    case.call_and_validate(
        base_url=base_url,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


def test_every_api_route_is_in_the_document():
    from feedback_api import api, volunteers

    documented = {
        (path, method.upper())
        for path, operations in schema.raw_schema["paths"].items()
        for method in operations
    }
    served = {
        (route.path.replace("{attachment_id:int}", "{attachment_id}"), method)
        for route in api.routes + volunteers.routes
        for method in route.methods - {"HEAD"}
        if route.path != "/api/v1/openapi.json"
    }
    assert served - documented == set()
