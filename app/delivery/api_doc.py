"""The delivery paths of the open data API, added to its OpenAPI document."""

from app.api.openapi import ERROR_RESPONSE, EXTRA_PATHS, EXTRA_SCHEMAS, PAGE_PARAMS, SLUG_PARAM

_STR_OR_NULL = {"type": ["string", "null"]}
_INT_OR_NULL = {"type": ["integer", "null"]}
STATUSES = ["planned", "in_progress", "delayed", "completed", "cancelled"]


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": ref}}}}


EXTRA_SCHEMAS.update(
    {
        "Milestone": {
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "due_on": _STR_OR_NULL,
                "done_on": _STR_OR_NULL,
                "evidence": {"type": "string"},
                "evidence_url": _STR_OR_NULL,
            },
        },
        "Delivery": {
            "type": "object",
            "required": ["project_id", "title", "status", "progress_percent"],
            "properties": {
                "project_id": {"type": "integer"},
                "code": {"type": "string"},
                "title": {"type": "string"},
                "process": {"type": "string"},
                "district": {"type": "string"},
                "status": {"type": "string", "enum": STATUSES},
                "status_reason": {"type": "string"},
                "progress_percent": {"type": "integer", "minimum": 0, "maximum": 100},
                "starts_on": _STR_OR_NULL,
                "ends_on": _STR_OR_NULL,
                "completed_on": _STR_OR_NULL,
                "on_time": {"type": ["boolean", "null"]},
                "allocated_cents": _INT_OR_NULL,
                "spent_cents": _INT_OR_NULL,
                "currency": {"type": "string"},
                "next_milestone": {"oneOf": [{"$ref": "#/components/schemas/Milestone"}, {"type": "null"}]},
                "url": {"type": "string"},
                "api_url": {"type": "string"},
            },
        },
        "DeliveryDetail": {
            "allOf": [
                {"$ref": "#/components/schemas/Delivery"},
                {
                    "type": "object",
                    "properties": {
                        "milestones": {"type": "array", "items": {"$ref": "#/components/schemas/Milestone"}},
                        "history": {"type": "array", "items": {"type": "object"}},
                        "updates": {"type": "array", "items": {"type": "object"}},
                        "confirmed_reports": {"type": "array", "items": {"type": "object"}},
                        "ratings": {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer"},
                                "average_stars": {"type": ["number", "null"]},
                                "serves": {"type": "object"},
                            },
                        },
                    },
                },
            ]
        },
        "DeliveryPage": {
            "type": "object",
            "required": ["data", "meta", "links"],
            "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
                "meta": {"$ref": "#/components/schemas/PageMeta"},
                "links": {"$ref": "#/components/schemas/PageLinks"},
            },
        },
    }
)

EXTRA_PATHS.update(
    {
        "/api/v1/processes/{slug}/delivery": {
            "get": {
                "summary": "How each funded project of a process is being delivered",
                "parameters": [
                    SLUG_PARAM,
                    {"name": "district", "in": "query", "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": STATUSES}},
                    *PAGE_PARAMS,
                ],
                "responses": {
                    "200": _ok("#/components/schemas/DeliveryPage"),
                    "400": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/api/v1/delivery/projects/{project_id}": {
            "get": {
                "summary": "One funded project's delivery: milestones, history, updates, reports, ratings",
                "parameters": [
                    {"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": _ok("#/components/schemas/DeliveryDetail"), "404": ERROR_RESPONSE},
            }
        },
    }
)
