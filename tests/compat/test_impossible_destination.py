"""Impossible Software's S3 destination object, sent verbatim in `connections`, through the local stack into a real
S3 (moto server), read back with head_object; and a short (MinIO-style) access key into SeaweedFS, which checks
signatures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process
from tests.fakes.seaweedfs import Identity, seaweedfs

KEY = "rc_compat_impossible_" + "i" * 32
SHORT = Identity("sea", "sea-secret-key", name="short")  # MinIO's minimum is 3 characters


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"impossible:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, dict(os.environ)) as running:
        yield running.ready


def render(stack: dict[str, str], connection: dict[str, Any]) -> dict[str, Any]:
    body = {"templateId": "social-card", "connections": [connection], "wait": 15}
    answer = requests.post(
        stack["api"] + "/v1/renders", json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_impossible_softwares_destination_as_documented(stack: dict[str, str]) -> None:
    # Given a bucket, and Impossible Software's destination object for it (our stack's S3 over http: secure false)
    s3 = aws_client(stack["aws"], "s3")
    s3.create_bucket(Bucket="impossible-renders")
    destination = {
        "type": "s3",
        "bucket": "impossible-renders",
        "filename": "my-card-123.png",
        "aws_access_key_id": "AKIAEXAMPLEIMPOSSIB1",
        "aws_secret_access_key": "impossible-secret",
        "s3host": stack["aws"].removeprefix("http://"),
        "secure": False,
        "reduced_redundancy": True,
        "acl": "authenticated-read",
        "contenttype": "image/x-card",
        "contentdisposition": "attachment; filename=card.png",
        "metadata": {"campaign": "launch"},
    }
    # When a render names it
    answer = render(stack, destination)
    # Then the object is there, written as asked
    [connection] = answer["connections"]
    assert connection["status"] == "success", answer
    head = s3.head_object(Bucket="impossible-renders", Key="my-card-123.png")
    assert head["StorageClass"] == "REDUCED_REDUNDANCY"
    assert head["ContentType"] == "image/x-card"
    assert head["ContentDisposition"] == "attachment; filename=card.png"
    assert head["Metadata"] == {"campaign": "launch"}
    grants = s3.get_object_acl(Bucket="impossible-renders", Key="my-card-123.png")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AuthenticatedUsers") for g in grants)


def test_a_short_access_key_reaches_an_s3_compatible_store(stack: dict[str, str]) -> None:
    with seaweedfs(identities=(SHORT,)) as store:
        store.client().create_bucket(Bucket="short-keys")
        # A storage with MinIO-style keys on an endpoint: accepted and probed (SeaweedFS checks the signature)
        storage = {
            "provider": "s3",
            "bucket": "short-keys",
            "endpoint": store.endpoint,
            "auth": {"type": "keys", "accessKeyId": SHORT.access_key, "secretAccessKey": SHORT.secret_key},
        }
        saved = requests.put(
            stack["api"] + "/v1/storage/short", json=storage, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
        )
        assert saved.status_code == 200, saved.text
        # And a render is delivered there, signed with the short key
        answer = render(stack, {"provider": "s3", "storage": "short"})
        [connection] = answer["connections"]
        assert connection["status"] == "success", answer
        assert store.client().head_object(Bucket="short-keys", Key=connection["path"])["ContentLength"] > 0
        # And the same keys without an endpoint (Amazon S3) are refused, naming the field
        storage.pop("endpoint")
        refused = requests.put(
            stack["api"] + "/v1/storage/aws", json=storage, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
        )
        assert refused.status_code == 422 and refused.json()["error"]["details"][0]["field"] == "auth.accessKeyId"
