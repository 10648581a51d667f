"""A render's webhook, sent by the deliver path once every destination is final (in-process DynamoDB and Secrets
Manager, an in-memory endpoint): once across duplicate events, retried through Lambda's retries and the reconciler,
final on a refusal, never logging the URL's query or the secret."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from courier.delivery.retry import DeliveryIncompleteError, RetryPolicy
from courier.delivery.service import DeliveryService
from courier.destinations.base import PermanentDeliveryError
from courier.net.policy import CheckedURL
from courier.persistence.store import Store
from courier.platform import aws
from courier.records import ConnectionRecord, DeliveryRecord, DeliveryTarget, RenderRecord, StagedFileRecord
from courier.renders.staging import StagingBucket, StagingKey
from courier.renders.status import event_id
from courier.secrets.credentials import CredentialReader
from courier.webhooks.notifier import WebhookNotifier, WebhookPolicy
from courier.webhooks.secrets import WebhookSecrets
from courier.webhooks.sender import WebhookSender
from courier.webhooks.signing import SIGNATURE_HEADER, verify
from tests.fakes.destinations import FakeDestination, FakeFactory
from tests.functional.conftest import STAGING, TABLE

BODY = b"rendered"
WORKSPACE = "ws1"
RENDER_ID = "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69"
FILES = ("c0ffee00-1234-4abc-8def-0123456789ab", "c0ffee00-1234-4abc-8def-0123456789ac")
PUBLIC = "93.184.216.34"
TOKEN = "CANARY-webhook-query-token"
URL = f"https://hooks.example.com/courier?token={TOKEN}"


def staged_key(index: int = 0) -> StagingKey:
    return StagingKey(WORKSPACE, RENDER_ID, FILES[index], f"card_page_{index + 1}.png")


@dataclass
class Endpoint:
    """The receiver: answers from a schedule (the last answer repeats), records every POST; ``hold`` blocks each
    POST until released (to put a second worker beside a send in progress)."""

    schedule: list[tuple[int, dict[str, str]]] = field(default_factory=lambda: [(200, {})])
    posts: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    hold: threading.Event | None = None
    entered: threading.Event = field(default_factory=threading.Event)

    def __call__(
        self, checked: CheckedURL, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, dict[str, str]]:
        self.entered.set()
        if self.hold is not None:
            self.hold.wait(10)
        self.posts.append((dict(headers), body))
        return self.schedule[min(len(self.posts) - 1, len(self.schedule) - 1)]

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.posts]


def answer(status: int, **headers: str) -> tuple[int, dict[str, str]]:
    return status, headers


@dataclass
class Clock:
    """The notifier's clock: real time, moved on by ``offset`` (a later Lambda retry, a later reconciler run)."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class World:
    store: Store
    secret: str
    endpoint: Endpoint
    clock: Clock
    destination: FakeDestination

    def service(
        self, policy: WebhookPolicy | None = None, resolver: Callable[[str, int], list[str]] | None = None
    ) -> DeliveryService:
        sender = WebhookSender(
            resolver=resolver or (lambda host, port: [PUBLIC]),
            transport=self.endpoint,
            sleep=lambda seconds: None,
            jitter=lambda: 0.5,
        )
        reader = WebhookSecrets("courier/", reader=CredentialReader(aws.client("secretsmanager"), max_age_seconds=0))
        staging = StagingBucket(aws.client("s3"), STAGING)
        notifier = WebhookNotifier(self.store, staging, reader, sender, policy or WebhookPolicy(), clock=self.clock)
        return DeliveryService(
            store=self.store,
            staging=staging,
            destinations=FakeFactory(self.destination),  # type: ignore[arg-type]
            max_attempts=3,
            lease=timedelta(seconds=900),
            retry=RetryPolicy(tries=1),
            sleep=lambda seconds: None,
            outcomes=notifier,
        )

    def render(self) -> RenderRecord:
        found = self.store.get_render(RENDER_ID)
        assert found is not None
        return found[0]

    def item(self) -> dict[str, Any]:
        return dict(aws.table(TABLE).get_item(Key={"pk": f"RENDER#{RENDER_ID}", "sk": "RENDER"})["Item"])


