"""Dead letters the deliver function writes itself, for failures Lambda would not dead-letter.

A permanent error is recorded at once and its invocation succeeds, so Lambda never sends its event to the
dead-letter queue: the service writes the letter instead, in the shape of Lambda's on-failure record, so that
``courier_tools.ops redrive`` treats both alike. Writing a letter never fails a delivery: the failure is recorded and
visible in the API either way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from aws_lambda_powertools import Logger

from courier.records import DeliveryRecord

if TYPE_CHECKING:
    from types_boto3_sqs.client import SQSClient

logger = Logger(child=True)


class DeadLetters:
    """Writes one letter per permanently failed delivery to the queue at ``queue_url``: Lambda's on-failure record
    shape, its ``requestPayload`` an S3 event naming the staged file, plus the failed delivery under ``delivery``."""

    def __init__(self, sqs: SQSClient, queue_url: str, staging_bucket: str) -> None:
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
