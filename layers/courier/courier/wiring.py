"""Builds each function's services from its settings, once per cold start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache, partial

from courier import aws
from courier.auth import ApiKeyAuthenticator
from courier.credentials import CredentialReader, CredentialStore
from courier.delivery import DeliveryService
from courier.destinations.registry import DestinationFactory, RoleAssumer
from courier.dropbox_connect import DropboxConnect
from courier.netguard import fetch
from courier.renders import RenderService
from courier.sealing import Sealer
from courier.settings import deliver_settings, render_settings
from courier.staging import StagingBucket
from courier.storages import StorageService
from courier.store import Store
from courier.templates import TemplateService

# Remote images in modifications: fetched through the SSRF guard, with a size cap and a deadline.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ApiServices:
    auth: ApiKeyAuthenticator
    renders: RenderService
    storages: StorageService
    templates: TemplateService
    dropbox: DropboxConnect


@cache
def api_services() -> ApiServices:
    settings = render_settings()
    store = Store(aws.table(settings.table_name))
    staging = StagingBucket(aws.client("s3"), settings.staging_bucket)
    roles = RoleAssumer(aws.client("sts"))
    templates = TemplateService(store)
    sealer = Sealer(aws.client("kms"), settings.inline_key_id)
    # The render role never reads stored secrets back: probes get the secret from the request itself.
    probes = DestinationFactory(
        CredentialReader(aws.client("secretsmanager")), roles, sealer, allow_local_urls=settings.allow_local_urls
    )
    storages = StorageService(
        store,
        CredentialStore(aws.client("secretsmanager"), settings.secret_prefix),
        probes,
        roles,
        own_buckets=frozenset({settings.staging_bucket}),
        delivery_role_arn=settings.delivery_role_arn,
        allow_local_urls=settings.allow_local_urls,
    )
    return ApiServices(
        auth=ApiKeyAuthenticator(store, settings.api_key_cache_seconds),
        renders=RenderService(
            store,
            staging,
            sealer,
            templates,
            settings.url_expiry_seconds,
            settings.allow_local_urls,
            fetch_image=partial(
                fetch, max_bytes=MAX_IMAGE_BYTES, timeout=IMAGE_TIMEOUT_SECONDS, allow_local=settings.allow_local_urls
            ),
        ),
        storages=storages,
        templates=templates,
        dropbox=DropboxConnect(store, storages, settings.dropbox_app_key, settings.dropbox_authorize_url),
    )


@cache
def delivery_service() -> DeliveryService:
    settings = deliver_settings()
    return DeliveryService(
        store=Store(aws.table(settings.table_name)),
        staging=StagingBucket(aws.client("s3"), settings.staging_bucket),
        destinations=DestinationFactory(
            CredentialReader(aws.client("secretsmanager")),
            RoleAssumer(aws.client("sts")),
            Sealer(aws.client("kms"), settings.inline_key_id),
            allow_local_urls=settings.allow_local_urls,
        ),
        max_attempts=settings.max_delivery_attempts,
        lease=timedelta(seconds=settings.lease_seconds),
    )