def seed(
    store: Store, *, files: int = 1, connections: int = 1, url: str | None = URL, age: timedelta = timedelta(0)
) -> None:
    created = datetime.now(UTC) - age
    staged = []
    for index in range(files):
        key = staged_key(index)
        boto3.client("s3").put_object(Bucket=STAGING, Key=str(key), Body=BODY)
        staged.append(
            StagedFileRecord(
                uuid=key.file_uuid,
                page=index + 1,
                key=str(key),
                filename=key.filename,
                content_type="image/png",
                size=len(BODY),
                checksum=f"sha256:{hashlib.sha256(BODY).hexdigest()}",
            )
        )
    render = RenderRecord(
        id=RENDER_ID,
        workspace_id=WORKSPACE,
        template_id="social-card",
        format="png",
        response_type="url",
        created_at=created,
        response_time="0.1s",
        files=staged,
        connections=[
            ConnectionRecord(index=i, provider="s3", storage=f"main{i}", status="pending") for i in range(connections)
        ],
        webhook_url=url,
        webhook_state="pending" if url else None,
        webhook_next_at=created if url else None,
    )
    target = DeliveryTarget(provider="s3", storage="main", bucket="b", region="us-east-1", auth_type="policy")
    deliveries = [
        DeliveryRecord(
            render_id=RENDER_ID, file_uuid=f.uuid, connection=c, page=f.page, key=f"out/{c}/{f.filename}", target=target
        )
        for f in staged
        for c in range(connections)
    ]
    store.create_render(render, deliveries)


@pytest.fixture
def world(aws_env: None) -> Iterator[World]:
    store = Store(aws.table(TABLE))
    secret, _ = WebhookSecrets("courier/", client=boto3.client("secretsmanager")).create(WORKSPACE)
    yield World(store, secret.get_secret_value(), Endpoint(), Clock(), FakeDestination())


def deliver(service: DeliveryService, *indexes: int) -> Any:
    return service.deliver_keys([str(staged_key(i)) for i in indexes or (0,)], lambda: 900.0)


# --- sent once ----------------------------------------------------------------------------------------------------


def test_the_last_delivery_sends_one_signed_event_with_the_status_document(world: World) -> None:
    # Given a render with one file and one destination, and a webhook
    seed(world.store)
    # When its staged file's event is delivered
    report = deliver(world.service())
    # Then one POST went out, signed with the workspace's secret, carrying the status document
    assert report.delivered == 1 and report.webhooks_sent == 1
    [(headers, body)] = world.endpoint.posts
    assert verify(world.secret, headers[SIGNATURE_HEADER], body)
    event = json.loads(body)
    assert event["id"] == event_id(RENDER_ID) == headers["X-Courier-Event-Id"]
    assert event["type"] == "render.delivered"
    render = event["render"]
    assert render["id"] == RENDER_ID and render["status"] == "completed" and "webhook" not in render
    assert [c["status"] for c in render["connections"]] == ["success"]
    assert render["data"]["content"].startswith("https://")
    # And the render records it as sent
    record = world.render()
    assert (record.webhook_state, record.webhook_attempts, record.webhook_error) == ("sent", 1, None)
    assert record.webhook_sent_at is not None and "pending" not in world.item()


