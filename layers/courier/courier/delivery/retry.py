"""Retries and claims of one delivery: how often a destination is tried within an invocation, how long to wait
between tries, and how long a worker's claim on a delivery lasts.

The rule: nothing outlives the invocation. A retry is only started when the file can still be sent at the slowest
rate planned for (6 MB/s), and a claim is never longer than the time left; what remains goes to Lambda's own async
retry, then the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

# A crashed worker's claim frees itself after this; sized so that Lambda's first retry (about a minute later) can
# take over a small file, and a large one is not taken away from a live worker (5 GB in 15 minutes needs 6 MB/s).
LEASE_BASE_SECONDS = 45
MIN_THROUGHPUT_BYTES_PER_SECOND = 6 * 1024 * 1024


class DeliveryIncompleteError(Exception):
    """Some destinations (or the render's webhook) failed with a retryable error: failing the invocation lets Lambda
    retry the event."""


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

    def time_for(self, pause: float, size: int, remaining_seconds: Callable[[], float] | None) -> bool:
        """Is there time to wait and send the file again within this invocation (at the slowest planned rate)?"""
        if remaining_seconds is None:
            return True
        needed = pause + LEASE_BASE_SECONDS / 3 + size / MIN_THROUGHPUT_BYTES_PER_SECOND
        return remaining_seconds() > needed

    def lease_for(self, size: int, remaining_seconds: Callable[[], float] | None, longest: timedelta) -> timedelta:
        """Long enough for this file's tries at the slowest rate we plan for, never longer than the invocation (nor
        than ``longest``)."""
        per_try = size / MIN_THROUGHPUT_BYTES_PER_SECOND + self.cap_seconds
        seconds = LEASE_BASE_SECONDS + self.tries * per_try
        if remaining_seconds is not None:
            seconds = min(seconds, remaining_seconds() + 5)
        return timedelta(seconds=min(seconds, longest.total_seconds()))
