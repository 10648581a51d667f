"""HTTP API routes: parse, call one service, shape the answer. Errors become the contract's JSON shape."""

from __future__ import annotations

import json
import time
from functools import cache
from http import HTTPStatus
from pathlib import Path as FilePath
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

import courier
from courier.api import idempotency, pages
from courier.api.console import HEADERS as CONSOLE_HEADERS
from courier.api.console import StaticSite
from courier.api.http import Authenticate, admit, error_response, error_result, validation_error_response
from courier.api.resolver import PerThreadResolver
from courier.compat import orshot, uploadcare
from courier.compat.uploadcare import UploadcareKeyCreated, UploadcareKeyInfo, UploadcareKeyList
from courier.engine.document import TEMPLATE_ID, TemplateDocument
from courier.errors import ApiError, NotFoundError, UnsupportedMediaTypeError
from courier.models import StorageName
from courier.platform.settings import render_settings
from courier.platform.telemetry import flushed, render_finished, traced
from courier.providers import StorageList, StorageRequest, StorageResponse
from courier.providers.models import DropboxAuthorizeResponse, DropboxConnectRequest, StoragePatch
from courier.renders.answers import RenderList, RenderResponse, TemplateList
from courier.renders.models import GenerateRequest, RemoteCopyRequest, RemoteCopyResponse, RenderRequest
from courier.webhooks.models import (
    WebhookSecretRequest,
    WebhookSecretResponse,
    WebhookSettingsRequest,
    WebhookSettingsResponse,
)
from courier.wiring import ApiServices, api_services

CALLBACK_PATH = "/v1/oauth/dropbox/callback"
REPLAYED = {"Idempotent-Replayed": "true"}  # Stripe's header on an answer given again for an Idempotency-Key
ORSHOT_VIDEO_WAIT = 25  # seconds an MP4 or WebM on an Orshot route waits for its file, as Orshot answers one

logger = Logger()
app = PerThreadResolver(enable_validation=True)  # the local stack runs requests on threads: courier.api.resolver
# The contract, generated from the models (checked in as docs/openapi.json; a test keeps the two equal).
OPENAPI = {
    "title": "Render Courier API",
    "version": courier.__version__,
    "description": "Render files from templates and deliver them into your own storage. See README.md.",
    "security": [{"apiKey": []}],
}
# Reached without an API key: the browser coming back from Dropbox, the API's own documentation, the console's files.
PUBLIC_PATHS = frozenset({CALLBACK_PATH, "/v1/docs", "/v1/openapi.json", "/console"})
CONSOLE_PREFIX = "/console/"
CONSOLE = StaticSite(FilePath(__file__).parent / "console")


@cache  # the routes are all declared at import: built once per sandbox (~170 ms), not on every request
def openapi_document() -> str:
    # Imported here: only the documentation routes pay for them (Powertools' OpenAPI models: ~100 ms of a cold start).
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from courier.api.openapi import contract_json

    # Powertools' document, rewritten from courier.api.openapi_routes' table: every status each route answers, the
    # contract's error model, stable operationIds. Its route lists are the only way to see routes left out of its
    # document.
    routes = [(route.method, route.openapi_path) for route in (*app._static_routes, *app._dynamic_routes)]
    security = {"apiKey": HTTPBearer(description="Authorization: Bearer <api key>")}
    return contract_json(app.get_openapi_json_schema(**OPENAPI, security_schemes=security), routes)  # type: ignore[arg-type]


@app.get("/v1/docs", include_in_schema=False)
def swagger_ui() -> Response[str]:
    # Swagger UI over the contract as documented (Powertools' enable_swagger would embed its own, uncorrected
    # document); its script and styles are inlined from Powertools' copy, so the page makes no third-party request.
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    spec = openapi_document().replace("</", "<\\/")  # the spec sits in a <script>: never close it early
    if (app.current_event.query_string_parameters or {}).get("format") == "json":
        return Response(200, "application/json", spec)
    assets = FilePath(generate_swagger_html.__code__.co_filename).parent
    js = (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8")
    css = (assets / "swagger-ui.min.css").read_text(encoding="utf-8")
    return Response(200, "text/html", generate_swagger_html(spec, js, css, "", None))


@app.get("/v1/openapi.json", include_in_schema=False)
def openapi_json() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=openapi_document())