def test_duplicate_events_while_a_send_is_in_progress_post_once(world: World) -> None:
    # Given a worker that is inside its POST (it holds the claim)
    seed(world.store)
    hold = threading.Event()
    world.endpoint.hold = hold
    service = world.service()
    errors: list[BaseException] = []

    def first_worker() -> None:
        try:
            deliver(service)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    first = threading.Thread(target=first_worker)
    first.start()
    assert world.endpoint.entered.wait(10)
    # When duplicates of the event arrive meanwhile (moto's conditions are not atomic across threads, so they run
    # while the first is provably inside its POST, as DynamoDB's atomic conditional write would see it)
    for _ in range(2):
        duplicate = deliver(service)
        # Then they deliver nothing again, send nothing, and do not fail (the holder or the reconciler finishes)
        assert (duplicate.delivered, duplicate.skipped, duplicate.webhooks_sent) == (0, 1, 0)
    hold.set()
    first.join(10)
    assert not errors
    # And exactly one POST was made, and later duplicates find it sent
    assert len(world.endpoint.posts) == 1 and world.render().webhook_state == "sent"
    assert deliver(service).webhooks_sent == 0 and len(world.endpoint.posts) == 1


def test_each_file_event_of_a_multi_page_render_sends_nothing_until_the_last(world: World) -> None:
    # Given two pages to two destinations each
    seed(world.store, files=2, connections=2)
    service = world.service()
    # When the first page's event is delivered, the render is not final: no POST
    assert deliver(service, 0).webhooks_sent == 0 and world.endpoint.posts == []
    # When the second's is, one POST; and both events again send nothing more
    assert deliver(service, 1).webhooks_sent == 1
    assert deliver(service, 0, 1).webhooks_sent == 0
    assert len(world.endpoint.posts) == 1
    render = world.endpoint.events()[0]["render"]
    assert [len(c["files"]) for c in render["connections"]] == [2, 2]


def test_a_failed_destination_makes_a_render_failed_event(world: World) -> None:
    seed(world.store)
    world.destination.failures.append(PermanentDeliveryError("NoSuchBucket: gone"))
    report = deliver(world.service())
    assert report.failed == 1 and report.webhooks_sent == 1
    [event] = world.endpoint.events()
    assert event["type"] == "render.failed"
    assert event["render"]["connections"][0]["error"] == "NoSuchBucket: gone"


def test_a_render_without_destinations_sends_from_its_first_file_event(world: World) -> None:
    # Given a render whose request had "connections": [] (nothing to deliver)
    seed(world.store, connections=0)
    # When its staged file's event arrives
    report = deliver(world.service())
    # Then the event is sent at once, as delivered, with no connections
    assert report.webhooks_sent == 1
    [event] = world.endpoint.events()
    assert event["type"] == "render.delivered" and event["render"]["connections"] == []


def test_a_render_without_a_webhook_touches_no_webhook_state(world: World) -> None:
    seed(world.store, url=None)
    report = deliver(world.service())
    assert report.delivered == 1 and report.webhooks_sent == 0 and world.endpoint.posts == []
    assert "pending" not in world.item()


# --- retried ------------------------------------------------------------------------------------------------------


def test_a_retryable_failure_fails_the_invocation_and_lambdas_retry_sends_it(world: World) -> None:
    # Given an endpoint that answers 503 to the sender's five tries, then 200
    seed(world.store)
    world.endpoint.schedule = [*[answer(503)] * 5, answer(200)]
    service = world.service()
    # When the event is delivered
    with pytest.raises(DeliveryIncompleteError, match="1 webhooks will be retried"):
        deliver(service)
    # Then the delivery is done, the webhook pending again with the reason, and its claim released
    record = world.render()
    assert (record.webhook_state, record.webhook_attempts) == ("pending", 5)
    assert record.webhook_error is not None and record.webhook_error.startswith("https://hooks.example.com/courier")
    assert "webhook_lease_token" not in world.item() and world.item()["pending"] == "webhook"
    # When Lambda retries the event: the delivery is skipped, the webhook sent
    report = deliver(service)
    assert (report.delivered, report.skipped, report.webhooks_sent) == (0, 1, 1)
    record = world.render()
    assert (record.webhook_state, record.webhook_attempts, record.webhook_error) == ("sent", 6, None)
    # And every try carried the same event id and body
    assert len({headers["X-Courier-Event-Id"] for headers, _ in world.endpoint.posts}) == 1


