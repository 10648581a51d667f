"""Remote copy in-process (mock_aws): what the route refuses, and the 202 path when the copy outlives the wait.
The copies that complete (201, 200) run on the local stack, through real S3 events: tests/e2e/test_local_stack.py."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from courier import wiring
from courier.platform import settings
from courier.renders.copies import _parse_source
from tests.conftest import load_event
from tests.functional.conftest import S3_STORAGE, STAGING, Api

FILE = "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69"
RENDER = "0c6a1f4e-1111-4222-8333-444455556666"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (FILE, (FILE, None)),
        (f"  {FILE.upper()} ", (FILE, None)),
        (f"http://127.0.0.1:4566/bucket/staging/ws1/{RENDER}/{FILE}/social-card.png?X-Amz-Signature=x", (FILE, RENDER)),
        (f"https://bucket.s3.amazonaws.com/staging/ws1/{RENDER}/{FILE}/Caf%C3%A9.png", (FILE, RENDER)),
        (f"https://cdn.example.com/{FILE}/", (FILE, None)),
        ("https://example.com/staging/too/short", (None, None)),
        ("file:///etc/passwd", (None, None)),
        ("not a uuid", (None, None)),
    ],
)
def test_a_source_is_a_uuid_or_a_url_naming_one(source: str, expected: tuple[str | None, str | None]) -> None:
    assert _parse_source(source) == expected


def _staged(api: Api) -> tuple[str, str]:
    status, answer = api.call("POST", "/v1/renders", {"templateId": "social-card", "connections": []})
    assert status == 200, answer
    url = answer["data"]["content"]
    return answer["id"], url.split("?")[0].split("/")[-2]


@pytest.fixture
def storage(api: Api) -> None:
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target": "default"}, "source"),
        ({"source": FILE}, "target"),
        ({"source": FILE, "target": "default", "make_public": "sometimes"}, "make_public"),
        ({"source": FILE, "target": "default", "overwrite": True}, "overwrite"),
        ({"source": FILE, "target": "../etc"}, "target"),
    ],
)
def test_malformed_requests_are_422_with_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    status, answer = api.call("POST", "/v1/files/remote_copy", body)
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]]


def test_a_disabled_target_is_400(api: Api, storage: None) -> None:
    _, file_uuid = _staged(api)
    assert api.call("PATCH", "/v1/storage/default", {"enabled": False})[0] == 200
    status, answer = api.call("POST", "/v1/files/remote_copy", {"source": file_uuid, "target": "default"})
    assert status == 400 and answer["error"]["message"].startswith("target:"), answer


def test_a_file_gone_from_staging_is_400(api: Api, storage: None) -> None:
    _, file_uuid = _staged(api)
    s3 = boto3.client("s3")
    for item in s3.list_objects_v2(Bucket=STAGING)["Contents"]:
        s3.delete_object(Bucket=STAGING, Key=item["Key"])
    status, answer = api.call("POST", "/v1/files/remote_copy", {"source": file_uuid, "target": "default"})
    assert status == 400 and "no longer in staging" in answer["error"]["message"], answer


def test_a_copy_outliving_the_wait_is_202_and_the_deliver_function_finishes_it(
    api: Api, storage: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deliver_handler
    from courier_tools.local.stack import FakeContext

    # Given no time to wait (mock_aws fires no S3 events: nothing delivers until the handler is called)
    monkeypatch.setenv("COURIER_COPY_WAIT_SECONDS", "0")
    settings.render_settings.cache_clear()
    wiring.api_services.cache_clear()
    render_id, file_uuid = _staged(api)
    # When two copies are asked
    answers = [
        api.call("POST", "/v1/files/remote_copy", {"source": file_uuid, "target": "default", "pattern": pattern})
        for pattern in ("one/${auto_filename}", "two/${auto_filename}")
    ]
    # Then each is 202 with where it will be and the render to follow, each its own connection
    assert [status for status, _ in answers] == [202, 202]
    assert [a["result"] for _, a in answers] == [
        "s3://acme-renders/renders/one/social-card.png",
        "s3://acme-renders/renders/two/social-card.png",
    ]
    assert {a["status"] for _, a in answers} == {"pending"} and {a["renderId"] for _, a in answers} == {render_id}
    # When the staged file's event reaches the deliver function
    [staged] = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"]]
    event = load_event("deliver.s3.encoded-key.json")
    event["Records"][0]["s3"]["object"]["key"] = staged
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    # Then both copies are delivered and the render says so
    _status, render = api.call("GET", f"/v1/renders/{render_id}")
    assert [(c["status"], c["path"]) for c in render["connections"]] == [
        ("success", "renders/one/social-card.png"),
        ("success", "renders/two/social-card.png"),
    ]
    for key in ("renders/one/social-card.png", "renders/two/social-card.png"):
        assert boto3.client("s3").head_object(Bucket="acme-renders", Key=key)["ContentType"] == "image/png"


@pytest.mark.parametrize("key", [None, "rc_not-a-key"])
def test_remote_copy_refuses_a_caller_without_a_valid_key(api: Api, key: str | None) -> None:
    # Given a copy request without a valid API key
    body = {"source": "00000000-0000-4000-8000-000000000000", "target": "default"}

    # When
    status, answer = api.call("POST", "/v1/files/remote_copy", body, key=key)

    # Then 401, before anything is looked up
    assert status == 401
    assert answer["error"]["code"] == "unauthorized"
