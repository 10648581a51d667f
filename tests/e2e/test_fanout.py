"""One render fanned out at once to S3, R2, Dropbox, a presigned URL and an inline bucket, on the local stack
(started with --allow-local-urls so local endpoints are accepted), every destination `success`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3
import pytest
import requests

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process
from tests.fakes.dropbox_api import FakeDropbox

KEY = "rc_e2e_fanout_" + "f" * 32
R2_ACCOUNT = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def dropbox() -> Iterator[FakeDropbox]:
    with FakeDropbox() as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(dropbox: FakeDropbox) -> Iterator[dict[str, str]]:
    # The Dropbox SDK reads its hosts at import; the local stack passes them on with the CA to trust.
    env = os.environ | dropbox.stack_env()
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"fanout:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, env) as running:
        yield running.ready


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


def test_one_render_reaches_every_kind_of_destination(stack: dict[str, str], dropbox: FakeDropbox) -> None:
    s3 = aws_client(stack["aws"], "s3")
    for bucket in ("fan-s3", "fan-r2", "fan-url", "fan-inline"):
        s3.create_bucket(Bucket=bucket)
    keys = {"type": "keys", "accessKeyId": "AKIAEXAMPLEFANOUT001", "secretAccessKey": "fan-secret"}
    # Given an S3, an R2 (its endpoint pointed at the local S3) and a Dropbox storage, each probed on save
    storages = {
        "main": {"provider": "s3", "bucket": "fan-s3", "prefix": "renders", "auth": keys, "cacheControl": "max-age=60"},
        "cloudflare": {
            "provider": "r2",
            "bucket": "fan-r2",
            "accountId": R2_ACCOUNT,
            "endpoint": stack["aws"],
            "auth": keys,
        },
        "box": {
            "provider": "dropbox",
            "folder": "/Marketing/Campaign 2026",
            "refreshToken": dropbox.refresh_token,
            "appKey": dropbox.app_key,
            "appSecret": dropbox.app_secret,
        },
    }
    for name, storage in storages.items():
        status, answer = call(stack, "PUT", f"/v1/storage/{name}", storage)
        assert status == 200, answer
    # And a presigned PUT URL for a fourth bucket, and an inline bucket with its own keys
    presigned = boto3.client(
        "s3",
        endpoint_url=stack["aws"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).generate_presigned_url(
        "put_object", Params={"Bucket": "fan-url", "Key": "from-url.png", "ContentType": "image/png"}, ExpiresIn=600
    )
    connections = [
        {"provider": "s3", "storage": "main", "folder": "banners"},
        {"provider": "r2"},
        {"provider": "dropbox"},
        {"provider": "url", "presignedUrl": presigned, "headers": {"Content-Type": "image/png"}},
        {
            "provider": "s3",
            "bucket": "fan-inline",
            "filename": "inline/${uuid}${ext}",
            "aws_access_key_id": "AKIAEXAMPLEINLINE001",
            "aws_secret_access_key": "inline-secret",
            "s3host": stack["aws"],
        },
    ]
    # When one render names them all and waits
    body = {"templateId": "social-card", "modifications": {"headline": "Everywhere"}, "connections": connections}
    status, answer = call(stack, "POST", "/v1/renders", body | {"wait": 20})
    # Then every destination says success
    assert status == 200, answer
    assert [c["status"] for c in answer["connections"]] == ["success"] * 5, answer
    assert answer["warnings"] == []
    rendered = requests.get(answer["data"]["content"], timeout=10).content
    s3_path, r2_path, dropbox_path, url_path, inline_path = (c["path"] for c in answer["connections"])
    # And each holds the rendered bytes, where the answer says
    assert s3_path.startswith("banners/")
    assert s3.get_object(Bucket="fan-s3", Key=s3_path)["Body"].read() == rendered
    assert s3.head_object(Bucket="fan-s3", Key=s3_path)["CacheControl"] == "max-age=60"
    assert s3.get_object(Bucket="fan-r2", Key=r2_path)["Body"].read() == rendered
    assert dropbox_path.startswith("/Marketing/Campaign-2026/")
    assert dropbox.read(dropbox_path) == rendered
    assert "X-Amz-Signature" not in url_path and url_path.endswith("/fan-url/from-url.png")
    assert s3.get_object(Bucket="fan-url", Key="from-url.png")["Body"].read() == rendered
    assert inline_path.startswith("inline/") and s3.get_object(Bucket="fan-inline", Key=inline_path)["Body"].read()
    # And no secret given in the request is left in the table once delivered
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack["aws"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table("render-courier-local")
    items = table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": f"RENDER#{answer['id']}"})[
        "Items"
    ]
    deliveries = [i for i in items if i["sk"].startswith("DELIVERY#")]
    assert len(deliveries) == 5 and all(d["target"].get("sealed") is None for d in deliveries)
    assert "inline-secret" not in str(items) and "X-Amz-Signature" not in str(items)


def test_a_private_presigned_url_is_refused_without_allow_local(stack: dict[str, str]) -> None:
    # Even with --allow-local-urls, a private (non-loopback) address stays refused, at request time.
    connections = [{"provider": "url", "presignedUrl": "https://10.0.0.5/bucket/key?X-Amz-Signature=abc"}]
    status, answer = call(stack, "POST", "/v1/renders", {"templateId": "social-card", "connections": connections})
    assert status == 422 and answer["error"]["details"][0]["field"] == "connections.0.presignedUrl"
    assert "X-Amz-Signature" not in str(answer)


def test_connect_dropbox_the_way_users_do(stack: dict[str, str], dropbox: FakeDropbox) -> None:
    # Given a user who clicks "Connect Dropbox" for a storage named "connected"
    status, answer = call(stack, "POST", "/v1/storage/connected/dropbox/authorize", {"folder": "/From Connect"})
    assert status == 200, answer
    url = urlsplit(answer["authorizeUrl"])
    query = dict(parse_qsl(url.query))
    assert query["client_id"] == dropbox.app_key and query["token_access_type"] == "offline"
    assert query["code_challenge_method"] == "S256" and query["redirect_uri"] == answer["redirectUri"]
    # When Dropbox sends the browser back with a code (the user clicked Allow)
    code = dropbox.authorize(
        client_id=query["client_id"], code_challenge=query["code_challenge"], redirect_uri=query["redirect_uri"]
    )
    back = requests.get(answer["redirectUri"], params={"code": code, "state": query["state"]}, timeout=30)
    # Then a page says it worked, and the storage exists, probed, with its folder — and no secret shown
    assert back.status_code == 200 and "Dropbox connected" in back.text, back.text
    status, storage = call(stack, "GET", "/v1/storage/connected")
    assert status == 200 and storage["provider"] == "dropbox" and storage["prefix"] == "/From Connect"
    assert "refresh" not in str(storage).lower()
    # And the same answer cannot be replayed, nor a made-up state used
    again = requests.get(answer["redirectUri"], params={"code": code, "state": query["state"]}, timeout=30)
    assert again.status_code == 404 and "already used" in again.text
    forged = requests.get(answer["redirectUri"], params={"code": code, "state": "forged"}, timeout=30)
    assert forged.status_code == 404
    # And every page leads back to the console
    assert "/console/index.html#storage=connected" in back.text and "/console/index.html" in forged.text
    declined = requests.get(answer["redirectUri"], params={"error": "access_denied"}, timeout=30)
    assert declined.status_code == 200 and "was not connected" in declined.text and "declined" in declined.text
    # And renders reach it
    body = {"templateId": "social-card", "connections": [{"provider": "dropbox", "storage": "connected"}], "wait": 20}
    status, render = call(stack, "POST", "/v1/renders", body)
    assert render["connections"][0]["status"] == "success", render
    assert dropbox.read(render["connections"][0]["path"]) is not None
