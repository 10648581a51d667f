"""Pydantic models the public API's capabilities share, and the records with them: the bases (camelCase on the wire,
unknown fields refused; requests strict), the constrained strings (storage and bucket names, header-safe text, metadata
and tags), the object options a storage or a connection sets, a warning, a storage's last delivery and the error
answer. Each capability's own request and answer models are beside it: courier.renders.models (what a render or a
remote copy is asked with), courier.renders.answers (what renders and templates answer), courier.providers.models,
courier.webhooks.models. The deliver function imports this module (courier.records needs it) and, for its webhook
events, courier.renders.answers: none of the request models."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from courier.strict import integral_floats

Format = Literal["png", "jpg", "jpeg", "webp", "avif", "gif", "pdf", "mp4", "webm"]
ResponseType = Literal["url", "base64", "binary"]


def _registered(name: str) -> str:
    from courier.providers import names  # the registry sits above the models: read when a value is checked

    if name not in names():
        raise ValueError(f"one of {', '.join(names())}")
    return name


def _provider_enum(schema: dict[str, Any]) -> None:
    from courier.providers import names

    schema["enum"] = list(names())


# A registered provider's name (courier.providers): "s3", "r2", "dropbox", "url" …
Provider = Annotated[str, AfterValidator(_registered), Field(json_schema_extra=_provider_enum)]
DeliveryStatus = Literal["pending", "success", "error", "already_exists", "skipped"]
# A clip's: rendering (queued or being drawn) → staging (recorded, its files being uploaded) → None once every file's
# S3 event has come (the deliver function clears it); or failed
RenderState = Literal["rendering", "staging", "failed"]
# pending (waiting for deliveries, or for its next try) → sending (one worker holds it) → sent | failed
# skipped: the workspace takes only other event types (PUT /v1/webhook's events), so nothing was sent
WebhookState = Literal["pending", "sending", "sent", "failed", "skipped"]

PRINTABLE = re.compile(r"[\x21-\x7e]+")

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
HeaderName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")]
# S3 tag rules: letters, digits, spaces and + - = . _ : / @
TagKey = Annotated[str, StringConstraints(pattern=r"^[\w\s+\-=.:/@]+$", max_length=128)]
TagValue = Annotated[str, StringConstraints(pattern=r"^[\w\s+\-=.:/@]*$", max_length=256)]
CannedAcl = Literal["private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-full-control"]
StorageClass = Literal[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "GLACIER_IR",
    "DEEP_ARCHIVE",
]
KmsKeyId = Annotated[
    str,
    StringConstraints(
        pattern=r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]+:(key|alias)/)?[A-Za-z0-9/+=,.@_-]+$", max_length=512
    ),
]
AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
IfExists = Literal["overwrite", "skip", "fail"]


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in code; unknown fields are refused so typos never pass silently."""

    # defer_build: each model's validator is built when first used, not at import (cold start; decision log).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", defer_build=True)


class RequestModel(ApiModel):
    """What clients send: booleans and numbers are strict. ``true`` is not a number, ``0`` not a boolean, ``"5"`` not an
    int (a typo or a client bug must not pass as a value nobody meant); an int is still accepted where a float is."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _integral_floats(cls, data: Any) -> Any:
        return integral_floats(cls, data)


# ---------------------------------------------------------------- object options


class ObjectOptions(RequestModel):
    """How delivered objects are written: per storage, overridable per connection. Values become HTTP headers."""

    content_disposition: HeaderText | None = None
    cache_control: Annotated[HeaderText, StringConstraints(max_length=256)] | None = None
    metadata: Annotated[dict[MetadataKey, MetadataValue], Field(max_length=20)] | None = None
    tags: Annotated[dict[TagKey, TagValue], Field(max_length=10)] | None = None
    storage_class: StorageClass | None = None
    sse: Literal["AES256", "aws:kms"] | None = None
    kms_key_id: KmsKeyId | None = None
    if_exists: IfExists | None = None
    make_public: bool | None = None
    # A canned ACL (S3 only; buckets with ACLs disabled refuse any but bucket-owner-full-control). makePublic is
    # public-read.
    acl: CannedAcl | None = None
    # The object's Content-Type, when it must differ from the rendered format's (Impossible Software's contenttype).
    content_type: Annotated[HeaderText, StringConstraints(max_length=255)] | None = None

    @field_validator("metadata")
    @classmethod
    def _metadata_fits(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value and sum(len(k) + len(v) for k, v in value.items()) > MAX_METADATA_BYTES:
            raise ValueError(f"metadata is over {MAX_METADATA_BYTES} bytes in all")
        return value

    @model_validator(mode="after")
    def _kms_key_needs_kms(self) -> ObjectOptions:
        if self.kms_key_id and self.sse != "aws:kms":
            raise ValueError("kmsKeyId needs sse: aws:kms")
        return self


# ---------------------------------------------------------------- key ids


def _printable(value: SecretStr) -> SecretStr:
    if not PRINTABLE.fullmatch(value.get_secret_value()):
        raise ValueError("printable ASCII characters only, no spaces")
    return value


# AWS's own key ids have 16–128 characters (checked where a storage has no endpoint); MinIO, SeaweedFS, Ceph … take
# shorter ones (MinIO's minimum is 3: `minioadmin`).
AccessKeyId = Annotated[SecretStr, Field(min_length=3, max_length=128), AfterValidator(_printable)]
AWS_KEY_ID_MIN = 16


# ---------------------------------------------------------------- warnings and deliveries


class Warning(ApiModel):
    title: str
    details: str = ""


class LastDelivery(ApiModel):
    """A storage's latest final delivery: when, how it ended, and why it failed if it did."""

    at: datetime
    status: DeliveryStatus
    error: str | None = None


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