def test_a_long_retry_after_is_honoured_before_the_next_try(world: World) -> None:
    # Given an endpoint that asks to wait ten minutes
    seed(world.store)
    world.endpoint.schedule = [(429, {"retry-after": "600"}), (200, {})]
    service = world.service()
    with pytest.raises(DeliveryIncompleteError):
        deliver(service)
    assert len(world.endpoint.posts) == 1
    # When Lambda's retry comes a minute later, it is not due: no POST, and the invocation does not fail
    world.clock.offset += timedelta(minutes=1)
    report = deliver(service)
    assert report.webhooks_sent == 0 and report.webhooks_retrying == 0 and len(world.endpoint.posts) == 1
    # When the reconciler looks after the wait, it is sent
    world.clock.offset += timedelta(minutes=10)
    report = service.reconcile(datetime.now(UTC) + timedelta(hours=1))
    assert report.webhooks_sent == 1 and len(world.endpoint.posts) == 2


def test_a_retryable_failure_becomes_final_after_the_retry_period(world: World) -> None:
    seed(world.store, age=timedelta(hours=73))
    world.endpoint.schedule = [(503, {})]
    report = deliver(world.service())
    assert report.webhooks_failed == 1 and report.webhooks_retrying == 0
    record = world.render()
    assert record.webhook_state == "failed" and record.webhook_error is not None
    assert record.webhook_error.startswith("gave up after 72 hours: ")


# --- final --------------------------------------------------------------------------------------------------------


def test_a_refusal_is_recorded_and_not_retried(world: World) -> None:
    # Given an endpoint that answers 410 Gone
    seed(world.store)
    world.endpoint.schedule = [(410, {})]
    service = world.service()
    # When the event is delivered, the invocation succeeds (nothing to retry) and the refusal is recorded
    report = deliver(service)
    assert report.webhooks_failed == 1 and len(world.endpoint.posts) == 1
    record = world.render()
    assert record.webhook_state == "failed"
    assert record.webhook_error == "https://hooks.example.com/courier refused the event (410)"
    assert "pending" not in world.item()
    # And neither a duplicate event nor the reconciler sends it again
    deliver(service)
    service.reconcile(datetime.now(UTC) + timedelta(days=1))
    assert len(world.endpoint.posts) == 1


def test_a_url_that_resolves_to_a_private_address_is_refused_without_a_request(world: World) -> None:
    seed(world.store)
    report = deliver(world.service(resolver=lambda host, port: ["10.0.0.7"]))
    assert report.webhooks_failed == 1 and world.endpoint.posts == []
    record = world.render()
    assert record.webhook_state == "failed" and record.webhook_attempts == 1  # tries: the refused one counts
    assert record.webhook_error is not None and "private address" in record.webhook_error


def test_a_workspace_without_a_secret_is_a_recorded_failure(world: World) -> None:
    boto3.client("secretsmanager").delete_secret(SecretId="courier/ws1/webhook", ForceDeleteWithoutRecovery=True)
    seed(world.store)
    report = deliver(world.service())
    assert report.webhooks_failed == 1 and world.endpoint.posts == []
    assert "no webhook secret" in (world.render().webhook_error or "")


def test_an_operator_redrive_sends_a_failed_webhook_again(world: World) -> None:
    seed(world.store)
    world.endpoint.schedule = [(404, {}), (200, {})]
    service = world.service()
    deliver(service)
    assert world.render().webhook_state == "failed"
    # When the endpoint is fixed and an operator redrives the render
    report = service.redrive(RENDER_ID)
    # Then it is sent, with the same event id
    assert report.webhooks_sent == 1 and world.render().webhook_state == "sent"
    assert [e["id"] for e in world.endpoint.events()] == [event_id(RENDER_ID)] * 2


# --- nothing lost -------------------------------------------------------------------------------------------------


