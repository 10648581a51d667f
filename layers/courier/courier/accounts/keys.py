"""Workspaces and their API keys: create, list (prefix only), revoke and rotate, on the service's one table.

Item layout (``pk`` / ``sk``), next to the ones in ``courier/persistence/table.py``:
  APIKEY#<sha256>        / APIKEY         the key as the authenticator reads it; deleted on revoke, and given
                                          ``expires_at`` (plus the ``expiresAt`` TTL) when rotated
  WS#<workspace>         / KEY#<key id>   the key under its workspace, for listing (a Query); keeps revoked keys
  KEY#<key id>           / KEY            key id → workspace and hash, so a key is managed by its id alone
  WS#<workspace>         / WORKSPACE      the workspace (Store adds its ExternalId and webhook settings)
  WORKSPACES             / WS#<workspace> the directory of workspaces, so listing them is a Query, not a Scan

A key's items change together in one transaction: a key is never listed without being usable, or the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import SecretStr

from courier.accounts.apikey import (
    PREFIX_LENGTH,
    ApiKey,
    IssuedKey,
    Workspace,
    generate_api_key,
    hash_api_key,
    new_key_id,
    new_workspace_id,
)
from courier.persistence.table import conditional_failed, query_all, text, transaction_condition_failed

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table
    from types_boto3_dynamodb.type_defs import PutTypeDef, TransactWriteItemTypeDef

DEFAULT_GRACE = timedelta(hours=24)
MAX_GRACE = timedelta(days=30)
# Rotated-out keys stay in the table this long after they stop working, then DynamoDB's TTL removes them.
EXPIRED_RETENTION = timedelta(days=7)
DIRECTORY = "WORKSPACES"


class KeyNotFoundError(Exception):
    """No key (or workspace) with that id; the message names which."""


class KeyStateError(Exception):
    """The key exists but cannot do that now (e.g. rotating a revoked key); the message says why."""


class KeyRepository:
    """Workspace and key items on the table (a boto3 ``Table`` resource).

    Raises ``KeyNotFoundError`` for unknown ids, ``KeyStateError`` when a key is not in a state for the change,
    and lets other ``ClientError``s through (the table is unreachable or the caller lacks permissions).
    """

    def __init__(self, table: Table, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._table = table
        self._now = now

    # ------------------------------------------------------------ read path (the authenticator)

    def get_api_key(self, key_hash: str) -> ApiKey | None:
        item = self._table.get_item(Key={"pk": f"APIKEY#{key_hash}", "sk": "APIKEY"}).get("Item")
        if not item:
            return None
        if "key_id" not in item:
            # Written before keys had ids (session 1's provisioning): valid until revoked by deleting the item.
            item = {**item, "key_id": "", "name": ""}
        return ApiKey.model_validate(item)

    # ------------------------------------------------------------ workspaces

    def create_workspace(
        self, name: str, key: str | None = None, key_name: str = "default"
    ) -> tuple[Workspace, IssuedKey]:
        """A workspace and its first key, written in one transaction."""
        workspace = Workspace(workspace_id=new_workspace_id(), name=name, created_at=self._now())
        fields = workspace.model_dump(mode="json")
        issued, key_items = self._new_key(workspace.workspace_id, key_name, key)
        self._transact(
            [
                {"Put": self._put({"pk": f"WS#{workspace.workspace_id}", "sk": "WORKSPACE", **fields}, new=True)},
                {"Put": self._put({"pk": DIRECTORY, "sk": f"WS#{workspace.workspace_id}", **fields}, new=True)},
                *key_items,
            ]
        )
        return workspace, issued

    def get_workspace(self, workspace_id: str) -> Workspace | None:
        item = self._table.get_item(Key={"pk": f"WS#{workspace_id}", "sk": "WORKSPACE"}, ConsistentRead=True).get(
            "Item"
        )
        return Workspace.model_validate(item) if item else None

    def list_workspaces(self) -> list[Workspace]:
        items = self._query(pk=DIRECTORY, sk_prefix="WS#")
        return sorted((Workspace.model_validate(i) for i in items), key=lambda w: (w.created_at, w.workspace_id))

    # ------------------------------------------------------------ keys

    def create_key(self, workspace_id: str, name: str = "default") -> IssuedKey:
        if self.get_workspace(workspace_id) is None:
            raise KeyNotFoundError(f"no workspace {workspace_id}: see `workspace list`")
        issued, items = self._new_key(workspace_id, name)
        # The workspace must still exist when the key lands (a check inside the same transaction).
        self._transact([self._workspace_exists(workspace_id), *items], missing=f"no workspace {workspace_id}")
        return issued

    def list_keys(self, workspace_id: str) -> list[ApiKey]:
        items = self._query(pk=f"WS#{workspace_id}", sk_prefix="KEY#")
        return sorted((ApiKey.model_validate(i) for i in items), key=lambda k: (k.created_at, k.key_id))

    def get_key(self, key_id: str) -> ApiKey:
        pointer = self._table.get_item(Key={"pk": f"KEY#{key_id}", "sk": "KEY"}, ConsistentRead=True).get("Item")
        item = (
            self._table.get_item(
                Key={"pk": f"WS#{text(pointer, 'workspace_id')}", "sk": f"KEY#{key_id}"}, ConsistentRead=True
            ).get("Item")
            if pointer
            else None
        )
        if not item:
            raise KeyNotFoundError(f"no key {key_id}: see `key list WORKSPACE_ID`")
        return ApiKey.model_validate(item)

    def revoke_key(self, key_id: str) -> tuple[ApiKey, bool]:
        """Revoke at once; returns the key and whether this call revoked it (False: it already was)."""
        key = self.get_key(key_id)
        if key.revoked_at is not None:
            return key, False
        now = self._now()
        self._transact(
            [
                # Deleting the lookup item is what refuses the key (even to a reader that ignores revoked_at).
                {"Delete": {"TableName": self._table.name, "Key": {"pk": f"APIKEY#{key.key_hash}", "sk": "APIKEY"}}},
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": {"pk": f"WS#{key.workspace_id}", "sk": f"KEY#{key.key_id}"},
                        "UpdateExpression": "SET revoked_at = :now",
                        "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(revoked_at)",
                        "ExpressionAttributeValues": {":now": now.isoformat()},
                    }
                },
            ],
            conflict=f"key {key_id} was changed meanwhile: run the command again",
        )
        return key.model_copy(update={"revoked_at": now}), True

    def rotate_key(self, key_id: str, grace: timedelta = DEFAULT_GRACE) -> tuple[ApiKey, IssuedKey]:
        """A new key for the same workspace; the old one keeps working for ``grace``, then is refused.

        Returns the old key (with its ``expires_at``) and the new one.
        """
        if grace < timedelta(0) or grace > MAX_GRACE:
            raise ValueError(f"the grace period must be between 0 and {MAX_GRACE.days} days")
        old = self.get_key(key_id)
        now = self._now()
        status = old.status(now)
        if status != "active":
            hint = f" (already replaced by {old.replaced_by})" if old.replaced_by else ""
            raise KeyStateError(f"key {key_id} is {status}{hint}: only an active key can be rotated")
        issued, items = self._new_key(old.workspace_id, old.name)
        expires = now + grace
        values = {":expires": expires.isoformat(), ":new": issued.key.key_id}
        condition = "attribute_exists(pk) AND attribute_not_exists(expires_at)"
        self._transact(
            [
                *items,
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": {"pk": f"APIKEY#{old.key_hash}", "sk": "APIKEY"},
                        # DynamoDB's TTL removes the lookup item some time after it stops working; reads check
                        # expires_at, so the key is refused on time whenever the TTL gets round to it.
                        "UpdateExpression": "SET expires_at = :expires, replaced_by = :new, expiresAt = :ttl",
                        "ConditionExpression": condition,
                        "ExpressionAttributeValues": {
                            **values,
                            ":ttl": int((expires + EXPIRED_RETENTION).timestamp()),
                        },
                    }
                },
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": {"pk": f"WS#{old.workspace_id}", "sk": f"KEY#{old.key_id}"},
                        "UpdateExpression": "SET expires_at = :expires, replaced_by = :new",
                        "ConditionExpression": condition,
                        "ExpressionAttributeValues": values,
                    }
                },
            ],
            conflict=f"key {key_id} was rotated or revoked meanwhile: see `key list {old.workspace_id}`",
        )
        return old.model_copy(update={"expires_at": expires, "replaced_by": issued.key.key_id}), issued

    # ------------------------------------------------------------ helpers

    def _new_key(
        self, workspace_id: str, name: str, secret: str | None = None
    ) -> tuple[IssuedKey, list[TransactWriteItemTypeDef]]:
        secret = secret or generate_api_key()
        key = ApiKey(
            key_id=new_key_id(),
            name=name,
            key_hash=hash_api_key(secret),
            workspace_id=workspace_id,
            prefix=secret[:PREFIX_LENGTH],
            created_at=self._now(),
        )
        fields = key.model_dump(mode="json", exclude_none=True)
        items: list[TransactWriteItemTypeDef] = [
            {"Put": self._put({"pk": f"APIKEY#{key.key_hash}", "sk": "APIKEY", **fields}, new=True)},
            {"Put": self._put({"pk": f"WS#{workspace_id}", "sk": f"KEY#{key.key_id}", **fields}, new=True)},
            {
                "Put": self._put(
                    {"pk": f"KEY#{key.key_id}", "sk": "KEY", "workspace_id": workspace_id, "key_hash": key.key_hash},
                    new=True,
                )
            },
        ]
        return IssuedKey(key=key, secret=SecretStr(secret)), items

    def _put(self, item: dict[str, Any], new: bool) -> PutTypeDef:
        put: PutTypeDef = {"TableName": self._table.name, "Item": item}
        if new:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        return put

    def _workspace_exists(self, workspace_id: str) -> TransactWriteItemTypeDef:
        return {
            "ConditionCheck": {
                "TableName": self._table.name,
                "Key": {"pk": f"WS#{workspace_id}", "sk": "WORKSPACE"},
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def _transact(self, items: list[TransactWriteItemTypeDef], missing: str = "", conflict: str = "") -> None:
        """Write ``items`` atomically. With ``missing``, a failed condition on the first item means "not found"."""
        try:
            self._table.meta.client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            # Transactions report each item's reason; any condition failure means someone else changed the key first.
            if not (conditional_failed(exc) or transaction_condition_failed(exc)):
                raise
            reasons = exc.response.get("CancellationReasons") or [{"Code": "ConditionalCheckFailed"}]
            if missing and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise KeyNotFoundError(missing) from None
            # A new random id or key colliding with a stored one (2^64, 2^256) is not worth a retry loop.
            raise KeyStateError(conflict or "the table changed meanwhile: run the command again") from None

    def _query(self, pk: str, sk_prefix: str) -> list[dict[str, Any]]:
        return query_all(
            self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": pk, ":sk": sk_prefix},
        )
