"""Function settings from environment variables (COURIER_<FIELD>), read once per cold start (never at import
time). Plain pydantic models filled from os.environ: pydantic-settings cost 70 ms of every cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

PREFIX = "COURIER_"


class CommonSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Self:
        """Each field from COURIER_<FIELD NAME> when set (strings coerced: "true", "60", "0.5"), else its default."""
        names = {f"{PREFIX}{name.upper()}": name for name in cls.model_fields}
        return cls.model_validate({names[var]: value for var, value in environ.items() if var in names})

    table_name: str
    staging_bucket: str
    secret_prefix: str = "courier/"  # noqa: S105 - a name prefix, not a secret
    # KMS key that seals secrets given inside a render request (presigned URLs, inline bucket keys).
    inline_key_id: str | None = None
    # Only the local stack sets this (--allow-local-urls): http to loopback for URLs and endpoints.
    allow_local_urls: bool = False
    # Our writer role: deliveries to "policy" storages run under its sessions tagged with the workspace, and the
    # bucket policy answered to customers names it with that tag as a condition.
    writer_role_arn: str = "arn:aws:iam::123456789012:role/render-courier-delivery-writer"


class RenderSettings(CommonSettings):
    url_expiry_seconds: int = 3600
    # Connect Dropbox: our Dropbox app (PKCE, so only its public key), and where the browser comes back to.
    dropbox_app_key: str | None = None
    dropbox_authorize_url: str = "https://www.dropbox.com/oauth2/authorize"
    public_url: str | None = None  # default: https://<the API's domain>
    # Keys revoked in the table stop working within this many seconds (per warm container cache); 300 at most.
    api_key_cache_seconds: int = Field(60, ge=0, le=300)
    # Per-workspace rate limit across all containers (429 with Retry-After beyond it); 0 turns it off.
    rate_limit_requests: int = Field(600, ge=0)
    rate_limit_window_seconds: int = Field(60, ge=1, le=3600)
    # A remote copy answers 201/200 if done within this time, else 202 (the API's own limit is 30 s).
    copy_wait_seconds: float = Field(20, ge=0, le=25)
    # Where clips (video, animated GIF/WebP) are queued for the video function; unset: clips are refused (503).
    clip_queue_url: str | None = None


class DeliverSettings(CommonSettings):
    max_delivery_attempts: int = 3
    # The reconciler re-drives deliveries still pending after this long (the async event queue can drop events).
    reconcile_after_seconds: int = 900
    dlq_url: str | None = None
    # A claimed delivery whose worker died becomes claimable again after the Lambda timeout.
    lease_seconds: int = 900
    # Webhooks: the links to the files in an event's render document live this long (the same variable as the
    # render function's); a webhook still failing this long after its render was accepted is recorded as failed.
    url_expiry_seconds: int = 3600
    webhook_retry_hours: int = Field(72, ge=1, le=720)


@cache
def render_settings() -> RenderSettings:
    return RenderSettings.from_env()


@cache
def deliver_settings() -> DeliverSettings:
    return DeliverSettings.from_env()
