"""The OpenAPI document as the API really answers: Powertools' generated document, made truthful.

Powertools documents every route as answering 200 or its own ``422 {"detail": [...]}``, names operations after
their Python functions and knows nothing of what happens before routing (401, 429, 400/413/415), of headers, nor of
rules that live in model validators. ``contract()`` rewrites the generated document from one table, ``OPERATIONS``
(courier.api.openapi_routes): one row per route with its stable operationId and every status it answers. A route
without a row is an error, so a new route cannot ship undocumented (tests/functional/test_openapi.py checks the table
against the app's routes). The validators' rules, said as JSON Schema, are in courier.api.openapi_rules.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from courier.api.idempotency import KEY as IDEMPOTENCY_KEY
from courier.api.openapi_routes import OPERATIONS
from courier.api.openapi_rows import JSON, SCHEMAS, Answer, Operation
from courier.api.openapi_rules import METADATA_NAMES, OBJECT_RULES, PROPERTY_RULES, STRING_RULES
from courier.models import ErrorResponse

# Powertools' own models, which no route answers.
POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")

# The renders whose 200 may be the file itself (response.type binary), in its own media type.
RENDER_OPERATIONS = frozenset(
    {
        "createRender",
        "orshotStudioRender",
        "orshotGenerateImage",
        "orshotGeneratePdf",
        "orshotGenerateLibraryImage",
        "orshotGenerateLibraryPdf",
    }
)
BINARY_TYPES = ("image/png", "image/jpeg", "image/webp", "image/avif", "image/gif", "application/pdf")
REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "true when this is the first answer given again for the request's Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


class UndocumentedRouteError(ValueError):
    """A route of the app has no row in ``OPERATIONS``."""


# ---------------------------------------------------------------- the rewrite


def contract(
    generated: Mapping[str, Any], routes: Iterable[tuple[str, str]], *, strict: bool = False
) -> dict[str, Any]:
    """The truthful document, from Powertools' ``generated`` one and the app's ``routes`` as (METHOD, OpenAPI path).
    A route without a row keeps Powertools' operation, its errors in the contract's shape (the served document must
    not fail because of it; tests/functional/test_openapi.py does). ``strict``: raise UndocumentedRouteError instead."""
    document = copy.deepcopy(dict(generated))
    routes = sorted(set(routes))
    if strict and (missing := rowless(routes)):
        raise UndocumentedRouteError(
            f"no row in courier.api.openapi_routes.OPERATIONS for {', '.join(missing)}: "
            "add one with every status it answers"
        )
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name in POWERTOOLS_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_error_schemas())
    _tighten(schemas)
    schemas["UploadcareError"] = {
        "title": "UploadcareError",
        "description": "Uploadcare's error shape, answered by its compatibility route",
        "type": "object",
        "properties": {"detail": {"type": "string", "title": "Detail"}},
        "required": ["detail"],
    }
    document["components"].setdefault("securitySchemes", {})["uploadcare"] = {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Uploadcare's schemes, with a key pair from POST /v1/compat/uploadcare/keys: "
        "`Uploadcare.Simple <public>:<secret>`, or `Uploadcare <public>:<hex HMAC-SHA1 signature>` with a Date header",
    }
    generated_paths: dict[str, Any] = document.get("paths", {})
    paths: dict[str, dict[str, Any]] = {}
    for method, path in routes:
        row = OPERATIONS.get((method, path)) or _fallback(generated_paths.get(path, {}).get(method.lower()))
        if row is not None and row.documented:
            generated_operation = generated_paths.get(path, {}).get(method.lower(), {})
            paths.setdefault(path, {})[method.lower()] = _operation(row, generated_operation)
    document["paths"] = {path: paths[path] for path in sorted(paths)}
    document["tags"] = [{"name": tag} for tag in dict.fromkeys(op.tag for op in OPERATIONS.values())]
    return document


def rowless(routes: Iterable[tuple[str, str]]) -> list[str]:
    """The routes, as "METHOD /path", that have no row in ``OPERATIONS``."""
    return [f"{method} {path}" for method, path in sorted(set(routes)) if (method, path) not in OPERATIONS]


def _fallback(generated: Mapping[str, Any] | None) -> Operation | None:
    """A route without a row, as Powertools documents it (None when Powertools leaves it out)."""
    if generated is None:
        return None
    answers = {int(status): str(answer.get("description", "")) for status, answer in generated["responses"].items()}
    return Operation(str(generated["operationId"]), str(generated.get("summary", "")), "Undocumented", answers)


def contract_json(generated_json: str, routes: Iterable[tuple[str, str]]) -> str:
    return json.dumps(contract(json.loads(generated_json), routes), indent=2, ensure_ascii=False)


def _operation(row: Operation, generated: Mapping[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {"tags": [row.tag], "summary": row.summary, "operationId": row.id}
    parameters = [*generated.get("parameters", []), *map(dict, row.parameters)]
    if row.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Retry safely: the same key with the same body within 24 h answers the first "
                "answer (no second render, no second file); with another body 422 idempotency_key_reused; while "
                "the first is still in flight 409. Keys are per workspace.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY.pattern},
            }
        )
    for parameter in parameters:
        if parameter.get("in") == "path" and parameter.get("name") in row.path_rules:
            parameter["schema"] = {**parameter["schema"], **row.path_rules[parameter["name"]]}
    if parameters:
        operation["parameters"] = parameters
    if "requestBody" in generated:
        operation["requestBody"] = copy.deepcopy(generated["requestBody"])
        if row.body_rules is not None:
            media = operation["requestBody"]["content"][JSON]
            media["schema"] = {"allOf": [media["schema"], dict(row.body_rules)]}
    generated_answers: Mapping[str, Any] = generated.get("responses", {})
    responses: dict[str, Any] = {}
    for status in sorted(row.answers):
        answer = row.answers[status]
        answer = answer if isinstance(answer, Answer) else Answer(answer)
        response: dict[str, Any] = {"description": answer.description}
        if answer.content is not None:
            content = dict(answer.content)
        elif status >= 400:
            content = {JSON: {"schema": dict(row.error_schema)}}
        else:
            own = generated_answers.get(str(status)) or generated_answers.get("200", {})
            content = dict(own.get("content", {}))
            if row.id in RENDER_OPERATIONS:
                content.pop("application/octet-stream", None)
                content |= {media: {"schema": {"type": "string", "contentMediaType": media}} for media in BINARY_TYPES}
        if content:
            response["content"] = content
        headers = dict(answer.headers)
        if row.idempotent and 200 <= status < 300:
            headers |= REPLAYED_HEADER
        if headers:
            response["headers"] = headers
        responses[str(status)] = response
    operation["responses"] = responses
    if row.public:
        operation["security"] = []
    elif row.security is not None:
        operation["security"] = row.security
    return operation


def _error_schemas() -> dict[str, Any]:
    schema = ErrorResponse.model_json_schema(by_alias=True, ref_template=SCHEMAS + "{model}")
    definitions: dict[str, Any] = schema.pop("$defs")
    definitions["ErrorBody"]["required"] = ["code", "message", "details"]  # always answered, even when empty
    return {"ErrorResponse": schema, **definitions}


def _tighten(schemas: dict[str, Any]) -> None:
    for (model, prop), rule in STRING_RULES.items():
        _string_branch(schemas[model]["properties"][prop]).update(copy.deepcopy(rule))
    for model, rules in OBJECT_RULES.items():
        schemas[model].setdefault("allOf", []).extend(copy.deepcopy(rules))
    for (model, prop), schema in PROPERTY_RULES.items():
        schemas[model]["properties"][prop] = copy.deepcopy(schema)
    for model, pattern in METADATA_NAMES.items():
        metadata = schemas[model]["properties"]["metadata"]
        branch = next(b for b in metadata.get("anyOf", [metadata]) if b.get("type") == "object")
        branch["propertyNames"] = {"pattern": pattern}
    for schema in schemas.values():
        _close_pattern_properties(schema)


def _string_branch(schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("type") == "string":
        return schema
    return next(branch for branch in schema.get("anyOf", []) if branch.get("type") == "string")


def _close_pattern_properties(schema: Any) -> None:
    """A dict whose keys have a pattern refuses other keys: say so (pydantic leaves additionalProperties open)."""
    if isinstance(schema, dict):
        if "patternProperties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _close_pattern_properties(value)
    elif isinstance(schema, list):
        for value in schema:
            _close_pattern_properties(value)
