"""The OpenAPI document as the API really answers: Powertools' generated document, made truthful.

Powertools documents every route as answering 200 or its own ``422 {"detail": [...]}``, names operations after
their Python functions and knows nothing of what happens before routing (401, 429, 400/413/415), of headers, nor of
rules that live in model validators. ``contract()`` rewrites the generated document from one table, ``OPERATIONS``:
one row per route with its stable operationId and every status it answers. A route without a row is an error, so a
new route cannot ship undocumented (tests/unit/test_openapi.py checks the table against the app's routes).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from courier.api.console import CONTENT_TYPES as CONSOLE_CONTENT_TYPES
from courier.api.http import MAX_BODY_BYTES
from courier.api.idempotency import KEY as IDEMPOTENCY_KEY
from courier.engine import BUILTIN_TEMPLATES
from courier.engine.document import HTTPS_URL_PATTERN
from courier.models import AWS_KEY_ID_MIN, ErrorResponse
from courier.providers import PROVIDERS, storage_providers

JSON = "application/json"
HTML = "text/html"
SCHEMAS = "#/components/schemas/"
ERROR_REF = {"$ref": SCHEMAS + "ErrorResponse"}
UPLOADCARE_ERROR_REF = {"$ref": SCHEMAS + "UploadcareError"}
# Powertools' own models, which no route answers.
POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


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


class UndocumentedRouteError(ValueError):
    """A route of the app has no row in ``OPERATIONS``."""


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
# courier.renders.templates: a built-in template's id cannot be created, replaced or deleted (422).
NOT_BUILTIN = {"not": {"enum": sorted(BUILTIN_TEMPLATES)}}
# The same for a path parameter, as its pattern (a `not` there confuses generators): TEMPLATE_ID, built-ins excluded.
OWN_TEMPLATE_ID = {"pattern": f"^(?!(?:{'|'.join(sorted(BUILTIN_TEMPLATES))})$)[a-z0-9][a-z0-9_-]{{0,63}}$"}
PAGE = "A limit out of range, or a cursor this API did not give"
BAD_PATH = "A path parameter does not have the documented form"
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
CONSOLE_TYPES = tuple(dict.fromkeys(CONSOLE_CONTENT_TYPES.values()))
REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "true when this is the first answer given again for the request's Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


def _keyed(answers: Mapping[int, Answer | str], *, body: bool = False) -> dict[int, Answer | str]:
    """A keyed route's answers: 401, 429 and 500, the body checks' statuses if it takes one, then its own."""
    return {**(BODY if body else {}), **KEYED, **answers}


def _orshot() -> dict[int, Answer | str]:
    """createRender's answers, but a request refused as invalid is a 400 (Orshot's SDKs read only a 400)."""
    answers = _keyed(
        {
            200: Answer("The render (JSON), or the file itself when response.type is binary"),
            400: "Malformed JSON, or values we cannot use (each detail names the field)" + REUSED,
            413: f"The body is over {MAX_BODY_BYTES // 1024} KiB, or a binary answer would be too large",
            **IDEMPOTENT,
        },
        body=True,
    )
    answers.pop(422, None)
    return answers


# ---------------------------------------------------------------- the table: one row per route

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("POST", "/v1/renders"): Operation(
        "createRender",
        "Render a template and deliver it to storages",
        "Renders",
        _keyed(
            {
                200: Answer(
                    "The render (JSON), or the file itself when response.type is binary (first page; its render id "
                    "and status in X-Courier-Render-Id and X-Courier-Status)",
                    headers={
                        "X-Courier-Render-Id": {"description": "binary answers: the render's id", "schema": {}},
                        "X-Courier-Status": {"description": "binary answers: the render's status", "schema": {}},
                    },
                ),
                413: f"The body is over {MAX_BODY_BYTES // 1024} KiB, or a binary answer would be too large",
                422: UNUSABLE + " (e.g. templateId: no such template)" + REUSED,
                **IDEMPOTENT,
            },
            body=True,
        ),
        idempotent=True,
    ),
    **{
        ("POST", path): Operation(
            operation_id,
            summary,
            "Orshot compatibility",
            _orshot(),
            idempotent=True,
        )
        for path, operation_id, summary in (
            ("/v1/studio/render", "orshotStudioRender", "Orshot's studio render: the same render as createRender"),
            (
                "/v1/generate/images",
                "orshotGenerateLibraryImage",
                "Orshot's library-template render (the template in the body): the same render as createRender",
            ),
            (
                "/v1/generate/pdfs",
                "orshotGenerateLibraryPdf",
                "As orshotGenerateLibraryImage, in PDF unless response.format says otherwise",
            ),
            (
                "/v1/generate/images/{template_id}",
                "orshotGenerateImage",
                "Orshot's image render: the template in the path, the rest as createRender takes it",
            ),
            (
                "/v1/generate/pdfs/{template_id}",
                "orshotGeneratePdf",
                "Orshot's PDF render: as orshotGenerateImage, in PDF unless response.format says otherwise",
            ),
        )
    },
    ("GET", "/v1/renders"): Operation(
        "listRenders",
        "The workspace's renders, newest first",
        "Renders",
        _keyed({200: "A page of the renders (nextCursor when there are more)", 422: PAGE}),
    ),
    ("GET", "/v1/renders/{render_id}"): Operation(
        "getRender",
        "A render's status, deliveries and webhook",
        "Renders",
        _keyed({200: "The render", 404: "No such render in this workspace", 422: BAD_PATH}),
    ),
    ("POST", "/v1/files/remote_copy"): Operation(
        "remoteCopy",
        "Copy a rendered file (still in staging) to a storage (Uploadcare's remote copy)",
        "Files",
        _keyed(
            {
                **COPY_ANSWERS,
                400: "Unknown source or target, a disabled target, a bad pattern, or the copy was refused (code "
                "copy_failed); or malformed JSON",
                422: UNUSABLE + REUSED,
                **IDEMPOTENT,
            },
            body=True,
        ),
        idempotent=True,
    ),
    ("GET", "/v1/templates"): Operation(
        "listTemplates",
        "The workspace's templates and the built-in starters",
        "Templates",
        _keyed({200: "A page of the templates (nextCursor when there are more)", 422: PAGE}),
    ),
    ("POST", "/v1/templates"): Operation(
        "createTemplate",
        "Create a template",
        "Templates",
        _keyed(
            {
                201: "Created: the stored template",
                409: "A template with this id exists: PUT /v1/templates/{id} replaces it",
                422: UNUSABLE + " (e.g. the id of a built-in template)",
            },
            body=True,
        ),
        body_rules={"properties": {"id": NOT_BUILTIN}},
    ),
    ("GET", "/v1/templates/{template_id}"): Operation(
        "getTemplate",
        "A template: the workspace's own, else a built-in one",
        "Templates",
        _keyed({200: "The template", 404: "No such template", 422: BAD_PATH}),
    ),
    ("PUT", "/v1/templates/{template_id}"): Operation(
        "putTemplate",
        "Create or replace a template",
        "Templates",
        _keyed({200: "The stored template", 422: UNUSABLE + " (e.g. an id other than the path's)"}, body=True),
        path_rules={"template_id": OWN_TEMPLATE_ID},
    ),
    ("DELETE", "/v1/templates/{template_id}"): Operation(
        "deleteTemplate",
        "Delete a template",
        "Templates",
        _keyed({204: Answer("Deleted", content={}), 404: "No such template", 422: BAD_PATH + ", or built-in"}),
        path_rules={"template_id": OWN_TEMPLATE_ID},
    ),
    ("GET", "/v1/storage"): Operation(
        "listStorages",
        "The workspace's storages (never a secret)",
        "Storage",
        _keyed({200: "A page of the storages (nextCursor when there are more)", 422: PAGE}),
    ),
    ("PUT", "/v1/storage/{name}"): Operation(
        "putStorage",
        "Create or replace a storage; its credentials are probed with a small write",
        "Storage",
        _keyed({200: "The storage (never a secret)", 422: UNUSABLE + ", or the probe's refusal"}, body=True),
    ),
    ("GET", "/v1/storage/{name}"): Operation(
        "getStorage",
        "A storage (never a secret)",
        "Storage",
        _keyed({200: "The storage", 404: "No such storage in this workspace", 422: BAD_PATH}),
    ),
    ("PATCH", "/v1/storage/{name}"): Operation(
        "patchStorage",
        "Pause, enable or disable a storage, change its folder, or replace its credentials (probed again)",
        "Storage",
        _keyed({200: "The storage", 404: "No such storage in this workspace"}, body=True),
    ),
    ("DELETE", "/v1/storage/{name}"): Operation(
        "deleteStorage",
        "Delete a storage",
        "Storage",
        _keyed({204: Answer("Deleted", content={}), 404: "No such storage in this workspace", 422: BAD_PATH}),
    ),
    ("POST", "/v1/storage/{name}/dropbox/authorize"): Operation(
        "authorizeDropbox",
        "Connect Dropbox: the URL to send the user to; the storage is saved when they come back",
        "Storage",
        _keyed({200: "Where to send the user", 422: UNUSABLE + ", or Connect Dropbox is not configured"}, body=True),
    ),
    ("GET", "/v1/oauth/dropbox/callback"): Operation(
        "dropboxCallback",
        "Where the user's browser comes back from Dropbox (no API key: the single-use state is the proof)",
        "Storage",
        {
            200: Answer(
                "Dropbox connected, or the user declined: a page that says which",
                content={HTML: {"schema": {"type": "string"}}},
            ),
            400: Answer(
                "A storage that cannot be saved: a page for the user", content={HTML: {"schema": {"type": "string"}}}
            ),
            404: Answer(
                "No authorisation of ours to complete (unknown, expired or already used state): a page for the user",
                content={HTML: {"schema": {"type": "string"}}},
            ),
            422: "A query parameter is too long",
            500: KEYED[500],
        },
        public=True,
    ),
    ("GET", "/v1/webhook"): Operation(
        "getWebhook",
        "The workspace's default webhook (its URL without the query), its secret's dates and recent outcomes",
        "Webhooks",
        _keyed({200: "The webhook settings"}),
    ),
    ("PUT", "/v1/webhook"): Operation(
        "putWebhook",
        "Set the workspace's default webhook URL and events (null removes the URL)",
        "Webhooks",
        _keyed(
            {
                200: "The webhook settings",
                409: "The workspace has no signing secret yet: POST /v1/webhook/secret first",
                422: UNUSABLE + " (e.g. a URL that may not be reached)",
            },
            body=True,
        ),
    ),
    ("POST", "/v1/webhook/secret"): Operation(
        "createWebhookSecret",
        "Create the signing secret, or rotate it (the old one keeps signing for graceHours)",
        "Webhooks",
        _keyed({201: "The secret, shown this once"}, body=True),
    ),
    ("POST", "/files/remote_copy"): Operation(
        "uploadcareRemoteCopy",
        "Uploadcare's REST remote copy, for its SDKs (also at /files/remote_copy/, as they call it): the same copy, "
        "with Uploadcare's auth schemes and answer shapes",
        "Compatibility",
        {
            status: answer
            for status, answer in _keyed(
                {
                    **COPY_ANSWERS,
                    400: "Unusable values, unknown source or target, a bad pattern, the copy refused, the "
                    "Idempotency-Key used with another body, or malformed JSON (Uploadcare has no 422)",
                    **IDEMPOTENT,
                },
                body=True,
            ).items()
            if status != 422
        },
        idempotent=True,
        error_schema=UPLOADCARE_ERROR_REF,
        security=[{"apiKey": []}, {"uploadcare": []}],
    ),
    ("POST", "/files/remote_copy/"): Operation(
        "uploadcareRemoteCopySlash",
        "Uploadcare's path for the route above (documented there)",
        "Compatibility",
        {},
        documented=False,
    ),
    ("POST", "/v1/compat/uploadcare/keys"): Operation(
        "createUploadcareKeys",
        "A new Uploadcare key pair for this workspace; its secret key is answered this once",
        "Compatibility",
        _keyed({201: "The key pair", 404: "Uploadcare key pairs are not enabled on this deployment"}),
    ),
    ("GET", "/v1/compat/uploadcare/keys"): Operation(
        "listUploadcareKeys",
        "The workspace's Uploadcare key pairs (public keys only)",
        "Compatibility",
        _keyed({200: "The key pairs"}),
    ),
    ("DELETE", "/v1/compat/uploadcare/keys/{public_key}"): Operation(
        "revokeUploadcareKeys",
        "Revoke an Uploadcare key pair: it stops working at once",
        "Compatibility",
        _keyed({204: Answer("Revoked", content={}), 404: "No such key pair in this workspace", 422: BAD_PATH}),
    ),
    ("GET", "/console"): Operation(
        "getConsole",
        "The storage console (a web page for people): redirects to its page",
        "Console",
        {
            302: Answer(
                "To /console/index.html",
                content={"text/plain": {"schema": {"type": "string", "maxLength": 0}}},
                headers={"Location": {"required": True, "schema": {"type": "string", "const": "/console/index.html"}}},
            ),
            500: KEYED[500],
        },
        public=True,
    ),
    ("GET", "/console/{asset}"): Operation(
        "getConsoleFile",
        "A file of the storage console (it signs in with an API key kept in the browser)",
        "Console",
        {
            200: Answer("The file", content={media: {"schema": {"type": "string"}} for media in CONSOLE_TYPES}),
            404: Answer("No such file", content={"text/plain": {"schema": {"type": "string"}}}),
            500: KEYED[500],
        },
        public=True,
        parameters=({"name": "asset", "in": "path", "required": True, "schema": {"type": "string"}},),
    ),
    ("GET", "/v1/openapi.json"): Operation(
        "getOpenapi",
        "This document",
        "Documentation",
        {200: Answer("The OpenAPI document", content={JSON: {"schema": {"type": "object"}}}), 500: KEYED[500]},
        public=True,
    ),
    ("GET", "/v1/docs"): Operation(
        "getDocs",
        "This document in Swagger UI",
        "Documentation",
        {200: Answer("Swagger UI", content={HTML: {"schema": {"type": "string"}}}), 500: KEYED[500]},
        public=True,
    ),
}


# ---------------------------------------------------------------- constraints that live in validators


def _colour() -> dict[str, Any]:
    # courier.engine.document.normalize_color: #rgb, #rgba, #rrggbb, #rrggbbaa, or white/black/transparent in any case.
    names = "|".join("".join(f"[{c.upper()}{c}]" for c in name) for name in ("white", "black", "transparent"))
    return {"pattern": f"^(#([0-9a-fA-F]{{3,4}}|[0-9a-fA-F]{{6}}|[0-9a-fA-F]{{8}})|{names})$"}


COLOUR = _colour()
# The registered providers' storage models (courier.providers).
STORAGE_MODELS = [p.request for p in storage_providers() if p.request is not None]
# Printable ASCII without a backslash: what Python and JavaScript regular expressions read alike (their \\s differ).
HTTPS_URL = {"pattern": HTTPS_URL_PATTERN}
DATA_URI = {"pattern": "^data:image/[a-z0-9.+-]+;base64,"}
# Added to the string branch of these properties (component schema, property).
STRING_RULES: dict[tuple[str, str], dict[str, Any]] = {
    **{
        (model, prop): COLOUR
        for model, prop in (
            ("Page", "background"),
            ("RectLayer", "fill"),
            ("EllipseLayer", "fill"),
            ("GradientStop", "color"),
            ("Border", "color"),
            ("TextLayer", "color"),
            ("QrLayer", "color"),
            ("QrLayer", "background"),
        )
    },
    ("ImageLayer", "url"): HTTPS_URL,
    ("ImageLayer", "data"): DATA_URI,
    ("RenderRequest", "webhook"): HTTPS_URL,
    ("ConnectionSpec", "presignedUrl"): HTTPS_URL,
    # Every storage model's endpoint (S3-compatible stores, R2, Azure, GCS …).
    **{(model.__name__, "endpoint"): HTTPS_URL for model in STORAGE_MODELS if "endpoint" in model.model_fields},
}
# courier.naming's syntax: ${name} for a known variable only, every "${" closed, not blank. What sanitising leaves of a
# name (by Unicode category) is beyond JSON Schema: such a pattern is answered 422 (400 on remote copy).
NAMING_VARIABLES = "default|auto_filename|filename|effects|ext|uuid|render_id|page|date"
NAMING_PATTERN = {
    "pattern": f"^(?:[^$]|\\$+(?:[^${{]|$)|\\$*\\$\\{{(?:{NAMING_VARIABLES})\\}})*$",
    "allOf": [{"pattern": "\\S"}],
}
STRING_RULES.update(
    {
        (model, "pattern"): NAMING_PATTERN
        for model in (
            "ConnectionSpec",
            *(model.__name__ for model in STORAGE_MODELS),
            "RemoteCopyRequest",
        )
    }
)
# Impossible Software's `filename` is a naming pattern too.
STRING_RULES[("ConnectionSpec", "filename")] = NAMING_PATTERN
# Probed storages' key ids go into an HTTP header: printable ASCII, or the probe fails before it leaves.
STRING_RULES[("KeysAuth", "accessKeyId")] = {"pattern": "^[\\x21-\\x7e]+$"}
STRING_RULES[("ConnectionSpec", "aws_access_key_id")] = {"pattern": "^[\\x21-\\x7e]+$"}
NULL_OR_EMPTY_STRING = {"type": ["null", "string"], "maxLength": 0}
# ObjectOptions._kms_key_needs_kms, in every model that has the object options.
KMS_NEEDS_SSE = {
    "if": {"properties": {"kmsKeyId": {"type": "string"}}, "required": ["kmsKeyId"]},
    "then": {"properties": {"sse": {"const": "aws:kms"}}, "required": ["sse"]},
}
# Model validators as JSON Schema: (component schema) → subschemas all of which a value must satisfy.
OBJECT_RULES: dict[str, list[dict[str, Any]]] = {
    **{model: [KMS_NEEDS_SSE] for model in ("ObjectOptions", *(model.__name__ for model in STORAGE_MODELS))},
    "DropboxConnectRequest": [KMS_NEEDS_SSE],
    # ConnectionSpec._consistent
    "ConnectionSpec": [
        KMS_NEEDS_SSE,
        {
            "if": {"properties": {"provider": {"const": "url"}}, "required": ["provider"]},
            "then": {
                "required": ["presignedUrl"],
                "properties": {
                    "presignedUrl": {"type": "string", "minLength": 1},
                    "storage": {"type": "null"},
                    "bucket": {"type": "null"},
                    "folder": NULL_OR_EMPTY_STRING,
                    "pattern": NULL_OR_EMPTY_STRING,
                },
            },
            "else": {
                "properties": {
                    "presignedUrl": NULL_OR_EMPTY_STRING,
                    "headers": {"type": ["null", "object"], "maxProperties": 0},
                }
            },
        },
        {
            "if": {"properties": {"bucket": {"type": "string"}}, "required": ["bucket"]},
            "then": {
                "properties": {"provider": {"const": "s3"}, "storage": {"type": "null"}},
                "anyOf": [
                    {
                        "required": ["aws_access_key_id", "aws_secret_access_key"],
                        "properties": {
                            "aws_access_key_id": {"type": "string"},
                            "aws_secret_access_key": {"type": "string"},
                        },
                    },
                    {"properties": {"aws_access_key_id": {"type": "null"}, "aws_secret_access_key": {"type": "null"}}},
                ],
            },
            "else": {
                "properties": {
                    "aws_access_key_id": {"type": "null"},
                    "s3host": {"type": "null"},
                    "filename": {"type": "null"},
                    "aws_use_policy": {"type": "null"},
                    "reduced_redundancy": {"type": "null"},
                }
            },
        },
    ],
}
# DropboxStorageRequest._credentials: a refresh token with its app key (and no access token), or an access token
# alone.
OBJECT_RULES["DropboxStorageRequest"].append(
    {
        "anyOf": [
            {
                "required": ["refreshToken", "appKey"],
                "properties": {
                    "refreshToken": {"type": "string"},
                    "appKey": {"type": "string"},
                    "accessToken": {"type": "null"},
                },
            },
            {
                "required": ["accessToken"],
                "properties": {
                    "accessToken": {"type": "string"},
                    "refreshToken": {"type": "null"},
                    "appSecret": {"type": "null"},
                },
            },
        ]
    }
)
# ConnectionSpec._consistent: Impossible Software's `"type": "s3"` is an inline bucket, so it names one.
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"properties": {"type": {"const": "s3"}}, "required": ["type"]},
        "then": {"required": ["bucket"], "properties": {"bucket": {"type": "string"}}},
    }
)
# aws_use_policy: the bucket grants us by policy, so no keys come with it, and it is an Amazon S3 bucket (no s3host).
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"properties": {"aws_use_policy": {"const": True}}, "required": ["aws_use_policy"]},
        "then": {
            "properties": {
                "aws_access_key_id": {"type": "null"},
                "aws_secret_access_key": {"type": "null"},
                "s3host": {"type": "null"},
            }
        },
    }
)
# connections._inline: an inline bucket without s3host is Amazon S3, whose key ids have 16+ characters.
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"not": {"properties": {"s3host": {"type": "string"}}, "required": ["s3host"]}},
        "then": {"properties": {"aws_access_key_id": {"anyOf": [{"type": "null"}, {"minLength": AWS_KEY_ID_MIN}]}}},
    }
)
# storages._check_aws_key_id: the same for an S3 storage without an endpoint.
OBJECT_RULES["S3StorageRequest"].append(
    {
        "if": {"not": {"properties": {"endpoint": {"type": "string"}}, "required": ["endpoint"]}},
        "then": {
            "properties": {
                "auth": {
                    "if": {"properties": {"type": {"const": "keys"}}, "required": ["type"]},
                    "then": {"properties": {"accessKeyId": {"minLength": AWS_KEY_ID_MIN}}},
                }
            }
        },
    }
)
# renders._check_supported: Orshot's options for what is not offered are refused with a reason when given; the
# document says so (null or absent only).
# The property itself says it (an allOf beside it would be as true, but generated clients cannot merge the two).
NOT_OFFERED = "Not offered: answered 422 (400 on Orshot's routes) with the reason when given; null or absent only."
PROPERTY_RULES: dict[tuple[str, str], dict[str, Any]] = {
    (model, prop): {"type": "null", "description": NOT_OFFERED}
    for model in ("RenderRequest", "GenerateRequest")
    for prop in ("publish",)
}
# ResponseSpec._one_moment: a still of an animated template is at a time or at a frame, not both.
OBJECT_RULES["ResponseSpec"] = [
    {
        "if": {"required": ["time"], "properties": {"time": {"type": "number"}}},
        "then": {"properties": {"frame": {"type": "null"}}},
    }
]
# Page._check: fps needs a duration (keyframes within it, at increasing times, cannot be said in JSON Schema).
OBJECT_RULES["Page"] = [
    {
        "if": {"required": ["fps"], "properties": {"fps": {"type": "integer"}}},
        "then": {"required": ["duration"], "properties": {"duration": {"type": "number"}}},
    }
]
# VideoOptions._trim: a rendered clip has no audio track, so only `muted: true` (or none) means something.
PROPERTY_RULES[("VideoOptions", "muted")] = {
    "anyOf": [{"const": True}, {"type": "null"}],
    "description": "true or absent: a rendered clip has no audio track (false is a 422)",
}
# storages._check_aws_auth: an S3 storage with an endpoint uses keys.
OBJECT_RULES["S3StorageRequest"].append(
    {
        "if": {"properties": {"endpoint": {"type": "string"}}, "required": ["endpoint"]},
        "then": {"properties": {"auth": {"properties": {"type": {"const": "keys"}}}}},
    }
)


# courier.providers: what a provider cannot honour is refused (Capabilities.lacking), on its storages (the property
# itself says it, as for NOT_OFFERED) and on the connections that name it; Azure's metadata names are C# identifiers.
METADATA_NAMES: dict[str, str] = {}  # storage model -> the pattern of its metadata names
for _provider in PROVIDERS.values():
    _rules = _provider.capabilities.schema()
    if _provider.request is not None:
        for _prop, _rule in _rules.items():
            PROPERTY_RULES[(_provider.request.__name__, _prop)] = _rule | {
                "description": f"Not offered by {_provider.display}: a 422 when given"
            }
        if _provider.metadata_names is not None:
            METADATA_NAMES[_provider.request.__name__] = _provider.metadata_names
    if _provider.metadata_names is not None:
        _rules = _rules | {
            "metadata": {
                "anyOf": [{"type": "null"}, {"type": "object", "propertyNames": {"pattern": _provider.metadata_names}}]
            }
        }
    if _rules:
        OBJECT_RULES["ConnectionSpec"].append(
            {
                "if": {"properties": {"provider": {"const": _provider.name}}, "required": ["provider"]},
                "then": {"properties": _rules},
            }
        )


# ---------------------------------------------------------------- the rewrite


def contract(
    generated: Mapping[str, Any], routes: Iterable[tuple[str, str]], *, strict: bool = False
) -> dict[str, Any]:
    """The truthful document, from Powertools' ``generated`` one and the app's ``routes`` as (METHOD, OpenAPI path).
    A route without a row keeps Powertools' operation, its errors in the contract's shape (the served document must
    not fail because of it; tests/unit/test_openapi.py does). ``strict``: raise UndocumentedRouteError instead."""
    document = copy.deepcopy(dict(generated))
    routes = sorted(set(routes))
    if strict and (missing := rowless(routes)):
        raise UndocumentedRouteError(
            f"no row in courier.api.openapi.OPERATIONS for {', '.join(missing)}: add one with every status it answers"
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
