"""The OpenAPI document: generated from the models by Powertools, served at /v1/openapi.json (and Swagger UI at
/v1/docs) without a key, and checked in as docs/openapi.json — kept equal by this test (`make openapi` rewrites it)."""

from __future__ import annotations

import json

from courier_tools.local.stack import FakeContext, api_gateway_event
from tests.conftest import ROOT
from tests.functional.conftest import Api


def test_the_checked_in_document_is_the_generated_one() -> None:
    import render_handler

    # When this fails: run `make openapi` and commit docs/openapi.json with the model change.
    assert (ROOT / "docs" / "openapi.json").read_text() == render_handler.openapi_document() + "\n"


def test_served_without_a_key_and_describes_every_route(api: Api) -> None:
    import render_handler

    answer = render_handler.lambda_handler(
        api_gateway_event("GET", "/v1/openapi.json", {}, b"", "1.2.3.4"), FakeContext("RenderFunction", 30)
    )
    assert answer["statusCode"] == 200
    document = json.loads(answer["body"])
    assert document["info"]["title"] == "Render Courier API"
    assert {"/v1/renders", "/v1/storage/{name}", "/v1/templates", "/v1/renders/{render_id}"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"RenderRequest", "RenderResponse", "ConnectionSpec", "StorageResponse"} <= set(schemas)
    assert "templateId" in schemas["RenderRequest"]["properties"]  # the wire names: camelCase
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_swagger_ui_is_served(api: Api) -> None:
    import render_handler

    answer = render_handler.lambda_handler(
        api_gateway_event("GET", "/v1/docs", {}, b"", "1.2.3.4"), FakeContext("RenderFunction", 30)
    )
    assert answer["statusCode"] == 200 and "swagger" in answer["body"].lower()


def app_routes() -> list[tuple[str, str]]:
    import render_handler

    app = render_handler.app
    return [(route.method, route.openapi_path) for route in (*app._static_routes, *app._dynamic_routes)]


def test_every_route_has_one_row_in_the_contract_table() -> None:
    from courier.api.openapi import rowless
    from courier.api.openapi_routes import OPERATIONS

    # When this fails: add the route's row (operationId and every status it answers) to
    # courier.api.openapi_routes.OPERATIONS.
    assert rowless(app_routes()) == []
    assert set(OPERATIONS) <= set(app_routes()), "rows for routes that are gone"
    ids = [row.id for row in OPERATIONS.values()]
    assert len(ids) == len(set(ids))


def test_every_status_answered_is_documented_with_the_real_error_model() -> None:
    import render_handler

    document = json.loads(render_handler.openapi_document())
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["ErrorBody"]["required"] == ["code", "message", "details"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            public = operation.get("security") == []
            if not public:  # keyed: admission answers before routing
                assert {"401", "429", "500"} <= set(responses), (method, path)
                assert responses["429"]["headers"]["Retry-After"]["required"] is True
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= set(responses), (method, path)
            for status, response in responses.items():
                if int(status) >= 400 and "application/json" in response.get("content", {}):
                    assert response["content"]["application/json"]["schema"]["$ref"].endswith(
                        ("/ErrorResponse", "/UploadcareError")
                    ), (method, path, status)
    paths = document["paths"]
    assert set(paths["/v1/templates"]["post"]["responses"]) >= {"201", "409", "422"}
    assert "200" not in paths["/v1/templates"]["post"]["responses"]
    assert "content" not in paths["/v1/templates/{template_id}"]["delete"]["responses"]["204"]
    assert {"200", "201", "202"} <= set(paths["/v1/files/remote_copy"]["post"]["responses"])
    callback = paths["/v1/oauth/dropbox/callback"]["get"]
    assert callback["security"] == [] and "text/html" in callback["responses"]["200"]["content"]


def test_stable_operation_ids_and_the_idempotency_key() -> None:
    import render_handler

    document = json.loads(render_handler.openapi_document())
    ids = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert ids["POST /v1/renders"] == "createRender" and ids["GET /v1/renders/{render_id}"] == "getRender"
    assert ids["PUT /v1/storage/{name}"] == "putStorage" and ids["POST /v1/files/remote_copy"] == "remoteCopy"
    for path in ("/v1/renders", "/v1/files/remote_copy"):
        operation = document["paths"][path]["post"]
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is False and header["schema"]["maxLength"] == 255
        assert {"409", "422"} <= set(operation["responses"])
        assert "Idempotent-Replayed" in operation["responses"]["200"]["headers"]


def test_schemas_say_what_validators_refuse() -> None:
    from jsonschema import Draft202012Validator

    import render_handler

    document = json.loads(render_handler.openapi_document())

    def valid(name: str, value: object) -> bool:
        schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        return Draft202012Validator(schema).is_valid(value)

    page = {"width": 10, "height": 10}
    assert valid("Page", page | {"background": "#000000"}) and not valid("Page", page | {"background": "000000"})
    assert valid("ObjectOptions", {"sse": "aws:kms", "kmsKeyId": "alias/k"})
    assert not valid("ObjectOptions", {"kmsKeyId": "alias/k"})
    assert not valid("RenderRequest", {"templateId": "t", "webhook": "http://example.com/hook"})
    assert not valid("ConnectionSpec", {"provider": "url"})
    assert not valid("ConnectionSpec", {"provider": "s3", "presignedUrl": "https://example.com/x"})
    assert not valid("RemoteCopyRequest", {"source": "s", "target": "t", "pattern": "${nope}"})
