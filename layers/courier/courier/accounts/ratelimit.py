"""Per-workspace rate limit: a fixed-window counter in the table, one conditional UpdateItem per request."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from courier.errors import ApiError
from courier.persistence.table import conditional_failed

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table


class RateLimitedError(ApiError):
    """Too many requests for this workspace in the current window; answer 429 with ``Retry-After``."""

    status = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests for this workspace: retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class RateLimiter:
    """At most ``requests`` per ``window_seconds`` per workspace, counted across all containers.

    Each request is one conditional ``UpdateItem`` on ``RATE#<workspace>#<window start>``: the counter only
    moves while it is under the limit, so a refused request costs the write but never inflates the count.
    Items expire by TTL one window after their own. ``requests <= 0`` turns the limit off.
    Raises ``RateLimitedError``; other ``ClientError``s pass through.
    """

    def __init__(
        self, table: Table, requests: int, window_seconds: int = 60, clock: Callable[[], float] = time.time
    ) -> None:
        if window_seconds < 1:
            raise ValueError("window_seconds must be at least 1")
        self._table = table
        self._requests = requests
        self._window = window_seconds
        # Wall clock, not monotonic: every container must agree on where a window starts.
        self._clock = clock

    def hit(self, workspace_id: str) -> None:
        if self._requests <= 0:
            return
        now = self._clock()
        start = int(now // self._window) * self._window
        end = start + self._window
        try:
            self._table.update_item(
                Key={"pk": f"RATE#{workspace_id}#{start}", "sk": "RATE"},
                UpdateExpression="ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expires)",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues={":one": 1, ":limit": self._requests, ":expires": end + self._window},
            )
        except ClientError as exc:
            if conditional_failed(exc):
                raise RateLimitedError(max(1, math.ceil(end - now))) from None
            raise
