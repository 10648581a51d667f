"""A client retrying POST /v1/renders with its Idempotency-Key, through the local stack into SeaweedFS (a real S3 that
checks signatures): one render, one object in the customer's bucket, however the retries fall."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.e2e.stack_process import stack_process

KEY = "rc_e2e_idempotent_" + "i" * 32
BUCKET = "idempotent-renders"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"retry:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, dict(os.environ)) as running:
        yield running.ready


def post(stack: dict[str, str], body: dict[str, Any], key: str, timeout: float = 60) -> requests.Response:
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": key}
    return requests.post(stack["api"] + "/v1/renders", json=body, headers=headers, timeout=timeout)


def test_a_retried_post_leaves_one_object_in_the_customers_bucket(stack: dict[str, str], seaweed: Any) -> None:
    # Given a customer's SeaweedFS bucket connected as an S3-compatible storage
    seaweed.client().create_bucket(Bucket=BUCKET)
    storage = {
        "provider": "s3",
        "bucket": BUCKET,
        "endpoint": seaweed.endpoint,
        "prefix": "renders",
        "auth": {"type": "keys", "accessKeyId": seaweed.access_key, "secretAccessKey": seaweed.secret_key},
    }
    saved = requests.put(
        stack["api"] + "/v1/storage/default", json=storage, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    assert saved.status_code == 200, saved.text
    body = {"templateId": "social-card", "modifications": {"headline": "Exactly once"}, "wait": 10}
    key = str(uuid.uuid4())

    # When the client's first POST times out on its side, and it retries with the same key until it has an answer
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(stack, body, key, timeout=0.05)
    answers: list[requests.Response] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answer = post(stack, body, key)
        answers.append(answer)
        if answer.status_code != 409:  # 409: the first is still in flight, retry a little later
            break
        time.sleep(0.2)
    final = answers[-1]
    assert final.status_code == 200, final.text
    assert final.headers["Idempotent-Replayed"] == "true"
    # And once more later, for good measure
    later = post(stack, body, key)
    assert later.status_code == 200 and later.json()["id"] == final.json()["id"]

    # Then there is one render, delivered once: one object in the bucket, at the path the render reports
    deadline = time.monotonic() + 20
    status = later.json()
    while status["connections"][0]["status"] == "pending" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = requests.get(
            f"{stack['api']}/v1/renders/{final.json()['id']}", headers={"Authorization": f"Bearer {KEY}"}, timeout=30
        ).json()
    assert status["connections"][0]["status"] == "success", status
    objects = seaweed.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert [o["Key"] for o in objects] == [status["connections"][0]["path"]]

    # And the same key with another body is refused, writing nothing
    other = post(stack, body | {"modifications": {"headline": "Twice"}}, key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(seaweed.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])) == 1
