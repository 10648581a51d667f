"""Access key ids: AWS's have 16–128 characters; S3-compatible stores (an endpoint, or an inline s3host) take MinIO's
3-character minimum; printable ASCII always. Dropbox fields are refused on a bucket storage's PATCH."""

from __future__ import annotations

import copy

import pytest

from tests.functional.conftest import S3_STORAGE, Api


def keys(key_id: str) -> dict[str, str]:
    return {"type": "keys", "accessKeyId": key_id, "secretAccessKey": "secret"}


@pytest.mark.parametrize("key_id", ["minioadmin", "abc"])
def test_a_short_key_id_is_refused_for_amazon_s3(api: Api, key_id: str) -> None:
    status, answer = api.call("PUT", "/v1/storage/aws", copy.deepcopy(S3_STORAGE) | {"auth": keys(key_id)})
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == "auth.accessKeyId"
    assert "endpoint" in answer["error"]["details"][0]["message"]


@pytest.mark.parametrize("key_id", ["q7", "non ascii key é", "x" * 129])
def test_a_key_id_under_3_or_not_printable_ascii_is_refused_anywhere(api: Api, key_id: str) -> None:
    storage = copy.deepcopy(S3_STORAGE) | {"endpoint": "https://93.184.216.34", "auth": keys(key_id)}
    status, answer = api.call("PUT", "/v1/storage/compatible", storage)
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == "auth.accessKeyId"
    assert key_id not in str(answer)


def test_an_inline_bucket_takes_a_short_key_only_with_s3host(api: Api) -> None:
    connection = {
        "provider": "s3",
        "bucket": "acme-renders",
        "aws_access_key_id": "minioadmin",
        "aws_secret_access_key": "x",
    }
    body = {"templateId": "social-card", "connections": [connection]}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 422 and answer["error"]["details"][0]["field"] == "connections.0.aws_access_key_id"


def test_dropbox_fields_on_a_bucket_storages_patch_are_refused(api: Api) -> None:
    assert api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))[0] == 200
    status, answer = api.call(
        "PATCH", "/v1/storage/main", {"auth": keys("AKIAEXAMPLE000000002"), "refreshToken": "x", "appKey": "y"}
    )
    assert status == 422 and answer["error"]["details"][0]["field"] in ("refreshToken", "appKey")
