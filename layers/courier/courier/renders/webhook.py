"""Render webhooks: where a render's event goes, decided when the render is accepted.

The request's ``webhook`` wins, else the workspace's default URL (an explicit ``"webhook": null`` opts out). A URL
the outbound policy refuses, or a workspace without a secret to sign with, is a 422: an unsigned or unverifiable event
would teach receivers to skip the check. The URL is kept without its query, which is sealed apart (it often holds a
token); ``webhook_fields`` are what the render record carries so the event is sent once every delivery is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from courier.errors import UnprocessableError
from courier.net.policy import BlockedURLError, check_url
from courier.persistence.store import Store
from courier.renders.models import RenderRequest
from courier.secrets.sealing import Sealer
from courier.secrets.webhook_urls import seal_url


@dataclass(frozen=True)
class RenderWebhook:
    """Where one render's event goes."""

    url: str  # scheme://host/path
    query_sealed: str | None
    events: list[str] | None


def webhook_for(
    store: Store, sealer: Sealer, workspace_id: str, request: RenderRequest, allow_local: bool
) -> RenderWebhook | None:
    """Where this render's event goes: the request's ``webhook``, else the workspace's default (an explicit
    ``"webhook": null`` opts out). 422 for a URL the outbound policy refuses, or when the workspace has no
    secret to sign with: an unsigned or unverifiable event would teach receivers to skip the check. The URL is
    kept without its query, which is sealed apart (it often holds a token)."""
    settings = store.workspace_webhook(workspace_id)
    if request.webhook is None:
        if "webhook" in request.model_fields_set or settings is None or not settings.webhook_secret_id:
            return None
        if settings.webhook_url is None:
            return None
        return RenderWebhook(settings.webhook_url, settings.webhook_query_sealed, settings.webhook_events)
    try:
        check_url(request.webhook, allow_local=allow_local)
    except BlockedURLError as exc:
        raise UnprocessableError.at("webhook", exc.reason) from None
    if settings is None or not settings.webhook_secret_id:
        raise UnprocessableError.at(
            "webhook",
            "this workspace has no webhook secret to sign events with yet: create it with POST "
            "/v1/webhook/secret (or an operator with `python -m courier_tools.admin webhook set`; "
            "see docs/WEBHOOKS.md)",
        )
    shown, sealed = seal_url(sealer, workspace_id, request.webhook)
    return RenderWebhook(shown, sealed, None)


def webhook_fields(webhook: RenderWebhook | None, now: datetime) -> dict[str, Any]:
    """A render record's webhook fields: where its event goes, pending from the start."""
    if webhook is None:
        return {}
    return {
        "webhook_url": webhook.url,
        "webhook_query_sealed": webhook.query_sealed,
        "webhook_events": webhook.events,
        "webhook_state": "pending",
        "webhook_next_at": now,
    }
