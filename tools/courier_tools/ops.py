"""`python -m courier_tools.ops`: operators' commands — redrive dead-lettered or failed deliveries (and a render's
failed webhook), reconcile now (pending deliveries and unsent webhooks).

Runs the same delivery code as DeliverFunction, with the operator's AWS credentials and the function's settings
(COURIER_TABLE_NAME, COURIER_STAGING_BUCKET, COURIER_DLQ_URL …, as in template.yaml). See docs/OPERATIONS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from courier.delivery.report import DeliveryReport
from courier.delivery.service import DeliveryService
from courier.platform import aws
from courier.platform.settings import deliver_settings
from courier.renders.staging import StagingKey
from courier.wiring import build_delivery_service

if TYPE_CHECKING:
    from types_boto3_sqs.client import SQSClient
    from types_boto3_sqs.type_defs import ReceiveMessageRequestTypeDef


def redrive_queue(
    service: DeliveryService, sqs: SQSClient, queue_url: str, limit: int, dry_run: bool
) -> DeliveryReport:
    """Replay dead-lettered delivery events: each staged file they name has its failed deliveries tried again (and
    its render's webhook sent, if it was not). A message is deleted only when nothing of it is left pending."""
    report = DeliveryReport()
    seen: set[str] = set()
    # A dry run leaves every message visible (and stops when it sees one again); a real run hides each while it works.
    request: ReceiveMessageRequestTypeDef = {"QueueUrl": queue_url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1}
    if dry_run:
        request["VisibilityTimeout"] = 0
    while len(seen) < limit:
        messages = sqs.receive_message(**request).get("Messages", [])
        fresh = [m for m in messages if m["MessageId"] not in seen]
        if not fresh:
            break
        for message in fresh:
            seen.add(message["MessageId"])
            keys = event_keys(json.loads(message["Body"]))
            print(f"message {message['MessageId']}: {len(keys)} staged file(s)")
            if dry_run:
                continue
            before = report.retrying + report.webhooks_retrying
            for key in keys:
                _redrive_key(service, key, report)
            if report.retrying + report.webhooks_retrying == before:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return report


def _redrive_key(service: DeliveryService, key: StagingKey, report: DeliveryReport) -> None:
    report.add(service.redrive(key.render_id, key.file_uuid))


def event_keys(body: dict[str, Any]) -> list[StagingKey]:
    """The staged files of a dead-lettered event: Lambda's on-failure record ({"requestPayload": <S3 event>}),
    or a plain S3 event (a queue used as a classic DLQ)."""
    event = body.get("requestPayload", body)
    keys = []
    for record in event.get("Records", []):
        try:
            keys.append(StagingKey.from_event_key(record["s3"]["object"]["key"]))
        except (KeyError, ValueError):
            continue
    return keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courier_tools.ops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    redrive = commands.add_parser("redrive", help="try failed deliveries again (from the DLQ, or of one render)")
    redrive.add_argument(
        "--render", metavar="ID", help="redrive this render's failed deliveries and failed webhook (not the DLQ)"
    )
    redrive.add_argument("--dlq-url", help="the dead-letter queue (default: $COURIER_DLQ_URL)")
    redrive.add_argument("--max", type=int, default=100, help="messages to handle at most (default 100)")
    redrive.add_argument("--dry-run", action="store_true", help="list what would be redriven, change nothing")
    reconcile = commands.add_parser(
        "reconcile", help="re-drive deliveries and webhooks pending longer than a threshold, now"
    )
    reconcile.add_argument("--older-than", type=int, metavar="SECONDS", help="default: the deployed threshold")
    args = parser.parse_args(argv)

    settings = deliver_settings()
    service = build_delivery_service(settings, dead_letters=False)
    if args.command == "reconcile":
        seconds = args.older_than if args.older_than is not None else settings.reconcile_after_seconds
        report = service.reconcile(datetime.now(UTC) - timedelta(seconds=seconds))
    elif args.render:
        report = DeliveryReport() if args.dry_run else service.redrive(args.render)
    else:
        queue_url = args.dlq_url or settings.dlq_url
        if not queue_url:
            parser.error("no dead-letter queue: give --dlq-url or set COURIER_DLQ_URL")
        report = redrive_queue(service, aws.client("sqs"), queue_url, args.max, args.dry_run)
    print(
        f"delivered {report.delivered}, failed {report.failed}, still pending {report.retrying}, "
        f"already done {report.skipped}; webhooks sent {report.webhooks_sent}, failed {report.webhooks_failed}, "
        f"still pending {report.webhooks_retrying}"
    )
    return 1 if report.failed or report.retrying or report.webhooks_failed or report.webhooks_retrying else 0


if __name__ == "__main__":
    sys.exit(main())
