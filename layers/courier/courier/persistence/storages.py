"""A workspace's saved storages: settings and the reference to their secret (never the secret itself), and the
latest final delivery to each.

A storage is keyed by its name within the workspace; noting a delivery never brings back a storage deleted meanwhile.
"""

from __future__ import annotations

from datetime import UTC, datetime

from boto3.dynamodb.conditions import Attr, Key

from courier.persistence.table import Repository, if_condition, query_all
from courier.records import StorageRecord


def _storage_key(workspace_id: str, name: str) -> dict[str, str]:
    return {"pk": f"WS#{workspace_id}", "sk": f"STORAGE#{name}"}


class Storages(Repository):
    def put_storage(self, record: StorageRecord) -> None:
        item = {**_storage_key(record.workspace_id, record.name), **record.model_dump(mode="json")}
        self._table.put_item(Item=item)

    def get_storage(self, workspace_id: str, name: str) -> StorageRecord | None:
        item = self._table.get_item(Key=_storage_key(workspace_id, name)).get("Item")
        return StorageRecord.model_validate(item) if item else None

    def note_storage_delivery(
        self, workspace_id: str, name: str, status: str, at: datetime | None, error: str | None
    ) -> None:
        """Record a storage's latest final delivery on its item (nothing when the storage was deleted meanwhile)."""
        if_condition(
            self._table.update_item,
            Key=_storage_key(workspace_id, name),
            UpdateExpression="SET last_delivery = :last",
            ConditionExpression=Attr("pk").exists(),
            ExpressionAttributeValues={
                ":last": {"at": (at or datetime.now(UTC)).isoformat(), "status": status, "error": error}
            },
        )

    def list_storages(self, workspace_id: str) -> list[StorageRecord]:
        items = query_all(
            self._table,
            KeyConditionExpression=Key("pk").eq(f"WS#{workspace_id}") & Key("sk").begins_with("STORAGE#"),
        )
        return [StorageRecord.model_validate(item) for item in items]

    def delete_storage(self, workspace_id: str, name: str) -> None:
        self._table.delete_item(Key=_storage_key(workspace_id, name))
