"""The JSON error shape of the public contract, for typed API errors and request validation errors."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import Response

from courier.accounts.ratelimit import RateLimiter
from courier.errors import (
    ApiError,
    BadRequestError,
    PayloadTooLargeError,
    UnprocessableError,
    UnsupportedMediaTypeError,
)
from courier.models import ErrorBody, ErrorDetail, ErrorResponse

MAX_BODY_BYTES = 256 * 1024
MAX_FIELD_SEGMENT = 64  # an unknown field's name is user input: echo only a short prefix of it
# Discriminated unions' tags, which pydantic adds to error locations but the request's JSON path does not have.
LAYER_TAGS = {"rect", "ellipse", "text", "image", "qr"}

# Where a validation error came from; the body's own fields are named without a prefix.
LOCATIONS = {"body": "", "path": "", "query": "query.", "header": "header."}


Authenticate = Callable[[dict[str, str], bytes], str]


def admit(event: dict[str, Any], authenticate: Authenticate, limit: RateLimiter) -> str:
    """The workspace of an API Gateway v2 request, within its rate limit, once its body is known to be acceptable
    JSON. ``authenticate(headers with lowercase names, raw body)`` names the workspace (an API key, or a compatible
    product's scheme that signs the body). Raises ``ApiError`` (401, 429, 400, 413, 415)."""
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    raw = b""
    if event.get("body"):
        body = str(event["body"])
        if event.get("isBase64Encoded"):
            # API Gateway base64-encodes bodies that are not valid text; JSON must be UTF-8.
            try:
                raw = base64.b64decode(body, validate=True)
            except binascii.Error:
                raise BadRequestError("the body is not UTF-8 JSON") from None
        else:
            raw = body.encode("utf-8", "surrogatepass")
    workspace_id = authenticate(headers, raw)
    limit.hit(workspace_id)
    if raw:
        check_json_body(headers.get("content-type"), raw)
        canonical_json_content_type(event)
    return workspace_id


def canonical_json_content_type(event: dict[str, Any]) -> None:
    """Hand an accepted JSON body on as ``application/json``: media types are case-insensitive and ``+json`` types
    are JSON (RFC 9110, RFC 6839), but Powertools parses only the lowercase spelling and answers anything else with
    an exception of its own."""
    headers = event.get("headers") or {}
    for name in [n for n in headers if n.lower() == "content-type"]:
        del headers[name]
    headers["content-type"] = "application/json"
    event["headers"] = headers


def error_result(error: ApiError) -> dict[str, Any]:
    """An API Gateway v2 result for an error raised before routing."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": "application/json", **error.headers},
        "body": _error_json(error),
        "isBase64Encoded": False,
    }


def check_json_body(content_type: str | None, body: bytes) -> None:
    """Bodies are JSON only: a form-encoded body (curl -d without a header) would otherwise be parsed as fields.
    The size limit counts bytes; JSON nested past the parser's recursion limit is a 400, not a crash later."""
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaTypeError("send the body as JSON with Content-Type: application/json")
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"request body is over {MAX_BODY_BYTES // 1024} KiB")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError("the body is not UTF-8 JSON") from None
    try:
        json.loads(text)
    except RecursionError:
        raise BadRequestError("malformed JSON body: nested too deeply") from None
    except ValueError:
        pass  # malformed JSON is answered by the route's validation, as a 400 with the same message


def error_response(error: ApiError) -> Response[str]:
    return Response(error.status, "application/json", _error_json(error), headers=error.headers or None)


def _error_json(error: ApiError) -> str:
    body = ErrorResponse(error=ErrorBody(code=error.code, message=error.message, details=error.details))
    return body.model_dump_json(by_alias=True)


def validation_error_response(errors: Sequence[Any]) -> Response[str]:
    """Pydantic errors → 400 for malformed JSON, else 422 with each field's path. Inputs are never echoed:
    a wrong value may be a secret."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(BadRequestError("malformed JSON body"))
    details = [
        ErrorDetail(
            field=_field_path(_location(e)), message=str(e.get("msg", "invalid value")), type=str(e.get("type"))
        )
        for e in errors
    ]
    summary = "; ".join(f"{d.field or 'body'}: {d.message}" for d in details[:5])
    return error_response(UnprocessableError(f"invalid request: {summary}", details))


def _location(error: Any) -> tuple[Any, ...]:
    loc = tuple(error.get("loc", ()))
    # An unknown tag of a discriminated union ("provider": "ftp") is the tag field's fault, not the object's.
    if error.get("type") in {"union_tag_invalid", "union_tag_not_found"}:
        discriminator = str((error.get("ctx") or {}).get("discriminator", "")).strip("'\"")
        if discriminator.isidentifier():
            loc = (*loc, discriminator)
    return loc


def _field_path(loc: Sequence[Any]) -> str:
    parts = [_short(str(p)) for p in loc]
    prefix = ""
    if parts and parts[0] in LOCATIONS:
        prefix = LOCATIONS[parts[0]]
        parts = parts[1:]
    # A discriminated union adds its tag as a step ("s3.auth.keys.accessKeyId"): the request's own path has none.
    parts = [
        p
        for i, p in enumerate(parts)
        if not (
            (i == 0 and p in _provider_tags())
            or (i > 0 and parts[i - 1] == "auth" and p in _auth_tags())
            or (i > 1 and parts[i - 2] == "layers" and p in LAYER_TAGS)
        )
    ]
    return prefix + ".".join(parts)


def _short(segment: str) -> str:
    return segment if len(segment) <= MAX_FIELD_SEGMENT else segment[:MAX_FIELD_SEGMENT] + "…"


def _provider_tags() -> frozenset[str]:
    from courier.providers import names

    return frozenset(names())


def _auth_tags() -> frozenset[str]:
    from courier.providers import auth_tags

    return auth_tags()
