"""Uploadcare's answer shapes applied at the edge: its error body, a 400 for what we call a 422, Retry-After kept."""

from __future__ import annotations

import json

from courier.compat.uploadcare import to_uploadcare


def result(status: int, code: str, headers: dict[str, str] | None = None) -> dict[str, object]:
    body = {"error": {"code": code, "message": f"{code} happened", "details": []}}
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }


def test_a_rate_limited_answer_keeps_its_retry_after() -> None:
    shaped = to_uploadcare(result(429, "rate_limited", {"Retry-After": "12"}))
    assert shaped["statusCode"] == 429 and shaped["headers"]["Retry-After"] == "12"
    assert json.loads(str(shaped["body"])) == {"detail": "rate_limited happened"}


def test_an_invalid_request_is_uploadcares_400() -> None:
    shaped = to_uploadcare(result(422, "unprocessable_entity"))
    assert shaped["statusCode"] == 400 and json.loads(str(shaped["body"])) == {
        "detail": "unprocessable_entity happened"
    }


def test_a_success_is_left_as_it_is() -> None:
    ok = {"statusCode": 201, "headers": {}, "body": '{"type": "url", "result": "s3://b/k"}'}
    assert to_uploadcare(ok) is ok
