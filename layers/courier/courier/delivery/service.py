"""Delivery: fan a staged file out to every destination of its render, once each, recording every outcome — and,
once every destination is final, send the render's webhook once."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, quote_plus

from aws_lambda_powertools import Logger

from courier.destinations.base import DeliveryOptions, DestinationError, RetryableDeliveryError, StagedFile
from courier.destinations.registry import DestinationFactory
from courier.net.policy import redact
from courier.persistence.store import Store
from courier.platform import telemetry
from courier.records import DeliveryRecord, DeliveryTarget, RenderRecord
from courier.renders.staging import StagingBucket, StagingKey
from courier.renders.status import status_document
from courier.secrets.sealing import Sealer
from courier.webhooks.sender import (
    WebhookError,
    WebhookSecretError,
    WebhookSecrets,
    WebhookSender,
    event_for,
    event_id,
)
from courier.webhooks.urls import open_url

logger = Logger(child=True)


# A crashed worker's claim frees itself after this; sized so that Lambda's first retry (about a minute later) can
# take over a small file, and a large one is not taken away from a live worker (5 GB in 15 minutes needs 6 MB/s).
LEASE_BASE_SECONDS = 45
MIN_THROUGHPUT_BYTES_PER_SECOND = 6 * 1024 * 1024


class DeliveryIncompleteError(Exception):
    """Some destinations (or the render's webhook) failed with a retryable error: failing the invocation lets Lambda
    retry the event."""


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # final errors, recorded
    exhausted: int = 0  # of those, retryable ones that ran out of attempts: the invocation fails → the DLQ
    retrying: int = 0  # retryable errors, left pending for the next attempt
    skipped: int = 0  # already final: duplicate events land here
    webhooks_sent: int = 0
    webhooks_failed: int = 0  # final: recorded with the reason, not sent again (unless an operator redrives)
    webhooks_retrying: int = 0  # retryable: the claim released for Lambda's retry, then the reconciler

    def add(self, other: DeliveryReport) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


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


class DeadLetters:
    """Dead letters the deliver function writes itself, for failures Lambda would not dead-letter: a permanent
    error is recorded at once and its invocation succeeds. The message has the shape of Lambda's on-failure record
    (``requestPayload`` is an S3 event naming the staged file), so ``courier_tools.ops redrive`` treats both alike."""

    def __init__(self, sqs: Any, queue_url: str, staging_bucket: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._bucket = staging_bucket

    def send(self, delivery: DeliveryRecord, staged_key: str, reason: str) -> None:
        body = {
            "timestamp": datetime.now(UTC).isoformat(),
            "requestContext": {"condition": "PermanentFailure"},
            "requestPayload": {
                "Records": [
                    {
                        "eventSource": "aws:s3",
                        "eventName": "ObjectCreated:Put",
                        "s3": {"bucket": {"name": self._bucket}, "object": {"key": quote_plus(staged_key)}},
                    }
                ]
            },
            "delivery": {
                "renderId": delivery.render_id,
                "fileUuid": delivery.file_uuid,
                "connection": delivery.connection,
                "provider": delivery.target.provider,
                "storage": delivery.target.storage,
                "reason": reason,  # already scrubbed of secrets by the adapter
            },
        }
        try:
            self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=json.dumps(body))
        except Exception:  # the failure is recorded and visible in the API; a lost letter must not hide it
            logger.exception("Could not write a dead letter", extra={"render_id": delivery.render_id})


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
        webhooks: WebhookNotifier | None = None,
        dead_letters: DeadLetters | None = None,
    ) -> None:
        self._store = store
        self._dead_letters = dead_letters
        self._staging = staging
        self._destinations = destinations
        self._max_attempts = max_attempts
        self._lease = lease
        self._retry = retry
        self._sleep = sleep
        self._rand = rand
        self._webhooks = webhooks

    def deliver_keys(
        self, encoded_keys: list[str], remaining_seconds: Callable[[], float] | None = None
    ) -> DeliveryReport:
        """Deliver the staged objects named by S3 event keys (URL-encoded, as S3 sends them).

        ``remaining_seconds`` is the invocation's time left: no claim outlives it. Raises DeliveryIncompleteError
        after every key has been tried when any delivery is still pending (retryable failure, or held elsewhere), or
        when sending the render's webhook failed for now.
        """
        report = DeliveryReport()
        for encoded in encoded_keys:
            try:
                key = StagingKey.from_event_key(encoded)
            except ValueError:
                logger.warning("Ignoring an object that is not a staged render file", extra={"key": encoded})
                continue
            self.deliver_file(key, report, remaining_seconds)
        if report.retrying or report.webhooks_retrying or report.exhausted:
            # Lambda retries the event; after its last retry the event lands in the dead-letter queue (redrive).
            raise DeliveryIncompleteError(
                f"{report.retrying} deliveries and {report.webhooks_retrying} webhooks will be retried; "
                f"{report.exhausted} deliveries failed after every retry"
            )
        return report

    def reconcile(self, older_than: datetime, remaining_seconds: Callable[[], float] | None = None) -> DeliveryReport:
        """Re-drive deliveries left pending since before ``older_than`` (a dropped event, a crashed worker), then
        send the webhooks of renders that are final but whose webhook is not sent (after the DLQ, a crash).

        Never raises for a delivery or webhook that stays pending: the next scheduled run looks again.
        """
        report = DeliveryReport()
        for render_id, file_uuid in self._store.stale_deliveries(older_than):
            if remaining_seconds is not None and remaining_seconds() < 60:
                break  # the next run continues, oldest first
            self.deliver_staged(render_id, file_uuid, report, remaining_seconds)
        if self._webhooks is not None:
            for render_id in self._store.stale_webhooks(older_than):
                if remaining_seconds is not None and remaining_seconds() < 60:
                    break
                self._webhooks.notify(render_id, report, remaining_seconds)
        logger.info(
            "Reconciled",
            extra={
                "delivered": report.delivered,
                "failed": report.failed,
                "left": report.retrying,
                "webhooks_sent": report.webhooks_sent,
                "webhooks_left": report.webhooks_retrying,
            },
        )
        return report

    def redrive(self, render_id: str, file_uuid: str | None = None) -> DeliveryReport:
        """An operator's redrive: failed deliveries of a render (or of one of its files) are tried again now; for a
        whole render, a webhook that failed for good is sent again too (the endpoint was fixed)."""
        report = DeliveryReport()
        found = self._store.get_render(render_id)
        if found is None:
            return report
        render, deliveries = found
        for delivery in deliveries:
            if delivery.status == "error" and file_uuid in (None, delivery.file_uuid):
                self._store.reopen_delivery(delivery)
        if file_uuid is None and render.webhook_state == "failed" and self._webhooks is not None:
            self._store.reopen_webhook(render_id, datetime.now(UTC))
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
        if found is not None and found[0].state is not None:
            return  # a clip still rendering (its files are not staged yet) or failed (they never will be)
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
        # Whoever finds every destination final sends the webhook (the claim lets one do it). Duplicate events
        # look too: a worker may have crashed between the last delivery and the send.
        if self._webhooks is not None and render.webhook_state in ("pending", "sending"):
            self._webhooks.notify(render.id, report, remaining_seconds)

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
            if pause is None or not self._time_for(pause, staged.size, remaining_seconds):
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

    def _time_for(self, pause: float, size: int, remaining_seconds: Callable[[], float] | None) -> bool:
        """Is there time to wait and send the file again within this invocation (at the slowest planned rate)?"""
        if remaining_seconds is None:
            return True
        needed = pause + LEASE_BASE_SECONDS / 3 + size / MIN_THROUGHPUT_BYTES_PER_SECOND
        return remaining_seconds() > needed

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

    def _lease_for(self, size: int, remaining_seconds: Callable[[], float] | None) -> timedelta:
        """Long enough for this file's tries at the slowest rate we plan for, never longer than the invocation."""
        per_try = size / MIN_THROUGHPUT_BYTES_PER_SECOND + self._retry.cap_seconds
        seconds = LEASE_BASE_SECONDS + self._retry.tries * per_try
        if remaining_seconds is not None:
            seconds = min(seconds, remaining_seconds() + 5)
        return timedelta(seconds=min(seconds, self._lease.total_seconds()))


@dataclass(frozen=True)
class WebhookPolicy:
    """How the render's webhook is claimed and re-tried beyond the sender's own retries."""

    # A claim outlives the sender's whole time budget (60 s) plus one attempt's timeout; a crashed worker's frees
    # itself after it. An invocation with less time left than ``min_seconds`` leaves the send to the next one.
    lease: timedelta = timedelta(seconds=120)
    min_seconds: float = 75.0
    # After a retryable failure the reconciler looks again after base * 2^(claims-1), capped (plus its own delay).
    backoff_base: timedelta = timedelta(minutes=5)
    backoff_cap: timedelta = timedelta(hours=6)
    give_up_after: timedelta = timedelta(hours=72)  # since the render was accepted: then the failure is final
    url_expiry_seconds: int = 3600  # the links to the files in the event's render document


class WebhookNotifier:
    """Sends a render's webhook once every destination is final: pending → sending (a leased claim, one worker)
    → sent | failed, or back to pending after a retryable failure (and the invocation fails, so Lambda retries).

    The same event id on every send lets receivers drop the rare duplicate (a crash between the POST and recording
    it). ``report`` counts the outcome; nothing here raises for a failed send.
    """

    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        secrets: WebhookSecrets,
        sender: WebhookSender,
        policy: WebhookPolicy = WebhookPolicy(),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sealer: Sealer | None = None,
    ) -> None:
        self._store = store
        self._staging = staging
        self._secrets = secrets
        self._sender = sender
        self._policy = policy
        self._clock = clock
        self._sealer = sealer  # opens the URL's sealed query

    def notify(
        self, render_id: str, report: DeliveryReport, remaining_seconds: Callable[[], float] | None = None
    ) -> None:
        found = self._store.get_render(render_id)
        if found is None:
            return
        render, deliveries = found
        if render.webhook_url is None or render.webhook_state not in ("pending", "sending"):
            return
        if render.state == "rendering":
            return  # a clip not drawn yet: its deliveries are still to come
        if render.state is None and any(d.status == "pending" for d in deliveries):
            return  # not final yet: the worker that settles the last delivery sends it
        if remaining_seconds is not None and remaining_seconds() < self._policy.min_seconds:
            report.webhooks_retrying += 1  # too little time left to send within the lease: the next try does it
            return
        now = self._clock()
        lease = self._policy.lease
        if remaining_seconds is not None:
            lease = min(lease, timedelta(seconds=remaining_seconds() + 5))
        token = uuid.uuid4().hex
        claimed = self._store.claim_webhook(render_id, token, lease, now)
        if claimed is None:
            # Sent or failed meanwhile, held by a live worker (a crashed one's lease runs out and the reconciler
            # takes over), or not due yet (a Retry-After: the reconciler sends it later).
            return
        self._send(claimed, deliveries, token, report, now)

    def _send(
        self, render: RenderRecord, deliveries: list[DeliveryRecord], token: str, report: DeliveryReport, now: datetime
    ) -> None:
        shown = render.webhook_url or ""
        try:
            links = [self._staging.presign_get(f.key, self._policy.url_expiry_seconds) for f in render.files]
            document = status_document(render, deliveries, links, "url")
            # The webhook's own progress is not part of the event: it describes this very send.
            event = event_for(
                document.model_dump(mode="json", by_alias=True, exclude={"webhook"}),
                event_id=event_id(render.id),
                now=now,
            )
            if render.webhook_events is not None and event.type not in render.webhook_events:
                # The workspace takes only some event types (PUT /v1/webhook): nothing to send for this one.
                self._store.settle_webhook(render.id, token, "skipped", 0, now)
                return
            try:
                url = open_url(self._sealer, render.workspace_id, shown, render.webhook_query_sealed)
            except PermissionError as exc:
                raise WebhookError(f"{exc}: set the webhook again", retryable=False) from None
            keys = self._secrets.signing(render.workspace_id, now)
            previous = keys.previous.get_secret_value() if keys.previous else None
            attempts = self._sender.send(url, keys.current.get_secret_value(), event, previous_secret=previous)
        except WebhookError as exc:
            failure = exc
        except WebhookSecretError as exc:
            failure = WebhookError(exc.reason, retryable=exc.retryable)
        except Exception as exc:  # a bug must release the claim, never strand it in "sending"
            logger.exception("Unexpected webhook failure", extra={"render_id": render.id})
            failure = WebhookError(f"{type(exc).__name__}: internal error", retryable=True)
        else:
            if self._store.settle_webhook(render.id, token, "sent", attempts, self._clock()):
                report.webhooks_sent += 1
                telemetry.webhook_finished("sent", attempts)
                logger.info("Webhook sent", extra={"url": redact(shown), "type": event.type, "attempts": attempts})
            return
        self._record_failure(render, token, failure, report)

    def _record_failure(self, render: RenderRecord, token: str, failure: WebhookError, report: DeliveryReport) -> None:
        now = self._clock()
        expired = now - render.created_at >= self._policy.give_up_after
        final = not failure.retryable or expired
        if final:
            hours = self._policy.give_up_after.total_seconds() / 3600
            reason = failure.reason if not failure.retryable else f"gave up after {hours:g} hours: {failure.reason}"
            settled = self._store.settle_webhook(render.id, token, "failed", failure.attempts, now, error=reason)
        else:
            backoff = min(self._policy.backoff_cap, self._policy.backoff_base * 2 ** max(0, render.webhook_claims - 1))
            settled = self._store.settle_webhook(
                render.id,
                token,
                "pending",
                failure.attempts,
                now,
                error=failure.reason,
                next_at=now + timedelta(seconds=failure.retry_after or 0),
                look_again_at=now + backoff,
            )
        if not settled:
            return  # the lease ran out and another worker took over: it records its own outcome
        if final:
            report.webhooks_failed += 1
            telemetry.webhook_finished("failed", failure.attempts)
        else:
            report.webhooks_retrying += 1
            telemetry.webhook_finished("retrying", failure.attempts)
        logger.warning(
            "Webhook not sent",
            extra={
                "url": redact(render.webhook_url or ""),
                "reason": failure.reason,
                "attempts": failure.attempts,
                "final": final,
            },
        )


def delivery_options(target: DeliveryTarget, content_type: str, key: str = "") -> DeliveryOptions:
    """The adapter's write options from a target's object options (the content type comes from the file)."""
    options = target.options
    return DeliveryOptions(
        content_type=options.content_type or content_type,
        content_disposition=content_disposition(options.content_disposition, key.rsplit("/", 1)[-1]),
        cache_control=options.cache_control,
        metadata=options.metadata or {},
        make_public=bool(options.make_public),
        acl=options.acl,
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
