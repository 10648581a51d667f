"""Function settings from environment variables, read once per cold start (never at import time)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURIER_", extra="ignore", frozen=True)

    table_name: str
    staging_bucket: str
    secret_prefix: str = "courier/"  # noqa: S105 - a name prefix, not a secret


class RenderSettings(CommonSettings):
    url_expiry_seconds: int = 3600
    # Keys revoked in the table stop working within this many seconds (per warm container cache).
    api_key_cache_seconds: int = 60


class DeliverSettings(CommonSettings):
    max_delivery_attempts: int = 3
    # A claimed delivery whose worker died becomes claimable again after the Lambda timeout.
    lease_seconds: int = 900


@cache
def render_settings() -> RenderSettings:
    return RenderSettings()  # filled from the environment


@cache
def deliver_settings() -> DeliverSettings:
    return DeliverSettings()
