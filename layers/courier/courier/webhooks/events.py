"""Webhook events: what a workspace's endpoint receives when every destination of a render is final.

The wire contract (docs/WEBHOOKS.md) is a compact JSON body ``{"id", "type", "createdAt", "render"}`` whose exact
bytes are signed (``courier.webhooks.signing``). A render has one event id, the same on every send, so receivers can
drop the rare duplicate; its type is ``render.failed`` when any destination ended in error, else
``render.delivered``, and it is made only once nothing is pending any more.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

EventType = Literal["render.delivered", "render.failed"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

_EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # it travels in a header: no room for CR/LF tricks


@dataclass(frozen=True)
class WebhookEvent:
    """One event. ``render`` is the render status document (GET /v1/renders/{id}) as JSON-ready camelCase data."""

    id: str
    type: EventType
    created_at: datetime
    render: dict[str, Any]

    def __post_init__(self) -> None:
        if not _EVENT_ID.match(self.id):
            raise ValueError("an event id is 1-128 letters, digits, '_' or '-'")
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    def payload(self) -> dict[str, Any]:
        created = self.created_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"id": self.id, "type": self.type, "createdAt": created, "render": self.render}

    def body(self) -> bytes:
        """The exact bytes that are POSTed and signed (compact JSON, UTF-8). Raises TypeError if ``render`` is not
        JSON data (e.g. a datetime: dump the status model with ``mode="json"``)."""
        return json.dumps(self.payload(), separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def event_for(render_status: dict[str, Any], *, event_id: str, now: datetime) -> WebhookEvent:
    """The event for a render whose destinations are all final: ``render.failed`` when any connection is in
    ``error``, else ``render.delivered`` (success, already_exists, skipped, or no connection at all).

    Raises ValueError while a connection is still ``pending``: the event is sent once, when the render is final.
    """
    statuses = [str(c.get("status")) for c in render_status.get("connections") or []]
    if "pending" in statuses or render_status.get("status") in ("delivering", "rendering"):
        raise ValueError("the render still has pending deliveries: send its webhook when every one is final")
    failed = "error" in statuses or render_status.get("status") == "failed"
    kind: EventType = "render.failed" if failed else "render.delivered"
    return WebhookEvent(id=event_id, type=kind, created_at=now, render=render_status)
