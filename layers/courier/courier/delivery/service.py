"""Delivery: fan a staged file out to every destination of its render, once each, recording every outcome.

The service decides which deliveries to attempt and when: the staged files S3 events name, the deliveries the
reconciler finds stale, the failed ones an operator redrives. Each delivery is then claimed, written and settled by
``courier.delivery.worker``. What follows the outcomes — the render's webhook — is done by an ``OutcomeListener``
(``courier.delivery.outcomes``) the service tells at fixed points, never from inside the delivery loop.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from courier.delivery.deadletters import DeadLetters
from courier.delivery.outcomes import OutcomeListener
from courier.delivery.report import DeliveryReport
from courier.delivery.retry import DeliveryIncompleteError, RetryPolicy
from courier.delivery.worker import DeliveryWorker
from courier.destinations.base import StagedFile
from courier.destinations.registry import DestinationFactory
from courier.persistence.store import Store
from courier.records import RenderRecord
from courier.renders.staged import settle_staging
from courier.renders.staging import StagingBucket, StagingKey

logger = Logger(child=True)


class DeliveryService:
    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        destinations: DestinationFactory,
        max_attempts: int,
        lease: timedelta,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen: one shared default is safe
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        outcomes: OutcomeListener | None = None,
        dead_letters: DeadLetters | None = None,
    ) -> None:
        self._store = store
        self._staging = staging
        self._worker = DeliveryWorker(store, destinations, max_attempts, lease, retry, sleep, rand, dead_letters)
        self._outcomes = outcomes

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
        let the outcome listener follow up: it sends the webhooks of renders that are final but whose webhook is not
        sent (after the DLQ, a crash).

        Never raises for a delivery or webhook that stays pending: the next scheduled run looks again.
        """
        report = DeliveryReport()
        for render_id, file_uuid in self._store.stale_deliveries(older_than):
            if remaining_seconds is not None and remaining_seconds() < 60:
                break  # the next run continues, oldest first
            self.deliver_staged(render_id, file_uuid, report, remaining_seconds)
        if self._outcomes is not None:
            self._outcomes.reconcile(older_than, report, remaining_seconds)
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
        whole render the outcome listener is told first, so a webhook that failed for good is sent again too (the
        endpoint was fixed)."""
        report = DeliveryReport()
        found = self._store.get_render(render_id)
        if found is None:
            return report
        render, deliveries = found
        for delivery in deliveries:
            if delivery.status == "error" and file_uuid in (None, delivery.file_uuid):
                self._store.reopen_delivery(delivery)
        if file_uuid is None and self._outcomes is not None:
            self._outcomes.redriven(render)
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
        if found is not None and found[0].state == "staging":  # a clip's files uploaded, their events maybe lost
            found = (settle_staging(self._store, self._staging, found[0]), found[1])
        if found is not None and found[0].state is not None:
            return  # a clip still rendering or staging (its files are not all there), or failed (they never will be)
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
        if render.state == "staging":  # a clip's file, uploaded: the last one makes the render readable as rendered
            render = self._store.file_staged(render.id, key.file_uuid) or render
        for delivery in deliveries:
            if delivery.file_uuid == key.file_uuid:
                self._worker.deliver(delivery, staged, report, render.workspace_id, remaining_seconds)
        # Told after every file, duplicate events too: a worker may have crashed between the last delivery and what
        # follows it (the listener finds out whether the render is final; a claim lets one worker act).
        if self._outcomes is not None:
            self._outcomes.file_settled(render, report, remaining_seconds)

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
