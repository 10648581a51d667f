"""Delivery: fan a staged file out to every destination of its render, once each, recording every outcome."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from aws_lambda_powertools import Logger

from courier.destinations.base import DeliveryOptions, DestinationError, RetryableDeliveryError, StagedFile
from courier.destinations.registry import DestinationFactory
from courier.models import DeliveryRecord, DeliveryTarget, RenderRecord
from courier.staging import StagingBucket, StagingKey
from courier.store import Store

logger = Logger(child=True)


# A crashed worker's claim frees itself after this; sized so that Lambda's first retry (about a minute later) can
# take over a small file, and a large one is not taken away from a live worker (5 GB in 15 minutes needs 6 MB/s).
LEASE_BASE_SECONDS = 45
MIN_THROUGHPUT_BYTES_PER_SECOND = 6 * 1024 * 1024


class DeliveryIncompleteError(Exception):
    """Some destinations failed with a retryable error: failing the invocation lets Lambda retry the event."""


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # final errors, recorded
    retrying: int = 0  # retryable errors, left pending for the next attempt
    skipped: int = 0  # already final: duplicate events land here


@dataclass(frozen=True)
class RetryPolicy:
    """Retries inside one invocation: full-jitter exponential backoff, the server's Retry-After when it gives one,
    and never past the invocation's time (what is left goes to Lambda's own async retry)."""

    tries: int = 3  # per invocation
    base_seconds: float = 0.5
    cap_seconds: float = 8.0
    max_retry_after: float = 30.0  # a longer Retry-After is left to Lambda's retry a minute later

    def delay(self, attempt: int, retry_after: float | None, rand: Callable[[], float]) -> float | None:
        """Seconds to wait before try ``attempt + 1`` (attempt counts from 1), or None to stop trying here."""
        if attempt >= self.tries:
            return None
        backoff = rand() * min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        if retry_after is None:
            return backoff
        return retry_after if retry_after <= self.max_retry_after else None


class DeliveryService:
    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        destinations: DestinationFactory,
        max_attempts: int,
        lease: timedelta,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._store = store
        self._staging = staging
        self._destinations = destinations
        self._max_attempts = max_attempts
        self._lease = lease
        self._retry = retry
        self._sleep = sleep
        self._rand = rand

    def deliver_keys(
        self, encoded_keys: list[str], remaining_seconds: Callable[[], float] | None = None
    ) -> DeliveryReport:
        """Deliver the staged objects named by S3 event keys (URL-encoded, as S3 sends them).

        ``remaining_seconds`` is the invocation's time left: no claim outlives it. Raises DeliveryIncompleteError
        after every key has been tried when any delivery is still pending (retryable failure, or held elsewhere).
        """
        report = DeliveryReport()
        for encoded in encoded_keys:
            try:
                key = StagingKey.from_event_key(encoded)
            except ValueError:
                logger.warning("Ignoring an object that is not a staged render file", extra={"key": encoded})
                continue
            self.deliver_file(key, report, remaining_seconds)
        if report.retrying:
            raise DeliveryIncompleteError(f"{report.retrying} deliveries will be retried")
        return report

    def reconcile(self, older_than: datetime, remaining_seconds: Callable[[], float] | None = None) -> DeliveryReport:
        """Re-drive deliveries left pending since before ``older_than`` (a dropped event, a crashed worker).

        Never raises for a delivery that stays pending: the next scheduled run looks again.
        """
        report = DeliveryReport()
        for render_id, file_uuid in self._store.stale_deliveries(older_than):
            if remaining_seconds is not None and remaining_seconds() < 60:
                break  # the next run continues, oldest first
            self.deliver_staged(render_id, file_uuid, report, remaining_seconds)
        logger.info(
            "Reconciled", extra={"delivered": report.delivered, "failed": report.failed, "left": report.retrying}
        )
        return report

    def redrive(self, render_id: str, file_uuid: str | None = None) -> DeliveryReport:
        """An operator's redrive: failed deliveries of a render (or of one of its files) are tried again now."""
        report = DeliveryReport()
        found = self._store.get_render(render_id)
        if found is None:
            return report
        render, deliveries = found
        for delivery in deliveries:
            if delivery.status == "error" and file_uuid in (None, delivery.file_uuid):
                self._store.reopen_delivery(delivery)
        for staged in render.files:
            if file_uuid in (None, staged.uuid):
                self.deliver_staged(render_id, staged.uuid, report, None)
        return report

    def deliver_staged(
        self,
        render_id: str,
        file_uuid: str,
        report: DeliveryReport,
        remaining_seconds: Callable[[], float] | None,
    ) -> None:
        """Deliver one staged file of a render, found from the record rather than from an S3 event."""
        found = self._store.get_render(render_id)
        staged = next((f for f in found[0].files if f.uuid == file_uuid), None) if found else None
        if staged is None:
            return
        self.deliver_file(StagingKey.parse(staged.key), report, remaining_seconds)

    def deliver_file(
        self, key: StagingKey, report: DeliveryReport, remaining_seconds: Callable[[], float] | None = None
    ) -> None:
        found = self._store.get_render(key.render_id)
        if found is None:
            # Render items are written before their staged files, so this object is not a live render's.
            logger.warning("No render record for a staged file", extra={"render_id": key.render_id})
            return
        render, deliveries = found
        if render.workspace_id != key.workspace_id:
            logger.warning("Staged file does not belong to the render's workspace", extra={"render_id": render.id})
            return
        staged = self._staged_file(render, key)
        if staged is None:
            logger.warning("Staged file is not part of its render", extra={"render_id": render.id})
            return
        for delivery in deliveries:
            if delivery.file_uuid == key.file_uuid:
                self._deliver_one(delivery, staged, report, render.workspace_id, remaining_seconds)

    def _staged_file(self, render: RenderRecord, key: StagingKey) -> StagedFile | None:
        record = next((f for f in render.files if f.uuid == key.file_uuid and f.key == str(key)), None)
        if record is None:
            return None
        return StagedFile(
            key=record.key,
            size=record.size,
            checksum=record.checksum,
            content_type=record.content_type,
            opener=lambda: self._staging.open(record.key),
            bucket=self._staging.bucket,
        )

    def _deliver_one(
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
        claimed = self._store.claim_delivery(delivery, token, self._lease_for(staged.size, remaining_seconds))
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
        options = delivery_options(target, staged.content_type, claimed.key)
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
            if pause is None or not self._time_for(pause, staged.size, remaining_seconds):
                claimed.attempts = before + tries
                self._record_failure(claimed, token, error, report)
                return
            logger.info(
                "Retrying a delivery", extra={"provider": target.provider, "reason": error.reason, "wait": pause}
            )
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
            logger.info(
                "Delivered",
                extra={"provider": target.provider, "storage": target.storage, "bytes": receipt.size, "ms": elapsed_ms},
            )
        else:
            # Our lease ran out and another worker took over: it records the outcome (same key, same bytes).
            report.skipped += 1

    def _time_for(self, pause: float, size: int, remaining_seconds: Callable[[], float] | None) -> bool:
        """Is there time to wait and send the file again within this invocation (at the slowest planned rate)?"""
        if remaining_seconds is None:
            return True
        needed = pause + LEASE_BASE_SECONDS / 3 + size / MIN_THROUGHPUT_BYTES_PER_SECOND
        return remaining_seconds() > needed

    def _record_failure(
        self, claimed: DeliveryRecord, token: str, error: DestinationError, report: DeliveryReport
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
        self._store.settle_delivery(outcome, token)
        if final:
            report.failed += 1
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

    def _lease_for(self, size: int, remaining_seconds: Callable[[], float] | None) -> timedelta:
        """Long enough for this file's tries at the slowest rate we plan for, never longer than the invocation."""
        per_try = size / MIN_THROUGHPUT_BYTES_PER_SECOND + self._retry.cap_seconds
        seconds = LEASE_BASE_SECONDS + self._retry.tries * per_try
        if remaining_seconds is not None:
            seconds = min(seconds, remaining_seconds() + 5)
        return timedelta(seconds=min(seconds, self._lease.total_seconds()))


def delivery_options(target: DeliveryTarget, content_type: str, key: str = "") -> DeliveryOptions:
    """The adapter's write options from a target's object options (the content type comes from the file)."""
    options = target.options
    return DeliveryOptions(
        content_type=content_type,
        content_disposition=content_disposition(options.content_disposition, key.rsplit("/", 1)[-1]),
        cache_control=options.cache_control,
        metadata=options.metadata or {},
        make_public=bool(options.make_public),
        if_exists=options.if_exists or "overwrite",
        tags=options.tags or {},
        storage_class=options.storage_class,
        sse=options.sse,
        sse_kms_key_id=options.kms_key_id,
    )


def without_secret(delivery: DeliveryRecord) -> DeliveryTarget:
    """A final delivery keeps no sealed secret: inline keys and presigned URLs are destroyed once delivered."""
    return delivery.target.model_copy(update={"sealed": None})


def content_disposition(value: str | None, filename: str) -> str | None:
    """A bare "attachment" or "inline" gets the file's name, as RFC 6266 says: an ASCII fallback in ``filename``
    and the exact name, percent-encoded UTF-8, in ``filename*`` (RFC 8187). Anything else is sent as given."""
    if value is None or value.strip().lower() not in ("attachment", "inline") or not filename:
        return value
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"{value.strip().lower()}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
