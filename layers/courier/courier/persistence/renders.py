"""Renders: the render item, its deliveries as first written, its staged files' pointers and its listing pointer.

A render is written after its other items (a batch keeps no order): a render item means its deliveries exist. Every
item of a render expires RENDER_RETENTION after it was accepted. Its deliveries' leases and outcomes are
deliveries.py's, its webhook's webhooks.py's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from courier.persistence.table import (
    PENDING,
    RENDER_LISTING,
    WEBHOOK_PENDING,
    Repository,
    conditional_failed,
    delivery_sk,
    query_all,
    render_expires,
    render_key,
    render_listing_sk,
    transaction_cancelled,
)
from courier.records import ConnectionRecord, DeliveryRecord, RenderRecord


def _delivery_item(delivery: DeliveryRecord, expires: int, pending_since: datetime) -> dict[str, Any]:
    return {
        "pk": f"RENDER#{delivery.render_id}",
        "sk": delivery_sk(delivery.file_uuid, delivery.connection),
        "expiresAt": expires,
        # In the sparse Pending index until final: what the reconciler looks at.
        "pending": PENDING,
        "pending_since": pending_since.isoformat(),
        **delivery.model_dump(mode="json"),
    }


class Renders(Repository):
    def create_render(self, render: RenderRecord, deliveries: list[DeliveryRecord]) -> None:
        expires = render_expires(render)
        with self._table.batch_writer() as batch:
            for staged in render.files:
                # Remote copy finds a render by a file's UUID.
                batch.put_item(
                    Item={
                        "pk": f"FILE#{staged.uuid}",
                        "sk": "FILE",
                        "workspace_id": render.workspace_id,
                        "render_id": render.id,
                        "expiresAt": expires,
                    }
                )
            for delivery in deliveries:
                batch.put_item(Item=_delivery_item(delivery, expires, render.created_at))
            # The workspace's renders, newest first (GET /v1/renders): a pointer sorted by when it was accepted.
            batch.put_item(
                Item={
                    "pk": f"WS#{render.workspace_id}",
                    "sk": render_listing_sk(render),
                    "render_id": render.id,
                    "expiresAt": expires,
                }
            )
        # After the batch (whose order DynamoDB does not keep): a render item means its deliveries exist.
        self.put_render(render)

    def put_render(self, render: RenderRecord) -> None:
        """Write the render item as it now is (a clip's, once drawn or failed; its other items stay)."""
        item = {**render_key(render.id), "expiresAt": render_expires(render), **render.model_dump(mode="json")}
        if render.webhook_state in ("pending", "sending"):
            # In the Pending index until sent or failed: the reconciler sends what no deliver invocation did.
            # Times as isoformat() throughout: the conditions compare them as strings.
            due = (render.webhook_next_at or render.created_at).isoformat()
            item |= {"pending": WEBHOOK_PENDING, "pending_since": render.created_at.isoformat(), "webhook_next_at": due}
        self._table.put_item(Item=item)

    def file_staged(self, render_id: str, file_uuid: str) -> RenderRecord | None:
        """Note that one of a ``staging`` clip's files is in staging (its S3 event came). The last one ends the state:
        the render reads rendered only once every file can be read. The render as it now is; None when it is not
        staging (any more: every file's event came, or a copy of this one did)."""
        try:
            item = self._table.update_item(
                Key=render_key(render_id),
                UpdateExpression="ADD staged_uuids :u",
                ConditionExpression=Attr("state").eq("staging"),
                ExpressionAttributeValues={":u": {file_uuid}},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as exc:
            if conditional_failed(exc):
                return None
            raise
        render = RenderRecord.model_validate(item)
        staged = item.get("staged_uuids")
        if not isinstance(staged, set) or not {f.uuid for f in render.files} <= staged:
            return render
        try:
            self._table.update_item(
                Key=render_key(render_id),
                UpdateExpression="REMOVE #state, staged_uuids",
                ConditionExpression=Attr("state").eq("staging"),
                ExpressionAttributeNames={"#state": "state"},
            )
        except ClientError as exc:
            if not conditional_failed(exc):
                raise
        return render.model_copy(update={"state": None})

    def add_delivery(self, render: RenderRecord, connection: ConnectionRecord, delivery: DeliveryRecord) -> bool:
        """Give an accepted render one more connection and its delivery (a remote copy), atomically.

        False when the connection's index is taken (another copy of the same render got there first)."""
        item = _delivery_item(delivery, render_expires(render), datetime.now(UTC))
        try:
            self._table.meta.client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._table.name,
                            "Key": render_key(render.id),
                            "UpdateExpression": "SET connections = list_append(connections, :c)",
                            "ConditionExpression": "size(connections) = :n",
                            "ExpressionAttributeValues": {
                                ":c": [connection.model_dump(mode="json")],
                                ":n": connection.index,
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table.name,
                            "Item": item,
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except ClientError as exc:
            if transaction_cancelled(exc):
                return False
            raise
        return True

    def find_file(self, workspace_id: str, file_uuid: str) -> str | None:
        """The render of a staged file, by the file's UUID, if it is this workspace's."""
        item = self._table.get_item(Key={"pk": f"FILE#{file_uuid}", "sk": "FILE"}).get("Item")
        if item is None or item.get("workspace_id") != workspace_id:
            return None
        return str(item["render_id"])

    def delete_render(self, render_id: str) -> None:
        """Remove a render and its deliveries (a render whose files could not be staged never happened)."""
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(f"RENDER#{render_id}"))
        files = [f["uuid"] for item in items if item["sk"] == "RENDER" for f in item.get("files", [])]
        with self._table.batch_writer() as batch:
            for item in items:
                batch.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
            for file_uuid in files:
                batch.delete_item(Key={"pk": f"FILE#{file_uuid}", "sk": "FILE"})

    def get_render(self, render_id: str) -> tuple[RenderRecord, list[DeliveryRecord]] | None:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(f"RENDER#{render_id}"))
        render = next((item for item in items if item["sk"] == "RENDER"), None)
        if render is None:
            return None
        deliveries = [DeliveryRecord.model_validate(item) for item in items if item["sk"].startswith("DELIVERY#")]
        return RenderRecord.model_validate(render), deliveries

    def list_render_ids(self, workspace_id: str, limit: int, after: str | None) -> tuple[list[str], str | None]:
        """Up to ``limit`` of the workspace's render ids, newest first, from after the listing key ``after``; and the
        listing key to continue from (None: no more). ``after`` must be a listing key (ValueError otherwise)."""
        query: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(f"WS#{workspace_id}") & Key("sk").begins_with(RENDER_LISTING),
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if after is not None:
            if not after.startswith(RENDER_LISTING):
                raise ValueError("not a listing key")
            query["ExclusiveStartKey"] = {"pk": f"WS#{workspace_id}", "sk": after}
        items = self._table.query(**query).get("Items", [])
        chosen = items[:limit]
        return [str(item["render_id"]) for item in chosen], (str(chosen[-1]["sk"]) if len(items) > limit else None)
