"""Bucket-policy storages (confused deputy, issue #12): each workspace is answered its own bucket policy, and every
delivery to a "policy" bucket runs in a session of our writer role tagged with the render's workspace.

What this checks, and what it cannot: moto evaluates neither bucket policies nor STS session tags nor trust
policies. So these tests check the documents we answer (principal, actions, the tag condition), the STS calls each
delivery makes (recorded on their way to moto's STS: role, tags, session name), and that the session's tag is not the
value another workspace's policy requires. That AWS then refuses the write is AWS's evaluation, not tested here.
"""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest

from courier.destinations.registry import WORKSPACE_TAG, RoleAssumer
from courier.persistence.store import Store
from courier.platform import aws
from courier.platform.settings import deliver_settings, render_settings
from courier.renders.staging import StagingKey
from courier.wiring import delivery_service
from courier_tools.local.stack import FakeContext
from tests.functional.conftest import S3_STORAGE, STAGING, TABLE, Api
from tests.records import one_file_render

BODY = b"\x89PNG\r\n\x1a\n" + b"policy bucket bytes"


class RecordingSts:
    """moto's STS, with every AssumeRole call's parameters kept (moto itself ignores the tags)."""

    def __init__(self) -> None:
        self._client = boto3.client("sts")
        self.calls: list[dict[str, Any]] = []

    def assume_role(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return self._client.assume_role(**kwargs)


@pytest.fixture
def sts(api: Api) -> RecordingSts:
    recording = RecordingSts()
    delivery_service()._worker._destinations._roles = RoleAssumer(recording)  # type: ignore[attr-defined]
    return recording


def policy_storage(bucket: str = "acme-renders") -> dict[str, Any]:
    return copy.deepcopy(S3_STORAGE) | {"bucket": bucket, "auth": {"type": "policy"}}


def deliver_staged(workspace_id: str, bucket: str, name: str) -> str:
    """Stage one file of a render of ``workspace_id`` to a policy bucket, run the deliver function on its S3 event;
    the delivery's final status."""
    import deliver_handler

    key = StagingKey(workspace_id, f"r-{name}", f"f-{name}", f"{name}.png")
    boto3.client("s3").put_object(Bucket=STAGING, Key=str(key), Body=BODY, ContentType="image/png")
    render, delivery = one_file_render(key, BODY, bucket=bucket, delivered_key=f"renders/{name}.png")
    Store(aws.table(TABLE)).create_render(render, [delivery])
    event = {"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": STAGING}, "object": {"key": str(key)}}}]}
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    [recorded] = Store(aws.table(TABLE)).list_deliveries(key.render_id, key.file_uuid)
    return recorded.status


def tag_of(call: dict[str, Any]) -> str:
    [tag] = call["Tags"]
    assert tag["Key"] == WORKSPACE_TAG
    return str(tag["Value"])


def test_each_workspace_is_answered_a_policy_that_admits_only_its_own_sessions(api: Api) -> None:
    # Given acme and globex both naming the same bucket with policy auth
    policies = {}
    for workspace in ("acme", "globex"):
        # When each saves the storage
        status, answer = api.call("PUT", "/v1/storage/default", policy_storage(), key=workspace)
        assert status == 200, answer
        [statement] = answer["auth"]["bucketPolicy"]["Statement"]
        policies[workspace] = statement

    # Then both name our writer role (never the deliver function's own role), writes only, under the prefix
    for workspace, statement in policies.items():
        assert statement["Principal"] == {"AWS": render_settings().writer_role_arn}
        assert statement["Principal"]["AWS"].endswith(":role/render-courier-delivery-writer")
        assert statement["Action"] == ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        assert statement["Resource"] == "arn:aws:s3:::acme-renders/renders/*"
        # And only with the session tag of the workspace that asked
        assert statement["Condition"] == {
            "StringEquals": {"aws:PrincipalTag/courier-workspace": api.workspaces[workspace]}
        }
    assert policies["acme"] != policies["globex"]


