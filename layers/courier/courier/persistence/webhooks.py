"""A render's webhook on its RENDER item: claimed by one worker at a time under a lease, settled as sent, failed or
pending again (a retryable failure, with the earliest next try).

Until sent or failed the render stays in the Pending index (WEBHOOK_PENDING): the reconciler sends what no deliver
invocation did (stale_webhooks), and an operator's redrive makes a failed one pending again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from courier.persistence.lease import Lease
from courier.persistence.table import WEBHOOK_PENDING, Repository, if_condition, render_key, text
from courier.records import RenderRecord

LEASE = Lease(until="webhook_lease_until", holder="webhook_lease_token", claims="webhook_claims")


class Webhooks(Repository):
    def claim_webhook(self, render_id: str, token: str, lease: timedelta, now: datetime) -> RenderRecord | None:
        """Take the render's webhook for this worker: pending and due, or sending under a lease that ran out.

        None when it is sent, failed, held by a live worker, or not due yet (a Retry-After). The conditional
        write is what makes concurrent deliver invocations send it once.
        """
        item = LEASE.claim(
            self._table,
            render_key(render_id),
            token,
            lease,
            now,
            claimable=(Attr("webhook_state").eq("pending") & Attr("webhook_next_at").lte(now.isoformat()))
            | (Attr("webhook_state").eq("sending") & LEASE.expired(now)),
            assignments=["webhook_state = :sending"],
            values={":sending": "sending"},
        )
        return RenderRecord.model_validate(item) if item is not None else None

    def settle_webhook(
        self,
        render_id: str,
        token: str,
        state: str,
        attempts: int,
        now: datetime,
        error: str | None = None,
        next_at: datetime | None = None,
        look_again_at: datetime | None = None,
    ) -> bool:
        """Record a send's outcome and drop the claim; False if the lease was lost meanwhile (another worker took
        over and records its own outcome).

        ``sent`` / ``failed`` leave the Pending index. ``pending`` (a retryable failure) stays in it: ``next_at`` is
        the earliest next try, ``look_again_at`` when the reconciler starts looking at it again.
        """
        values: dict[str, Any] = {":state": state, ":attempts": attempts, ":zero": 0}
        assignments = [
            "webhook_state = :state",
            "webhook_attempts = if_not_exists(webhook_attempts, :zero) + :attempts",
        ]
        removals: list[str] = []
        if state == "sent":
            assignments.append("webhook_sent_at = :now")
            values[":now"] = now.isoformat()
            removals.append("webhook_error")
        else:
            assignments.append("webhook_error = :error")
            values[":error"] = error
        if state == "pending":
            assignments += ["webhook_next_at = :next", "pending_since = :again"]
            values[":next"] = (next_at or now).isoformat()
            values[":again"] = (look_again_at or now).isoformat()
        else:
            removals.append("pending")
        return LEASE.settle(self._table, render_key(render_id), token, assignments, values, removals)

    def stale_webhooks(self, older_than: datetime, limit: int = 500) -> list[str]:
        """Ids of renders whose webhook is neither sent nor failed, looked at last before ``older_than``."""
        answer = self._table.query(
            IndexName="Pending",
            KeyConditionExpression=Key("pending").eq(WEBHOOK_PENDING) & Key("pending_since").lt(older_than.isoformat()),
            Limit=limit,
        )
        return [text(item, "pk").removeprefix("RENDER#") for item in answer.get("Items", [])]

    def reopen_webhook(self, render_id: str, now: datetime) -> bool:
        """Make a failed webhook pending again (an operator's redrive, once the endpoint is fixed)."""
        answer = if_condition(
            self._table.update_item,
            Key=render_key(render_id),
            UpdateExpression="SET webhook_state = :pending, webhook_next_at = :now, pending = :p, pending_since = :now",
            ConditionExpression=Attr("webhook_state").eq("failed"),
            ExpressionAttributeValues={":pending": "pending", ":now": now.isoformat(), ":p": WEBHOOK_PENDING},
        )
        return answer is not None
