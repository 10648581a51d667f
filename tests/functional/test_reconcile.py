"""Nothing lost: the reconciler re-drives deliveries left pending (a dropped event), operators redrive failed
ones (one render, or what the dead-letter queue holds), through `python -m courier_tools.ops` and the schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from courier.persistence.store import Store
from courier.platform import aws
from courier_tools.local.stack import FakeContext
from tests.conftest import load_event
from tests.functional.conftest import TABLE
from tests.functional.test_deliver_handler import stage_render_for


@pytest.fixture
def staged(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> object:
    """A render whose staged file's S3 event never arrived (as when the async queue drops it)."""
    key = stage_render_for(load_event("deliver.s3.encoded-key.json")["Records"][0]["s3"]["object"]["key"])
    monkeypatch.setenv("COURIER_RECONCILE_AFTER_SECONDS", "0")
    return key


def status(key: object) -> tuple[str, int]:
    [delivery] = Store(aws.table(TABLE)).list_deliveries(key.render_id, key.file_uuid)  # type: ignore[attr-defined]
    return delivery.status, delivery.attempts


def test_the_schedule_redrives_a_delivery_whose_event_was_lost(staged: object) -> None:
    import deliver_handler

    # Given a pending delivery nobody was told about
    assert status(staged) == ("pending", 0)
    # When the reconcile schedule fires
    report = deliver_handler.lambda_handler({"source": "render-courier.reconcile"}, FakeContext("DeliverFunction", 900))
    # Then it is delivered, and a final delivery leaves the pending index
    assert report["delivered"] == 1 and status(staged) == ("success", 1)
    assert Store(aws.table(TABLE)).stale_deliveries(datetime.now(UTC) + timedelta(days=1)) == []


def test_recent_pending_deliveries_are_left_to_their_event(staged: object) -> None:
    from courier.wiring import delivery_service

    report = delivery_service().reconcile(datetime.now(UTC) - timedelta(minutes=15))
    assert report.delivered == 0 and status(staged) == ("pending", 0)


def test_an_operator_redrives_a_render_after_fixing_the_cause(aws_env: None) -> None:
    import deliver_handler
    from courier_tools.ops import main

    # Given a delivery that failed for good (the bucket did not exist)
    event = load_event("deliver.s3.encoded-key.json")
    key = stage_render_for(event["Records"][0]["s3"]["object"]["key"], "late-bucket", destination_bucket_exists=False)
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    assert status(key)[0] == "error"
    # When the customer creates the bucket and an operator redrives the render
    boto3.client("s3").create_bucket(Bucket="late-bucket")
    assert main(["redrive", "--render", key.render_id]) == 0
    # Then it is delivered, its earlier attempt kept in the count
    assert status(key) == ("success", 2)


def test_dead_lettered_events_are_redriven_and_removed_from_the_queue(
    aws_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import deliver_handler
    from courier_tools.ops import main

    # Given an event that exhausted its retries, in the DLQ as Lambda's on-failure destination writes it
    event = load_event("deliver.s3.encoded-key.json")
    key = stage_render_for(event["Records"][0]["s3"]["object"]["key"], "dlq-bucket", destination_bucket_exists=False)
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="deliveries-dlq")["QueueUrl"]
    sqs.send_message(
        QueueUrl=queue,
        MessageBody=json.dumps({"requestContext": {"condition": "RetriesExhausted"}, "requestPayload": event}),
    )
    boto3.client("s3").create_bucket(Bucket="dlq-bucket")
    # When an operator looks first, then redrives
    assert main(["redrive", "--dlq-url", queue, "--dry-run"]) == 0
    assert status(key)[0] == "error" and "1 staged file(s)" in capsys.readouterr().out
    assert main(["redrive", "--dlq-url", queue]) == 0
    # Then the delivery succeeded and the message is gone
    assert status(key)[0] == "success"
    assert not sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0).get("Messages")


def test_a_message_is_kept_while_its_delivery_still_fails(aws_env: None) -> None:
    import deliver_handler
    from courier_tools.ops import main

    event = load_event("deliver.s3.encoded-key.json")
    key = stage_render_for(event["Records"][0]["s3"]["object"]["key"], "never-bucket", destination_bucket_exists=False)
    deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="deliveries-dlq-2")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"requestPayload": event}))
    # The bucket still does not exist: the redrive fails again, says so, and the message stays for later
    assert main(["redrive", "--dlq-url", queue]) == 1
    assert status(key)[0] == "error"


def test_the_schedule_sends_a_webhook_whose_invocations_all_failed(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After Lambda's retries the event is in the DLQ; the reconciler still sends the webhook (nothing lost)."""
    import deliver_handler
    from courier.webhooks.secrets import WebhookSecrets

    # Given a render with a webhook whose endpoint was down for every try of its event
    event = load_event("deliver.s3.encoded-key.json")
    key = stage_render_for(event["Records"][0]["s3"]["object"]["key"])
    WebhookSecrets("courier/", client=boto3.client("secretsmanager")).create(key.workspace_id)
    aws.table(TABLE).update_item(
        Key={"pk": f"RENDER#{key.render_id}", "sk": "RENDER"},
        UpdateExpression="SET webhook_url = :url, webhook_state = :pending, webhook_next_at = :now, "
        "pending = :p, pending_since = :now",
        ExpressionAttributeValues={
            ":url": "https://93.184.216.34/hooks?token=CANARY",
            ":pending": "pending",
            ":now": datetime.now(UTC).isoformat(),
            ":p": "webhook",
        },
    )
    answers = [503]
    posts: list[bytes] = []

    def endpoint(checked: object, body: bytes, headers: object, timeout: float, **_: object) -> tuple[int, dict]:  # type: ignore[type-arg]
        posts.append(body)
        return answers[0], {}

    monkeypatch.setattr("courier.webhooks.sender.post", endpoint)
    monkeypatch.setattr("courier.webhooks.sender.WebhookSender._backoff", lambda self, attempt: 0.0)  # no waiting here
    for _ in range(3):  # the first try and Lambda's two retries
        with pytest.raises(Exception, match="webhooks will be retried"):
            deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))
    assert status(key) == ("success", 1) and len(posts) == 15
    # When the endpoint is back and the schedule fires (after the backoff)
    answers[0] = 200
    aws.table(TABLE).update_item(
        Key={"pk": f"RENDER#{key.render_id}", "sk": "RENDER"},
        UpdateExpression="SET pending_since = :then",
        ExpressionAttributeValues={":then": "2000-01-01T00:00:00+00:00"},
    )
    report = deliver_handler.lambda_handler({"source": "render-courier.reconcile"}, FakeContext("DeliverFunction", 900))
    # Then the webhook is sent, and the render leaves the pending index
    assert report["webhooks_sent"] == 1 and len(posts) == 16
    found = Store(aws.table(TABLE)).get_render(key.render_id)
    assert found is not None and found[0].webhook_state == "sent"
    assert Store(aws.table(TABLE)).stale_webhooks(datetime.now(UTC) + timedelta(days=1)) == []
