"""The OpenAPI 3.1 description of the open data API (kept beside the views it describes)."""

from flask import url_for

PAGE_PARAMS = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]
SLUG_PARAM = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
ERROR_RESPONSE = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _json(schema_ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


def _paged(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "meta", "links"],
        "properties": {
            "data": {"type": "array", "items": {"$ref": item_ref}},
            "meta": {"$ref": "#/components/schemas/PageMeta"},
            "links": {"$ref": "#/components/schemas/PageLinks"},
        },
    }


_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}

SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
            }
        },
    },
    "PageMeta": {
        "type": "object",
        "properties": {
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
    "PageLinks": {"type": "object", "properties": {"next": _NULLABLE_STR, "prev": _NULLABLE_STR}},
    "ProcessSummary": {
        "type": "object",
        "required": ["slug", "title", "phase", "currency", "total_budget_cents"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "phase": {
                "type": "string",
                "enum": ["proposals", "review", "voting", "results", "delivery", "closed"],
            },
            "currency": {"type": "string"},
            "total_budget_cents": {"type": "integer"},
            "url": {"type": "string"},
            "api_url": {"type": "string"},
        },
    },
    "Process": {
        "allOf": [
            {"$ref": "#/components/schemas/ProcessSummary"},
            {
                "type": "object",
                "properties": {
                    "description_markdown": {"type": "string"},
                    "ballot": {"type": "object"},
                    "rule": {"type": "string"},
                    "rule_threshold": _NULLABLE_INT,
                    "districts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "slug": {"type": "string"},
                                "name": {"type": "string"},
                                "citywide": {"type": "boolean"},
                                "budget_cents": {"type": "integer"},
                            },
                        },
                    },
                    "phases": {"type": "array", "items": {"type": "object"}},
                    "categories": {"type": "array", "items": {"type": "object"}},
                },
            },
        ]
    },
    "Project": {
        "type": "object",
        "required": ["id", "code", "title", "district", "cost_cents"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "district": {"type": "string"},
            "category": _NULLABLE_STR,
            "cost_cents": {"type": "integer"},
            "currency": {"type": "string"},
            "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]},
            "image_url": _NULLABLE_STR,
        },
    },
    "Result": {
        "type": "object",
        "required": ["district", "rule", "pb_sha256", "winners", "projects"],
        "properties": {
            "district": {"type": "string"},
            "rule": {"type": "string"},
            "options": {"type": "object"},
            "published_at": _NULLABLE_STR,
            "pb_sha256": {"type": "string"},
            "voters": {"type": "integer"},
            "budget_cents": {"type": "integer"},
            "spent_cents": {"type": "integer"},
            "currency": {"type": "string"},
            "winners": {"type": "array", "items": {"type": "integer"}},
            "projects": {"type": "array", "items": {"type": "object"}},
            "ballots_url": {"type": "string"},
        },
    },
    "ResultList": {
        "type": "object",
        "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}}},
    },
    "Named": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}},
    "NamedList": {
        "type": "object",
        "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Named"}}},
    },
}

#: Extra paths added by other features (results, delivery): {path: operation}.
EXTRA_PATHS: dict[str, dict] = {}
EXTRA_SCHEMAS: dict[str, dict] = {}


def openapi_document() -> dict:
    paths = {
        "/api/v1/processes": {
            "get": {
                "summary": "Budget processes (not drafts)",
                "parameters": PAGE_PARAMS,
                "responses": {"200": _json("#/components/schemas/ProcessPage"), "400": ERROR_RESPONSE},
            }
        },
        "/api/v1/processes/{slug}": {
            "get": {
                "summary": "One process with budgets, phases and ballot settings",
                "parameters": [SLUG_PARAM],
                "responses": {"200": _json("#/components/schemas/Process"), "404": ERROR_RESPONSE},
            }
        },
        "/api/v1/processes/{slug}/projects": {
            "get": {
                "summary": "The projects on a process's ballot",
                "parameters": [
                    SLUG_PARAM,
                    {"name": "district", "in": "query", "schema": {"type": "string"}},
                    *PAGE_PARAMS,
                ],
                "responses": {
                    "200": _json("#/components/schemas/ProjectPage"),
                    "400": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/api/v1/processes/{slug}/results": {
            "get": {
                "summary": "Published results per district (empty list before publication)",
                "parameters": [SLUG_PARAM],
                "responses": {"200": _json("#/components/schemas/ResultList"), "404": ERROR_RESPONSE},
            }
        },
        "/api/v1/districts": {
            "get": {
                "summary": "The city's districts",
                "responses": {"200": _json("#/components/schemas/NamedList")},
            }
        },
        "/api/v1/categories": {
            "get": {
                "summary": "Project categories",
                "responses": {"200": _json("#/components/schemas/NamedList")},
            }
        },
        **EXTRA_PATHS,
    }
    schemas = {
        **SCHEMAS,
        "ProcessPage": _paged("#/components/schemas/ProcessSummary"),
        "ProjectPage": _paged("#/components/schemas/Project"),
        **EXTRA_SCHEMAS,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Participatory budget open data",
            "version": "1.0.0",
            "description": "Read-only. Money is in cents. Anyone may use it; no key needed.",
        },
        "servers": [{"url": url_for("core.home", _external=True).rstrip("/")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