def test_deliveries_to_policy_buckets_run_in_a_writer_session_tagged_with_the_renders_workspace(
    api: Api, sts: RecordingSts
) -> None:
    # Given acme's bucket, whose owner pasted acme's policy
    acme, globex = api.workspaces["acme"], api.workspaces["globex"]
    status, answer = api.call("PUT", "/v1/storage/default", policy_storage(), key="acme")
    assert status == 200, answer
    [acme_policy] = answer["auth"]["bucketPolicy"]["Statement"]
    required_tag = acme_policy["Condition"]["StringEquals"]["aws:PrincipalTag/courier-workspace"]

    # When acme delivers into it
    assert deliver_staged(acme, "acme-renders", "acme-own") == "success"
    # Then through a session of the writer role tagged with acme, the tag acme's policy requires
    [call] = sts.calls
    assert call["RoleArn"] == deliver_settings().writer_role_arn == acme_policy["Principal"]["AWS"]
    assert tag_of(call) == acme == required_tag
    assert call["RoleSessionName"] == f"courier-{acme}" and "ExternalId" not in call
    assert boto3.client("s3").get_object(Bucket="acme-renders", Key="renders/acme-own.png")["Body"].read() == BODY

    # When globex's render names acme's bucket (its own policy storage pointing there)
    deliver_staged(globex, "acme-renders", "globex-attack")
    # Then it runs in a globex-tagged session: not the tag acme's policy admits, so AWS refuses the write
    # (moto does not evaluate bucket policies, so the object itself lands here; the session is what we control)
    assert [tag_of(c) for c in sts.calls] == [acme, globex]
    assert tag_of(sts.calls[1]) != required_tag


def test_a_warm_container_reuses_each_workspaces_session(api: Api, sts: RecordingSts) -> None:
    # Given two deliveries of acme and one of globex in the same container
    acme, globex = api.workspaces["acme"], api.workspaces["globex"]
    boto3.client("s3").create_bucket(Bucket="globex-renders")
    for name, workspace, bucket in (("a1", acme, "acme-renders"), ("a2", acme, "acme-renders")):
        assert deliver_staged(workspace, bucket, name) == "success"
    assert deliver_staged(globex, "globex-renders", "g1") == "success"

    # Then one STS call per workspace, each with its own tag
    assert [tag_of(c) for c in sts.calls] == [acme, globex]
    assert all(c["DurationSeconds"] == 3600 for c in sts.calls)


def test_without_a_writer_role_policy_buckets_are_a_permanent_error(api: Api, sts: RecordingSts) -> None:
    # Given a deployment whose deliver function has no writer role
    delivery_service()._worker._destinations._writer_role_arn = None  # type: ignore[attr-defined]
    # When a policy delivery runs, then it fails for good, and nothing was written with the function's own role
    assert deliver_staged(api.workspaces["acme"], "acme-renders", "no-writer") == "error"
    assert sts.calls == []
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket="acme-renders", Prefix="renders/no-writer")


def test_inline_buckets_without_keys_are_written_in_the_same_tagged_session(api: Api, sts: RecordingSts) -> None:
    # Given an inline bucket (Impossible Software's fields) without keys: the bucket grants us by policy
    body = {
        "templateId": "social-card",
        "modifications": {"headline": "inline"},
        "connections": [{"provider": "s3", "bucket": "acme-renders", "filename": "inline.png"}],
        "wait": 0,
    }
    # When globex renders into it
    status, answer = api.call("POST", "/v1/renders", body, key="globex")
    assert status == 200, answer
    import deliver_handler

    [staged] = boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"]
    event = {
        "Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": STAGING}, "object": {"key": staged["Key"]}}}]
    }
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    # Then never with the function's own credentials: a writer session tagged with globex
    assert [tag_of(c) for c in sts.calls] == [api.workspaces["globex"]]


@pytest.mark.parametrize("auth", [{"type": "policy"}, {"type": "role", "roleArn": "arn:aws:iam::210987654321:role/x"}])
def test_aws_sessions_are_never_sent_to_another_endpoint(api: Api, auth: dict[str, Any]) -> None:
    # Given an S3-compatible endpoint with policy or role auth (our session's key id and token would go there)
    storage = policy_storage() | {"endpoint": "https://s3.example.com", "auth": auth}
    # When it is saved, then it is refused before anything is probed
    status, answer = api.call("PUT", "/v1/storage/default", storage)
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == "auth.type"
    assert api.call("GET", "/v1/storage/default")[0] == 404
