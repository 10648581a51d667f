"""The render budget through the API: a render that asks for more work than one request may take is a 422 of the
contract's shape, and nothing is drawn, staged or recorded (the budget's own rules:
tests/unit/test_render_budget.py)."""

from __future__ import annotations

import boto3

from courier.engine.budget import BUDGET_SECONDS
from tests.builders import drawing, square_template
from tests.functional.conftest import STAGING, TABLE, Api

__all__ = ["drawing"]


def test_the_issues_8_page_avif_render_is_refused_with_the_field_before_anything_is_drawn(
    api: Api, drawing: list[int]
) -> None:
    # Given a stored template of 8 pages of 6324×6324 px (31.9 s as AVIF here, past API Gateway's 30 s)
    document = square_template(8).model_dump(by_alias=True)
    assert api.call("POST", "/v1/templates", document)[0] == 201
    # When it is rendered as AVIF
    status, answer = api.call(
        "POST", "/v1/renders", {"templateId": "big", "response": {"format": "avif"}, "connections": []}
    )
    # Then a 422 of the contract's shape names the template as too large, and says how much work it asked for
    assert status == 422, answer
    error = answer["error"]
    assert error["code"] == "render_too_large"
    assert error["details"][0]["field"] == "templateId"
    assert all(d["field"] in ("templateId", "response.format") for d in error["details"])
    assert f"{BUDGET_SECONDS:.0f} s" in error["message"] and "8 pages" in error["message"]
    # And nothing was drawn, staged or recorded
    assert drawing == []
    assert boto3.client("s3").list_objects_v2(Bucket=STAGING).get("KeyCount", 0) == 0
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert [i for i in items if i["sk"]["S"] == "RENDER"] == []
