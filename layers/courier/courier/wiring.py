"""Builds each function's services from its settings, once per cold start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from courier import aws
from courier.auth import ApiKeyAuthenticator
from courier.credentials import CredentialReader, CredentialStore
from courier.delivery import DeliveryService
from courier.destinations.registry import DestinationFactory
from courier.renders import RenderService
from courier.settings import deliver_settings, render_settings
from courier.staging import StagingBucket
from courier.storages import StorageService
from courier.store import Store


@dataclass(frozen=True)
class ApiServices:
    auth: ApiKeyAuthenticator
    renders: RenderService
    storages: StorageService


@cache
def api_services() -> ApiServices:
    settings = render_settings()
    store = Store(aws.table(settings.table_name))
    staging = StagingBucket(aws.client("s3"), settings.staging_bucket)
    return ApiServices(
        auth=ApiKeyAuthenticator(store, settings.api_key_cache_seconds),
        renders=RenderService(store, staging, settings.url_expiry_seconds),
        storages=StorageService(
            store,
            CredentialStore(aws.client("secretsmanager"), settings.secret_prefix),
            own_buckets=frozenset({settings.staging_bucket}),
        ),
    )


@cache
def delivery_service() -> DeliveryService:
    settings = deliver_settings()
    return DeliveryService(
        store=Store(aws.table(settings.table_name)),
        staging=StagingBucket(aws.client("s3"), settings.staging_bucket),
        destinations=DestinationFactory(CredentialReader(aws.client("secretsmanager"))),
        max_attempts=settings.max_delivery_attempts,
        lease=timedelta(seconds=settings.lease_seconds),
    )
