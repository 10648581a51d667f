"""The contract's table: one row per route of the app, with its stable operationId and every status it answers.

courier.api.openapi rewrites Powertools' generated document from ``OPERATIONS``; a route without a row is an error,
so a new route cannot ship undocumented (tests/functional/test_openapi.py checks the table against the app's
routes). The compatibility routes' rows (Orshot, Uploadcare) are in courier.api.openapi_compat; the answers many rows
share, and the row types, in courier.api.openapi_rows. The rows' order is the document's order of tags.
"""

from __future__ import annotations

from courier.api.console import CONTENT_TYPES as CONSOLE_CONTENT_TYPES
from courier.api.http import MAX_BODY_BYTES
from courier.api.openapi_compat import ORSHOT_OPERATIONS, UPLOADCARE_OPERATIONS
from courier.api.openapi_rows import (
    BAD_PATH,
    COPY_ANSWERS,
    HTML,
    IDEMPOTENT,
    JSON,
    KEYED,
    PAGE,
    REUSED,
    UNUSABLE,
    Answer,
    Operation,
    keyed,
)
from courier.engine import BUILTIN_TEMPLATES

# courier.renders.templates: a built-in template's id cannot be created, replaced or deleted (422).
NOT_BUILTIN = {"not": {"enum": sorted(BUILTIN_TEMPLATES)}}
# The same for a path parameter, as its pattern (a `not` there confuses generators): TEMPLATE_ID, built-ins excluded.
OWN_TEMPLATE_ID = {"pattern": f"^(?!(?:{'|'.join(sorted(BUILTIN_TEMPLATES))})$)[a-z0-9][a-z0-9_-]{{0,63}}$"}
CONSOLE_TYPES = tuple(dict.fromkeys(CONSOLE_CONTENT_TYPES.values()))

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("POST", "/v1/renders"): Operation(
        "createRender",
        "Render a template and deliver it to storages",
        "Renders",
        keyed(
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
    **ORSHOT_OPERATIONS,
    ("GET", "/v1/renders"): Operation(
        "listRenders",
        "The workspace's renders, newest first",
        "Renders",
        keyed({200: "A page of the renders (nextCursor when there are more)", 422: PAGE}),
    ),
    ("GET", "/v1/renders/{render_id}"): Operation(
        "getRender",
        "A render's status, deliveries and webhook",
        "Renders",
        keyed({200: "The render", 404: "No such render in this workspace", 422: BAD_PATH}),
    ),
    ("POST", "/v1/files/remote_copy"): Operation(
        "remoteCopy",
        "Copy a rendered file (still in staging) to a storage (Uploadcare's remote copy)",
        "Files",
        keyed(
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
        keyed({200: "A page of the templates (nextCursor when there are more)", 422: PAGE}),
    ),
    ("POST", "/v1/templates"): Operation(
        "createTemplate",
        "Create a template",
        "Templates",
        keyed(
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
        keyed({200: "The template", 404: "No such template", 422: BAD_PATH}),
    ),
    ("PUT", "/v1/templates/{template_id}"): Operation(
        "putTemplate",
        "Create or replace a template",
        "Templates",
        keyed({200: "The stored template", 422: UNUSABLE + " (e.g. an id other than the path's)"}, body=True),
        path_rules={"template_id": OWN_TEMPLATE_ID},
    ),
    ("DELETE", "/v1/templates/{template_id}"): Operation(
        "deleteTemplate",
        "Delete a template",
        "Templates",
        keyed({204: Answer("Deleted", content={}), 404: "No such template", 422: BAD_PATH + ", or built-in"}),
        path_rules={"template_id": OWN_TEMPLATE_ID},
    ),
    ("GET", "/v1/storage"): Operation(
        "listStorages",
        "The workspace's storages (never a secret)",
        "Storage",
        keyed({200: "A page of the storages (nextCursor when there are more)", 422: PAGE}),
    ),
    ("PUT", "/v1/storage/{name}"): Operation(
        "putStorage",
        "Create or replace a storage; its credentials are probed with a small write",
        "Storage",
        keyed({200: "The storage (never a secret)", 422: UNUSABLE + ", or the probe's refusal"}, body=True),
    ),
    ("GET", "/v1/storage/{name}"): Operation(
        "getStorage",
        "A storage (never a secret)",
        "Storage",
        keyed({200: "The storage", 404: "No such storage in this workspace", 422: BAD_PATH}),
    ),
    ("PATCH", "/v1/storage/{name}"): Operation(
        "patchStorage",
        "Pause, enable or disable a storage, change its folder, or replace its credentials (probed again)",
        "Storage",
        keyed({200: "The storage", 404: "No such storage in this workspace"}, body=True),
    ),
    ("DELETE", "/v1/storage/{name}"): Operation(
        "deleteStorage",
        "Delete a storage",
        "Storage",
        keyed({204: Answer("Deleted", content={}), 404: "No such storage in this workspace", 422: BAD_PATH}),
    ),
    ("POST", "/v1/storage/{name}/dropbox/authorize"): Operation(
        "authorizeDropbox",
        "Connect Dropbox: the URL to send the user to; the storage is saved when they come back",
        "Storage",
        keyed({200: "Where to send the user", 422: UNUSABLE + ", or Connect Dropbox is not configured"}, body=True),
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
        keyed({200: "The webhook settings"}),
    ),
    ("PUT", "/v1/webhook"): Operation(
        "putWebhook",
        "Set the workspace's default webhook URL and events (null removes the URL)",
        "Webhooks",
        keyed(
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
        keyed({201: "The secret, shown this once"}, body=True),
    ),
    **UPLOADCARE_OPERATIONS,
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
