"""Leases: how one worker at a time takes an item (a delivery, a render's webhook) and records its outcome.

A claim is one conditional ``UpdateItem``: it succeeds only while the item is claimable (the caller's condition,
typically "waiting, or held under a lease that ran out"), writes a fresh lease (until, token) and counts the claim.
A settle writes the outcome and drops the lease only while the item still carries this worker's token: a worker whose
lease ran out and was taken over records nothing. The conditions are what make duplicate and concurrent invocations
act once; callers never write a leased item any other way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr, ConditionBase

from courier.persistence.table import if_condition

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table


@dataclass(frozen=True)
class Lease:
    """The attributes one kind of item keeps its lease in."""

    until: str  # ISO time the lease runs out
    holder: str  # the holder's token
    claims: str  # how many times the item was claimed

    def expired(self, now: datetime) -> ConditionBase:
        """The item's lease ran out (times are isoformat() throughout: compared as strings)."""
        return Attr(self.until).lt(now.isoformat())

    def claim(
        self,
        table: Table,
        key: dict[str, str],
        token: str,
        duration: timedelta,
        now: datetime,
        claimable: ConditionBase,
        assignments: Sequence[str] = (),
        values: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """Take the item when ``claimable`` holds, also making ``assignments`` (with ``values``); the item as now
        stored, or None when it was not claimable."""
        answer = if_condition(
            table.update_item,
            Key=key,
            UpdateExpression="SET "
            + ", ".join(
                [
                    *assignments,
                    f"{self.until} = :until",
                    f"{self.holder} = :token",
                    f"{self.claims} = if_not_exists({self.claims}, :zero) + :one",
                ]
            ),
            ConditionExpression=claimable,
            ExpressionAttributeValues={
                **(values or {}),
                ":until": (now + duration).isoformat(),
                ":token": token,
                ":zero": 0,
                ":one": 1,
            },
            ReturnValues="ALL_NEW",
        )
        return None if answer is None else dict(answer["Attributes"])

    def settle(
        self,
        table: Table,
        key: dict[str, str],
        token: str,
        assignments: Sequence[str],
        values: Mapping[str, Any],
        removals: Sequence[str] = (),
        names: Mapping[str, str] | None = None,
    ) -> bool:
        """Make ``assignments`` (with ``values`` and ``names``), remove ``removals`` and drop the lease, while the item
        still carries ``token``; False if the lease was lost meanwhile (another worker took over)."""
        request: dict[str, Any] = {"ExpressionAttributeNames": dict(names)} if names else {}
        answer = if_condition(
            table.update_item,
            Key=key,
            UpdateExpression=f"SET {', '.join(assignments)} REMOVE {', '.join([self.until, self.holder, *removals])}",
            ConditionExpression=Attr(self.holder).eq(token),
            ExpressionAttributeValues=dict(values),
            **request,
        )
        return answer is not None
