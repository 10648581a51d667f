"""Deliveries: one (file, destination) item per render connection, claimed by one worker at a time under a lease.

A delivery stays in the Pending index until final; the reconciler finds the ones stuck there (stale_deliveries) and
an operator's redrive makes a failed one pending again. Only the lease holder writes an outcome (lease.py); the
items themselves are written with their render (renders.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from boto3.dynamodb.conditions import Attr, Key

from courier.persistence.lease import Lease
from courier.persistence.table import PENDING, Repository, delivery_sk, if_condition, query_all, text
from courier.records import DeliveryRecord

LEASE = Lease(until="lease_until", holder="lease_token", claims="invocations")


def _delivery_key(delivery: DeliveryRecord) -> dict[str, str]:
    return {"pk": f"RENDER#{delivery.render_id}", "sk": delivery_sk(delivery.file_uuid, delivery.connection)}


class Deliveries(Repository):
    def get_delivery(self, render_id: str, file_uuid: str, connection: int) -> DeliveryRecord | None:
        item = self._table.get_item(
            Key={"pk": f"RENDER#{render_id}", "sk": delivery_sk(file_uuid, connection)}, ConsistentRead=True
        ).get("Item")
        return DeliveryRecord.model_validate(item) if item else None

    def list_deliveries(self, render_id: str, file_uuid: str) -> list[DeliveryRecord]:
        items = query_all(
            self._table,
            KeyConditionExpression=Key("pk").eq(f"RENDER#{render_id}")
            & Key("sk").begins_with(f"DELIVERY#{file_uuid}#"),
        )
        return [DeliveryRecord.model_validate(item) for item in items]

    def claim_delivery(self, delivery: DeliveryRecord, token: str, lease: timedelta) -> DeliveryRecord | None:
        """Take a pending delivery for this worker; None when it is final or another worker holds it.

        The conditional write is what makes duplicate and concurrent S3 events deliver once.
        """
        now = datetime.now(UTC)
        item = LEASE.claim(
            self._table,
            _delivery_key(delivery),
            token,
            lease,
            now,
            claimable=Attr("status").eq("pending") & (Attr(LEASE.until).not_exists() | LEASE.expired(now)),
            assignments=["updated_at = :now"],
            values={":now": now.isoformat()},
        )
        return DeliveryRecord.model_validate(item) if item is not None else None

    def settle_delivery(self, delivery: DeliveryRecord, token: str) -> bool:
        """Write the outcome held in ``delivery`` and drop the lease; False if the lease was lost meanwhile."""
        include = {"status", "error", "size", "checksum", "etag", "duration_ms", "delivered_at", "updated_at"}
        include.add("attempts")  # safe as an absolute value: the lease makes this worker the only writer
        if delivery.status != "pending":
            include.add("target")  # final: a sealed inline secret is dropped with it
        fields = delivery.model_dump(mode="json", include=include)
        return LEASE.settle(
            self._table,
            _delivery_key(delivery),
            token,
            assignments=[f"#{name} = :{name}" for name in fields],
            values={f":{name}": value for name, value in fields.items()},
            removals=["pending"] if delivery.status != "pending" else [],
            names={f"#{name}": name for name in fields},
        )

    def stale_deliveries(self, older_than: datetime, limit: int = 500) -> list[tuple[str, str]]:
        """(render id, file uuid) of deliveries still pending since before ``older_than``, oldest first."""
        answer = self._table.query(
            IndexName="Pending",
            KeyConditionExpression=Key("pending").eq(PENDING) & Key("pending_since").lt(older_than.isoformat()),
            Limit=limit,
        )
        found = []
        for item in answer.get("Items", []):
            _, file_uuid, _ = text(item, "sk").split("#", 2)
            pair = (text(item, "pk").removeprefix("RENDER#"), file_uuid)
            if pair not in found:
                found.append(pair)
        return found

    def reopen_delivery(self, delivery: DeliveryRecord) -> bool:
        """Make a failed delivery pending again (an operator's redrive); its attempts are kept for the record."""
        now = datetime.now(UTC).isoformat()
        answer = if_condition(
            self._table.update_item,
            Key=_delivery_key(delivery),
            UpdateExpression="SET #status = :pending, invocations = :zero, pending = :p, pending_since = :now, "
            "updated_at = :now",
            ConditionExpression=Attr("status").eq("error"),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":pending": "pending", ":zero": 0, ":p": PENDING, ":now": now},
        )
        return answer is not None
