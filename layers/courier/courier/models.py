"""Pydantic models: the public API contract (requests, answers) and the records the services exchange."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

Format = Literal["png", "jpg", "jpeg", "webp", "avif", "gif", "pdf"]
ResponseType = Literal["url", "base64", "binary"]
Provider = Literal["s3", "r2", "dropbox", "url"]
DeliveryStatus = Literal["pending", "success", "error", "already_exists", "skipped"]
RenderStatus = Literal["delivering", "completed"]

# A storage name is a URL path segment and part of a Secrets Manager name: keep it plain.
StorageName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
# AWS bucket naming rules (lowercase, 3-63, no leading/trailing dot or hyphen).
BucketName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]
ShortText = Annotated[str, StringConstraints(max_length=1024)]
# Values that become HTTP headers on the customer's object: printable ASCII only (no CR/LF header injection).
HeaderText = Annotated[str, StringConstraints(pattern=r"^[\x20-\x7e]*$", max_length=1024)]
MetadataKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")]
MetadataValue = Annotated[str, StringConstraints(pattern=r"^[\x20-\x7e]*$", max_length=256)]
MAX_METADATA_BYTES = 2048  # S3's limit on user metadata


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in code; unknown fields are refused so typos never pass silently."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# ---------------------------------------------------------------- render request


class ResponseSpec(ApiModel):
    type: ResponseType = "url"
    format: Format = "png"
    file_name: Annotated[str, StringConstraints(max_length=255)] | None = None


class ConnectionSpec(ApiModel):
    type: Literal["storage"] = "storage"
    provider: Provider
    storage: StorageName | None = None
    folder: ShortText | None = None
    pattern: ShortText | None = None
    if_exists: Literal["overwrite", "skip", "fail"] = "overwrite"
    make_public: bool = False
    content_disposition: HeaderText | None = None
    cache_control: Annotated[HeaderText, StringConstraints(max_length=256)] | None = None
    metadata: Annotated[dict[MetadataKey, MetadataValue], Field(max_length=20)] | None = None

    @field_validator("metadata")
    @classmethod
    def _metadata_fits(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value and sum(len(k) + len(v) for k, v in value.items()) > MAX_METADATA_BYTES:
            raise ValueError(f"metadata is over {MAX_METADATA_BYTES} bytes in all")
        return value


class RenderRequest(ApiModel):
    template_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    modifications: Annotated[dict[str, Any], Field(max_length=200)] = Field(default_factory=dict)
    response: ResponseSpec = Field(default_factory=ResponseSpec)
    # Absent means "every enabled, unpaused auto-copy storage"; an empty list means none.
    connections: Annotated[list[ConnectionSpec], Field(max_length=10)] | None = None
    wait: Annotated[float, Field(ge=0, le=25)] = 0


# ---------------------------------------------------------------- render answer


class Warning(ApiModel):
    title: str
    details: str = ""


class PagePath(ApiModel):
    page: int
    path: str | None


class FileDelivery(ApiModel):
    """Per page detail of one connection: where it landed, how big, its checksum, how many tries."""

    page: int
    path: str | None
    status: DeliveryStatus
    error: str | None = Field(default=None, exclude_if=lambda v: v is None)
    attempts: int = 0
    size: int | None = None
    checksum: str | None = None
    delivered_at: datetime | None = None


class ConnectionStatus(ApiModel):
    type: Literal["storage"] = "storage"
    provider: Provider
    storage: str | None = None
    path: str | list[PagePath] | None
    status: DeliveryStatus
    error: str | None = Field(default=None, exclude_if=lambda v: v is None)
    files: list[FileDelivery] = Field(default_factory=list)


class PageContent(ApiModel):
    page: int
    page_id: str
    content: str


class RenderData(ApiModel):
    content: str | list[PageContent]
    type: ResponseType
    format: Format
    response_time: str
    total_pages: int | None = Field(default=None, exclude_if=lambda v: v is None)
    rendered_pages: int | None = Field(default=None, exclude_if=lambda v: v is None)


class RenderResponse(ApiModel):
    id: str
    status: RenderStatus
    data: RenderData
    connections: list[ConnectionStatus]
    warnings: list[Warning]


# ---------------------------------------------------------------- storages


class KeysAuth(ApiModel):
    type: Literal["keys"]
    access_key_id: Annotated[SecretStr, Field(min_length=16, max_length=128)]
    secret_access_key: Annotated[SecretStr, Field(min_length=1, max_length=256)]


class PolicyAuth(ApiModel):
    """The customer's bucket policy grants our delivery role; nothing secret is stored."""

    type: Literal["policy"]


