"""S3 ObjectCreated events on the staging bucket → deliver each staged file to its render's destinations."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from courier.platform.settings import deliver_settings
from courier.platform.telemetry import flushed, traced
from courier.renders.staging import StagingKey
from courier.wiring import delivery_service

logger = Logger()
RECONCILE = "render-courier.reconcile"


@traced
@flushed
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    remaining = lambda: context.get_remaining_time_in_millis() / 1000  # noqa: E731
    if event.get("source") == RECONCILE:
        # The schedule in template.yaml: re-drive what the async event queue may have dropped.
        cutoff = datetime.now(UTC) - timedelta(seconds=deliver_settings().reconcile_after_seconds)
        return asdict(delivery_service().reconcile(cutoff, remaining))
    keys = event_keys(event)
    if keys:
        with contextlib.suppress(ValueError):  # not a staged file: the service logs and ignores it
            logger.set_correlation_id(StagingKey.from_event_key(keys[0]).render_id)
    # Raises when a delivery is still pending (retryable failure, or held by another worker): Lambda retries.
    report = delivery_service().deliver_keys(keys, remaining)
    return asdict(report)


def event_keys(event: dict[str, Any]) -> list[str]:
    """The objects an S3 notification names, their keys URL-encoded as S3 sends them (the service decodes them).
    s3:TestEvent (sent when notifications are configured) has none. Read here rather than with Powertools'
    S3Event, whose package imports every event class it has (~20 ms of each cold start)."""
    return [str(record["s3"]["object"]["key"]) for record in event.get("Records") or []]
