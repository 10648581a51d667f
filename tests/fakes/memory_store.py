"""MemoryStore: courier.persistence.store.Store's interface over dicts, for unit tests (no AWS, no moto, no socket).

The same public methods, arguments and answers as ``Store``, and the same outcomes for its conditions: a delivery or a
webhook is claimed only while claimable and settled only with the holder's token, a connection is added once, an
OAuth state is taken once, a render's listing pointer and Pending entries behave as the table's do. Records go in and
come out through their JSON form, as they do through DynamoDB, so a caller never holds the stored object. Times the
table compares as strings (leases, the Pending index) are kept as isoformat() strings and compared the same way.
Nothing expires (no TTL). tests/functional/test_store_contract.py runs one set of scenarios on both.

Tests hand it to services annotated with ``Store`` through ``memory_store()`` (a typed cast: the match is
structural, checked by the contract's signature test).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError
from pydantic import BaseModel

from courier.persistence.table import RENDER_LISTING, delivery_sk, render_listing_sk
from courier.records import ConnectionRecord, DeliveryRecord, RenderRecord, StorageRecord, WorkspaceWebhookRecord

if TYPE_CHECKING:
    from courier.engine.document import TemplateDocument
    from courier.persistence.store import Store


def _with[M: BaseModel](model: M, changes: Mapping[str, Any] | None = None) -> M:
    """The model as the table would give it back (through its JSON form), with ``changes`` made."""
    return type(model).model_validate({**model.model_dump(mode="json"), **(changes or {})})


def _condition_failed(operation: str) -> ClientError:
    error = {"Code": "ConditionalCheckFailedException", "Message": "The conditional request failed"}
    return ClientError({"Error": error}, operation)  # type: ignore[typeddict-item]


@dataclass
class _Item[R: BaseModel]:
    """A leased item: its record, its Pending index entry (None: not in the index) and its lease."""

    record: R
    pending_since: str | None = None
    lease_until: str | None = None
    lease_token: str | None = None
    staged: set[str] = field(default_factory=set)  # a staging clip's files whose event came (gone with a put)

    def lease_free(self, now: datetime) -> bool:
        return self.lease_until is None or self.lease_until < now.isoformat()

    def settle(self, record: R, leave_pending: bool) -> None:
        self.record, self.lease_until, self.lease_token = record, None, None
        if leave_pending:
            self.pending_since = None


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()  # every conditional write is atomic, as DynamoDB's are
        self._workspaces: dict[str, dict[str, Any]] = {}  # the WORKSPACE item's attributes
        self._storages: dict[tuple[str, str], StorageRecord] = {}
        self._oauth: dict[str, dict[str, Any]] = {}
        self._templates: dict[tuple[str, str], str] = {}  # JSON text, as stored
        self._renders: dict[str, _Item[RenderRecord]] = {}
        self._deliveries: dict[tuple[str, str], _Item[DeliveryRecord]] = {}  # (render id, delivery sort key)
        self._files: dict[str, tuple[str, str]] = {}  # file uuid -> (workspace, render)
        self._listing: dict[tuple[str, str], str] = {}  # (workspace, listing key) -> render id

    def add_workspace(self, workspace_id: str) -> None:
        """The WORKSPACE item, which courier.accounts.keys creates (not the Store)."""
        self._workspaces.setdefault(workspace_id, {})

    # ------------------------------------------------------------ workspaces

    def workspace_external_id(self, workspace_id: str) -> str:
        with self._lock:  # an update without a condition: creates the item, as on the table
            item = self._workspaces.setdefault(workspace_id, {})
            return str(item.setdefault("external_id", f"rc-{secrets.token_hex(16)}"))

    def workspace_webhook(self, workspace_id: str) -> WorkspaceWebhookRecord | None:
        item = self._workspaces.get(workspace_id)
        return None if item is None else WorkspaceWebhookRecord.model_validate({**item, "workspace_id": workspace_id})

    def put_workspace_webhook(self, record: WorkspaceWebhookRecord) -> None:
        with self._lock:
            item = self._workspaces.get(record.workspace_id)
            if item is None:
                raise _condition_failed("UpdateItem")
            for name, value in record.model_dump(mode="json", exclude={"workspace_id"}).items():
                if value is None:
                    item.pop(name, None)
                else:
                    item[name] = value

    # ------------------------------------------------------------ storages

    def put_storage(self, record: StorageRecord) -> None:
        self._storages[(record.workspace_id, record.name)] = _with(record)

    def get_storage(self, workspace_id: str, name: str) -> StorageRecord | None:
        record = self._storages.get((workspace_id, name))
        return _with(record) if record else None

    def note_storage_delivery(
        self, workspace_id: str, name: str, status: str, at: datetime | None, error: str | None
    ) -> None:
        with self._lock:
            record = self._storages.get((workspace_id, name))
            if record is not None:
                last = {"at": (at or datetime.now(UTC)).isoformat(), "status": status, "error": error}
                self._storages[(workspace_id, name)] = _with(record, {"last_delivery": last})

    def list_storages(self, workspace_id: str) -> list[StorageRecord]:
        return [_with(self._storages[key]) for key in sorted(self._storages) if key[0] == workspace_id]

    def delete_storage(self, workspace_id: str, name: str) -> None:
        self._storages.pop((workspace_id, name), None)

    # ------------------------------------------------------------ OAuth states

    def put_oauth_state(self, state_hash: str, data: dict[str, str], expires: datetime) -> None:
        with self._lock:
            if state_hash in self._oauth:
                raise _condition_failed("PutItem")
            self._oauth[state_hash] = {
                "pk": f"OAUTH#{state_hash}",
                "sk": "OAUTH",
                "expires": expires.isoformat(),
                "expiresAt": int(expires.timestamp()),
                **data,
            }

    def take_oauth_state(self, state_hash: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._oauth.pop(state_hash, None)
        return None if item is None else {**item, "expires": datetime.fromisoformat(item["expires"])}

    # ------------------------------------------------------------ templates

    def put_template(self, workspace_id: str, document: TemplateDocument, now: datetime) -> None:
        self._templates[(workspace_id, document.id)] = document.model_dump_json(by_alias=True)

    def get_template(self, workspace_id: str, template_id: str) -> TemplateDocument | None:
        from courier.engine.document import TemplateDocument

        text = self._templates.get((workspace_id, template_id))
        return TemplateDocument.model_validate_json(text) if text is not None else None

    def list_templates(self, workspace_id: str) -> list[TemplateDocument]:
        from courier.engine.document import TemplateDocument

        keys = sorted(key for key in self._templates if key[0] == workspace_id)
        return [TemplateDocument.model_validate_json(self._templates[key]) for key in keys]

    def delete_template(self, workspace_id: str, template_id: str) -> None:
        self._templates.pop((workspace_id, template_id), None)

    # ------------------------------------------------------------ renders

    def create_render(self, render: RenderRecord, deliveries: list[DeliveryRecord]) -> None:
        with self._lock:
            for staged in render.files:
                self._files[staged.uuid] = (render.workspace_id, render.id)
            for delivery in deliveries:
                item = _Item(_with(delivery), pending_since=render.created_at.isoformat())
                self._deliveries[(delivery.render_id, delivery_sk(delivery.file_uuid, delivery.connection))] = item
            self._listing[(render.workspace_id, render_listing_sk(render))] = render.id
            self.put_render(render)

    def put_render(self, render: RenderRecord) -> None:
        """Replaces the render item whole: a webhook lease it carried is gone, as with the table's put_item."""
        item = _Item(_with(render))
        if render.webhook_state in ("pending", "sending"):
            item.record.webhook_next_at = render.webhook_next_at or render.created_at
            item.pending_since = render.created_at.isoformat()
        self._renders[render.id] = item

    def file_staged(self, render_id: str, file_uuid: str) -> RenderRecord | None:
        with self._lock:
            stored = self._renders.get(render_id)
            if stored is None or stored.record.state != "staging":
                return None
            stored.staged.add(file_uuid)
            render = _with(stored.record)
            if {f.uuid for f in render.files} <= stored.staged:
                stored.record, stored.staged = _with(stored.record, {"state": None}), set()
                return _with(render, {"state": None})
            return render

    def add_delivery(self, render: RenderRecord, connection: ConnectionRecord, delivery: DeliveryRecord) -> bool:
        key = (delivery.render_id, delivery_sk(delivery.file_uuid, delivery.connection))
        with self._lock:
            stored = self._renders.get(render.id)
            if stored is None or len(stored.record.connections) != connection.index or key in self._deliveries:
                return False
            stored.record.connections.append(_with(connection))
            self._deliveries[key] = _Item(_with(delivery), pending_since=datetime.now(UTC).isoformat())
            return True

    def find_file(self, workspace_id: str, file_uuid: str) -> str | None:
        found = self._files.get(file_uuid)
        return found[1] if found is not None and found[0] == workspace_id else None

    def delete_render(self, render_id: str) -> None:
        """The render, its deliveries and its files' pointers; its listing pointer stays (as on the table)."""
        with self._lock:
            stored = self._renders.pop(render_id, None)
            for key in [key for key in self._deliveries if key[0] == render_id]:
                del self._deliveries[key]
            for staged in stored.record.files if stored else []:
                self._files.pop(staged.uuid, None)

    def get_render(self, render_id: str) -> tuple[RenderRecord, list[DeliveryRecord]] | None:
        with self._lock:
            stored = self._renders.get(render_id)
            if stored is None:
                return None
            keys = sorted(key for key in self._deliveries if key[0] == render_id)
            return _with(stored.record), [_with(self._deliveries[key].record) for key in keys]

    def list_render_ids(self, workspace_id: str, limit: int, after: str | None) -> tuple[list[str], str | None]:
        if after is not None and not after.startswith(RENDER_LISTING):
            raise ValueError("not a listing key")
        keys = sorted((sk for ws, sk in self._listing if ws == workspace_id and (after is None or sk < after)))[::-1]
        chosen = keys[:limit]
        return [self._listing[(workspace_id, sk)] for sk in chosen], (chosen[-1] if len(keys) > limit else None)

    # ------------------------------------------------------------ deliveries

    def get_delivery(self, render_id: str, file_uuid: str, connection: int) -> DeliveryRecord | None:
        stored = self._deliveries.get((render_id, delivery_sk(file_uuid, connection)))
        return _with(stored.record) if stored else None

    def list_deliveries(self, render_id: str, file_uuid: str) -> list[DeliveryRecord]:
        prefix = f"DELIVERY#{file_uuid}#"
        keys = sorted(key for key in self._deliveries if key[0] == render_id and key[1].startswith(prefix))
        return [_with(self._deliveries[key].record) for key in keys]

    def claim_delivery(self, delivery: DeliveryRecord, token: str, lease: timedelta) -> DeliveryRecord | None:
        now = datetime.now(UTC)
        with self._lock:
            stored = self._deliveries.get((delivery.render_id, delivery_sk(delivery.file_uuid, delivery.connection)))
            if stored is None or stored.record.status != "pending" or not stored.lease_free(now):
                return None
            stored.record = _with(stored.record, {"updated_at": now, "invocations": stored.record.invocations + 1})
            stored.lease_until, stored.lease_token = (now + lease).isoformat(), token
            return _with(stored.record)

    def settle_delivery(self, delivery: DeliveryRecord, token: str) -> bool:
        include = {"status", "error", "size", "checksum", "etag", "duration_ms", "delivered_at", "updated_at"}
        include |= {"attempts"} | ({"target"} if delivery.status != "pending" else set())
        with self._lock:
            stored = self._deliveries.get((delivery.render_id, delivery_sk(delivery.file_uuid, delivery.connection)))
            if stored is None or stored.lease_token != token:
                return False
            stored.settle(
                _with(stored.record, delivery.model_dump(mode="json", include=include)), delivery.status != "pending"
            )
            return True

    def stale_deliveries(self, older_than: datetime, limit: int = 500) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for key in _stale(self._deliveries, older_than, limit):
            pair = (key[0], self._deliveries[key].record.file_uuid)
            if pair not in found:
                found.append(pair)
        return found

    def reopen_delivery(self, delivery: DeliveryRecord) -> bool:
        now = datetime.now(UTC)
        with self._lock:
            stored = self._deliveries.get((delivery.render_id, delivery_sk(delivery.file_uuid, delivery.connection)))
            if stored is None or stored.record.status != "error":
                return False
            stored.record = _with(stored.record, {"status": "pending", "invocations": 0, "updated_at": now})
            stored.pending_since = now.isoformat()
            return True

    # ------------------------------------------------------------ webhooks

    def claim_webhook(self, render_id: str, token: str, lease: timedelta, now: datetime) -> RenderRecord | None:
        with self._lock:
            stored = self._renders.get(render_id)
            if stored is None:
                return None
            render, due = stored.record, stored.record.webhook_next_at
            waiting = render.webhook_state == "pending" and due is not None and due.isoformat() <= now.isoformat()
            taken_over = render.webhook_state == "sending" and stored.lease_until is not None and stored.lease_free(now)
            if not (waiting or taken_over):
                return None
            stored.record = _with(render, {"webhook_state": "sending", "webhook_claims": render.webhook_claims + 1})
            stored.lease_until, stored.lease_token = (now + lease).isoformat(), token
            return _with(stored.record)

    def settle_webhook(
        self,
        render_id: str,
        token: str,
        state: str,
        attempts: int,
        now: datetime,
        error: str | None = None,
        next_at: datetime | None = None,
        look_again_at: datetime | None = None,
    ) -> bool:
        with self._lock:
            stored = self._renders.get(render_id)
            if stored is None or stored.lease_token != token:
                return False
            changes: dict[str, Any] = {
                "webhook_state": state,
                "webhook_attempts": stored.record.webhook_attempts + attempts,
            }
            changes |= {"webhook_sent_at": now, "webhook_error": None} if state == "sent" else {"webhook_error": error}
            if state == "pending":
                changes["webhook_next_at"] = next_at or now
                if stored.pending_since is not None:
                    stored.pending_since = (look_again_at or now).isoformat()
            stored.settle(_with(stored.record, changes), state != "pending")
            return True

    def stale_webhooks(self, older_than: datetime, limit: int = 500) -> list[str]:
        return list(_stale(self._renders, older_than, limit))

    def reopen_webhook(self, render_id: str, now: datetime) -> bool:
        with self._lock:
            stored = self._renders.get(render_id)
            if stored is None or stored.record.webhook_state != "failed":
                return False
            stored.record = _with(stored.record, {"webhook_state": "pending", "webhook_next_at": now})
            stored.pending_since = now.isoformat()
            return True


def _stale[K](items: Mapping[K, _Item[Any]], older_than: datetime, limit: int) -> list[K]:
    """Keys of the items in the Pending index since before ``older_than``, oldest first (the index's order)."""
    since = older_than.isoformat()
    found = [
        (item.pending_since, key) for key, item in items.items() if item.pending_since and item.pending_since < since
    ]
    return [key for _, key in sorted(found, key=lambda entry: entry[0])[:limit]]


def memory_store() -> Store:
    """A fresh MemoryStore, typed as the Store the services take."""
    return cast("Store", MemoryStore())
