"""DynamoDB repository: workspaces, API keys, storages, renders and their deliveries in one table.

Item layout (``pk`` / ``sk``):
  APIKEY#<sha256>        / APIKEY                      the hashed key and its workspace
  WS#<workspace>         / WORKSPACE                   the workspace
  WS#<workspace>         / STORAGE#<name>              a storage (settings, secret reference)
  RENDER#<id>            / RENDER                      the render: files, connections, warnings
  RENDER#<id>            / DELIVERY#<file>#<conn>      one (file, destination) delivery and its status
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from courier.models import ApiKeyRecord, DeliveryRecord, RenderRecord, StorageRecord

RENDER_RETENTION = timedelta(days=30)


def _conditional_failed(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def delivery_sk(file_uuid: str, connection: int) -> str:
    return f"DELIVERY#{file_uuid}#{connection:03d}"


class Store:
    def __init__(self, table: Any) -> None:
        self._table = table

    # ------------------------------------------------------------ workspaces and keys

    def put_workspace(self, workspace_id: str, name: str) -> None:
        now = datetime.now(UTC).isoformat()
        self._table.put_item(
            Item={
                "pk": f"WS#{workspace_id}",
                "sk": "WORKSPACE",
                "workspace_id": workspace_id,
                "name": name,
                "created_at": now,
            }
        )

    def put_api_key(self, record: ApiKeyRecord) -> None:
        self._table.put_item(Item={"pk": f"APIKEY#{record.key_hash}", "sk": "APIKEY", **record.model_dump(mode="json")})

    def get_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        item = self._table.get_item(Key={"pk": f"APIKEY#{key_hash}", "sk": "APIKEY"}).get("Item")
        return ApiKeyRecord.model_validate(item) if item else None

    # ------------------------------------------------------------ storages

    def put_storage(self, record: StorageRecord) -> None:
        item = {"pk": f"WS#{record.workspace_id}", "sk": f"STORAGE#{record.name}", **record.model_dump(mode="json")}
        self._table.put_item(Item=item)

    def get_storage(self, workspace_id: str, name: str) -> StorageRecord | None:
        item = self._table.get_item(Key={"pk": f"WS#{workspace_id}", "sk": f"STORAGE#{name}"}).get("Item")
        return StorageRecord.model_validate(item) if item else None

    def list_storages(self, workspace_id: str) -> list[StorageRecord]:
        items = self._query(Key("pk").eq(f"WS#{workspace_id}") & Key("sk").begins_with("STORAGE#"))
        return [StorageRecord.model_validate(item) for item in items]

    def delete_storage(self, workspace_id: str, name: str) -> None:
        self._table.delete_item(Key={"pk": f"WS#{workspace_id}", "sk": f"STORAGE#{name}"})

    # ------------------------------------------------------------ renders and deliveries

    def create_render(self, render: RenderRecord, deliveries: list[DeliveryRecord]) -> None:
        expires = int((render.created_at + RENDER_RETENTION).timestamp())
        with self._table.batch_writer() as batch:
            for delivery in deliveries:
                batch.put_item(
                    Item={
                        "pk": f"RENDER#{render.id}",
                        "sk": delivery_sk(delivery.file_uuid, delivery.connection),
                        "expiresAt": expires,
                        **delivery.model_dump(mode="json"),
                    }
                )
        # After the batch (whose order DynamoDB does not keep): a render item means its deliveries exist.
        self._table.put_item(
            Item={"pk": f"RENDER#{render.id}", "sk": "RENDER", "expiresAt": expires, **render.model_dump(mode="json")}
        )

    def delete_render(self, render_id: str) -> None:
        """Remove a render and its deliveries (a render whose files could not be staged never happened)."""
        items = self._query(Key("pk").eq(f"RENDER#{render_id}"))
        with self._table.batch_writer() as batch:
            for item in items:
                batch.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})

    def get_render(self, render_id: str) -> tuple[RenderRecord, list[DeliveryRecord]] | None:
        items = self._query(Key("pk").eq(f"RENDER#{render_id}"))
        render = next((item for item in items if item["sk"] == "RENDER"), None)
        if render is None:
            return None
        deliveries = [DeliveryRecord.model_validate(item) for item in items if item["sk"].startswith("DELIVERY#")]
        return RenderRecord.model_validate(render), deliveries

    def get_delivery(self, render_id: str, file_uuid: str, connection: int) -> DeliveryRecord | None:
        item = self._table.get_item(
            Key={"pk": f"RENDER#{render_id}", "sk": delivery_sk(file_uuid, connection)}, ConsistentRead=True
        ).get("Item")
        return DeliveryRecord.model_validate(item) if item else None

    def list_deliveries(self, render_id: str, file_uuid: str) -> list[DeliveryRecord]:
        items = self._query(Key("pk").eq(f"RENDER#{render_id}") & Key("sk").begins_with(f"DELIVERY#{file_uuid}#"))
        return [DeliveryRecord.model_validate(item) for item in items]

    def claim_delivery(self, delivery: DeliveryRecord, token: str, lease: timedelta) -> DeliveryRecord | None:
        """Take a pending delivery for this worker; None when it is final or another worker holds it.

        The conditional write is what makes duplicate and concurrent S3 events deliver once.
        """
        now = datetime.now(UTC)
        try:
            answer = self._table.update_item(
                Key={"pk": f"RENDER#{delivery.render_id}", "sk": delivery_sk(delivery.file_uuid, delivery.connection)},
                UpdateExpression="SET lease_until = :until, lease_token = :token, attempts = attempts + :one, "
                "updated_at = :now",
                ConditionExpression=Attr("status").eq("pending")
                & (Attr("lease_until").not_exists() | Attr("lease_until").lt(now.isoformat())),
                ExpressionAttributeValues={
                    ":until": (now + lease).isoformat(),
                    ":token": token,
                    ":one": 1,
                    ":now": now.isoformat(),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return None
            raise
        return DeliveryRecord.model_validate(answer["Attributes"])

    def settle_delivery(self, delivery: DeliveryRecord, token: str) -> bool:
        """Write the outcome held in ``delivery`` and drop the lease; False if the lease was lost meanwhile."""
        fields = delivery.model_dump(
            mode="json",
            include={"status", "error", "size", "checksum", "etag", "duration_ms", "delivered_at", "updated_at"},
        )
        names = {f"#{name}": name for name in fields}
        values = {f":{name}": value for name, value in fields.items()}
        assignments = ", ".join(f"#{name} = :{name}" for name in fields)
        try:
            self._table.update_item(
                Key={"pk": f"RENDER#{delivery.render_id}", "sk": delivery_sk(delivery.file_uuid, delivery.connection)},
                UpdateExpression=f"SET {assignments} REMOVE lease_until, lease_token",
                ConditionExpression=Attr("lease_token").eq(token),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def _query(self, condition: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"KeyConditionExpression": condition, "ConsistentRead": True}
        while True:
            page = self._table.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
