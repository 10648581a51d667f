"""The OpenAPI document: generated from the models by Powertools, served at /v1/openapi.json (and Swagger UI at
/v1/docs) without a key, and checked in as docs/openapi.json — kept equal by this test (`make openapi` rewrites it)."""

from __future__ import annotations

import json

from courier.local.stack import FakeContext, api_gateway_event
from tests.conftest import ROOT
from tests.unit.conftest import Api


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
