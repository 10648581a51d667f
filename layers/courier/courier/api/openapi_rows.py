"""What a row of the contract's table says, and the answers many rows share.

A row (``Operation``) is one route: its stable operationId, a summary, a tag and every status it answers, each an
``Answer`` (or just its description). The statuses every keyed route answers (401, 429, 500), those of a route that
takes a body (400, 413, 415, 422), of an idempotent one (409, 503) and of a remote copy are written once here;
``keyed()`` puts a route's own answers after them. The rows themselves are in courier.api.openapi_routes and
courier.api.openapi_compat; courier.api.openapi turns them into the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from courier.api.http import MAX_BODY_BYTES

JSON = "application/json"
HTML = "text/html"
SCHEMAS = "#/components/schemas/"
ERROR_REF = {"$ref": SCHEMAS + "ErrorResponse"}
UPLOADCARE_ERROR_REF = {"$ref": SCHEMAS + "UploadcareError"}


@dataclass(frozen=True)
class Answer:
    """One status of one route. ``content`` None: the route's own generated content for a 2xx, the contract's error
    model for a 4xx/5xx; ``{}``: no body."""

    description: str
    content: Mapping[str, Any] | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """One route: its operationId (stable: generated clients name their functions after it), a summary, a tag, and
    every status it answers. ``public``: reached without an API key (so no 401/429). ``idempotent``: takes the
    optional ``Idempotency-Key`` header."""

    id: str
    summary: str
    tag: str
    answers: Mapping[int, Answer | str]
    public: bool = False
    idempotent: bool = False
    error_schema: Mapping[str, Any] = field(default_factory=lambda: ERROR_REF)
    security: list[dict[str, list[str]]] | None = None  # None: the document's default (an API key)
    parameters: tuple[Mapping[str, Any], ...] = ()  # beyond those Powertools documents (none, for hidden routes)
    # Rules the code adds to a path parameter's schema, and to the request body's (as allOf).
    path_rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    body_rules: Mapping[str, Any] | None = None
    documented: bool = True  # False: an alias left out of the document (its row says so)


# ---------------------------------------------------------------- statuses shared by many routes

KEYED: dict[int, Answer | str] = {
    401: "No API key, or an unknown, revoked or expired one",
    429: Answer(
        "Too many requests for this workspace: retry after Retry-After seconds",
        headers={
            "Retry-After": {
                "description": "Seconds to wait before retrying",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    ),
    500: "Internal error (never a stack trace)",
}
BODY: dict[int, Answer | str] = {
    400: "Malformed JSON, or a body that is not UTF-8",
    413: f"The body is over {MAX_BODY_BYTES // 1024} KiB",
    415: "The body is not JSON (send Content-Type: application/json)",
    422: "Valid JSON with unusable values: each detail names the field",
}
UNUSABLE = "Valid JSON with unusable values: each detail names the field"
IDEMPOTENT: dict[int, Answer | str] = {
    409: "A request with this Idempotency-Key is still in progress: retry when it has answered",
    503: "The request could not be made idempotent now, or its file not stored or its clip not queued: retry; "
    "or clips are not rendered on this deployment",
}
COPIED = {JSON: {"schema": {"$ref": SCHEMAS + "RemoteCopyResponse"}}}
COPY_ANSWERS: dict[int, Answer | str] = {
    200: Answer("A file of that name already exists: nothing was written (Uploadcare's answer)", COPIED),
    201: Answer("Copied", COPIED),
    202: Answer("Still copying after the wait: follow it with GET /v1/renders/{renderId}", COPIED),
}
REUSED = "; code idempotency_key_reused: this Idempotency-Key was used with another body"
PAGE = "A limit out of range, or a cursor this API did not give"
BAD_PATH = "A path parameter does not have the documented form"


def keyed(answers: Mapping[int, Answer | str], *, body: bool = False) -> dict[int, Answer | str]:
    """A keyed route's answers: 401, 429 and 500, the body checks' statuses if it takes one, then its own."""
    return {**(BODY if body else {}), **KEYED, **answers}