def test_the_reconciler_sends_a_webhook_no_invocation_sent(world: World) -> None:
    # Given a render delivered by a worker that died before the send (here: one without webhooks wired)
    seed(world.store)
    with_webhooks = world.service()
    without = DeliveryService(
        store=world.store,
        staging=StagingBucket(aws.client("s3"), STAGING),
        destinations=FakeFactory(world.destination),  # type: ignore[arg-type]
        max_attempts=3,
        lease=timedelta(seconds=900),
    )
    assert deliver(without).delivered == 1 and world.endpoint.posts == []
    # When the reconciler runs before the threshold, it leaves the render to its events
    assert with_webhooks.reconcile(datetime.now(UTC) - timedelta(minutes=15)).webhooks_sent == 0
    # When it runs after the threshold, it sends the webhook, once
    report = with_webhooks.reconcile(datetime.now(UTC) + timedelta(seconds=1))
    assert report.webhooks_sent == 1 and len(world.endpoint.posts) == 1
    assert with_webhooks.reconcile(datetime.now(UTC) + timedelta(days=1)).webhooks_sent == 0


def test_a_staging_clips_webhook_is_sent_by_its_last_files_event_not_before(world: World) -> None:
    # Given a clip of two files without destinations, recorded and uploading (staging): the second not there yet
    seed(world.store, files=2, connections=0)
    world.store.put_render(world.render().model_copy(update={"state": "staging"}))
    boto3.client("s3").delete_object(Bucket=STAGING, Key=str(staged_key(1)))
    service = world.service()
    # When its first file's event comes, nothing is sent
    deliver(service, 0)
    assert world.endpoint.posts == [] and world.render().state == "staging"
    # When the last one is uploaded and its event comes, the clip is rendered and its webhook goes, once
    boto3.client("s3").put_object(Bucket=STAGING, Key=str(staged_key(1)), Body=BODY)
    deliver(service, 1)
    deliver(service, 1)
    assert world.render().state is None and len(world.endpoint.posts) == 1


def test_the_reconciler_sends_the_webhook_of_a_staged_clip_whose_events_were_lost(world: World) -> None:
    # Given a clip whose file is uploaded but whose S3 event never came
    seed(world.store, connections=0)
    world.store.put_render(world.render().model_copy(update={"state": "staging"}))
    # When the reconciler runs: it finds the file there, ends the staging and sends the webhook
    report = world.service().reconcile(datetime.now(UTC) + timedelta(seconds=1))
    assert report.webhooks_sent == 1 and len(world.endpoint.posts) == 1
    assert world.render().state is None


def test_a_crashed_senders_claim_runs_out_and_the_reconciler_takes_over(world: World) -> None:
    # Given a final render whose sender claimed the webhook and died
    seed(world.store, connections=0)
    assert world.store.claim_webhook(RENDER_ID, "dead-worker", timedelta(seconds=120), datetime.now(UTC))
    service = world.service()
    # While its lease lasts, nobody else sends
    assert service.reconcile(datetime.now(UTC) + timedelta(seconds=1)).webhooks_sent == 0
    # After it ran out, the reconciler does
    world.clock.offset += timedelta(minutes=3)
    assert service.reconcile(datetime.now(UTC) + timedelta(seconds=1)).webhooks_sent == 1
    assert len(world.endpoint.posts) == 1 and world.render().webhook_claims == 2


def test_a_retryable_failure_backs_the_reconciler_off(world: World) -> None:
    seed(world.store)
    world.endpoint.schedule = [(500, {})]
    service = world.service()
    with pytest.raises(DeliveryIncompleteError):
        deliver(service)
    looked = datetime.fromisoformat(world.item()["pending_since"])
    # The first claim's failure: looked at again five minutes on (plus the reconciler's own threshold)
    assert timedelta(minutes=4) < looked - datetime.now(UTC) <= timedelta(minutes=5)
    assert service.reconcile(datetime.now(UTC)).webhooks_sent == 0  # not yet
    assert world.store.stale_webhooks(datetime.now(UTC) + timedelta(minutes=6)) == [RENDER_ID]


def test_too_little_time_left_hands_the_send_to_the_next_try(world: World) -> None:
    seed(world.store, connections=0)
    with pytest.raises(DeliveryIncompleteError):
        world.service().deliver_keys([str(staged_key())], lambda: 30.0)
    assert world.endpoint.posts == [] and world.render().webhook_state == "pending"