def workspace() -> str:
    return str(app.context["workspace_id"])


RENDER_ANSWERS: dict[int, Any] = {
    200: {
        "description": "The render (JSON), or the file itself when response.type is binary",
        "content": {"application/json": {"model": RenderResponse}, "application/octet-stream": {}},
    }
}


@app.post("/v1/renders", responses=RENDER_ANSWERS)
def create_render(request: Annotated[RenderRequest, Body()]):  # type: ignore[no-untyped-def]
    # No return annotation on purpose: the body is the JSON answer or, for response.type binary, the file's bytes,
    # which must reach API Gateway untouched (Powertools' response validation would read them as text).
    started = time.perf_counter()
    services, workspace_id = api_services(), workspace()
    key = idempotency_key()
    if key is None:
        outcome = services.renders.create(workspace_id, request)
    else:
        run = services.idempotency.run(
            workspace_id,
            "renders",
            key,
            app.current_event.json_body,
            lambda: services.renders.create(workspace_id, request),
            lambda done: {"renderId": done.response.id},
            app.lambda_context,
        )
        if run.outcome is None:
            # The first request's render, as it stands now (a replay renders nothing and waits for nothing).
            current = services.renders.get(workspace_id, str(run.record["renderId"]))
            return Response(200, "application/json", body=current, headers=REPLAYED)
        outcome = run.outcome
    # From here on, the render's logs (and the deliver function's) carry its id as the correlation id.
    logger.set_correlation_id(outcome.response.id)
    render_finished(outcome.response.rendered_pages or 1, (time.perf_counter() - started) * 1000)
    if outcome.file is None:
        return Response(status_code=200, content_type="application/json", body=outcome.response)
    # response.type binary: the file is the body (API Gateway carries it base64-encoded); the render's id and
    # status travel in headers so the delivery can still be followed.
    return Response(
        status_code=200,
        content_type=outcome.file.content_type,
        body=outcome.file.body,
        headers={"X-Courier-Render-Id": outcome.response.id, "X-Courier-Status": outcome.response.status},
    )


@app.post("/v1/studio/render", responses=RENDER_ANSWERS)
def orshot_studio_render(request: Annotated[RenderRequest, Body()]):  # type: ignore[no-untyped-def]
    # Orshot's SDK (render_from_studio_template) and its documentation's requests: the same render.
    return create_render(_orshot_video(request))


@app.post("/v1/generate/images", responses=RENDER_ANSWERS)
def orshot_generate_library_image(request: Annotated[RenderRequest, Body()]):  # type: ignore[no-untyped-def]
    # Orshot's documentation for its library templates: the template in the body.
    return create_render(_orshot_video(request))


@app.post("/v1/generate/pdfs", responses=RENDER_ANSWERS)
def orshot_generate_library_pdf(request: Annotated[RenderRequest, Body()]):  # type: ignore[no-untyped-def]
    return create_render(_orshot_video(_pdf_unless_said(request)))


@app.post("/v1/generate/images/<template_id>", responses=RENDER_ANSWERS)
def orshot_generate_image(  # type: ignore[no-untyped-def]
    template_id: Annotated[str, Path(min_length=1, max_length=128)], request: Annotated[GenerateRequest, Body()]
):
    # Orshot's SDK (render_from_template): the template in the path, its other fields as /v1/renders takes them.
    return create_render(_orshot_video(request.for_template(template_id)))


@app.post("/v1/generate/pdfs/<template_id>", responses=RENDER_ANSWERS)
def orshot_generate_pdf(  # type: ignore[no-untyped-def]
    template_id: Annotated[str, Path(min_length=1, max_length=128)], request: Annotated[GenerateRequest, Body()]
):
    return create_render(_orshot_video(_pdf_unless_said(request.for_template(template_id))))


def _orshot_video(request: RenderRequest) -> RenderRequest:
    """Orshot answers a video once it is rendered: on its routes an MP4 or WebM waits for it (25 s at most) unless
    the request says how long to wait."""
    if request.response.format in ("mp4", "webm") and "wait" not in request.model_fields_set:
        return request.model_copy(update={"wait": ORSHOT_VIDEO_WAIT})
    return request


