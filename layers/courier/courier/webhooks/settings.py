"""A workspace's own webhook settings (``/v1/webhook``): its default URL and events, its signing secret, and how
its last events went. The operators' CLI manages the same settings through
``courier.webhooks.workspace.WorkspaceWebhooks``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from courier.errors import ConflictError, UnprocessableError
from courier.net.policy import redact
from courier.persistence.store import Store
from courier.records import WorkspaceWebhookRecord
from courier.renders.status import event_id
from courier.webhooks.events import EVENT_TYPES
from courier.webhooks.models import (
    WebhookEventOutcome,
    WebhookSecretInfo,
    WebhookSecretRequest,
    WebhookSecretResponse,
    WebhookSettingsRequest,
    WebhookSettingsResponse,
)
from courier.webhooks.workspace import WebhookConfigError, WebhookURLError, WorkspaceWebhooks

RECENT = 10  # renders looked at for "recent" (their webhook outcomes)


class WebhookSettings:
    def __init__(self, webhooks: WorkspaceWebhooks, store: Store, *, allow_local: bool = False) -> None:
        self._webhooks = webhooks
        self._store = store
        self._allow_local = allow_local

    def show(self, workspace_id: str) -> WebhookSettingsResponse:
        return self._answer(self._webhooks.show(workspace_id))

    def put(self, workspace_id: str, request: WebhookSettingsRequest) -> WebhookSettingsResponse:
        try:
            settings, _ = self._webhooks.set(
                workspace_id,
                request.url,
                clear_url=request.url is None,
                allow_local=self._allow_local,
                events=list(request.events),
                create_secret=False,
            )
        except WebhookURLError as exc:
            raise UnprocessableError.at("url", str(exc)) from None
        except WebhookConfigError as exc:
            raise ConflictError(str(exc)) from None
        return self._answer(settings)

    def secret(self, workspace_id: str, request: WebhookSecretRequest) -> WebhookSecretResponse:
        settings, secret = self._webhooks.create_or_rotate(workspace_id, timedelta(hours=request.grace_hours))
        return WebhookSecretResponse(
            secret=secret.get_secret_value(), previous_valid_until=settings.webhook_previous_until
        )

    def _answer(self, settings: WorkspaceWebhookRecord) -> WebhookSettingsResponse:
        previous = settings.webhook_previous_until
        return WebhookSettingsResponse(
            url=redact(settings.webhook_url) if settings.webhook_url else None,
            has_query=settings.webhook_query_sealed is not None or "?" in (settings.webhook_url or ""),
            events=settings.webhook_events or list(EVENT_TYPES),
            secret=WebhookSecretInfo(
                exists=settings.webhook_secret_id is not None,
                created_at=settings.webhook_secret_created_at,
                rotated_at=settings.webhook_rotated_at,
                previous_valid_until=previous if previous and previous > datetime.now(UTC) else None,
            ),
            recent=self._recent(settings.workspace_id),
        )

    def _recent(self, workspace_id: str) -> list[WebhookEventOutcome]:
        ids, _ = self._store.list_render_ids(workspace_id, RECENT, None)
        outcomes = []
        for render_id in ids:
            found = self._store.get_render(render_id)
            if found is None or found[0].webhook_state is None:
                continue
            render = found[0]
            outcomes.append(
                WebhookEventOutcome(
                    render_id=render.id,
                    event_id=event_id(render.id),
                    status=render.webhook_state,
                    attempts=render.webhook_attempts,
                    last_error=render.webhook_error,
                    sent_at=render.webhook_sent_at,
                )
            )
        return outcomes
