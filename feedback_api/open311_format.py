"""Open311 GeoReport v2 responses in its two formats: XML (required by the spec) and JSON (the
"Spark convention" mapping of the same tree: a list of objects for the repeated element).

A response is a list of items under a root element, e.g. ``<service_requests><request>…``.
Values are written as the spec shows them: booleans as ``true``/``false``, None as an empty
element, lists of dicts as repeated children (``<attributes><attribute>…``), lists of strings
as repeated named children (``<formats><format>…``).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.responses import JSONResponse, Response

# Element names of list items whose parent's name does not tell it by dropping an "s".
ITEM_NAMES = {
    "values": "value",
    "attributes": "attribute",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "services": "service",
    "errors": "error",
}
XML_TYPE = "text/xml; charset=utf-8"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _fill(element: Element, value: object) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, element.tag.rstrip("s"))
        for child in value:
            _fill(SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: object) -> bytes:
    """``value`` (a list or dict) as an XML document under ``<root>``."""
    element = Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, value: object, status_code: int = 200) -> Response:
    """The response for ``value`` in ``fmt`` (``json`` or ``xml``)."""
    if fmt == "xml":
        return Response(to_xml(root, value), status_code=status_code, media_type=XML_TYPE)
    return JSONResponse(value, status_code=status_code)


def error_response(fmt: str, status_code: int, errors: list[tuple[int, str]], headers=None):
    """The spec's error body: a list of ``{code, description}``, in either format."""
    value = [{"code": code, "description": description} for code, description in errors]
    response = respond(fmt, "errors", value, status_code)
    response.headers.update(headers or {})
    return response


def format_of(path: str) -> str:
    """The format a GeoReport path asks for by its suffix (JSON unless it ends in ``.xml``)."""
    return "xml" if path.endswith(".xml") else "json"
