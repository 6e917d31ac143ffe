"""The OpenAPI 3.0 document of the JSON API (``/api/v1/openapi.json``), written by hand from
the validation rules in :mod:`feedback_api.validation` and the routes in :mod:`feedback_api.api`
and :mod:`feedback_api.volunteers`; the test suite checks the two agree with schemathesis."""

from __future__ import annotations

from feedback_api import idempotency
from feedback_api.lifecycle import STATUSES
from feedback_api.tracking import ALPHABET
from feedback_api.validation import TAIWAN_BOUNDS, TEXT_MAX, TEXT_MIN
from feedback_api.vocabulary import CASE_TYPES, PRODUCT_AREAS, SAFETY_MARK


def _nullable_string(max_length: int, **extra) -> dict:
    return {"type": "string", "maxLength": max_length, "nullable": True, **extra}


def _coordinate(axis: str) -> dict:
    low, high = TAIWAN_BOUNDS[axis]
    return {"type": "number", "minimum": low, "maximum": high, "nullable": True}


TRACKING_PATTERN = f"^KF-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]$"

_SCHEMAS = {
    "Product": {
        "type": "object",
        "additionalProperties": False,
        "nullable": True,
        "properties": {
            "name": _nullable_string(200),
            "brand": _nullable_string(100),
            "model": _nullable_string(100),
            "shop": _nullable_string(200, description="the shop where it is sold"),
            "online_url": _nullable_string(500, format="uri", description="or the online listing"),
            "purchase_date": {"type": "string", "format": "date", "nullable": True},
            "safety_mark": {"type": "string", "enum": list(SAFETY_MARK), "nullable": True},
        },
    },
    "Place": {
        "type": "object",
        "additionalProperties": False,
        "nullable": True,
        "properties": {
            "district": _nullable_string(40),
            "address": _nullable_string(300),
            "lat": _coordinate("lat"),
            "long": _coordinate("long"),
        },
    },
    "Contact": {
        "type": "object",
        "additionalProperties": False,
        "nullable": True,
        "description": "Leave out for an anonymous case: no reply can then be sent.",
        "properties": {
            "name": _nullable_string(100),
            "email": _nullable_string(254, format="email"),
            "phone": _nullable_string(30, description="a Taiwanese or international number"),
        },
    },
    "Consents": {
        "type": "object",
        "additionalProperties": False,
        "nullable": True,
        "properties": {
            "reply_by_email": {"type": "boolean", "description": "needs contact.email"},
            "publish_narrative": {
                "type": "boolean",
                "description": "publish the de-identified text after closing (opt-in, withdrawable)",
            },
        },
    },
    "CaseSubmission": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "text"],
        "properties": {
            "type": {
                "type": "string",
                "enum": list(CASE_TYPES),
                "description": ", ".join(f"{code}: {zh}" for code, (zh, _) in CASE_TYPES.items()),
            },
            "text": {"type": "string", "minLength": TEXT_MIN, "maxLength": TEXT_MAX},
            "product_area": {"type": "string", "enum": list(PRODUCT_AREAS), "nullable": True},
            "product": {"$ref": "#/components/schemas/Product"},
            "place": {"$ref": "#/components/schemas/Place"},
            "contact": {"$ref": "#/components/schemas/Contact"},
            "consents": {"$ref": "#/components/schemas/Consents"},
        },
    },
    "Errors": {
        "type": "object",
        "required": ["ok", "errors"],
        "properties": {
            "ok": {"type": "boolean", "enum": [False]},
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "Submitted": {
        "type": "object",
        "required": ["ok", "case"],
        "properties": {
            "ok": {"type": "boolean", "enum": [True]},
            "case": {
                "type": "object",
                "required": ["tracking", "secret", "status", "due_at", "status_url"],
                "properties": {
                    "tracking": {"type": "string", "pattern": TRACKING_PATTERN},
                    "secret": {"type": "string", "description": "shown once; keep it"},
                    "status": {"type": "string", "enum": list(STATUSES)},
                    "status_label": {"type": "string"},
                    "unit": {"type": "string"},
                    "received_at": {"type": "string", "format": "date-time"},
                    "due_at": {"type": "string", "format": "date-time"},
                    "status_url": {"type": "string"},
                    "api_url": {"type": "string"},
                },
            },
        },
    },
    "CaseView": {
        "type": "object",
        "required": ["ok", "case"],
        "properties": {
            "ok": {"type": "boolean", "enum": [True]},
            "case": {
                "type": "object",
                "required": ["tracking", "type", "status", "text", "received_at", "due_at"],
                "properties": {
                    "tracking": {"type": "string", "pattern": TRACKING_PATTERN},
                    "type": {"type": "string", "enum": list(CASE_TYPES)},
                    "status": {"type": "string", "enum": list(STATUSES)},
                    "text": {"type": "string"},
                    "reply": {"type": "string", "nullable": True},
                    "received_at": {"type": "string", "format": "date-time"},
                    "due_at": {"type": "string", "format": "date-time"},
                    "timeline": {"type": "array", "items": {"type": "object"}},
                    "attachments": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
    "VolunteerReports": {
        "type": "object",
        "required": ["ok", "reports"],
        "properties": {
            "ok": {"type": "boolean", "enum": [True]},
            "reports": {"type": "array", "items": {"type": "object"}},
        },
    },
}


def _json(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _errors(*codes: int) -> dict:
    descriptions = {
        400: "malformed request or Idempotency-Key",
        401: "missing or invalid key or token",
        404: "no such case, or wrong secret",
        409: "not possible in the case's current state",
        413: "body too large",
        415: "wrong content type",
        422: "a field is invalid (each error names it), or the Idempotency-Key was used for "
        "another request",
        429: "too many submissions; see Retry-After",
    }
    return {
        str(code): {"description": descriptions[code], "content": _json("Errors")} for code in codes
    }


_TRACKING = {
    "name": "tracking",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 40},
}
_ATTACHMENT_ID = {
    "name": "attachment_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
_FILE = {
    "description": "the file",
    "content": {"image/jpeg": {}, "image/png": {}, "application/pdf": {}},
}
_UPLOADS = (
    "At most 5 files of 10 MB: JPEG, PNG, HEIC/HEIF or PDF, recognised from their content. "
    "Photos lose EXIF and GPS; HEIC photos are kept as JPEG."
)
_SECRET_HEADER = {
    "name": "X-Case-Secret",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 64},
    "description": "the case's secret (or the `secret` query parameter)",
}
_IDEMPOTENCY_KEY = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": f"^({idempotency.KEY_PATTERN})$"},
    "description": (
        f"A random value (e.g. a UUID; {idempotency.KEY_MIN}–{idempotency.KEY_MAX} visible ASCII "
        "characters, bare or as a quoted Structured Field string) that makes resending safe: for "
        f"{idempotency.RETENTION.total_seconds() / 3600:.0f} hours the same key from the same "
        "sender with the same request answers the case it first made (same 201 body, header "
        "`Idempotent-Replayed: true`) instead of creating another; with a different request it "
        "is refused (422). A malformed key gets 400."
    ),
}
_SUBMITTED = {
    "description": "recorded, or recorded before under the same Idempotency-Key",
    "content": _json("Submitted"),
}
_SECRET_QUERY = {
    "name": "secret",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "maxLength": 64},
}


def openapi_document(public_url: str) -> dict:
    """The OpenAPI document, with ``public_url`` as the server."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "kaifang feedback API",
            "version": "1.0.0",
            "description": (
                "Send a complaint, tip, question, suggestion or thanks to the branch, and follow "
                "it with its tracking number and secret. Messages are zh-TW with English."
            ),
        },
        "servers": [{"url": public_url.rstrip("/")}],
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "volunteerToken": {"type": "http", "scheme": "bearer"},
            },
        },
        "paths": {
            "/api/v1/cases": {
                "post": {
                    "summary": "Submit a case",
                    "operationId": "submitCase",
                    "security": [{}, {"apiKey": []}],
                    "parameters": [_IDEMPOTENCY_KEY],
                    "requestBody": {"required": True, "content": _json("CaseSubmission")},
                    "responses": {
                        "201": _SUBMITTED,
                        **_errors(400, 401, 413, 415, 422, 429),
                    },
                }
            },
            "/api/v1/cases/{tracking}": {
                "get": {
                    "summary": "Read a case with its secret",
                    "operationId": "readCase",
                    "parameters": [_TRACKING, _SECRET_HEADER, _SECRET_QUERY],
                    "responses": {
                        "200": {"description": "the case", "content": _json("CaseView")},
                        **_errors(404),
                    },
                }
            },
            "/api/v1/cases/{tracking}/attachments": {
                "post": {
                    "summary": "Attach photos or PDFs (JPEG, PNG, HEIC, PDF; 5 files of 10 MB)",
                    "description": _UPLOADS,
                    "operationId": "addAttachments",
                    "parameters": [_TRACKING, _SECRET_HEADER, _SECRET_QUERY],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["files"],
                                    "properties": {
                                        "files": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "attached"},
                        **_errors(400, 404, 409, 413, 422, 429),
                    },
                }
            },
            "/api/v1/cases/{tracking}/attachments/{attachment_id}": {
                "get": {
                    "summary": "Download an attachment of one's own case",
                    "operationId": "readAttachment",
                    "parameters": [_TRACKING, _ATTACHMENT_ID, _SECRET_HEADER, _SECRET_QUERY],
                    "responses": {"200": _FILE, **_errors(404)},
                }
            },
            "/api/v1/cases/{tracking}/survey": {
                "post": {
                    "summary": "Rate the handling of a closed case (once)",
                    "operationId": "answerSurvey",
                    "parameters": [_TRACKING, _SECRET_HEADER, _SECRET_QUERY],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["score"],
                                    "properties": {
                                        "score": {"type": "integer", "minimum": 1, "maximum": 5},
                                        "comment": {
                                            "type": "string",
                                            "maxLength": 1000,
                                            "nullable": True,
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "recorded"},
                        **_errors(400, 404, 409, 415, 422),
                    },
                }
            },
            "/api/v1/cases/{tracking}/consents/publish_narrative/withdraw": {
                "post": {
                    "summary": "Withdraw the consent to publish the de-identified narrative",
                    "operationId": "withdrawConsent",
                    "parameters": [_TRACKING, _SECRET_HEADER, _SECRET_QUERY],
                    "responses": {"200": {"description": "withdrawn"}, **_errors(404)},
                }
            },
            "/api/v1/volunteer/reports": {
                "get": {
                    "summary": "A volunteer monitor's own reports",
                    "operationId": "listVolunteerReports",
                    "security": [{"volunteerToken": []}],
                    "responses": {
                        "200": {"description": "the reports", "content": _json("VolunteerReports")},
                        **_errors(401),
                    },
                },
                "post": {
                    "summary": "Report an unsafe or unmarked product, with photos",
                    "operationId": "submitVolunteerReport",
                    "security": [{"volunteerToken": []}],
                    "parameters": [_IDEMPOTENCY_KEY],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["report"],
                                    "properties": {
                                        "report": {
                                            "type": "string",
                                            "description": "a CaseSubmission as JSON; product "
                                            "name, where sold and safety_mark are required",
                                        },
                                        "photos": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                            "description": _UPLOADS,
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _SUBMITTED,
                        **_errors(400, 401, 413, 422, 429),
                    },
                },
            },
            "/api/v1/volunteer/reports/{tracking}": {
                "get": {
                    "summary": "One of the volunteer's own reports",
                    "operationId": "readVolunteerReport",
                    "security": [{"volunteerToken": []}],
                    "parameters": [_TRACKING],
                    "responses": {
                        "200": {"description": "the report", "content": _json("CaseView")},
                        **_errors(401, 404),
                    },
                }
            },
            "/api/v1/volunteer/reports/{tracking}/attachments/{attachment_id}": {
                "get": {
                    "summary": "Download a photo of one of the volunteer's own reports",
                    "operationId": "readVolunteerPhoto",
                    "security": [{"volunteerToken": []}],
                    "parameters": [_TRACKING, _ATTACHMENT_ID],
                    "responses": {"200": _FILE, **_errors(401, 404)},
                }
            },
        },
    }
