"""The portal's pages are sent with the headers that keep them safe in a browser, and its answers
for programs stay readable by harvesters on any origin."""

from __future__ import annotations

import pytest

HTML_PAGES = [
    "/",
    "/categories",
    "/datasets/import_inspections",
    "/search?q=玩具",
    "/import_inspections",
    "/import_inspections/import_inspections",
    "/import_inspections/import_inspections/1",
    "/-/metadata",
    "/nope",  # the portal's own 404 page
    "/import_inspections/nope",  # Datasette's 404, rendered by the plugin
]
PROGRAM_ANSWERS = [
    "/catalog.jsonld",
    "/catalog.ttl",
    "/datasets/import_inspections/datagovtw.json",
    "/datasets/import_inspections/rows.json",
    "/import_inspections/import_inspections.json",
    "/import_inspections/import_inspections.csv",
    "/-/metadata.json",
]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_forbids_framing_inline_script_and_sniffing(portal, path):
    _, client = portal
    response = client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    policy = directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    # one policy, and never one that hands another site the page's full address
    assert response.headers.get_list("referrer-policy") in (
        ["strict-origin-when-cross-origin"],
        ["no-referrer"],
    )


def test_portal_pages_tell_other_sites_only_the_origin(portal):
    _, client = portal
    response = client.get("/search", params={"q": "玩具"})
    assert response.headers.get_list("referrer-policy") == ["strict-origin-when-cross-origin"]


def test_datasettes_data_pages_keep_their_stricter_referrer_policy(portal):
    _, client = portal
    query = {"sql": "select count(*) from import_inspections"}  # the SQL is in the URL
    for response in (
        client.get("/import_inspections", params=query),
        client.get("/import_inspections/import_inspections", params={"result": "合格"}),
    ):
        assert response.headers.get_list("referrer-policy") == ["no-referrer"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", PROGRAM_ANSWERS)
def test_answers_for_programs_stay_open_to_every_origin_and_are_never_sniffed(portal, path):
    _, client = portal
    response = client.get(path, headers={"Origin": "https://harvester.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers  # a policy for pages, not data
    assert len(response.content) > 100
