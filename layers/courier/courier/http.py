"""The JSON error shape of the public contract, for typed API errors and request validation errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_lambda_powertools.event_handler import Response

from courier.errors import ApiError, BadRequestError, UnprocessableError
from courier.models import ErrorBody, ErrorDetail, ErrorResponse

# Where a validation error came from; the body's own fields are named without a prefix.
LOCATIONS = {"body": "", "path": "", "query": "query.", "header": "header."}


def error_response(error: ApiError) -> Response[str]:
    body = ErrorResponse(error=ErrorBody(code=error.code, message=error.message, details=error.details))
    return Response(error.status, "application/json", body.model_dump_json(by_alias=True))


def validation_error_response(errors: Sequence[Any]) -> Response[str]:
    """Pydantic errors → 400 for malformed JSON, else 422 with each field's path. Inputs are never echoed:
    a wrong value may be a secret."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(BadRequestError("malformed JSON body"))
    details = [
        ErrorDetail(
            field=_field_path(e.get("loc", ())), message=str(e.get("msg", "invalid value")), type=str(e.get("type"))
        )
        for e in errors
    ]
    summary = "; ".join(f"{d.field or 'body'}: {d.message}" for d in details[:5])
    return error_response(UnprocessableError(f"invalid request: {summary}", details))


def _field_path(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        prefix = LOCATIONS[parts[0]]
        parts = parts[1:]
    else:
        prefix = ""
    # Discriminated unions add the tag as a location step ("auth.keys.accessKeyId"): keep it, it says which variant.
    return prefix + ".".join(parts)
