"""Storages through the HTTP routes, in-process: role storages and the confused-deputy check (with a fake STS
that enforces trust policies, which moto does not), PATCH, probes, provider-specific validation."""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from courier.wiring import api_services
from tests.functional.conftest import S3_STORAGE, Api

ROLE = "arn:aws:iam::210987654321:role/render-courier-delivery"


class FakeSts:
    """AssumeRole as IAM evaluates a trust policy with (or without) an sts:ExternalId condition."""

    def __init__(self, required_external_id: str | bool | None) -> None:
        # str: must match; None: no condition (assumable by anyone trusted); False: refuses everything
        self.required = required_external_id
        self.calls: list[str | None] = []

    def credentials(self, role_arn: str, external_id: str | None, session: str = "x") -> dict[str, str]:
        self.calls.append(external_id)
        allowed = self.required is None or (self.required is not False and external_id == self.required)
        if not allowed:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")
        return {"aws_access_key_id": "ASIAFAKE", "aws_secret_access_key": "fake", "aws_session_token": "fake"}


def use_sts(fake: FakeSts) -> None:
    services = api_services()
    services.storages._roles = fake  # type: ignore[assignment]
    services.storages._destinations._roles = fake  # type: ignore[assignment]


def role_storage() -> dict[str, Any]:
    return copy.deepcopy(S3_STORAGE) | {"auth": {"type": "role", "roleArn": ROLE}}


def test_a_role_that_requires_our_external_id_is_accepted(api: Api) -> None:
    # Given the workspace's ExternalId (we generate it; the customer puts it in the trust policy)
    external_id = api.store.workspace_external_id(api.workspaces["acme"])
    fake = FakeSts(external_id)
    use_sts(fake)
    # When a role storage is saved
    status, answer = api.call("PUT", "/v1/storage/cross", role_storage())
    # Then it passed the check (refused without and with a wrong id), was probed, and shows the ExternalId
    assert status == 200, answer
    assert answer["auth"] == {"type": "role", "roleArn": ROLE, "externalId": external_id}
    assert fake.calls[0] is None and fake.calls[1] != external_id and fake.calls[2:] == [external_id, external_id]
    assert external_id.startswith("rc-") and external_id == api.store.workspace_external_id(api.workspaces["acme"])
    assert external_id != api.store.workspace_external_id(api.workspaces["globex"])


def test_a_role_assumable_without_external_id_is_refused(api: Api) -> None:
    # Given a trust policy with no ExternalId condition (any caller we act for could use it: confused deputy)
    use_sts(FakeSts(None))
    status, answer = api.call("PUT", "/v1/storage/cross", role_storage())
    assert status == 422
    detail = answer["error"]["details"][0]
    assert detail["field"] == "auth.roleArn" and "sts:ExternalId" in detail["message"]
    assert api.call("GET", "/v1/storage/cross")[0] == 404


def test_a_role_we_cannot_assume_is_refused(api: Api) -> None:
    use_sts(FakeSts(False))
    status, answer = api.call("PUT", "/v1/storage/cross", role_storage())
    assert status == 422 and answer["error"]["details"][0]["field"] == "auth.roleArn"
    assert "AccessDenied" in answer["error"]["details"][0]["message"]


def test_a_failing_probe_saves_nothing(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/storage/nope", copy.deepcopy(S3_STORAGE) | {"bucket": "no-such-bucket-x"})
    assert status == 422
    assert answer["error"]["details"][0]["field"] == "bucket"
    assert "NoSuchBucket" in answer["error"]["details"][0]["message"]
    assert api.call("GET", "/v1/storage/nope")[0] == 404
    assert not boto3.client("secretsmanager").list_secrets()["SecretList"]


def test_the_probe_leaves_nothing_in_the_bucket(api: Api) -> None:
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200
    assert boto3.client("s3").list_objects_v2(Bucket="acme-renders").get("KeyCount", 0) == 0


def test_patch_pauses_moves_and_replaces_keys(api: Api) -> None:
    # Given a saved storage
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200
    old_secret = api.store.get_storage(api.workspaces["acme"], "default").secret_id  # type: ignore[union-attr]
    # When it is paused and given another folder
    status, answer = api.call("PATCH", "/v1/storage/default", {"paused": True, "prefix": "archive/2026"})
    # Then only those change
    assert status == 200 and answer["paused"] is True and answer["prefix"] == "archive/2026"
    assert answer["bucket"] == "acme-renders" and answer["enabled"] is True
    # When its keys are replaced, they are probed and stored in place of the old ones
    keys = {"type": "keys", "accessKeyId": "AKIAEXAMPLE000000002", "secretAccessKey": "rotated-secret"}
    status, answer = api.call("PATCH", "/v1/storage/default", {"auth": keys})
    assert status == 200 and answer["auth"] == {"type": "keys"}
    record = api.store.get_storage(api.workspaces["acme"], "default")
    assert record is not None and record.secret_id == old_secret
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=record.secret_id)["SecretString"]
    assert "rotated-secret" in secret
    # And a render now skips it
    _, render = api.call("POST", "/v1/renders", {"templateId": "social-card"})
    assert render["connections"][0]["status"] == "skipped"


@pytest.mark.parametrize(
    ("patch", "status", "field"),
    [({"prefix": "../up"}, 422, "prefix"), ({"colour": "red"}, 422, "colour"), ({"paused": "maybe"}, 422, "paused")],
)
def test_bad_patch_is_422(api: Api, patch: dict[str, Any], status: int, field: str) -> None:
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200
    got, answer = api.call("PATCH", "/v1/storage/default", patch)
    assert got == status and answer["error"]["details"][0]["field"] == field


def test_patch_of_an_unknown_storage_is_404(api: Api) -> None:
    assert api.call("PATCH", "/v1/storage/ghost", {"paused": True})[0] == 404


@pytest.mark.parametrize(
    ("storage", "field"),
    [
        ({"provider": "dropbox", "appKey": "k"}, ""),
        ({"provider": "dropbox", "folder": "/a/../b", "accessToken": "t"}, "prefix"),
        ({"provider": "r2", "bucket": "b-r2", "accountId": "xyz", "auth": S3_STORAGE["auth"]}, "accountId"),
        ({"provider": "r2", "bucket": "b-r2", "accountId": "a" * 32, "auth": {"type": "policy"}}, "auth.type"),
        (S3_STORAGE | {"endpoint": "http://10.0.0.8:9000"}, "endpoint"),
        (S3_STORAGE | {"endpoint": "https://169.254.169.254"}, "endpoint"),
        (S3_STORAGE | {"kmsKeyId": "alias/x"}, ""),
        (S3_STORAGE | {"tags": {"bad&key": "v"}}, "tags.bad&key.[key]"),
        (S3_STORAGE | {"storageClass": "FAST"}, "storageClass"),
        (S3_STORAGE | {"bucketOwner": "12"}, "bucketOwner"),
    ],
)
def test_provider_settings_are_validated(api: Api, storage: dict[str, Any], field: str) -> None:
    status, answer = api.call("PUT", "/v1/storage/x", storage)
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]], answer


def test_a_dropbox_storage_that_cannot_connect_is_refused_without_echoing_tokens(api: Api) -> None:
    storage = {"provider": "dropbox", "refreshToken": "CANARY-refresh", "appKey": "k", "appSecret": "CANARY-secret"}
    status, answer = api.call("PUT", "/v1/storage/box", storage)
    assert status == 422 and answer["error"]["details"][0]["field"] == "refreshToken"
    assert "CANARY" not in str(answer)
