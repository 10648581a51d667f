"""Function settings from environment variables, read once per cold start (never at import time)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURIER_", extra="ignore", frozen=True)

    table_name: str
    staging_bucket: str
    secret_prefix: str = "courier/"  # noqa: S105 - a name prefix, not a secret
    # KMS key that seals secrets given inside a render request (presigned URLs, inline bucket keys).
    inline_key_id: str | None = None
    # Only the local stack sets this (--allow-local-urls): http to loopback for URLs and endpoints.
    allow_local_urls: bool = False


class RenderSettings(CommonSettings):
    url_expiry_seconds: int = 3600
    # Connect Dropbox: our Dropbox app (PKCE, so only its public key), and where the browser comes back to.
    dropbox_app_key: str | None = None
    dropbox_authorize_url: str = "https://www.dropbox.com/oauth2/authorize"
    public_url: str | None = None  # default: https://<the API's domain>
    # The role customers grant in their bucket policy ("policy" storages); shown in the policy to paste.
    delivery_role_arn: str = "arn:aws:iam::123456789012:role/render-courier-deliver"
    # Keys revoked in the table stop working within this many seconds (per warm container cache).
    api_key_cache_seconds: int = 60


class DeliverSettings(CommonSettings):
    max_delivery_attempts: int = 3
    # The reconciler re-drives deliveries still pending after this long (the async event queue can drop events).
    reconcile_after_seconds: int = 900
    dlq_url: str | None = None
    # A claimed delivery whose worker died becomes claimable again after the Lambda timeout.
    lease_seconds: int = 900


@cache
def render_settings() -> RenderSettings:
    return RenderSettings()  # filled from the environment


@cache
def deliver_settings() -> DeliverSettings:
    return DeliverSettings()
