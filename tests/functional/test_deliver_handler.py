"""The deliver function, in-process: the S3 event file from events/ (URL-encoded key with a space and
non-ASCII characters) delivers the right staged object, once."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote_plus

import boto3
import pytest

from courier.persistence.store import Store
from courier.platform import aws
from courier.renders.staging import StagingKey
from courier_tools.local.stack import FakeContext
from tests.conftest import load_event
from tests.functional.conftest import STAGING, TABLE
from tests.records import one_file_render

BODY = b"\x89PNG\r\n\x1a\n" + b"rendered bytes " * 4


def stage_render_for(
    event_key: str, bucket: str = "acme-renders", destination_bucket_exists: bool = True
) -> StagingKey:
    """Seed the render record and staged object that an S3 event's key points at."""
    key = StagingKey.from_event_key(event_key)
    boto3.client("s3").put_object(Bucket=STAGING, Key=str(key), Body=BODY, ContentType="image/png")
    if destination_bucket_exists:
        boto3.client("s3").create_bucket(Bucket=bucket)
    render, delivery = one_file_render(
        key, BODY, bucket=bucket, delivered_key=f"renders/{key.file_uuid}/{key.filename}", storage="default"
    )
    Store(aws.table(TABLE)).create_render(render, [delivery])
    return key


@pytest.fixture
def event(aws_env: None) -> dict:  # type: ignore[type-arg]
    return load_event("deliver.s3.encoded-key.json")


def test_event_key_is_url_decoded_and_delivered_once(event: dict) -> None:  # type: ignore[type-arg]
    import deliver_handler

    # Given the staged file an S3 event names with an encoded key ("+" for a space, %C3%A9 for é)
    encoded = event["Records"][0]["s3"]["object"]["key"]
    assert "+" in encoded and "%C3%A9" in encoded
    key = stage_render_for(encoded)
    assert key.filename == "Café Menü.png" == unquote_plus(encoded).rsplit("/", 1)[1]
    # When the deliver function gets the event
    report = deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    # Then the right object is in the customer bucket, with its bytes and content type
    assert report["delivered"] == 1
    obj = boto3.client("s3").get_object(Bucket="acme-renders", Key=f"renders/{key.file_uuid}/Café Menü.png")
    assert obj["Body"].read() == BODY and obj["ContentType"] == "image/png"
    # And the record says success with size and checksum
    [delivery] = Store(aws.table(TABLE)).list_deliveries(key.render_id, key.file_uuid)
    assert delivery.status == "success" and delivery.attempts == 1 and delivery.size == len(BODY)
    assert delivery.checksum == f"sha256:{hashlib.sha256(BODY).hexdigest()}"

    # When the same event arrives again (S3 events are at-least-once)
    again = deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    # Then nothing is delivered twice
    assert again["delivered"] == 0 and again["skipped"] == 1
    [delivery] = Store(aws.table(TABLE)).list_deliveries(key.render_id, key.file_uuid)
    assert delivery.attempts == 1


def test_missing_bucket_is_a_permanent_error_recorded_at_once(event: dict) -> None:  # type: ignore[type-arg]
    import deliver_handler

    key = stage_render_for(event["Records"][0]["s3"]["object"]["key"], "gone-bucket", destination_bucket_exists=False)
    report = deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    assert report["failed"] == 1 and report["retrying"] == 0
    [delivery] = Store(aws.table(TABLE)).list_deliveries(key.render_id, key.file_uuid)
    assert delivery.status == "error" and delivery.error is not None and delivery.error.startswith("NoSuchBucket")


def test_test_event_and_foreign_keys_are_ignored(aws_env: None) -> None:
    import deliver_handler

    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": STAGING}
    assert deliver_handler.lambda_handler(test_event, FakeContext("DeliverFunction", 900))["delivered"] == 0
    foreign = load_event("deliver.s3.encoded-key.json")
    foreign["Records"][0]["s3"]["object"]["key"] = "uploads/other+file.png"
    assert deliver_handler.lambda_handler(foreign, FakeContext("DeliverFunction", 900))["delivered"] == 0
