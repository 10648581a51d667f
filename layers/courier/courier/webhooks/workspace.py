"""A workspace's webhook settings as operators and the workspace manage them: the default URL, the events sent and
the signing secret's creation and rotation.

The URL must pass the outbound policy when it is set and is kept without its query, which is sealed apart
(``courier.secrets.webhook_urls``); a URL is only accepted with a secret to sign for it. Used by ``python -m
courier_tools.admin webhook …`` and, through ``courier.webhooks.settings``, by ``/v1/webhook``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from courier.net.policy import BlockedURLError, check_url
from courier.persistence.store import Store
from courier.records import WorkspaceWebhookRecord
from courier.secrets.sealing import Sealer
from courier.secrets.webhook_urls import seal_url
from courier.webhooks.events import EVENT_TYPES
from courier.webhooks.secrets import WebhookSecrets


class WebhookConfigError(Exception):
    """An admin change that cannot be made: no such workspace, no secret to rotate."""


class WebhookURLError(WebhookConfigError):
    """The URL is refused by the outbound policy; the message never holds its query string."""


class WorkspaceWebhooks:
    """A workspace's default URL, its events and its secret: for operators (``python -m courier_tools.admin webhook …``)
    and for the workspace itself (``/v1/webhook``)."""

    def __init__(
        self,
        store: Store,
        secrets: WebhookSecrets,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sealer: Sealer | None = None,
    ):
        self._store = store
        self._secrets = secrets
        self._now = now
        self._sealer = sealer

    def show(self, workspace_id: str) -> WorkspaceWebhookRecord:
        settings = self._store.workspace_webhook(workspace_id)
        if settings is None:
            raise WebhookConfigError(f"no workspace {workspace_id}: see `workspace list`")
        return settings

    def set(
        self,
        workspace_id: str,
        url: str | None,
        *,
        clear_url: bool = False,
        allow_local: bool = False,
        events: list[str] | None = None,
        create_secret: bool = True,
    ) -> tuple[WorkspaceWebhookRecord, SecretStr | None]:
        """Set (or with ``clear_url`` remove) the default URL, and the events sent (None: leave as they are). The URL
        is kept without its query; the query is sealed apart. With ``create_secret`` a workspace that has no secret
        gets one; without it, a URL with no secret to sign for it is refused (WebhookConfigError).

        Returns the settings and the new secret when one was created (it is shown once, then only its use remains).
        """
        settings = self.show(workspace_id)
        changes: dict[str, Any] = {}
        if url is not None:
            try:
                check_url(url, allow_local=allow_local)
            except BlockedURLError as exc:
                raise WebhookURLError(f"the webhook URL is refused: {exc.reason}") from None
            if not settings.webhook_secret_id and not create_secret:
                raise WebhookConfigError("create the signing secret first: POST /v1/webhook/secret")
            shown, sealed = seal_url(self._sealer, workspace_id, url, "url")
            changes |= {"webhook_url": shown, "webhook_query_sealed": sealed}
        elif clear_url:
            changes |= {"webhook_url": None, "webhook_query_sealed": None}
        if events is not None:
            changes["webhook_events"] = None if set(events) == set(EVENT_TYPES) else sorted(set(events))
        created: SecretStr | None = None
        if not settings.webhook_secret_id and create_secret:
            created, name = self._secrets.create(workspace_id)
            changes |= {"webhook_secret_id": name, "webhook_secret_created_at": self._now()}
        updated = settings.model_copy(update=changes)
        self._store.put_workspace_webhook(updated)
        return updated, created

    def create_or_rotate(self, workspace_id: str, grace: timedelta) -> tuple[WorkspaceWebhookRecord, SecretStr]:
        """``POST /v1/webhook/secret``: the workspace's first secret, or a rotation with ``grace`` of overlap."""
        settings = self.show(workspace_id)
        if settings.webhook_secret_id:
            return self.rotate(workspace_id, grace)
        secret, name = self._secrets.create(workspace_id)
        updated = settings.model_copy(update={"webhook_secret_id": name, "webhook_secret_created_at": self._now()})
        self._store.put_workspace_webhook(updated)
        return updated, secret

    def rotate(self, workspace_id: str, grace: timedelta) -> tuple[WorkspaceWebhookRecord, SecretStr]:
        """A new secret; events are signed with both until the grace period ends (the old one then stops)."""
        settings = self.show(workspace_id)
        if not settings.webhook_secret_id:
            raise WebhookConfigError(
                f"workspace {workspace_id} has no webhook secret to rotate: create it with `webhook set`"
            )
        now = self._now()
        until = now + grace if grace > timedelta(0) else None
        secret = self._secrets.rotate(workspace_id, until)
        updated = settings.model_copy(update={"webhook_rotated_at": now, "webhook_previous_until": until})
        self._store.put_workspace_webhook(updated)
        return updated, secret
