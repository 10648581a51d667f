"""The port through which delivery outcomes feed what follows them (the render's webhook), so the delivery loop
never calls that work itself and ``courier.delivery`` imports nothing of it.

``DeliveryService`` tells its listener three things, at fixed points: a staged file's deliveries have each been tried
(on every S3 event, duplicates included: a worker may have crashed just before following up), the reconciler's turn
has come, and an operator redrives a whole render. The listener decides for itself whether the render is final and
counts its own outcomes in the ``DeliveryReport``; it never raises for a failed follow-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from courier.delivery.report import DeliveryReport
from courier.records import RenderRecord


class OutcomeListener(Protocol):
    def file_settled(
        self, render: RenderRecord, report: DeliveryReport, remaining_seconds: Callable[[], float] | None
    ) -> None:
        """A staged file of ``render`` (as read before its deliveries) has had each of its deliveries tried.
        ``remaining_seconds`` is the invocation's time left (None: no limit)."""

    def reconcile(
        self, older_than: datetime, report: DeliveryReport, remaining_seconds: Callable[[], float] | None
    ) -> None:
        """The reconciler ran (after re-driving stale deliveries): follow up on renders left unfinished since before
        ``older_than``, stopping while some time is left."""

    def redriven(self, render: RenderRecord) -> None:
        """An operator redrives every failed delivery of ``render``: a follow-up that failed for good is due again.
        Called before the render's files are delivered again."""