# --- secrets ------------------------------------------------------------------------------------------------------


def test_during_a_rotation_events_carry_both_signatures(world: World) -> None:
    seed(world.store, connections=0)
    client = boto3.client("secretsmanager")
    new = WebhookSecrets("courier/", client=client).rotate(WORKSPACE, datetime.now(UTC) + timedelta(hours=1))
    deliver(world.service())
    [(headers, body)] = world.endpoint.posts
    assert headers[SIGNATURE_HEADER].count("v1=") == 2
    assert verify(new.get_secret_value(), headers[SIGNATURE_HEADER], body)
    assert verify(world.secret, headers[SIGNATURE_HEADER], body)


def test_after_the_grace_period_only_the_new_secret_signs(world: World) -> None:
    seed(world.store, connections=0)
    client = boto3.client("secretsmanager")
    new = WebhookSecrets("courier/", client=client).rotate(WORKSPACE, datetime.now(UTC) - timedelta(seconds=1))
    deliver(world.service())
    [(headers, body)] = world.endpoint.posts
    assert headers[SIGNATURE_HEADER].count("v1=") == 1
    assert verify(new.get_secret_value(), headers[SIGNATURE_HEADER], body)
    assert not verify(world.secret, headers[SIGNATURE_HEADER], body)


def test_neither_the_secret_nor_the_urls_query_is_logged_or_recorded(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    seed(world.store)
    world.endpoint.schedule = [*[answer(503)] * 5, answer(403)]
    service = world.service()
    with pytest.raises(DeliveryIncompleteError):
        deliver(service)
    deliver(service)
    # Every log record, extras included
    text = repr([record.__dict__ for record in caplog.records])
    assert "Webhook not sent" in text and "https://hooks.example.com/courier" in text
    item = json.dumps(world.item(), default=str)
    for secret in (TOKEN, world.secret):
        assert secret not in text
        assert secret not in (world.render().webhook_error or "")
    assert world.secret not in item  # the URL (with its token) is kept, to be sent to; the secret never is


# --- metrics ------------------------------------------------------------------------------------------------------


@pytest.fixture
def webhook_metrics(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[[], list[dict[str, Any]]]:
    """Metrics on; each call flushes them and returns the webhook metrics of what was written since the last."""
    from courier.platform import telemetry

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    telemetry.metrics.clear_metrics()  # what earlier tests added and never flushed
    capsys.readouterr()

    def flushed() -> list[dict[str, Any]]:
        telemetry.metrics.flush_metrics()
        lines = capsys.readouterr().out.splitlines()
        documents = [json.loads(line) for line in lines if line.startswith("{") and '"_aws"' in line]
        return [{k: v for k, v in d.items() if k.startswith("Webhook")} for d in documents if "WebhookAttempts" in d]

    return flushed


def test_each_webhook_outcome_is_counted_with_its_attempts(
    world: World, webhook_metrics: Callable[[], list[dict[str, Any]]]
) -> None:
    seed(world.store)
    world.endpoint.schedule = [*[answer(503)] * 5, answer(200)]
    service = world.service()
    # When a send fails for now (five 503s), Then it is counted as retried after 5 attempts
    with pytest.raises(DeliveryIncompleteError):
        deliver(service)
    assert webhook_metrics() == [{"WebhookRetried": [1.0], "WebhookAttempts": [5.0]}]
    # When Lambda's retry sends it, Then it is counted as sent after 1
    deliver(service)
    assert webhook_metrics() == [{"WebhookSent": [1.0], "WebhookAttempts": [1.0]}]


def test_a_refused_webhook_is_counted_as_failed(
    world: World, webhook_metrics: Callable[[], list[dict[str, Any]]]
) -> None:
    seed(world.store)
    world.endpoint.schedule = [(410, {})]
    deliver(world.service())
    assert webhook_metrics() == [{"WebhookFailed": [1.0], "WebhookAttempts": [1.0]}]
