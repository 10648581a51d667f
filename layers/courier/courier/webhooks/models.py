"""The workspace webhook's requests and answers: PUT /v1/webhook (its default URL and the event types it gets),
GET /v1/webhook (the URL without its query, the signing secret's dates and the last renders' outcomes) and
POST /v1/webhook/secret (create or rotate the signing secret, shown once). A render's own webhook status is part of
its status document (courier.renders.answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from courier.models import ApiModel, RequestModel, WebhookState

WebhookEventType = Literal["render.delivered", "render.failed"]


class WebhookSettingsRequest(RequestModel):
    """``PUT /v1/webhook``: the workspace's default webhook (renders that name none) and the events it gets."""

    url: Annotated[str, StringConstraints(min_length=9, max_length=2048, pattern=r"^https://")] | None = Field(
        description="https URL; its query may hold a token (kept sealed, never answered); null removes it"
    )
    events: list[WebhookEventType] = Field(
        default_factory=lambda: list(get_args(WebhookEventType)), min_length=1, max_length=2
    )


class WebhookSecretInfo(ApiModel):
    exists: bool
    created_at: datetime | None = None
    rotated_at: datetime | None = None
    previous_valid_until: datetime | None = Field(
        default=None, description="the rotated-out secret still signs events until then"
    )


class WebhookEventOutcome(ApiModel):
    render_id: str
    event_id: str
    status: WebhookState
    attempts: int
    last_error: str | None = None
    sent_at: datetime | None = None


class WebhookSettingsResponse(ApiModel):
    url: str | None = Field(description="without its query string: that may hold a token")
    has_query: bool = False
    events: list[str]
    secret: WebhookSecretInfo
    recent: list[WebhookEventOutcome] = Field(default_factory=list, description="the last renders' webhook outcomes")


class WebhookSecretRequest(RequestModel):
    """``POST /v1/webhook/secret``: create the signing secret, or rotate it (the old one keeps signing meanwhile)."""

    grace_hours: Annotated[int, Field(ge=0, le=720)] = 24


class WebhookSecretResponse(ApiModel):
    secret: str = Field(description="whsec_…: shown this once")
    previous_valid_until: datetime | None = None
