"""One delivery, start to finish: claim it, write the file to its destination with retries, settle the outcome.

A delivery is claimed with a lease (one worker writes it) and settled with the claim's token, so a worker whose lease
ran out cannot overwrite the outcome recorded by the one that took over; a claim held elsewhere fails the invocation
rather than report a delivery nobody finished. Retryable errors are tried again while the invocation has time
(``courier.delivery.retry``), then left pending until ``max_attempts`` invocations; permanent ones are final at once
and dead-lettered. Every path releases the claim: an unforeseen exception counts as a retryable error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from aws_lambda_powertools import Logger

from courier.delivery.deadletters import DeadLetters
from courier.delivery.options import delivery_options, without_secret
from courier.delivery.report import DeliveryReport
from courier.delivery.retry import RetryPolicy
from courier.destinations.base import DestinationError, RetryableDeliveryError, StagedFile
from courier.destinations.registry import DestinationFactory
from courier.persistence.store import Store
from courier.platform import telemetry
from courier.records import DeliveryRecord
from courier.renders.staging import StagingKey

logger = Logger(child=True)


class DeliveryWorker:
    """Delivers one record of a staged file; ``report`` counts the outcome. Nothing here raises for a failed write."""

    def __init__(
        self,
        store: Store,
        destinations: DestinationFactory,
        max_attempts: int,
        lease: timedelta,
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        rand: Callable[[], float],
        dead_letters: DeadLetters | None,
    ) -> None:
        self._store = store
        self._destinations = destinations
        self._max_attempts = max_attempts
        self._lease = lease
        self._retry = retry
        self._sleep = sleep
        self._rand = rand
        self._dead_letters = dead_letters

    def deliver(
        self,
        delivery: DeliveryRecord,
        staged: StagedFile,
        report: DeliveryReport,
        workspace_id: str,
        remaining_seconds: Callable[[], float] | None,
    ) -> None:
        if delivery.status != "pending":
            report.skipped += 1
            return
        token = uuid.uuid4().hex
        claimed = self._store.claim_delivery(
            delivery, token, self._retry.lease_for(staged.size, remaining_seconds, self._lease)
        )
        if claimed is None:
            if self._still_pending(delivery):
                # Another worker holds it (or a crashed one did): fail this invocation so Lambda tries again
                # after the lease, instead of reporting success for a delivery nobody finished.
                report.retrying += 1
            else:
                report.skipped += 1
            return
        target = claimed.target
        started = time.monotonic()
        # The write token marks the object as this delivery's: a retry after a lost answer recognises its own write.
        options = replace(
            delivery_options(target, staged.content_type, claimed.key),
            write_token=f"{claimed.render_id}/{claimed.file_uuid}/{claimed.connection}",
        )
        before, tries = claimed.attempts, 0
        while True:
            tries += 1
            try:
                destination = self._destinations.build(target, workspace_id, claimed.render_id)
                receipt = destination.deliver(staged, claimed.key, options)
                break
            except DestinationError as exc:
                error = exc
            except Exception as exc:  # a bug or an unforeseen SDK failure must release the claim, never strand it
                logger.exception("Unexpected delivery failure", extra={"provider": target.provider})
                error = RetryableDeliveryError(f"{type(exc).__name__}: internal error")
            pause = self._retry.delay(tries, error.retry_after, self._rand) if error.retryable else None
            if pause is None or not self._retry.time_for(pause, staged.size, remaining_seconds):
                claimed.attempts = before + tries
                self._record_failure(claimed, token, error, report, staged.key)
                return
            logger.info(
                "Retrying a delivery", extra={"provider": target.provider, "reason": error.reason, "wait": pause}
            )
            telemetry.delivery_retried()
            self._sleep(pause)
        claimed.attempts = before + tries
        elapsed_ms = int((time.monotonic() - started) * 1000)
        now = datetime.now(UTC)
        outcome = claimed.model_copy(
            update={
                "status": "already_exists" if receipt.already_existed else "success",
                "error": None,
                "size": receipt.size,
                "checksum": receipt.checksum,
                "etag": receipt.etag,
                "duration_ms": elapsed_ms,
                "delivered_at": now,
                "updated_at": now,
                "target": without_secret(claimed),
            }
        )
        if self._store.settle_delivery(outcome, token):
            report.delivered += 1
            self._note_storage(workspace_id, outcome)
            telemetry.delivery_finished(target.provider, outcome.status, receipt.size, elapsed_ms)
            logger.info(
                "Delivered",
                extra={"provider": target.provider, "storage": target.storage, "bytes": receipt.size, "ms": elapsed_ms},
            )
        else:
            # Our lease ran out and another worker took over: it records the outcome (same key, same bytes).
            report.skipped += 1

    def _note_storage(self, workspace_id: str, outcome: DeliveryRecord) -> None:
        """The storage's last delivery (shown by the API and the console). Bookkeeping: it never fails a delivery."""
        if outcome.target.storage is None:
            return
        try:
            self._store.note_storage_delivery(
                workspace_id, outcome.target.storage, outcome.status, outcome.updated_at, outcome.error
            )
        except Exception:
            logger.warning("Could not record the storage's last delivery", extra={"storage": outcome.target.storage})

    def _record_failure(
        self, claimed: DeliveryRecord, token: str, error: DestinationError, report: DeliveryReport, staged_key: str
    ) -> None:
        final = not error.retryable or claimed.invocations >= self._max_attempts
        update: dict[str, object] = {
            "status": "error" if final else "pending",
            "error": error.reason,
            "updated_at": datetime.now(UTC),
        }
        if final:
            update["target"] = without_secret(claimed)
        outcome = claimed.model_copy(update=update)
        settled = self._store.settle_delivery(outcome, token)
        if final:
            report.failed += 1
            if error.retryable:
                report.exhausted += 1  # the invocation fails: Lambda dead-letters the event after its last retry
            elif settled and self._dead_letters is not None:
                self._dead_letters.send(outcome, staged_key, error.reason)
            if settled:
                self._note_storage(StagingKey.parse(staged_key).workspace_id, outcome)
                telemetry.delivery_finished(claimed.target.provider, "error", None, None)
        else:
            report.retrying += 1
        logger.warning(
            "Delivery failed",
            extra={
                "provider": claimed.target.provider,
                "storage": claimed.target.storage,
                "reason": error.reason,
                "attempt": claimed.attempts,
                "final": final,
            },
        )

    def _still_pending(self, delivery: DeliveryRecord) -> bool:
        current = self._store.get_delivery(delivery.render_id, delivery.file_uuid, delivery.connection)
        return current is not None and current.status == "pending"
