"""What one delivery run did: counts of outcomes, added up across the files of an invocation.

The deliver function fails its invocation (so Lambda retries the event) from these counts alone: any delivery left
``retrying``, any retryable one ``exhausted``, or any follow-up such as the render's webhook left ``webhooks_retrying``.
Outcome listeners (``courier.delivery.outcomes``) count their own outcomes into the same report.
"""

from __future__ import annotations

from dataclasses import dataclass


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