def _pdf_unless_said(request: RenderRequest) -> RenderRequest:
    """Orshot's `pdfs` routes render a PDF unless `response.format` says otherwise."""
    if "format" in request.response.model_fields_set:
        return request
    return request.model_copy(update={"response": request.response.model_copy(update={"format": "pdf"})})


@app.post(
    "/v1/files/remote_copy",
    responses={
        201: {"description": "Copied", "content": {"application/json": {"model": RemoteCopyResponse}}},
        200: {
            "description": "A file of that name already exists: nothing was written",
            "content": {"application/json": {"model": RemoteCopyResponse}},
        },
        202: {
            "description": "Still copying after the wait: follow it with GET /v1/renders/{renderId}",
            "content": {"application/json": {"model": RemoteCopyResponse}},
        },
    },
)
def remote_copy(request: Annotated[RemoteCopyRequest, Body()]) -> Response[str]:
    services, workspace_id = api_services(), workspace()

    def copy() -> dict[str, Any]:
        outcome = services.copies.remote_copy(workspace_id, request)
        return {
            "status": outcome.status,
            "answer": outcome.answer.model_dump(mode="json", by_alias=True, exclude_none=True),
        }

    key = idempotency_key()
    if key is None:
        answer, headers = copy(), None
    else:
        run = services.idempotency.run(
            workspace_id, "remote_copy", key, app.current_event.json_body, copy, lambda done: done, app.lambda_context
        )
        answer, headers = run.record, (REPLAYED if run.replayed else None)
    return Response(int(answer["status"]), "application/json", json.dumps(answer["answer"]), headers=headers)


@app.get("/v1/webhook")
def get_webhook() -> WebhookSettingsResponse:
    return api_services().webhooks.show(workspace())


@app.put("/v1/webhook")
def put_webhook(request: Annotated[WebhookSettingsRequest, Body()]) -> WebhookSettingsResponse:
    return api_services().webhooks.put(workspace(), request)


@app.post("/v1/webhook/secret")
def create_webhook_secret(request: Annotated[WebhookSecretRequest, Body()]) -> Response[WebhookSecretResponse]:
    return Response(201, "application/json", api_services().webhooks.secret(workspace(), request))


@app.post("/files/remote_copy/", include_in_schema=False)
@app.post("/files/remote_copy")
def uploadcare_remote_copy(request: Annotated[RemoteCopyRequest, Body()]) -> Response[str]:
    # Uploadcare's REST route, for its SDKs (`files_api.remote_copy`, `File.create_remote_copy`): the same copy;
    # its auth schemes are checked before routing, its error shape applied after (courier.compat.uploadcare).
    return remote_copy(request)


@app.post("/v1/compat/uploadcare/keys")
def create_uploadcare_keys() -> Response[UploadcareKeyCreated]:
    pair, secret = api_services().uploadcare_keys.create(workspace())
    return Response(201, "application/json", UploadcareKeyCreated(public_key=pair.public_key, secret_key=secret))


@app.get("/v1/compat/uploadcare/keys")
def list_uploadcare_keys() -> UploadcareKeyList:
    pairs = api_services().uploadcare_keys.list(workspace())
    return UploadcareKeyList(keys=[UploadcareKeyInfo(public_key=p.public_key, created_at=p.created_at) for p in pairs])


@app.delete("/v1/compat/uploadcare/keys/<public_key>")
def revoke_uploadcare_keys(public_key: Annotated[str, Path(pattern=r"^[0-9a-f]{20}$")]) -> Response[str]:
    api_services().uploadcare_keys.revoke(workspace(), public_key)
    return Response(status_code=204, body="")


def idempotency_key() -> str | None:
    value = app.current_event.headers.get(idempotency.HEADER)
    return None if value is None else idempotency.check_key(value)


