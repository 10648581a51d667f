"""Builds each function's services from its settings, once per cold start."""

from __future__ import annotations

from datetime import timedelta
from functools import cache, cached_property, partial
from typing import TYPE_CHECKING

from courier.destinations.registry import DestinationFactory, RoleAssumer, Transport
from courier.persistence.store import Store
from courier.platform import aws
from courier.platform.settings import DeliverSettings, RenderSettings, deliver_settings, render_settings
from courier.renders.staging import StagingBucket
from courier.secrets.credentials import CredentialReader
from courier.secrets.sealing import Sealer

if TYPE_CHECKING:  # each function imports only what its own services need: the deliver path never loads the renderer
    from courier.accounts.auth import ApiKeyAuthenticator
    from courier.accounts.ratelimit import RateLimiter
    from courier.api.idempotency import IdempotentRequests
    from courier.compat.uploadcare import UploadcareAuthenticator, UploadcareKeys
    from courier.delivery.retry import RetryPolicy
    from courier.delivery.service import DeliveryService
    from courier.renders.clips import ClipRenderer
    from courier.renders.copies import CopyService
    from courier.renders.service import RenderService
    from courier.renders.templates import TemplateService
    from courier.storages.dropbox_connect import DropboxConnect
    from courier.storages.service import StorageService
    from courier.webhooks.settings import WebhookSettings

# Remote images in modifications: fetched through the SSRF guard, with a size cap and a deadline.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TIMEOUT_SECONDS = 5.0


class ApiServices:
    """The render function's services. Each is built, and its modules imported, the first time a route needs it: a
    cold start answering a 401 or a status read never loads the renderer, the storages or Connect Dropbox."""

    def __init__(self, settings: RenderSettings) -> None:
        self._settings = settings

    # ------------------------------------------------------------ shared parts

    @cached_property
    def store(self) -> Store:
        return Store(aws.table(self._settings.table_name))

    @cached_property
    def staging(self) -> StagingBucket:
        return StagingBucket(aws.lazy_client("s3"), self._settings.staging_bucket)

    @cached_property
    def sealer(self) -> Sealer:
        return Sealer(aws.lazy_client("kms"), self._settings.inline_key_id)

    @cached_property
    def roles(self) -> RoleAssumer:
        return RoleAssumer(aws.lazy_client("sts"))

    # ------------------------------------------------------------ services

    @cached_property
    def auth(self) -> ApiKeyAuthenticator:
        from courier.accounts.auth import ApiKeyAuthenticator
        from courier.accounts.keys import KeyRepository

        settings = self._settings
        return ApiKeyAuthenticator(KeyRepository(aws.table(settings.table_name)), settings.api_key_cache_seconds)

    @cached_property
    def rate_limit(self) -> RateLimiter:
        from courier.accounts.ratelimit import RateLimiter

        settings = self._settings
        return RateLimiter(
            aws.table(settings.table_name), settings.rate_limit_requests, settings.rate_limit_window_seconds
        )

    @cached_property
    def templates(self) -> TemplateService:
        from courier.renders.templates import TemplateService

        return TemplateService(self.store)

    @cached_property
    def renders(self) -> RenderService:
        from courier.net.pinned import fetch
        from courier.renders.clips import ClipQueue, ClipRequests
        from courier.renders.service import RenderService

        settings = self._settings
        queue = ClipQueue(aws.lazy_client("sqs"), settings.clip_queue_url) if settings.clip_queue_url else None
        return RenderService(
            self.store,
            self.staging,
            self.sealer,
            self.templates,
            settings.url_expiry_seconds,
            settings.allow_local_urls,
            fetch_image=partial(
                fetch, max_bytes=MAX_IMAGE_BYTES, timeout=IMAGE_TIMEOUT_SECONDS, allow_local=settings.allow_local_urls
            ),
            clips=ClipRequests(self.store, self.staging, self.sealer, queue),
        )

    @cached_property
    def storages(self) -> StorageService:
        from courier.secrets.credentials import CredentialStore
        from courier.storages.service import StorageService

        settings = self._settings
        # The render role never reads stored secrets back: probes get the secret from the request itself.
        probes = DestinationFactory(
            CredentialReader(aws.lazy_client("secretsmanager")),
            self.roles,
            self.sealer,
            allow_local_urls=settings.allow_local_urls,
        )
        return StorageService(
            self.store,
            CredentialStore(aws.lazy_client("secretsmanager"), settings.secret_prefix),
            probes,
            self.roles,
            own_buckets=frozenset({settings.staging_bucket}),
            writer_role_arn=settings.writer_role_arn,
            allow_local_urls=settings.allow_local_urls,
        )

    @cached_property
    def dropbox(self) -> DropboxConnect:
        from courier.storages.dropbox_connect import DropboxConnect

        settings = self._settings
        return DropboxConnect(self.store, self.storages, settings.dropbox_app_key, settings.dropbox_authorize_url)

    @cached_property
    def copies(self) -> CopyService:
        from courier.renders.copies import CopyService

        return CopyService(self.store, self.staging, self._settings.copy_wait_seconds)

    @cached_property
    def idempotency(self) -> IdempotentRequests:
        from courier.api.idempotency import IdempotentRequests

        return IdempotentRequests(self._settings.table_name, aws.lazy_client("dynamodb"))

    @cached_property
    def uploadcare_keys(self) -> UploadcareKeys:
        from courier.compat.uploadcare import UploadcareKeys

        settings = self._settings
        return UploadcareKeys(aws.table(settings.table_name), aws.lazy_client("kms"), settings.inline_key_id)

    @cached_property
    def uploadcare(self) -> UploadcareAuthenticator:
        from courier.compat.uploadcare import UploadcareAuthenticator

        return UploadcareAuthenticator(self.uploadcare_keys)

    @cached_property
    def webhooks(self) -> WebhookSettings:
        from courier.webhooks.secrets import WebhookSecrets
        from courier.webhooks.settings import WebhookSettings
        from courier.webhooks.workspace import WorkspaceWebhooks

        settings = self._settings
        secrets = WebhookSecrets(settings.secret_prefix, client=aws.lazy_client("secretsmanager"))
        return WebhookSettings(
            WorkspaceWebhooks(self.store, secrets, sealer=self.sealer),
            self.store,
            allow_local=settings.allow_local_urls,
        )


@cache
def api_services() -> ApiServices:
    return ApiServices(render_settings())


@cache
def clip_renderer() -> ClipRenderer:
    """The video function's service: draws and encodes clips (PyAV is in its own layer), then stages them."""
    from courier.net.pinned import fetch
    from courier.renders.clips import ClipRenderer
    from courier.renders.templates import TemplateService

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
    """The deliver function's service. Operators' commands (courier_tools.ops) write no dead letters of their own: they
    show what failed. The fault-injection stack passes shorter timeouts, retries and leases."""
    from courier.delivery.deadletters import DeadLetters
    from courier.delivery.retry import RetryPolicy
    from courier.delivery.service import DeliveryService
    from courier.webhooks.notifier import WebhookNotifier, WebhookPolicy
    from courier.webhooks.secrets import WebhookSecrets
    from courier.webhooks.sender import WebhookSender

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
        outcomes=WebhookNotifier(  # the render's webhook, fed by the deliveries' outcomes
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
