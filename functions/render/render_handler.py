"""HTTP API routes: parse, call one service, shape the answer. Errors become the contract's JSON shape."""

from __future__ import annotations

import json
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from courier.errors import ApiError, NotFoundError, PayloadTooLargeError
from courier.http import error_response, validation_error_response
from courier.models import RenderRequest, RenderResponse, StorageList, StorageName, StorageRequest, StorageResponse
from courier.wiring import api_services

MAX_BODY_BYTES = 256 * 1024

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True)


def authenticate(router: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    # The workspace comes only from the key, never from the body.
    workspace_id = api_services().auth.authenticate(router.current_event.headers.get("authorization"))
    if len(router.current_event.body or "") > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"request body is over {MAX_BODY_BYTES // 1024} KiB")
    router.append_context(workspace_id=workspace_id)
    logger.append_keys(workspace_id=workspace_id)
    return next_middleware(router)


app.use(middlewares=[authenticate])


def workspace() -> str:
    return str(app.context["workspace_id"])


@app.post("/v1/renders")
def create_render(request: Annotated[RenderRequest, Body()]) -> RenderResponse:
    return api_services().renders.create(workspace(), request)


@app.get("/v1/renders/<render_id>")
def get_render(render_id: Annotated[str, Path(max_length=64)]) -> RenderResponse:
    return api_services().renders.get(workspace(), render_id)


@app.put("/v1/storage/<name>")
def put_storage(name: Annotated[StorageName, Path()], request: Annotated[StorageRequest, Body()]) -> StorageResponse:
    return api_services().storages.put(workspace(), name, request)


@app.get("/v1/storage")
def list_storages() -> StorageList:
    return api_services().storages.list(workspace())


@app.get("/v1/storage/<name>")
def get_storage(name: Annotated[StorageName, Path()]) -> StorageResponse:
    return api_services().storages.get(workspace(), name)


@app.delete("/v1/storage/<name>")
def delete_storage(name: Annotated[StorageName, Path()]) -> Response[str]:
    api_services().storages.delete(workspace(), name)
    return Response(status_code=204, body="")


@app.exception_handler(ApiError)
def handle_api_error(error: ApiError) -> Response[str]:
    return error_response(error)


@app.exception_handler(RequestValidationError)
def handle_validation_error(error: RequestValidationError) -> Response[str]:
    return validation_error_response(error.errors())


@app.not_found
def handle_not_found(_: Exception) -> Response[str]:
    return error_response(NotFoundError("no such route"))


@app.exception_handler(Exception)
def handle_unexpected(error: Exception) -> Response[str]:
    logger.exception("Unexpected error")
    return Response(500, "application/json", json.dumps({"error": {"code": "internal", "message": "internal error"}}))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
