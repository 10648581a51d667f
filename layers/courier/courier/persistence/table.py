"""The service's one DynamoDB table: its item layout, keys, retention and index partitions, and the few helpers every
repository shares (a paged consistent query, recognising a failed condition).

Item layout (``pk`` / ``sk``), each kind read and written by its own repository in this package:
  (API keys and workspaces' own items: courier/accounts/keys.py; the rate limit's: courier/accounts/ratelimit.py)
  WS#<workspace>         / WORKSPACE                   the workspace's ExternalId and webhook settings (workspaces.py)
  WS#<workspace>         / STORAGE#<name>              a storage: settings, secret reference (storages.py)
  OAUTH#<state hash>     / OAUTH                       a Connect Dropbox state, taken once (oauth.py)
  WS#<workspace>         / TEMPLATE#<id>               a saved template document (templates.py)
  RENDER#<id>            / RENDER                      the render: files, connections, warnings, its webhook
                                                       (renders.py; its webhook's lease: webhooks.py)
  RENDER#<id>            / DELIVERY#<file>#<conn>      one (file, destination) delivery and its status (deliveries.py)
  FILE#<file uuid>       / FILE                        which render (and workspace) a staged file belongs to
  WS#<workspace>         / RENDERAT#<at>#<id>          the workspace's renders in the order accepted (listing)

Items not final yet (deliveries, and renders whose webhook is unsent) carry ``pending`` / ``pending_since``: the
sparse ``Pending`` index the reconciler reads. Every read a decision depends on is consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table

    from courier.records import RenderRecord

RENDER_RETENTION = timedelta(days=30)
RENDER_LISTING = "RENDERAT#"  # WS#<workspace> / RENDERAT#<accepted at, ISO>#<render id>: the listing's pointers
PENDING = "pending"  # the Pending index's partition of deliveries not final yet
WEBHOOK_PENDING = "webhook"  # ... and of renders whose webhook is neither sent nor failed


class Repository:
    """One kind of item over the table (a boto3 ``Table`` resource); ``Store`` composes them all."""

    def __init__(self, table: Table) -> None:
        self._table = table


def render_key(render_id: str) -> dict[str, str]:
    return {"pk": f"RENDER#{render_id}", "sk": "RENDER"}


def delivery_sk(file_uuid: str, connection: int) -> str:
    return f"DELIVERY#{file_uuid}#{connection:03d}"


def render_listing_sk(render: RenderRecord) -> str:
    return f"{RENDER_LISTING}{render.created_at.astimezone(UTC).isoformat()}#{render.id}"


def render_expires(render: RenderRecord) -> int:
    """The TTL (``expiresAt``) of a render's items: RENDER_RETENTION after it was accepted."""
    return int((render.created_at + RENDER_RETENTION).timestamp())


def query_all(table: Table, **query: Any) -> list[dict[str, Any]]:
    """Every item a consistent query matches, all pages."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ConsistentRead": True, **query}
    while True:
        page = table.query(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def text(item: Mapping[str, object], name: str) -> str:
    """An attribute the item layout stores as a string (keys, ISO times, JSON): read typed, as DynamoDB may hold any
    type under a name. TypeError when it is not a string."""
    value = item[name]
    if not isinstance(value, str):
        raise TypeError(f"the item's {name!r} is not a string")
    return value


def conditional_failed(exc: ClientError) -> bool:
    """A single-item write's condition did not hold."""
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def transaction_cancelled(exc: ClientError) -> bool:
    """A transaction was cancelled (a condition, a conflicting write or throttling: see its reasons)."""
    return bool(exc.response.get("Error", {}).get("Code") == "TransactionCanceledException")


def transaction_condition_failed(exc: ClientError) -> bool:
    """A transaction was cancelled because one of its items' conditions did not hold."""
    reasons = exc.response.get("CancellationReasons") or []
    return transaction_cancelled(exc) and any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)


def if_condition(write: Callable[..., Any], **request: Any) -> dict[str, Any] | None:
    """Make one conditional write (``table.update_item``, ``delete_item``, ...): its answer, or None when its condition
    did not hold. Other ``ClientError``s pass through."""
    try:
        answer = write(**request)
    except ClientError as exc:
        if conditional_failed(exc):
            return None
        raise
    return dict(answer or {})