@app.get("/v1/templates")
def list_templates(
    limit: Annotated[int, Query(ge=1, le=pages.MAX_LIMIT)] = pages.MAX_LIMIT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> TemplateList:
    return api_services().templates.list(workspace(), limit, cursor)


@app.post("/v1/templates")
def create_template(document: Annotated[TemplateDocument, Body()]) -> Response[TemplateDocument]:
    created = api_services().templates.create(workspace(), document)
    return Response(status_code=201, content_type="application/json", body=created)


@app.get("/v1/templates/<template_id>")
def get_template(template_id: Annotated[str, Path(pattern=TEMPLATE_ID)]) -> TemplateDocument:
    return api_services().templates.get(workspace(), template_id)


@app.put("/v1/templates/<template_id>")
def put_template(
    template_id: Annotated[str, Path(pattern=TEMPLATE_ID)], document: Annotated[TemplateDocument, Body()]
) -> TemplateDocument:
    return api_services().templates.put(workspace(), template_id, document)


@app.delete("/v1/templates/<template_id>")
def delete_template(template_id: Annotated[str, Path(pattern=TEMPLATE_ID)]) -> Response[str]:
    api_services().templates.delete(workspace(), template_id)
    return Response(status_code=204, body="")


@app.get("/v1/renders")
def list_renders(
    limit: Annotated[int, Query(ge=1, le=pages.MAX_LIMIT)] = pages.DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> RenderList:
    return api_services().renders.list_renders(workspace(), limit, cursor)


@app.get("/v1/renders/<render_id>")
def get_render(render_id: Annotated[str, Path(max_length=64)]) -> RenderResponse:
    logger.set_correlation_id(render_id)
    return api_services().renders.get(workspace(), render_id)


@app.put("/v1/storage/<name>")
def put_storage(name: Annotated[StorageName, Path()], request: Annotated[StorageRequest, Body()]) -> StorageResponse:
    return api_services().storages.put(workspace(), name, request)


@app.patch("/v1/storage/<name>")
def patch_storage(name: Annotated[StorageName, Path()], request: Annotated[StoragePatch, Body()]) -> StorageResponse:
    return api_services().storages.patch(workspace(), name, request)


@app.post("/v1/storage/<name>/dropbox/authorize")
def authorize_dropbox(
    name: Annotated[StorageName, Path()], request: Annotated[DropboxConnectRequest, Body()]
) -> DropboxAuthorizeResponse:
    return api_services().dropbox.authorize(workspace(), name, request, callback_url())


@app.get(CALLBACK_PATH)
def dropbox_callback(
    code: Annotated[str | None, Query(max_length=2048)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
) -> Response[str]:
    # Reached by the user's browser coming back from Dropbox, so no API key: the single-use state is the proof.
    from courier.storages.dropbox_connect import error_page, page

    if error:
        # The user said no at Dropbox: a normal end of the flow, told on a page (nothing was saved).
        status, html = page("Dropbox was not connected", "The authorisation was declined or cancelled.", 200)
    else:
        try:
            storage = api_services().dropbox.complete(code, state)
            status, html = page(
                "Dropbox connected",
                f"Renders can now be delivered to storage '{storage.name}'.",
                200,
                back=f"/console/index.html#storage={storage.name}",
            )
        except ApiError as failure:
            status, html = error_page(failure)
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=html)


def callback_url() -> str:
    base = render_settings().public_url or f"https://{app.current_event.request_context.domain_name}"
    return base.rstrip("/") + CALLBACK_PATH


@app.get("/v1/storage")
def list_storages(
    limit: Annotated[int, Query(ge=1, le=pages.MAX_LIMIT)] = pages.MAX_LIMIT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> StorageList:
    return api_services().storages.list(workspace(), limit, cursor)


@app.get("/v1/storage/<name>")
def get_storage(name: Annotated[StorageName, Path()]) -> StorageResponse:
    return api_services().storages.get(workspace(), name)


@app.delete("/v1/storage/<name>")
def delete_storage(name: Annotated[StorageName, Path()]) -> Response[str]:
    api_services().storages.delete(workspace(), name)
    return Response(status_code=204, body="")


@app.get("/console", include_in_schema=False)
def console_root() -> Response[str]:
    return Response(
        302, "text/plain; charset=utf-8", "", headers={"Location": "/console/index.html", **CONSOLE_HEADERS}
    )


@app.get("/console/<asset>", include_in_schema=False)
def console_asset(asset: str) -> Response[bytes]:
    found = CONSOLE.asset(asset)
    if found is None:
        return Response(404, "text/plain; charset=utf-8", b"not found", headers=CONSOLE_HEADERS)
    return Response(200, found.content_type, found.body, headers=CONSOLE_HEADERS)


@app.exception_handler(ApiError)
def handle_api_error(error: ApiError) -> Response[str]:
    return error_response(error)


@app.exception_handler(RequestValidationError)
def handle_validation_error(error: RequestValidationError) -> Response[str]:
    return validation_error_response(error.errors())


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    # A path we serve asked with a method it does not have is a 405 naming the ones it has (RFC 9110).
    path = app.current_event.path
    allowed = sorted({r.method for r in (*app._static_routes, *app._dynamic_routes) if r.rule.fullmatch(path)})
    if allowed:
        failure = ApiError("method not allowed on this path")
        failure.status, failure.code = 405, "method_not_allowed"
        return Response(405, "application/json", error_response(failure).body, headers={"Allow": ", ".join(allowed)})
    return error_response(NotFoundError("no such route"))


@app.exception_handler(RequestUnsupportedContentType)
def handle_unsupported_content_type(_: RequestUnsupportedContentType) -> Response[str]:
    return error_response(UnsupportedMediaTypeError("send the body as JSON with Content-Type: application/json"))


@app.exception_handler(ServiceError)
def handle_event_handler_error(error: ServiceError) -> Response[str]:
    # Powertools' own HTTP errors (its router's 4xx): the contract's shape, never Powertools' {"statusCode", ...}.
    status = HTTPStatus(error.status_code if 400 <= error.status_code < 500 else 400)
    failure = ApiError(status.phrase.lower())
    failure.status, failure.code = status.value, status.phrase.lower().replace(" ", "_")
    return error_response(failure)


@app.exception_handler(Exception)
def handle_unexpected(error: Exception) -> Response[str]:
    logger.exception("Unexpected error")
    body = {"error": {"code": "internal", "message": "internal error", "details": []}}
    return Response(500, "application/json", json.dumps(body))


@traced
@flushed
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Before routing: Powertools validates the body ahead of any middleware, and a caller without a valid key
    # must get a 401, never a 422 that describes the routes.
    if event.get("rawPath") in PUBLIC_PATHS or str(event.get("rawPath")).startswith(CONSOLE_PREFIX):
        return app.resolve(event, context)
    uploadcare_route = uploadcare.is_uploadcare_path(str(event.get("rawPath")))
    try:
        services = api_services()
        workspace_id = admit(event, authenticator(services, event, uploadcare_route), services.rate_limit)
    except ApiError as error:
        result = error_result(error)
        if uploadcare_route:
            return uploadcare.to_uploadcare(result)
        return orshot.to_orshot(result) if orshot.is_orshot_path(str(event.get("rawPath"))) else result
    logger.append_keys(workspace_id=workspace_id)
    app.append_context(workspace_id=workspace_id)
    result = app.resolve(event, context)
    if uploadcare_route:
        return uploadcare.to_uploadcare(result)
    return orshot.to_orshot(result) if orshot.is_orshot_path(str(event.get("rawPath"))) else result


def authenticator(services: ApiServices, event: dict[str, Any], uploadcare_route: bool) -> Authenticate:
    """An API key everywhere; on Uploadcare's own remote copy route, its key pairs (signed or simple) as well."""
    if uploadcare_route:

        def by_uploadcare(headers: dict[str, str], body: bytes) -> str:
            if not uploadcare.uploadcare_authorization(headers):
                return services.auth.authenticate(headers.get("authorization"))
            query = event.get("rawQueryString") or ""
            path = str(event.get("rawPath")) + (f"?{query}" if query else "")
            method = str(event.get("requestContext", {}).get("http", {}).get("method", "POST"))
            return services.uploadcare.authenticate(method, path, headers, body)

        return by_uploadcare
    return lambda headers, _: services.auth.authenticate(headers.get("authorization"))
