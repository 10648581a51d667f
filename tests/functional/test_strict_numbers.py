"""Numbers as JSON means them: an integral float (241.0) is an integer, as JSON Schema says; a string or a boolean
is not a number, and 2.5 is not an integer."""

from __future__ import annotations

import pytest

from tests.functional.conftest import Api

TEMPLATE = {"id": "integral", "name": "n", "pages": [{"width": 241.0, "height": 10, "layers": []}]}


def test_an_integral_float_is_an_integer(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/templates/integral", TEMPLATE)
    assert status == 200, answer
    assert answer["pages"][0]["width"] == 241
    assert api.call("POST", "/v1/webhook/secret", {"graceHours": 2.0})[0] == 201


@pytest.mark.parametrize("width", [241.5, "241", True])
def test_anything_else_is_not(api: Api, width: object) -> None:
    body = TEMPLATE | {"pages": [{"width": width, "height": 10, "layers": []}]}
    status, answer = api.call("PUT", "/v1/templates/integral", body)
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == "pages.0.width"
