"""Idempotency-Key on POST /v1/renders and remote copy, in-process on moto (Stripe's contract, issue #14)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from courier.errors import ConflictError
from courier.wiring import api_services
from courier_tools.local.stack import FakeContext
from tests.functional.conftest import STAGING, Api
from tests.security.conftest import Answer, RawCall, raw

__all__ = ["raw"]  # the raw-request fixture, shared with the security suite

RENDER = {"templateId": "social-card", "modifications": {"headline": "Once"}, "connections": []}


def post(raw: RawCall, body: dict[str, Any], key: str | None, workspace: str = "acme") -> Answer:
    headers = {"content-type": "application/json"} | ({"idempotency-key": key} if key is not None else {})
    return raw("POST", "/v1/renders", json.dumps(body).encode(), headers=headers, key=workspace)


def staged_files() -> int:
    return len(boto3.client("s3").list_objects_v2(Bucket=STAGING).get("Contents", []))


def test_a_retried_post_answers_the_first_render_and_renders_nothing(raw: RawCall) -> None:
    # Given a render made with a key
    first = post(raw, RENDER, "order-42-banner")
    assert first.status == 200, first.text
    assert "Idempotent-Replayed" not in first.headers
    # When the client retries it (its first answer timed out), the same body with its keys in another order
    again = post(raw, dict(reversed(list(RENDER.items()))), "order-42-banner")
    # Then the first render is answered, marked as a replay, and nothing new was rendered or staged
    assert again.status == 200, again.text
    assert again.json["id"] == first.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert staged_files() == 1
    # And without a key, the same body is a new render
    assert post(raw, RENDER, None).json["id"] != first.json["id"]
    assert staged_files() == 2


def test_the_same_key_with_another_body_is_refused(raw: RawCall) -> None:
    assert post(raw, RENDER, "k-1").status == 200
    other = post(raw, RENDER | {"modifications": {"headline": "Twice"}}, "k-1")
    assert other.status == 422, other.text
    assert other.json["error"]["code"] == "idempotency_key_reused"
    assert staged_files() == 1


def test_keys_belong_to_their_workspace(raw: RawCall) -> None:
    acme = post(raw, RENDER, "shared-key", "acme")
    globex = post(raw, RENDER, "shared-key", "globex")
    assert acme.status == globex.status == 200
    assert acme.json["id"] != globex.json["id"]
    assert "Idempotent-Replayed" not in globex.headers


def test_a_failed_request_keeps_nothing_and_can_be_retried(raw: RawCall) -> None:
    # Given a first request refused (no such template)
    refused = post(raw, RENDER | {"templateId": "no-such-template"}, "retry-me")
    assert refused.status == 422
    # When the client fixes it and retries with the same key
    fixed = post(raw, RENDER, "retry-me")
    # Then it is made (the refused request stored nothing under the key)
    assert fixed.status == 200, fixed.text
    assert "Idempotent-Replayed" not in fixed.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "has space"])
def test_a_malformed_key_is_a_422_on_the_header(raw: RawCall, key: str) -> None:
    answer = post(raw, RENDER, key)
    assert answer.status == 422, answer.text
    assert answer.json["error"]["details"][0]["field"] == "header.Idempotency-Key"
    assert staged_files() == 0


def test_a_request_still_in_flight_is_a_409(api: Api) -> None:
    # Given a request under a key that has not answered yet
    requests = api_services().idempotency
    workspace = api.workspaces["acme"]
    context = FakeContext("RenderFunction", 30)  # an in-flight record lasts while the invocation has time left

    def the_same_request_arrives_meanwhile() -> dict[str, str]:
        with pytest.raises(ConflictError) as conflict:
            requests.run(workspace, "renders", "slow", RENDER, lambda: {"x": "y"}, lambda done: done, context)
        assert conflict.value.status == 409 and "in progress" in conflict.value.message
        return {"done": "first"}

    # When the same key arrives while it runs, it is refused; the first one then completes
    run = requests.run(
        workspace, "renders", "slow", RENDER, the_same_request_arrives_meanwhile, lambda done: done, context
    )
    assert run.record == {"done": "first"} and not run.replayed
    # And once it has, the key replays it
    again = requests.run(workspace, "renders", "slow", RENDER, lambda: {"done": "second"}, lambda done: done, context)
    assert again.replayed and again.record == {"done": "first"}
