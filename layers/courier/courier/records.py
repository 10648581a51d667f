"""What the table keeps: storages, renders with their files and connections, deliveries, workspace webhook settings,
API keys. Stored items are snake_case, and unknown attributes are ignored so that older items keep loading after
additions. The types they share with the API (object options, statuses, warnings, a storage's last delivery) are in
courier.models; the API's own request and answer models are beside each capability (courier.renders.models and
.answers, courier.providers.models, courier.webhooks.models)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from courier.models import (
    DeliveryStatus,
    Format,
    LastDelivery,
    ObjectOptions,
    RenderState,
    ResponseType,
    Warning,
    WebhookState,
)


class Record(BaseModel):
    """Stored items: snake_case, unknown attributes ignored so old items keep loading after additions."""

    model_config = ConfigDict(extra="ignore", defer_build=True)  # validator built on first use (cold start)


AuthType = str  # a provider's own: keys, role, policy (S3), dropbox …


class StorageRecord(Record):
    workspace_id: str
    name: str
    provider: str
    bucket: str | None = None  # the bucket or container
    region: str | None = None
    endpoint: str | None = None
    bucket_owner: str | None = None
    account_id: str | None = None  # R2's account, Azure's storage account
    jurisdiction: str | None = None  # R2
    prefix: str | None = None
    pattern: str | None = None
    auth_type: AuthType
    secret_id: str | None = None  # Secrets Manager ARN of keys or tokens; never the secrets themselves
    role_arn: str | None = None
    enabled: bool = True
    paused: bool = False
    auto_copy: bool = True
    options: ObjectOptions = Field(default_factory=ObjectOptions)
    created_at: datetime
    updated_at: datetime
    last_delivery: LastDelivery | None = None  # written by the deliver function


class StagedFileRecord(Record):
    uuid: str
    page: int
    key: str  # staging object key
    filename: str
    content_type: str
    size: int
    checksum: str  # "sha256:<hex>" of the staged bytes


class DeliveryTarget(Record):
    """A snapshot of where and how to deliver, taken when the render was accepted (later storage edits don't apply)."""

    provider: str
    storage: str | None = None  # None for inline destinations and presigned URLs
    bucket: str | None = None
    region: str | None = None
    endpoint: str | None = None
    bucket_owner: str | None = None
    auth_type: str  # the storage's (keys, role, policy, dropbox …), or url / inline for a render's own destinations
    secret_id: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    # KMS-encrypted secrets given in the request itself (presigned URL, inline keys); removed once delivered.
    sealed: str | None = None
    options: ObjectOptions = Field(default_factory=ObjectOptions)


class DeliveryRecord(Record):
    render_id: str
    file_uuid: str
    connection: int
    page: int
    target: DeliveryTarget
    key: str
    status: DeliveryStatus = "pending"
    attempts: int = 0  # tries, all invocations together
    invocations: int = 0  # claims: Lambda's first try and its retries
    error: str | None = None
    size: int | None = None
    checksum: str | None = None
    etag: str | None = None
    duration_ms: int | None = None
    delivered_at: datetime | None = None
    updated_at: datetime | None = None


class ConnectionRecord(Record):
    index: int
    provider: str
    storage: str | None = None
    status: Literal["pending", "skipped"]
    label: str | None = None  # how an inline destination or URL is shown: bucket name, or URL host


class RenderRecord(Record):
    id: str
    workspace_id: str
    template_id: str
    format: Format
    response_type: ResponseType
    created_at: datetime
    total_pages: int | None = None  # the template's pages (None: as many as files); includePages renders fewer
    rendered_pages: int | None = None  # pages drawn (None: as many as files; one PDF file may hold several)
    source: str | None = None  # the client that asked (Orshot's SDKs say so)
    response_time: str
    files: list[StagedFileRecord]
    connections: list[ConnectionRecord]
    warnings: list[Warning] = Field(default_factory=list)
    state: RenderState | None = None  # a clip's: rendering, staging until its files are staged, or failed (None: done)
    # The webhook the render was accepted with (the request's, else the workspace's default), and its sending.
    # Top-level attributes, not a map, so the claim and settle conditions address them directly.
    # scheme://host/path only; a query (often a token) is kept sealed apart, under the workspace's webhook context
    webhook_url: str | None = None
    webhook_query_sealed: str | None = None
    webhook_events: list[str] | None = None  # the event types to send (None: every one)
    webhook_state: WebhookState | None = None
    webhook_attempts: int = 0  # tries, all invocations together
    webhook_claims: int = 0  # times a worker took it: sets the reconciler's backoff
    webhook_error: str | None = None  # the last failure's reason (never the query string or the secret)
    webhook_sent_at: datetime | None = None
    webhook_next_at: datetime | None = None  # not tried before this (a Retry-After)


class WorkspaceWebhookRecord(Record):
    """A workspace's webhook settings, kept on its WORKSPACE item. The secret itself is in Secrets Manager."""

    workspace_id: str
    webhook_url: str | None = None  # the default for renders that name none: scheme://host/path only
    webhook_query_sealed: str | None = None  # its query (often a token), sealed (courier.secrets.webhook_urls.seal_url)
    webhook_events: list[str] | None = None  # the event types to send (None: every one)
    webhook_secret_id: str | None = None  # Secrets Manager name; set once a secret exists
    webhook_secret_created_at: datetime | None = None
    webhook_rotated_at: datetime | None = None
    webhook_previous_until: datetime | None = None  # the rotated-out secret still signs until then


class ApiKeyRecord(Record):
    key_hash: str
    workspace_id: str
    prefix: str
    created_at: datetime