StorageAuth = Annotated[KeysAuth | PolicyAuth, Field(discriminator="type")]


class StorageRequest(ApiModel):
    provider: Literal["s3"]
    bucket: BucketName
    region: Region = "us-east-1"
    prefix: ShortText | None = None
    pattern: ShortText | None = None
    auth: StorageAuth
    enabled: bool = True
    paused: bool = False
    auto_copy: bool = True
    make_public: bool = False


class StorageAuthInfo(ApiModel):
    type: Literal["keys", "policy"]


class StorageResponse(ApiModel):
    """A storage as the API shows it: every setting, never a secret."""

    name: str
    provider: Literal["s3"]
    bucket: str
    region: str
    prefix: str | None
    pattern: str | None
    auth: StorageAuthInfo
    enabled: bool
    paused: bool
    auto_copy: bool
    make_public: bool
    created_at: datetime
    updated_at: datetime


class StorageList(ApiModel):
    storages: list[StorageResponse]


# ---------------------------------------------------------------- errors


class ErrorDetail(ApiModel):
    field: str
    message: str
    type: str


class ErrorBody(ApiModel):
    code: str
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(ApiModel):
    error: ErrorBody


# ---------------------------------------------------------------- records (what the table keeps)


class Record(BaseModel):
    """Stored items: snake_case, unknown attributes ignored so old items keep loading after additions."""

    model_config = ConfigDict(extra="ignore")


class StorageRecord(Record):
    workspace_id: str
    name: str
    provider: Literal["s3"]
    bucket: str
    region: str
    prefix: str | None = None
    pattern: str | None = None
    auth_type: Literal["keys", "policy"]
    secret_id: str | None = None  # Secrets Manager ARN of the keys; never the keys themselves
    enabled: bool = True
    paused: bool = False
    auto_copy: bool = True
    make_public: bool = False
    created_at: datetime
    updated_at: datetime


class StagedFileRecord(Record):
    uuid: str
    page: int
    key: str  # staging object key
    filename: str
    content_type: str
    size: int
    checksum: str  # "sha256:<hex>" of the staged bytes


class DeliveryTarget(Record):
    """A snapshot of where and how to deliver, taken when the render was accepted."""

    provider: Literal["s3"]
    storage: str
    bucket: str
    region: str
    auth_type: Literal["keys", "policy"]
    secret_id: str | None = None
    make_public: bool = False
    content_disposition: str | None = None
    cache_control: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)


class DeliveryRecord(Record):
    render_id: str
    file_uuid: str
    connection: int
    page: int
    target: DeliveryTarget
    key: str
    status: DeliveryStatus = "pending"
    attempts: int = 0
    error: str | None = None
    size: int | None = None
    checksum: str | None = None
    etag: str | None = None
    duration_ms: int | None = None
    delivered_at: datetime | None = None
    updated_at: datetime | None = None


class ConnectionRecord(Record):
    index: int
    provider: Provider
    storage: str | None = None
    status: Literal["pending", "skipped"]


class RenderRecord(Record):
    id: str
    workspace_id: str
    template_id: str
    format: Format
    response_type: ResponseType
    created_at: datetime
    response_time: str
    files: list[StagedFileRecord]
    connections: list[ConnectionRecord]
    warnings: list[Warning] = Field(default_factory=list)


class ApiKeyRecord(Record):
    key_hash: str
    workspace_id: str
    prefix: str
    created_at: datetime
