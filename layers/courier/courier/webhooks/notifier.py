"""The render's webhook, fed by delivery outcomes: sent once every destination of a render is final.

``WebhookNotifier`` is the ``courier.delivery.outcomes.OutcomeListener`` the deliver function wires into its
``DeliveryService``: told after each staged file's deliveries, on each reconciler run and on an operator's redrive, it
sends the event when the render has nothing pending any more. A render's webhook goes pending → sending (a leased
claim: one worker sends) → sent | failed | skipped, or back to pending after a retryable failure, which fails the
invocation (Lambda retries) and is looked at again by the reconciler with backoff until it gives up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aws_lambda_powertools import Logger

from courier.delivery.report import DeliveryReport
from courier.net.policy import redact
from courier.persistence.store import Store
from courier.platform import telemetry
from courier.records import DeliveryRecord, RenderRecord
from courier.renders.staging import StagingBucket
from courier.secrets.sealing import Sealer
from courier.secrets.webhook_urls import open_url
from courier.webhooks.secrets import WebhookSecretError, WebhookSecrets
from courier.webhooks.sender import WebhookError, WebhookSender

logger = Logger(child=True)


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

    def file_settled(
        self, render: RenderRecord, report: DeliveryReport, remaining_seconds: Callable[[], float] | None
    ) -> None:
        """Whoever finds every destination final sends the webhook (the claim lets one do it)."""
        if render.webhook_state in ("pending", "sending"):
            self.notify(render.id, report, remaining_seconds)

    def reconcile(
        self, older_than: datetime, report: DeliveryReport, remaining_seconds: Callable[[], float] | None
    ) -> None:
        """Send the webhooks of renders that are final but whose webhook is not sent (after the DLQ, a crash)."""
        for render_id in self._store.stale_webhooks(older_than):
            if remaining_seconds is not None and remaining_seconds() < 60:
                break
            self.notify(render_id, report, remaining_seconds)

    def redriven(self, render: RenderRecord) -> None:
        """A webhook that failed for good is sent again once the redriven deliveries are final (the endpoint was
        fixed)."""
        if render.webhook_state == "failed":
            self._store.reopen_webhook(render.id, datetime.now(UTC))

    def notify(
        self, render_id: str, report: DeliveryReport, remaining_seconds: Callable[[], float] | None = None
    ) -> None:
        found = self._store.get_render(render_id)
        if found is None:
            return
        render, deliveries = found
        if render.webhook_url is None or render.webhook_state not in ("pending", "sending"):
            return
        if render.state == "staging":  # its files' events normally end it; the reconciler may be here for a lost one
            from courier.renders.staged import settle_staging

            render = settle_staging(self._store, self._staging, render)
        if render.state in ("rendering", "staging"):
            return  # a clip not drawn or not all staged yet: the deliver function that stages its last file sends it
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
        # The status document and the event are built only when a webhook is sent: most renders have none, and a
        # deliver cold start does not pay for the answer models (~20 ms) it would not use.
        from courier.renders.status import event_id, status_document
        from courier.webhooks.events import event_for

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
