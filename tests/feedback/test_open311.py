"""Open311 GeoReport v2 round trips in JSON and XML, validated by the schemas of
open311/schema-validation, and what the public reads do not show."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

from feedback_api import cases
from tests.feedback.conftest import OPEN311_SCHEMAS

FORMATS = ["json", "xml"]
BOOLEANS = {"metadata", "variable", "required"}
NUMBERS = {"lat": float, "long": float, "order": int}
LISTS = {"attributes": "attribute", "values": "value"}


def _schema_registry() -> Registry:
    registry = Registry()
    for path in OPEN311_SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        registry = registry.with_resource(path.name, Resource.opaque(contents))
    return registry


REGISTRY = _schema_registry()


def validate(name: str, value) -> None:
    schema = json.loads((OPEN311_SCHEMAS / name).read_text())
    validator = Draft7Validator(schema, registry=REGISTRY, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(value), key=str)
    assert not errors, errors[0]


def _element(element: ET.Element):
    children = list(element)
    if element.tag in LISTS:
        return [_element(child) for child in children]
    if not children:
        text = element.text
        if text is None or text == "":
            return None
        if element.tag in BOOLEANS:
            return text == "true"
        if element.tag in NUMBERS:
            return NUMBERS[element.tag](text)
        return text
    return {child.tag: _element(child) for child in children}


def parse(response, fmt: str):
    """The response as JSON values; XML is mapped back with the spec's types."""
    if fmt == "json":
        assert response.headers["content-type"].startswith("application/json")
        return response.json()
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    if root.tag in ("services", "service_requests", "errors"):
        return [_element(child) for child in root]
    return _element(root)


