"""DeliveryService with a fake destination (in-process DynamoDB): retries become final, crashes release their
claim, a claim held elsewhere fails the invocation, concurrent events deliver once, leases fit the invocation."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import timedelta

import boto3
import pytest

from courier.delivery.deadletters import DeadLetters
from courier.delivery.retry import DeliveryIncompleteError, RetryPolicy
from courier.delivery.service import DeliveryService
from courier.destinations.base import (
    Delivered,
    DeliveryOptions,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
)
from courier.persistence.store import Store
from courier.platform import aws
from courier.records import DeliveryRecord, DeliveryTarget
from courier.renders.staging import StagingBucket, StagingKey
from tests.functional.conftest import STAGING, TABLE
from tests.records import one_file_render

BODY = b"rendered"
KEY = StagingKey("ws1", "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69", "c0ffee00-1234-4abc-8def-0123456789ab", "card.png")


class FakeDestination:
    """Records every write; fails as told, in order."""

    def __init__(self, failures: list[Exception] | None = None, delay: float = 0.0) -> None:
        self.failures = failures or []
        self.delay = delay
        self.writes: list[str] = []
        self._lock = threading.Lock()

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        time.sleep(self.delay)
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.writes.append(key)
        with source.open() as stream:
            body = stream.read()
        return Delivered(f"fake://{key}", len(body), f"sha256:{hashlib.sha256(body).hexdigest()}")


class FakeFactory:
    def __init__(self, destination: FakeDestination) -> None:
        self.destination = destination

    def build(self, target: DeliveryTarget, *args: object, **kwargs: object) -> FakeDestination:
        return self.destination


@pytest.fixture
def store(aws_env: None) -> Store:
    store = Store(aws.table(TABLE))
    boto3.client("s3").put_object(Bucket=STAGING, Key=str(KEY), Body=BODY)
    render, delivery = one_file_render(KEY, BODY, bucket="b", delivered_key="out/card.png")
    store.create_render(render, [delivery])
    return store


def service(
    store: Store,
    destination: FakeDestination,
    max_attempts: int = 3,
    tries: int = 1,
    sleeps: list[float] | None = None,
    dead_letters: DeadLetters | None = None,
) -> DeliveryService:
    return DeliveryService(
        store=store,
        staging=StagingBucket(aws.client("s3"), STAGING),
        destinations=FakeFactory(destination),  # type: ignore[arg-type]
        max_attempts=max_attempts,
        lease=timedelta(seconds=900),
        retry=RetryPolicy(tries=tries),
        sleep=(sleeps if sleeps is not None else []).append,
        rand=lambda: 0.5,
        dead_letters=dead_letters,
    )


def current(store: Store) -> DeliveryRecord:
    record = store.get_delivery(KEY.render_id, KEY.file_uuid, 0)
    assert record is not None
    return record


def test_retryable_failures_retry_then_become_a_final_error(store: Store) -> None:
    # Given a destination that keeps answering 503
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503")] * 3)
    deliver = service(store, destination)
    # When the event is tried as Lambda tries it (once + 2 retries)
    for attempt in (1, 2):
        with pytest.raises(DeliveryIncompleteError):
            deliver.deliver_keys([str(KEY)])
        # Then each failed attempt leaves it pending, claimable again, with the reason
        assert (current(store).status, current(store).attempts) == ("pending", attempt)
        assert current(store).error == "SlowDown: 503"
    # And the last attempt records the error for good, and still fails the invocation: after Lambda's last retry
    # the event goes to the dead-letter queue, where `courier_tools.ops redrive` finds it
    with pytest.raises(DeliveryIncompleteError, match="1 deliveries failed after every retry"):
        deliver.deliver_keys([str(KEY)])
    assert (current(store).status, current(store).attempts) == ("error", 3)


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


def test_an_unexpected_crash_releases_the_claim(store: Store) -> None:
    # Given a destination with a bug
    destination = FakeDestination([KeyError("access_key_id")])
    # When it crashes mid-delivery
    with pytest.raises(DeliveryIncompleteError):
        service(store, destination).deliver_keys([str(KEY)])
    # Then the delivery is pending again, not stranded under a lease, and the next try succeeds
    assert current(store).status == "pending" and current(store).error == "KeyError: internal error"
    assert service(store, destination).deliver_keys([str(KEY)]).delivered == 1
    assert current(store).status == "success" and destination.writes == ["out/card.png"]


def test_a_claim_held_elsewhere_fails_the_invocation_instead_of_claiming_success(store: Store) -> None:
    # Given another worker holding the delivery (e.g. one that crashed and whose lease has not run out)
    assert store.claim_delivery(current(store), "other-worker", timedelta(seconds=60)) is not None
    destination = FakeDestination()
    # When the event is handled
    with pytest.raises(DeliveryIncompleteError):
        service(store, destination).deliver_keys([str(KEY)])
    # Then nothing was written and Lambda will retry
    assert destination.writes == [] and current(store).status == "pending"


def test_a_duplicate_event_during_a_delivery_does_not_deliver_again(store: Store) -> None:
    # Given a delivery in progress: the first event's worker holds the claim, inside the destination's write
    entered, release = threading.Event(), threading.Event()
    destination = FakeDestination()
    original = destination.deliver

    def slow_deliver(source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        entered.set()
        release.wait(10)
        return original(source, key, options)

    destination.deliver = slow_deliver  # type: ignore[method-assign]
    deliver = service(store, destination)
    first = threading.Thread(target=lambda: deliver.deliver_keys([str(KEY)]))
    first.start()
    assert entered.wait(10)
    # When the same event arrives meanwhile (moto's conditions are not atomic across threads, so the duplicate
    # runs while the first is provably inside its write, as DynamoDB's atomic conditional write would see it)
    with pytest.raises(DeliveryIncompleteError):
        deliver.deliver_keys([str(KEY)])
    release.set()
    first.join(10)
    # Then exactly one write; the duplicate will be retried by Lambda and then find it done
    assert destination.writes == ["out/card.png"]
    assert deliver.deliver_keys([str(KEY)]).skipped == 1


def test_retryable_failures_are_retried_within_the_invocation_with_backoff(store: Store) -> None:
    # Given a destination that answers 503, then 429 with Retry-After: 2, then works
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503"), RetryableDeliveryError("429", 2.0)])
    sleeps: list[float] = []
    # When one invocation delivers with three tries allowed
    report = service(store, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 900.0)
    # Then it waited a jittered backoff, then the server's Retry-After, and delivered once
    assert report.delivered == 1 and destination.writes == ["out/card.png"]
    assert sleeps == [0.25, 2.0]  # rand 0.5 × 0.5 s for the first retry; Retry-After for the second
    assert (current(store).status, current(store).attempts, current(store).invocations) == ("success", 3, 1)


def test_no_retry_in_the_invocation_when_its_time_is_short(store: Store) -> None:
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503")])
    sleeps: list[float] = []
    with pytest.raises(DeliveryIncompleteError):
        service(store, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 5.0)
    assert sleeps == [] and current(store).status == "pending"  # left to Lambda's retry


def test_a_long_retry_after_is_left_to_lambdas_retry(store: Store) -> None:
    destination = FakeDestination([RetryableDeliveryError("429", 120.0)])
    sleeps: list[float] = []
    with pytest.raises(DeliveryIncompleteError):
        service(store, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 900.0)
    assert sleeps == []


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(tries=10, base_seconds=0.5, cap_seconds=8.0)
    assert [policy.delay(n, None, lambda: 1.0) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(10, None, lambda: 1.0) is None


def test_a_lease_never_outlives_the_invocation() -> None:
    policy, longest = RetryPolicy(tries=1), timedelta(seconds=900)  # as service() builds it
    assert policy.lease_for(10, lambda: 3.0, longest) == timedelta(seconds=8)
    assert policy.lease_for(10, None, longest) == timedelta(seconds=45 + 1 * (10 / (6 * 1024 * 1024) + 8.0))
    # A file too big for the time left gets the whole invocation, capped at the Lambda timeout
    assert policy.lease_for(6 * 1024**3, lambda: 900.0, longest) == timedelta(seconds=900)
