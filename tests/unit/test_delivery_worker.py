"""DeliveryService over MemoryStore, MemoryStaging and a fake destination: retries become final, crashes release
their claim, a claim held elsewhere fails the invocation, concurrent events deliver once, leases fit the invocation.
(The dead-letter queue, on SQS, is tested in tests/functional/test_delivery_service.py.)"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import cast

import pytest

from courier.delivery.retry import DeliveryIncompleteError, RetryPolicy
from courier.delivery.service import DeliveryService
from courier.destinations.base import Delivered, DeliveryOptions, RetryableDeliveryError, StagedFile
from courier.destinations.registry import DestinationFactory
from courier.persistence.store import Store
from courier.records import DeliveryRecord
from courier.renders.staging import StagingBucket, StagingKey
from tests.fakes.destinations import FakeDestination, FakeFactory
from tests.fakes.memory_staging import MemoryStaging
from tests.fakes.memory_store import memory_store
from tests.records import one_file_render

BODY = b"rendered"
KEY = StagingKey("ws1", "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69", "c0ffee00-1234-4abc-8def-0123456789ab", "card.png")


@pytest.fixture
def staging() -> MemoryStaging:
    staging = MemoryStaging()
    staging.put(KEY, BODY, "image/png", KEY.render_id)
    return staging


@pytest.fixture
def store() -> Store:
    store = memory_store()
    render, delivery = one_file_render(KEY, BODY, bucket="b", delivered_key="out/card.png")
    store.create_render(render, [delivery])
    return store


def service(
    store: Store,
    staging: MemoryStaging,
    destination: FakeDestination,
    tries: int = 1,
    sleeps: list[float] | None = None,
) -> DeliveryService:
    return DeliveryService(
        store=store,
        staging=cast(StagingBucket, staging),
        destinations=cast(DestinationFactory, FakeFactory(destination)),
        max_attempts=3,
        lease=timedelta(seconds=900),
        retry=RetryPolicy(tries=tries),
        sleep=(sleeps if sleeps is not None else []).append,
        rand=lambda: 0.5,
    )


def current(store: Store) -> DeliveryRecord:
    record = store.get_delivery(KEY.render_id, KEY.file_uuid, 0)
    assert record is not None
    return record


def test_retryable_failures_retry_then_become_a_final_error(store: Store, staging: MemoryStaging) -> None:
    # Given a destination that keeps answering 503
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503")] * 3)
    deliver = service(store, staging, destination)
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


def test_an_unexpected_crash_releases_the_claim(store: Store, staging: MemoryStaging) -> None:
    # Given a destination with a bug
    destination = FakeDestination([KeyError("access_key_id")])
    # When it crashes mid-delivery
    with pytest.raises(DeliveryIncompleteError):
        service(store, staging, destination).deliver_keys([str(KEY)])
    # Then the delivery is pending again, not stranded under a lease, and the next try succeeds
    assert current(store).status == "pending" and current(store).error == "KeyError: internal error"
    assert service(store, staging, destination).deliver_keys([str(KEY)]).delivered == 1
    assert current(store).status == "success" and destination.writes == ["out/card.png"]


def test_a_claim_held_elsewhere_fails_the_invocation_instead_of_claiming_success(
    store: Store, staging: MemoryStaging
) -> None:
    # Given another worker holding the delivery (e.g. one that crashed and whose lease has not run out)
    assert store.claim_delivery(current(store), "other-worker", timedelta(seconds=60)) is not None
    destination = FakeDestination()
    # When the event is handled
    with pytest.raises(DeliveryIncompleteError):
        service(store, staging, destination).deliver_keys([str(KEY)])
    # Then nothing was written and Lambda will retry
    assert destination.writes == [] and current(store).status == "pending"


def test_a_duplicate_event_during_a_delivery_does_not_deliver_again(store: Store, staging: MemoryStaging) -> None:
    # Given a delivery in progress: the first event's worker holds the claim, inside the destination's write
    entered, release = threading.Event(), threading.Event()
    destination = FakeDestination()
    original = destination.deliver

    def slow_deliver(source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        entered.set()
        release.wait(10)
        return original(source, key, options)

    destination.deliver = slow_deliver  # type: ignore[method-assign]
    deliver = service(store, staging, destination)
    first = threading.Thread(target=lambda: deliver.deliver_keys([str(KEY)]))
    first.start()
    assert entered.wait(10)
    # When the same event arrives meanwhile
    with pytest.raises(DeliveryIncompleteError):
        deliver.deliver_keys([str(KEY)])
    release.set()
    first.join(10)
    # Then exactly one write; the duplicate will be retried by Lambda and then find it done
    assert destination.writes == ["out/card.png"]
    assert deliver.deliver_keys([str(KEY)]).skipped == 1


def test_retryable_failures_are_retried_within_the_invocation_with_backoff(
    store: Store, staging: MemoryStaging
) -> None:
    # Given a destination that answers 503, then 429 with Retry-After: 2, then works
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503"), RetryableDeliveryError("429", 2.0)])
    sleeps: list[float] = []
    # When one invocation delivers with three tries allowed
    report = service(store, staging, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 900.0)
    # Then it waited a jittered backoff, then the server's Retry-After, and delivered once
    assert report.delivered == 1 and destination.writes == ["out/card.png"]
    assert sleeps == [0.25, 2.0]  # rand 0.5 × 0.5 s for the first retry; Retry-After for the second
    assert (current(store).status, current(store).attempts, current(store).invocations) == ("success", 3, 1)


def test_no_retry_in_the_invocation_when_its_time_is_short(store: Store, staging: MemoryStaging) -> None:
    destination = FakeDestination([RetryableDeliveryError("SlowDown: 503")])
    sleeps: list[float] = []
    with pytest.raises(DeliveryIncompleteError):
        service(store, staging, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 5.0)
    assert sleeps == [] and current(store).status == "pending"  # left to Lambda's retry


def test_a_long_retry_after_is_left_to_lambdas_retry(store: Store, staging: MemoryStaging) -> None:
    destination = FakeDestination([RetryableDeliveryError("429", 120.0)])
    sleeps: list[float] = []
    with pytest.raises(DeliveryIncompleteError):
        service(store, staging, destination, tries=3, sleeps=sleeps).deliver_keys([str(KEY)], lambda: 900.0)
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
