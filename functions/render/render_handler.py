"""HTTP API routes: parse, call one service, shape the answer. Errors become the contract's JSON shape."""

from __future__ import annotations

import json
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from courier.errors import ApiError, NotFoundError
from courier.http import admit, error_response, error_result, validation_error_response
from courier.models import (
    RenderRequest,
    RenderResponse,
    StorageList,
    StorageName,
    StoragePatch,
    StorageRequest,
    StorageResponse,
)
from courier.wiring import api_services

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True)


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


@app.patch("/v1/storage/<name>")
def patch_storage(name: Annotated[StorageName, Path()], request: Annotated[StoragePatch, Body()]) -> StorageResponse:
    return api_services().storages.patch(workspace(), name, request)


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
    # Before routing: Powertools validates the body ahead of any middleware, and a caller without a valid key
    # must get a 401, never a 422 that describes the routes.
    try:
        workspace_id = admit(event, api_services().auth)
    except ApiError as error:
        return error_result(error)
    logger.append_keys(workspace_id=workspace_id)
    app.append_context(workspace_id=workspace_id)
    return app.resolve(event, context)
