"""Clip jobs from the queue (SQS, one at a time) → draw, encode and stage the clip; its deliveries follow as for
stills. A job that fails for a reason drawing cannot fix is recorded failed; anything else is reported as the batch
item's failure, so SQS tries it again and then dead-letters it."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from courier.platform.telemetry import flushed, traced
from courier.renders.clips import ClipJob
from courier.wiring import clip_renderer

logger = Logger()


@traced
@flushed
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            job = ClipJob.from_json(record["body"])
            logger.set_correlation_id(job.render_id)
            clip_renderer().run(job)
        except Exception:
            logger.exception("Clip job failed", extra={"message_id": record.get("messageId")})
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}
