"""The Store's contract, run on both implementations: the real Store on moto's DynamoDB (the stack's table) and
tests/fakes/memory_store.MemoryStore, which the unit tests use instead. Same scenarios, same outcomes: what is
stored and read back, which conditional writes win, the listing's order and cursors, the Pending index's answers."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from botocore.exceptions import ClientError

from courier.accounts.keys import KeyRepository
from courier.persistence.store import Store
from courier.records import ConnectionRecord, DeliveryRecord, RenderRecord, StorageRecord, WorkspaceWebhookRecord
from courier.renders.staging import StagingKey
from tests.builders import square_template
from tests.fakes.memory_store import MemoryStore
from tests.records import one_file_render

LEASE = timedelta(seconds=60)
EXPIRED = timedelta(seconds=-1)  # a lease that has already run out


@dataclass
class Subject:
    store: Store
    new_workspace: Callable[[], str]  # a workspace as courier.accounts.keys creates it (not the Store's to write)


@pytest.fixture(params=["dynamodb", "memory"])
def subject(request: pytest.FixtureRequest) -> Subject:
    if request.param == "dynamodb":
        table = request.getfixturevalue("table")
        keys = KeyRepository(table)
        return Subject(Store(table), lambda: keys.create_workspace("acme")[0].workspace_id)
    memory = MemoryStore()

    def new_workspace() -> str:
        workspace_id = f"ws-{uuid.uuid4().hex[:12]}"
        memory.add_workspace(workspace_id)
        return workspace_id

    return Subject(cast(Store, memory), new_workspace)


def a_render(
    n: int,
    *,
    workspace: str = "ws1",
    age: timedelta = timedelta(hours=1),
    connections: int = 1,
    webhook: bool = False,
) -> tuple[RenderRecord, list[DeliveryRecord]]:
    """Render ``render-<n>`` of one staged file ``file-<n>``, accepted ``age`` ago, with ``connections`` deliveries
    (given newest connection first) and, if ``webhook``, a webhook pending since it was accepted."""
    key = StagingKey(workspace, f"render-{n}", f"file-{n}", "card.png")
    render, delivery = one_file_render(key, b"rendered", bucket="b", delivered_key=f"out/{n}/card.png")
    render = render.model_copy(
        update={
            "created_at": datetime.now(UTC) - age,
            "connections": [
                ConnectionRecord(index=i, provider="s3", storage=f"s{i}", status="pending") for i in range(connections)
            ],
            **({"webhook_url": "https://hooks.example.com/courier", "webhook_state": "pending"} if webhook else {}),
        }
    )
    deliveries = [delivery.model_copy(update={"connection": i}) for i in reversed(range(connections))]
    return render, deliveries


def created(store: Store, *renders: tuple[RenderRecord, list[DeliveryRecord]]) -> Store:
    for render, deliveries in renders:
        store.create_render(render, deliveries)
    return store


def delivery_of(store: Store, n: int, connection: int = 0) -> DeliveryRecord:
    found = store.get_delivery(f"render-{n}", f"file-{n}", connection)
    assert found is not None
    return found


def render_of(store: Store, n: int) -> RenderRecord:
    found = store.get_render(f"render-{n}")
    assert found is not None
    return found[0]


def a_storage(workspace: str, name: str) -> StorageRecord:
    at = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    return StorageRecord(
        workspace_id=workspace, name=name, provider="s3", bucket="b", auth_type="policy", created_at=at, updated_at=at
    )


def condition_failed(exc: pytest.ExceptionInfo[ClientError]) -> bool:
    return exc.value.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def test_memory_store_has_every_method_of_the_store_with_its_signature() -> None:
    public = [name for name in dir(Store) if not name.startswith("_")]
    differ = [n for n in public if inspect.signature(getattr(MemoryStore, n)) != inspect.signature(getattr(Store, n))]
    assert public and differ == []


# ---------------------------------------------------------------- workspaces, storages, OAuth states, templates


def test_storages_are_put_read_listed_by_name_noted_and_deleted(subject: Subject) -> None:
    store = subject.store
    for workspace, name in (("ws1", "zeta"), ("ws1", "alpha"), ("ws2", "other")):
        store.put_storage(a_storage(workspace, name))
    assert store.get_storage("ws1", "alpha") == a_storage("ws1", "alpha")
    assert store.get_storage("ws1", "other") is None
    assert [s.name for s in store.list_storages("ws1")] == ["alpha", "zeta"]
    # A final delivery is noted on the storage; never on one that does not exist (deleted meanwhile)
    at = datetime(2025, 2, 3, tzinfo=UTC)
    store.note_storage_delivery("ws1", "alpha", "error", at, "AccessDenied")
    store.note_storage_delivery("ws1", "gone", "success", at, None)
    noted = store.get_storage("ws1", "alpha")
    assert noted is not None and noted.last_delivery is not None
    assert (noted.last_delivery.at, noted.last_delivery.status, noted.last_delivery.error) == (
        at,
        "error",
        "AccessDenied",
    )
    assert store.get_storage("ws1", "gone") is None
    # Put again: replaced whole (its last delivery with it)
    store.put_storage(a_storage("ws1", "alpha"))
    assert store.get_storage("ws1", "alpha") == a_storage("ws1", "alpha")
    store.delete_storage("ws1", "alpha")
    store.delete_storage("ws1", "never-was")
    assert store.get_storage("ws1", "alpha") is None
    assert [s.name for s in store.list_storages("ws1")] == ["zeta"]


def test_an_oauth_state_is_stored_once_and_taken_once(subject: Subject) -> None:
    store = subject.store
    expires = datetime.now(UTC) + timedelta(minutes=15)
    data = {"workspace_id": "ws1", "storage": "box", "verifier": "v" * 20}
    store.put_oauth_state("hash1", data, expires)
    with pytest.raises(ClientError) as again:
        store.put_oauth_state("hash1", {"workspace_id": "ws2"}, expires)
    assert condition_failed(again)
    taken = store.take_oauth_state("hash1")
    assert taken is not None and taken["expires"] == expires
    assert {name: taken[name] for name in data} == data
    assert store.take_oauth_state("hash1") is None
    assert store.take_oauth_state("never-was") is None


def test_templates_are_put_read_listed_by_id_and_deleted(subject: Subject) -> None:
    store, now = subject.store, datetime.now(UTC)
    big, small = square_template(2, side=100), square_template(1, side=50).model_copy(update={"id": "a-small"})
    store.put_template("ws1", big, now)
    store.put_template("ws1", small, now)
    store.put_template("ws2", big.model_copy(update={"name": "Other"}), now)
    assert store.get_template("ws1", "big") == big
    assert [t.id for t in store.list_templates("ws1")] == ["a-small", "big"]
    store.put_template("ws1", big.model_copy(update={"name": "Renamed"}), now)
    renamed = store.get_template("ws1", "big")
    assert renamed is not None and renamed.name == "Renamed"
    store.delete_template("ws1", "big")
    assert store.get_template("ws1", "big") is None and [t.id for t in store.list_templates("ws1")] == ["a-small"]
    assert store.get_template("ws2", "big") is not None


def test_a_workspace_has_one_external_id_and_its_webhook_settings(subject: Subject) -> None:
    store = subject.store
    first, second = subject.new_workspace(), subject.new_workspace()
    external_id = store.workspace_external_id(first)
    assert re.fullmatch(r"rc-[0-9a-f]{32}", external_id)
    assert store.workspace_external_id(first) == external_id != store.workspace_external_id(second)
    assert store.workspace_webhook(first) == WorkspaceWebhookRecord(workspace_id=first)
    assert store.workspace_webhook("no-such-workspace") is None
    # Settings are written onto the workspace; None removes a setting
    settings = WorkspaceWebhookRecord(
        workspace_id=first, webhook_url="https://hooks.example.com/x", webhook_events=["render.delivered"]
    )
    store.put_workspace_webhook(settings)
    assert store.workspace_webhook(first) == settings
    store.put_workspace_webhook(settings.model_copy(update={"webhook_events": None}))
    assert store.workspace_webhook(first) == settings.model_copy(update={"webhook_events": None})
    assert store.workspace_external_id(first) == external_id  # kept beside the settings
    # ... and only onto a workspace that exists
    with pytest.raises(ClientError) as missing:
        store.put_workspace_webhook(WorkspaceWebhookRecord(workspace_id="no-such-workspace", webhook_url="https://x/"))
    assert condition_failed(missing) and store.workspace_webhook("no-such-workspace") is None


def test_asking_an_unknown_workspaces_external_id_creates_its_item(subject: Subject) -> None:
    # A quirk of the table's unconditional update, kept by the fake: the item then exists, with no settings
    external_id = subject.store.workspace_external_id("made-up")
    assert subject.store.workspace_webhook("made-up") == WorkspaceWebhookRecord(workspace_id="made-up")
    assert subject.store.workspace_external_id("made-up") == external_id


# ---------------------------------------------------------------- renders


def test_a_render_is_created_read_replaced_found_by_file_and_deleted(subject: Subject) -> None:
    render, deliveries = a_render(1, connections=3)
    store = created(subject.store, (render, deliveries))
    # Read back whole, its deliveries in (file, connection) order
    assert store.get_render("render-1") == (render, sorted(deliveries, key=lambda d: d.connection))
    assert store.get_render("no-such-render") is None
    assert [d.connection for d in store.list_deliveries("render-1", "file-1")] == [0, 1, 2]
    assert store.list_deliveries("render-1", "no-such-file") == []
    # A file is found by its UUID, only from its own workspace
    assert store.find_file("ws1", "file-1") == "render-1"
    assert store.find_file("ws2", "file-1") is None and store.find_file("ws1", "no-such-file") is None
    # Replacing the render item leaves its deliveries
    drawn = render.model_copy(update={"state": "failed", "warnings": []})
    store.put_render(drawn)
    assert store.get_render("render-1") == (drawn, sorted(deliveries, key=lambda d: d.connection))
    # Deleting removes the render, its deliveries and its file's pointer
    store.delete_render("render-1")
    assert store.get_render("render-1") is None and store.get_delivery("render-1", "file-1", 0) is None
    assert store.find_file("ws1", "file-1") is None
    store.delete_render("no-such-render")


def test_a_staging_clip_is_rendered_once_every_files_event_came(subject: Subject) -> None:
    render, _ = a_render(1, connections=0)
    second = render.files[0].model_copy(update={"uuid": "file-1b", "page": 2})
    staging = render.model_copy(update={"state": "staging", "files": [render.files[0], second]})
    store = created(subject.store, (staging, []))
    # One of two files staged: still staging (a copy of the same event changes nothing)
    for _ in range(2):
        noted = store.file_staged("render-1", "file-1")
        assert noted is not None and noted.state == "staging" and render_of(store, 1) == staging
    # The last one ends the state, on the table too
    done = store.file_staged("render-1", "file-1b")
    assert done == staging.model_copy(update={"state": None}) == render_of(store, 1)
    # Then (a late copy of an event) and for a render that is not staging: nothing to note
    assert store.file_staged("render-1", "file-1b") is None and render_of(store, 1).state is None
    assert store.file_staged("no-such-render", "file-1") is None
    rendering = a_render(2, connections=0)[0].model_copy(update={"state": "rendering"})
    created(store, (rendering, []))
    assert store.file_staged("render-2", "file-2") is None and render_of(store, 2).state == "rendering"
    # A render put again (a clip job tried again) starts over: the events noted before are forgotten
    created(store, (staging.model_copy(update={"id": "render-3"}), []))
    assert store.file_staged("render-3", "file-1") is not None
    store.put_render(staging.model_copy(update={"id": "render-3"}))
    assert store.file_staged("render-3", "file-1b").state == "staging"  # type: ignore[union-attr]


def test_renders_are_listed_newest_first_page_by_page(subject: Subject) -> None:
    store = created(
        subject.store,
        *(a_render(n, age=timedelta(minutes=n)) for n in (3, 1, 5, 2, 4)),
        a_render(9, workspace="ws2"),
    )
    first, cursor = store.list_render_ids("ws1", 2, None)
    assert first == ["render-1", "render-2"] and cursor is not None
    second, cursor = store.list_render_ids("ws1", 2, cursor)
    assert second == ["render-3", "render-4"] and cursor is not None
    assert store.list_render_ids("ws1", 2, cursor) == (["render-5"], None)
    assert store.list_render_ids("ws1", 5, None) == ([f"render-{n}" for n in (1, 2, 3, 4, 5)], None)
    assert store.list_render_ids("ws3", 5, None) == ([], None)
    with pytest.raises(ValueError, match="not a listing key"):
        store.list_render_ids("ws1", 2, "STORAGE#main")
    # A deleted render's listing pointer stays (until it expires): readers skip ids whose render is gone
    store.delete_render("render-1")
    assert store.list_render_ids("ws1", 1, None)[0] == ["render-1"]


def test_a_connection_is_added_once_with_its_delivery(subject: Subject) -> None:
    render, deliveries = a_render(1)
    store = created(subject.store, (render, deliveries))
    copy = ConnectionRecord(index=1, provider="s3", storage="copy", status="pending")
    added = deliveries[0].model_copy(update={"connection": 1, "key": "copies/card.png"})
    assert store.add_delivery(render, copy, added)
    assert render_of(store, 1).connections == [*render.connections, copy]
    assert delivery_of(store, 1, 1) == added
    # The same index again (another copy of the render got there first): neither write happens
    assert not store.add_delivery(render, copy, added.model_copy(update={"key": "late/card.png"}))
    assert len(render_of(store, 1).connections) == 2 and delivery_of(store, 1, 1).key == "copies/card.png"
    # A free index but a delivery that already exists: neither write happens either
    assert not store.add_delivery(render, copy.model_copy(update={"index": 2}), deliveries[0])
    assert len(render_of(store, 1).connections) == 2
    # No such render
    assert not store.add_delivery(render.model_copy(update={"id": "render-0"}), copy, added)
    assert store.get_render("render-0") is None


# ---------------------------------------------------------------- deliveries


def test_a_delivery_is_claimed_by_one_worker_until_its_lease_runs_out(subject: Subject) -> None:
    store = created(subject.store, a_render(1))
    delivery = delivery_of(store, 1)
    claimed = store.claim_delivery(delivery, "worker-a", EXPIRED)
    assert claimed is not None and (claimed.status, claimed.invocations) == ("pending", 1)
    assert claimed.updated_at is not None and delivery_of(store, 1) == claimed
    # Its lease ran out: another worker takes it over, and holds it
    taken = store.claim_delivery(delivery, "worker-b", LEASE)
    assert taken is not None and taken.invocations == 2
    assert store.claim_delivery(delivery, "worker-c", LEASE) is None
    # The first worker's outcome is lost; the holder's is recorded
    done = taken.model_copy(
        update={"status": "success", "attempts": 1, "size": 8, "etag": "e", "delivered_at": taken.updated_at}
    )
    assert not store.settle_delivery(done.model_copy(update={"status": "error", "error": "late"}), "worker-a")
    assert delivery_of(store, 1).status == "pending"
    assert store.settle_delivery(done, "worker-b")
    assert delivery_of(store, 1) == done
    # A final delivery is claimed by nobody, and settled by nobody
    assert store.claim_delivery(delivery, "worker-d", LEASE) is None
    assert not store.settle_delivery(done, "worker-b")
    assert store.claim_delivery(delivery.model_copy(update={"connection": 7}), "worker-e", LEASE) is None


def test_a_retryable_outcome_leaves_the_delivery_claimable_and_pending(subject: Subject) -> None:
    store = created(subject.store, a_render(1))
    claimed = store.claim_delivery(delivery_of(store, 1), "worker-a", LEASE)
    assert claimed is not None
    retry = claimed.model_copy(update={"attempts": 1, "error": "SlowDown: 503"})
    assert store.settle_delivery(retry, "worker-a")
    again = store.claim_delivery(delivery_of(store, 1), "worker-b", LEASE)
    assert again is not None and (again.attempts, again.invocations, again.error) == (1, 2, "SlowDown: 503")
    assert store.stale_deliveries(datetime.now(UTC)) == [("render-1", "file-1")]


def test_stale_deliveries_are_the_pending_ones_oldest_first(subject: Subject) -> None:
    store = created(
        subject.store,
        a_render(1, age=timedelta(hours=2), connections=2),
        a_render(2, age=timedelta(hours=3)),
        a_render(3, age=timedelta(minutes=1)),
    )
    now = datetime.now(UTC)
    assert store.stale_deliveries(now) == [("render-2", "file-2"), ("render-1", "file-1"), ("render-3", "file-3")]
    assert store.stale_deliveries(now - timedelta(minutes=30)) == [("render-2", "file-2"), ("render-1", "file-1")]
    assert store.stale_deliveries(now, limit=1) == [("render-2", "file-2")]
    # A final delivery leaves them (one of render-1's two is still pending)
    for n, connection in ((2, 0), (1, 0)):
        claimed = store.claim_delivery(delivery_of(store, n, connection), "w", LEASE)
        assert claimed is not None
        assert store.settle_delivery(claimed.model_copy(update={"status": "error", "error": "gone"}), "w")
    assert store.stale_deliveries(now) == [("render-1", "file-1"), ("render-3", "file-3")]


def test_a_failed_delivery_is_reopened_for_a_redrive(subject: Subject) -> None:
    store = created(subject.store, a_render(1))
    assert not store.reopen_delivery(delivery_of(store, 1))  # pending: nothing to reopen
    claimed = store.claim_delivery(delivery_of(store, 1), "w", LEASE)
    assert claimed is not None
    failed = claimed.model_copy(update={"status": "error", "error": "AccessDenied", "attempts": 3})
    assert store.settle_delivery(failed, "w")
    assert store.stale_deliveries(datetime.now(UTC) + timedelta(seconds=5)) == []
    assert store.reopen_delivery(failed)
    reopened = delivery_of(store, 1)
    assert (reopened.status, reopened.invocations, reopened.attempts, reopened.error) == (
        "pending",
        0,
        3,
        "AccessDenied",
    )
    assert store.stale_deliveries(datetime.now(UTC) + timedelta(seconds=5)) == [("render-1", "file-1")]
    assert not store.reopen_delivery(failed)  # pending again
    assert store.claim_delivery(reopened, "w2", LEASE) is not None
    assert not store.reopen_delivery(failed.model_copy(update={"render_id": "render-0"}))


# ---------------------------------------------------------------- webhooks


def test_a_webhook_is_claimed_when_due_by_one_worker_until_its_lease_runs_out(subject: Subject) -> None:
    render, deliveries = a_render(1, webhook=True)
    store = created(subject.store, (render, deliveries), a_render(2))
    now = datetime.now(UTC)
    assert render_of(store, 1).webhook_next_at == render.created_at  # due once accepted
    assert store.claim_webhook("render-2", "a", LEASE, now) is None  # no webhook
    assert store.claim_webhook("render-0", "a", LEASE, now) is None  # no render
    assert store.claim_webhook("render-1", "a", LEASE, render.created_at - timedelta(seconds=1)) is None  # not due
    claimed = store.claim_webhook("render-1", "a", LEASE, now)
    assert claimed is not None and (claimed.webhook_state, claimed.webhook_claims) == ("sending", 1)
    assert store.claim_webhook("render-1", "b", LEASE, now + LEASE - timedelta(seconds=1)) is None  # held
    later = now + LEASE + timedelta(seconds=1)
    taken = store.claim_webhook("render-1", "b", LEASE, later)  # ran out: taken over
    assert taken is not None and taken.webhook_claims == 2
    assert not store.settle_webhook("render-1", "a", "sent", 1, later)  # the first worker's outcome is lost
    # A retryable failure: pending again, not before next_at, looked at again by the reconciler from look_again_at
    next_at, look_again_at = later + timedelta(seconds=30), later + timedelta(minutes=5)
    assert store.settle_webhook("render-1", "b", "pending", 2, later, "503", next_at, look_again_at)
    retrying = render_of(store, 1)
    assert (retrying.webhook_state, retrying.webhook_attempts, retrying.webhook_error) == ("pending", 2, "503")
    assert retrying.webhook_next_at == next_at
    assert store.stale_webhooks(look_again_at) == [] and store.stale_webhooks(look_again_at + timedelta(1)) == [
        "render-1"
    ]
    assert store.claim_webhook("render-1", "c", LEASE, next_at - timedelta(seconds=1)) is None
    assert store.claim_webhook("render-1", "c", LEASE, next_at) is not None
    # Sent: final, out of the reconciler's view, claimed by nobody
    assert store.settle_webhook("render-1", "c", "sent", 1, next_at)
    sent = render_of(store, 1)
    assert (sent.webhook_state, sent.webhook_attempts, sent.webhook_error, sent.webhook_sent_at) == (
        "sent",
        3,
        None,
        next_at,
    )
    assert store.stale_webhooks(next_at + timedelta(days=1)) == []
    assert store.claim_webhook("render-1", "d", LEASE, next_at + timedelta(days=1)) is None
    assert not store.settle_webhook("render-1", "c", "failed", 1, next_at)


def test_stale_webhooks_are_the_unsent_ones_oldest_first_and_a_failed_one_is_reopened(subject: Subject) -> None:
    store = created(
        subject.store,
        a_render(1, age=timedelta(hours=2), webhook=True),
        a_render(2, age=timedelta(hours=3), webhook=True),
        a_render(3, age=timedelta(minutes=1), webhook=True),
        a_render(4, age=timedelta(hours=4)),  # no webhook
    )
    now = datetime.now(UTC)
    assert store.stale_webhooks(now) == ["render-2", "render-1", "render-3"]
    assert store.stale_webhooks(now - timedelta(minutes=30), limit=1) == ["render-2"]
    assert store.stale_deliveries(now)[0] == ("render-4", "file-4")  # the index's other partition
    # Failed for good: out of the reconciler's view until an operator's redrive reopens it
    assert store.claim_webhook("render-2", "w", LEASE, now) is not None
    assert store.settle_webhook("render-2", "w", "failed", 5, now, "410 Gone")
    assert store.stale_webhooks(now) == ["render-1", "render-3"]
    assert not store.reopen_webhook("render-1", now)  # pending: nothing to reopen
    assert not store.reopen_webhook("render-0", now)
    reopened_at = now + timedelta(seconds=1)
    assert store.reopen_webhook("render-2", reopened_at)
    reopened = render_of(store, 2)
    assert (reopened.webhook_state, reopened.webhook_next_at, reopened.webhook_error) == (
        "pending",
        reopened_at,
        "410 Gone",
    )
    assert store.stale_webhooks(reopened_at + timedelta(seconds=1)) == ["render-1", "render-3", "render-2"]
    assert store.claim_webhook("render-2", "w2", LEASE, reopened_at) is not None
