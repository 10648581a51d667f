"""Builds each function's services from its settings, once per cold start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache, partial
from typing import TYPE_CHECKING

from courier import aws
from courier.credentials import CredentialReader
from courier.destinations.registry import DestinationFactory, RoleAssumer, Transport
from courier.sealing import Sealer
from courier.settings import DeliverSettings, deliver_settings, render_settings
from courier.staging import StagingBucket
from courier.store import Store

if TYPE_CHECKING:  # each function imports only what its own services need: the deliver path never loads the renderer
    from courier.auth import ApiKeyAuthenticator
    from courier.clips import ClipRenderer
    from courier.compat.uploadcare import UploadcareAuthenticator, UploadcareKeys
    from courier.copies import CopyService
    from courier.delivery import DeliveryService, RetryPolicy
    from courier.dropbox_connect import DropboxConnect
    from courier.idempotency import IdempotentRequests
    from courier.ratelimit import RateLimiter
    from courier.renders import RenderService
    from courier.storages import StorageService
    from courier.templates import TemplateService
    from courier.webhook_settings import WebhookSettings

# Remote images in modifications: fetched through the SSRF guard, with a size cap and a deadline.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ApiServices:
    auth: ApiKeyAuthenticator
    rate_limit: RateLimiter
    renders: RenderService
    storages: StorageService
    templates: TemplateService
    dropbox: DropboxConnect
    copies: CopyService
    idempotency: IdempotentRequests
    uploadcare_keys: UploadcareKeys
    uploadcare: UploadcareAuthenticator
    webhooks: WebhookSettings


@cache
def api_services() -> ApiServices:
    from courier.auth import ApiKeyAuthenticator
    from courier.clips import ClipQueue, ClipRequests
    from courier.compat.uploadcare import UploadcareAuthenticator, UploadcareKeys
    from courier.copies import CopyService
    from courier.credentials import CredentialStore
    from courier.dropbox_connect import DropboxConnect
    from courier.idempotency import IdempotentRequests
    from courier.keys import KeyRepository
    from courier.netguard import fetch
    from courier.ratelimit import RateLimiter
    from courier.renders import RenderService
    from courier.storages import StorageService
    from courier.templates import TemplateService
    from courier.webhook_settings import WebhookSettings
    from courier.webhooks import WebhookSecrets, WorkspaceWebhooks

    settings = render_settings()
    store = Store(aws.table(settings.table_name))
    staging = StagingBucket(aws.lazy_client("s3"), settings.staging_bucket)
    roles = RoleAssumer(aws.lazy_client("sts"))
    templates = TemplateService(store)
    sealer = Sealer(aws.lazy_client("kms"), settings.inline_key_id)
    uploadcare_keys = UploadcareKeys(aws.table(settings.table_name), aws.lazy_client("kms"), settings.inline_key_id)
    # The render role never reads stored secrets back: probes get the secret from the request itself.
    probes = DestinationFactory(
        CredentialReader(aws.lazy_client("secretsmanager")), roles, sealer, allow_local_urls=settings.allow_local_urls
    )
    storages = StorageService(
        store,
        CredentialStore(aws.lazy_client("secretsmanager"), settings.secret_prefix),
        probes,
        roles,
        own_buckets=frozenset({settings.staging_bucket}),
        writer_role_arn=settings.writer_role_arn,
        allow_local_urls=settings.allow_local_urls,
    )
    return ApiServices(
        auth=ApiKeyAuthenticator(KeyRepository(aws.table(settings.table_name)), settings.api_key_cache_seconds),
        rate_limit=RateLimiter(
            aws.table(settings.table_name), settings.rate_limit_requests, settings.rate_limit_window_seconds
        ),
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
            clips=ClipRequests(
                store,
                staging,
                sealer,
                ClipQueue(aws.lazy_client("sqs"), settings.clip_queue_url) if settings.clip_queue_url else None,
            ),
        ),
        storages=storages,
        templates=templates,
        dropbox=DropboxConnect(store, storages, settings.dropbox_app_key, settings.dropbox_authorize_url),
        copies=CopyService(store, staging, settings.copy_wait_seconds),
        idempotency=IdempotentRequests(settings.table_name, aws.lazy_client("dynamodb")),
        uploadcare_keys=uploadcare_keys,
        uploadcare=UploadcareAuthenticator(uploadcare_keys),
        webhooks=WebhookSettings(
            WorkspaceWebhooks(
                store, WebhookSecrets(settings.secret_prefix, client=aws.lazy_client("secretsmanager")), sealer=sealer
            ),
            store,
            allow_local=settings.allow_local_urls,
        ),
    )


@cache
def clip_renderer() -> ClipRenderer:
    """The video function's service: draws and encodes clips (PyAV is in its own layer), then stages them."""
    from courier.clips import ClipRenderer
    from courier.netguard import fetch
    from courier.templates import TemplateService

    settings = render_settings()
    store = Store(aws.table(settings.table_name))
    return ClipRenderer(
        store,
        StagingBucket(aws.lazy_client("s3"), settings.staging_bucket),
        TemplateService(store),
        partial(fetch, max_bytes=MAX_IMAGE_BYTES, timeout=IMAGE_TIMEOUT_SECONDS, allow_local=settings.allow_local_urls),
    )


@cache
def delivery_service() -> DeliveryService:
    return build_delivery_service(deliver_settings())


def build_delivery_service(
    settings: DeliverSettings,
    *,
    dead_letters: bool = True,
    transport: Transport | None = None,
    retry: RetryPolicy | None = None,
    lease: timedelta | None = None,
) -> DeliveryService:
    """The deliver function's service. Operators' commands (courier.ops) write no dead letters of their own: they
    show what failed. The fault-injection stack passes shorter timeouts, retries and leases."""
    from courier.delivery import DeadLetters, DeliveryService, RetryPolicy, WebhookNotifier, WebhookPolicy
    from courier.webhooks import WebhookSecrets, WebhookSender

    store = Store(aws.table(settings.table_name))
    staging = StagingBucket(aws.lazy_client("s3"), settings.staging_bucket)
    secrets = CredentialReader(aws.lazy_client("secretsmanager"))
    letters = None
    if dead_letters and settings.dlq_url:
        letters = DeadLetters(aws.lazy_client("sqs"), settings.dlq_url, settings.staging_bucket)
    sealer = Sealer(aws.lazy_client("kms"), settings.inline_key_id)
    return DeliveryService(
        store=store,
        staging=staging,
        destinations=DestinationFactory(
            secrets,
            RoleAssumer(aws.lazy_client("sts")),
            sealer,
            allow_local_urls=settings.allow_local_urls,
            transport=transport or Transport(),
            reuse=True,
            writer_role_arn=settings.writer_role_arn,
        ),
        max_attempts=settings.max_delivery_attempts,
        lease=lease or timedelta(seconds=settings.lease_seconds),
        retry=retry or RetryPolicy(),
        webhooks=WebhookNotifier(
            store,
            staging,
            WebhookSecrets(settings.secret_prefix, reader=secrets),
            WebhookSender(allow_local=settings.allow_local_urls),
            WebhookPolicy(
                give_up_after=timedelta(hours=settings.webhook_retry_hours),
                url_expiry_seconds=settings.url_expiry_seconds,
            ),
            sealer=sealer,
        ),
        dead_letters=letters,
    )