def post(client, fmt, key, **fields):
    form = {
        "api_key": key,
        "service_code": "report-electrical",
        "lat": "25.1283",
        "long": "121.7419",
        "description": "賣場還在賣召回的除濕機，我是王小明，電話0912345678。",
        "attribute[product_name]": "除濕機",
        "attribute[safety_mark]": "yes",
        "email": "ming@example.com",
        "first_name": "小明",
        "last_name": "王",
        "phone": "0912345678",
    }
    form.update(fields)
    return client.post(f"/open311/v2/requests.{fmt}", data=form)


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_definitions_validate(live, fmt):
    client, _store = live
    services = parse(client.get(f"/open311/v2/services.{fmt}"), fmt)
    validate("services.json", services)
    codes = {service["service_code"] for service in services}
    assert {"report-electrical", "inquiry-metrology", "thanks-general"} <= codes
    definition = parse(client.get(f"/open311/v2/services/report-electrical.{fmt}"), fmt)
    validate("service-definition.json", definition)
    by_code = {attribute["code"]: attribute for attribute in definition["attributes"]}
    assert by_code["product_name"]["required"] is True
    assert {v["key"] for v in by_code["safety_mark"]["values"]} == {"yes", "no", "unknown"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_then_read_back_validates_and_shows_no_personal_data(live, client_key, fmt):
    client, _store = live
    created = post(client, fmt, client_key)
    assert created.status_code == 201
    [receipt] = parse(created, fmt)
    request_id, token = receipt["service_request_id"], receipt["token"]

    [one] = parse(client.get(f"/open311/v2/requests/{request_id}.{fmt}"), fmt)
    validate("request.json", one)
    assert one["service_request_id"] == request_id and one["status"] == "open"
    assert one["service_code"] == "report-electrical"
    assert "〔姓名〕" in one["description"] and "〔電話〕" in one["description"]
    public = json.dumps(one, ensure_ascii=False)
    for personal in ("王小明", "0912345678", "ming@example.com", "小明"):
        assert personal not in public
    assert one["lat"] == 25.13 and one["long"] == 121.74  # about a kilometre, not a doorstep

    listed = parse(client.get(f"/open311/v2/requests.{fmt}"), fmt)
    validate("requests.json", listed)
    assert request_id in {r["service_request_id"] for r in listed}

    [by_token] = parse(client.get(f"/open311/v2/tokens/{token}.{fmt}"), fmt)
    assert by_token == {"service_request_id": request_id, "token": token}


def test_the_description_is_hidden_when_the_submitter_opts_out(live, client_key):
    client, _store = live
    created = post(client, "json", client_key, **{"attribute[publish_description]": "no"})
    [one] = client.get(
        f"/open311/v2/requests/{created.json()[0]['service_request_id']}.json"
    ).json()
    validate("request.json", one)
    assert one["description"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_filters_by_id_code_status_and_dates(live, client_key, staff, fmt):
    client, store = live
    electrical = post(client, "json", client_key).json()[0]["service_request_id"]
    metrology = post(
        client, "json", client_key, service_code="report-metrology",
        **{"attribute[product_name]": "市場的秤", "description": "傳統市場攤販的秤不準，少了快兩兩。"},
    ).json()[0]["service_request_id"]  # fmt: skip
    cases.reply(store, metrology, "已派員檢查", actor=staff)
    cases.close(store, metrology, actor=staff)

    def ids(**params):
        response = client.get(f"/open311/v2/requests.{fmt}", params=params)
        assert response.status_code == 200
        found = parse(response, fmt)
        validate("requests.json", found)
        return {r["service_request_id"] for r in found}

    assert ids(service_code="report-metrology") == {metrology}
    assert ids(status="closed") == {metrology}
    assert ids(status="open") == {electrical}
    assert ids(service_request_id=f"{electrical},{metrology}") == {electrical, metrology}
    now = datetime.now(UTC)
    assert ids(start_date=(now - timedelta(hours=1)).isoformat()) == {electrical, metrology}
    assert ids(end_date=(now - timedelta(days=1)).isoformat()) == set()
    [closed] = parse(client.get(f"/open311/v2/requests/{metrology}.{fmt}"), fmt)
    assert (
        closed["status"] == "closed" and closed["updated_datetime"] >= closed["requested_datetime"]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_follow_the_spec(live, client_key, fmt):
    client, _store = live
    cases_ = [
        (post(client, fmt, "kfk_wrong"), 403),
        (post(client, fmt, client_key, service_code="no-such-service"), 404),
        (post(client, fmt, client_key, lat="", long="", address_string=""), 400),
        (post(client, fmt, client_key, description="短"), 400),
        (post(client, fmt, client_key, **{"attribute[product_name]": ""}), 400),
        (client.get(f"/open311/v2/services/no-such-service.{fmt}"), 404),
        (client.get(f"/open311/v2/requests/KF-2222-2222-2.{fmt}"), 404),
        (client.get(f"/open311/v2/tokens/nope.{fmt}"), 404),
        (client.get(f"/open311/v2/requests.{fmt}", params={"status": "maybe"}), 400),
        (client.get(f"/open311/v2/requests.{fmt}", params={"start_date": "yesterday"}), 400),
        (
            client.get(
                f"/open311/v2/requests.{fmt}",
                params={
                    "start_date": "2026-01-01T00:00:00+08:00",
                    "end_date": "2026-06-01T00:00:00+08:00",
                },
            ),
            400,
        ),
        (client.get(f"/open311/v2/services.{fmt}", params={"jurisdiction_id": "taipei"}), 404),
        *(
            (client.get(f"/open311/v2/requests.{fmt}", params={"end_date": out_of_range}), 400)
            for out_of_range in ("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z")
        ),
    ]
    for response, status in cases_:
        assert response.status_code == status, response.text
        errors = parse(response, fmt)
        assert isinstance(errors, list) and errors
        assert all(int(e["code"]) and e["description"] for e in errors)


def test_a_refused_request_names_the_open311_parameter_the_client_sent(live, client_key):
    client, _store = live
    response = post(client, "json", client_key, description="短", lat="99", long="121.7")
    descriptions = [error["description"] for error in response.json()]
    assert response.status_code == 400
    assert any(d.startswith("description: ") for d in descriptions), descriptions
    assert any(d.startswith("lat: ") for d in descriptions), descriptions
    assert not any(d.startswith(("text", "place.")) for d in descriptions), descriptions


def test_discovery_lists_the_endpoint_in_both_formats(live):
    client, _store = live
    discovery = client.get("/open311/v2/discovery.json").json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == endpoint["url"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint[
        "formats"
    ]
