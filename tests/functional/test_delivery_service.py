"""DeliveryService on in-process AWS (moto): a permanent failure is dead-lettered on SQS for redrive. The rest of the
service's behaviour (retries, crashes, claims, leases) runs on in-memory fakes in tests/unit/test_delivery_worker.py."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from courier.delivery.deadletters import DeadLetters
from courier.delivery.retry import RetryPolicy
from courier.delivery.service import DeliveryService
from courier.destinations.base import PermanentDeliveryError
from courier.persistence.store import Store
from courier.platform import aws
from courier.records import DeliveryRecord
from courier.renders.staging import StagingBucket, StagingKey
from tests.fakes.destinations import FakeDestination, FakeFactory
from tests.functional.conftest import STAGING, TABLE
from tests.records import one_file_render

BODY = b"rendered"
KEY = StagingKey("ws1", "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69", "c0ffee00-1234-4abc-8def-0123456789ab", "card.png")


@pytest.fixture
def store(aws_env: None) -> Store:
    store = Store(aws.table(TABLE))
    boto3.client("s3").put_object(Bucket=STAGING, Key=str(KEY), Body=BODY)
    render, delivery = one_file_render(KEY, BODY, bucket="b", delivered_key="out/card.png")
    store.create_render(render, [delivery])
    return store


def service(store: Store, destination: FakeDestination, dead_letters: DeadLetters | None = None) -> DeliveryService:
    return DeliveryService(
        store=store,
        staging=StagingBucket(aws.client("s3"), STAGING),
        destinations=FakeFactory(destination),  # type: ignore[arg-type]
        max_attempts=3,
        lease=timedelta(seconds=900),
        retry=RetryPolicy(tries=1),
        sleep=lambda seconds: None,
        rand=lambda: 0.5,
        dead_letters=dead_letters,
    )


def current(store: Store) -> DeliveryRecord:
    record = store.get_delivery(KEY.render_id, KEY.file_uuid, 0)
    assert record is not None
    return record


def test_a_permanent_failure_is_final_at_once_and_dead_lettered_for_redrive(store: Store) -> None:
    from courier_tools.ops import event_keys

    # Given a dead-letter queue
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    refused = FakeDestination([PermanentDeliveryError("NoSuchBucket: gone")])
    deliver = service(store, refused, dead_letters=DeadLetters(sqs, queue, STAGING))
    # When the destination refuses for good
    report = deliver.deliver_keys([str(KEY)])
    # Then the error is final at once (no retry, the invocation succeeds) ...
    assert report.failed == 1 and (current(store).status, current(store).attempts) == ("error", 1)
    # ... and one dead letter names the staged file the way Lambda's on-failure records do, with the reason
    [message] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(message["Body"])
    assert event_keys(body) == [KEY]
    assert body["requestContext"]["condition"] == "PermanentFailure"
    assert body["delivery"]["reason"] == "NoSuchBucket: gone" and body["delivery"]["connection"] == 0
    # And a duplicate event writes no second letter (the delivery is final)
    deliver.deliver_keys([str(KEY)])
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0)
