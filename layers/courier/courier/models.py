"""Pydantic models: the public API contract (requests, answers) and the records the services exchange."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

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
# rendering: a clip still being drawn (asynchronously); failed: it could not be (the reason in `warnings`)
RenderStatus = Literal["rendering", "delivering", "completed", "failed"]
RenderState = Literal["rendering", "failed"]
# pending (waiting for deliveries, or for its next try) → sending (one worker holds it) → sent | failed
# skipped: the workspace takes only other event types (PUT /v1/webhook's events), so nothing was sent
WebhookState = Literal["pending", "sending", "sent", "failed", "skipped"]
WebhookEventType = Literal["render.delivered", "render.failed"]

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

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class RequestModel(ApiModel):
    """What clients send: booleans and numbers are strict. ``true`` is not a number, ``0`` not a boolean, ``"5"`` not an
    int (a typo or a client bug must not pass as a value nobody meant); an int is still accepted where a float is."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _integral_floats(cls, data: Any) -> Any:
        return integral_floats(cls, data)


# ---------------------------------------------------------------- render request


class ResponseSpec(RequestModel):
    type: ResponseType = "url"
    format: Format = "png"
    file_name: Annotated[str, StringConstraints(max_length=255)] | None = None
    # Orshot's: the pixel ratio (a 1200×630 card at 2 is 2400×1260, drawn at that size), and the pages to render.
    scale: Annotated[float, Field(ge=1, le=4)] | None = None
    include_pages: Annotated[list[Annotated[int, Field(ge=1, le=100)]], Field(min_length=1, max_length=100)] | None = (
        None
    )
    # An animated template as a still: the frame at this time (seconds) or of this number (0 is the first).
    time: Annotated[float, Field(ge=0, le=60)] | None = None
    frame: Annotated[int, Field(ge=0, le=3600)] | None = None

    @model_validator(mode="after")
    def _one_moment(self) -> ResponseSpec:
        if self.time is not None and self.frame is not None:
            raise ValueError("give time or frame, not both")
        return self


class PdfOptions(RequestModel):
    """Orshot's ``pdfOptions``: page margins (CSS-like lengths), a page range, raster resolution, colour model."""

    margin: Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,3})?(mm|cm|in|pt|px)$")] | None = None
    range_from: Annotated[int, Field(ge=1, le=100)] | None = None
    range_to: Annotated[int, Field(ge=1, le=100)] | None = None
    dpi: Annotated[int, Field(ge=72, le=600)] | None = None
    color_mode: Literal["rgb", "cmyk"] | None = None

    @model_validator(mode="after")
    def _range(self) -> PdfOptions:
        if self.range_from is not None and self.range_to is not None and self.range_to < self.range_from:
            raise ValueError("rangeTo comes before rangeFrom")
        return self


class VideoOptions(RequestModel):
    """Orshot's ``videoOptions``, for clips (mp4, webm, animated gif and webp; stills ignore them): which seconds of
    the animation (``trimStart``–``trimEnd``, or the first ``duration``), the frame rate, a 1–100 quality, whether an
    animated GIF/WebP loops; ``muted`` is always true (a rendered clip has no audio track)."""

    trim_start: Annotated[float, Field(ge=0, le=60)] | None = None
    trim_end: Annotated[float, Field(gt=0, le=60)] | None = None
    duration: Annotated[float, Field(gt=0, le=60)] | None = None
    fps: Annotated[int, Field(ge=1, le=60)] | None = None
    quality: Annotated[int, Field(ge=1, le=100)] | None = None
    muted: bool | None = None
    loop: bool | None = None

    @model_validator(mode="after")
    def _trim(self) -> VideoOptions:
        if self.trim_start is not None and self.trim_end is not None and self.trim_end <= self.trim_start:
            raise ValueError("trimEnd comes after trimStart")
        if self.muted is False:
            raise ValueError("muted: a rendered clip has no audio track to keep")
        return self


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


class ConnectionSpec(ObjectOptions):
    """One destination of a render: a stored storage (by name or provider), a presigned URL, or an inline bucket."""

    # "s3": Impossible Software's destination object, an inline S3 bucket (provider s3 implied).
    type: Literal["storage", "s3"] = "storage"
    provider: Provider
    storage: StorageName | None = None
    folder: ShortText | None = None
    pattern: ShortText | None = None
    # provider "url" (Doppio): PUT to this presigned URL with exactly these (signed) headers.
    presigned_url: Annotated[str, StringConstraints(max_length=8192)] | None = None
    headers: Annotated[dict[HeaderName, HeaderText], Field(max_length=20)] | None = None
    # Inline S3 destination (Impossible Software's field names): its secrets are encrypted and dropped once delivered.
    bucket: BucketName | None = None
    filename: ShortText | None = None
    aws_access_key_id: AccessKeyId | None = Field(default=None, alias="aws_access_key_id")
    aws_secret_access_key: Annotated[SecretStr, Field(min_length=1, max_length=256)] | None = Field(
        default=None, alias="aws_secret_access_key"
    )
    s3host: Annotated[str, StringConstraints(max_length=255)] | None = Field(default=None, alias="s3host")
    secure: bool | None = None  # false: http to s3host (only where local URLs are allowed)
    aws_use_policy: bool | None = Field(default=None, alias="aws_use_policy")  # the bucket grants us: no keys
    reduced_redundancy: bool | None = Field(default=None, alias="reduced_redundancy")
    region: Region | None = None
    contenttype: Annotated[HeaderText, StringConstraints(max_length=255)] | None = None
    contentdisposition: HeaderText | None = None
    cachecontrol: Annotated[HeaderText, StringConstraints(max_length=256)] | None = None

    @property
    def inline(self) -> bool:
        return self.bucket is not None

    @model_validator(mode="before")
    @classmethod
    def _impossible_type(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("type") == "s3" and "provider" not in data:
            data = data | {"provider": "s3"}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> ConnectionSpec:
        if self.provider == "url":
            if not self.presigned_url:
                raise ValueError("provider url needs presignedUrl")
            if self.storage or self.bucket or self.folder or self.pattern:
                raise ValueError("provider url takes presignedUrl and headers only (the URL is the file's name)")
        elif self.presigned_url or self.headers:
            raise ValueError("presignedUrl and headers go with provider url")
        if self.bucket is not None:
            if self.provider != "s3":
                raise ValueError("an inline bucket is an S3 destination: use provider s3")
            if self.storage:
                raise ValueError("give either storage or an inline bucket, not both")
            if (self.aws_access_key_id is None) != (self.aws_secret_access_key is None):
                raise ValueError("give both aws_access_key_id and aws_secret_access_key")
            if self.aws_use_policy and self.aws_access_key_id is not None:
                raise ValueError("aws_use_policy means the bucket grants us: give no keys with it")
        elif self.type == "s3":
            raise ValueError("a destination of type s3 needs a bucket")
        elif any(
            v is not None
            for v in (self.aws_access_key_id, self.s3host, self.filename, self.aws_use_policy, self.reduced_redundancy)
        ):
            raise ValueError("inline S3 fields need a bucket")
        return self


class RenderRequest(RequestModel):
    # A template's id is a string; Orshot's documentation sends integers (`"templateId": 25` means "25").
    template_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    # Sent by Orshot's SDKs ("orshot-python-sdk"): recorded with the render, otherwise ignored.
    source: Annotated[str, StringConstraints(max_length=64)] | None = None
    pdf_options: PdfOptions | None = None
    video_options: VideoOptions | None = None  # for clips; stills ignore them, as they do pdfOptions
    # Orshot's social publishing: not offered here; refused with a reason rather than ignored.
    publish: dict[str, Any] | None = None
    modifications: Annotated[dict[str, Any], Field(max_length=200)] = Field(default_factory=dict)
    response: ResponseSpec = Field(default_factory=ResponseSpec)
    # Absent means "every enabled, unpaused auto-copy storage"; an empty list means none.
    connections: Annotated[list[ConnectionSpec], Field(max_length=10)] | None = None
    wait: Annotated[float, Field(ge=0, le=25)] = 0
    # POSTed a signed event when every delivery is final. Absent: the workspace's default webhook, if it has one;
    # null: none for this render. Checked like presigned URLs (https, public address).
    webhook: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _orshot_spellings(cls, data: Any) -> Any:
        """What Orshot's documentation and SDKs send: an integer templateId, and ``"modifications": null``."""
        if isinstance(data, dict):
            for key in ("templateId", "template_id"):
                value = data.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    data = data | {key: str(value)}
            if "modifications" in data and data["modifications"] is None:
                data = {k: v for k, v in data.items() if k != "modifications"}
        return data


class GenerateRequest(RenderRequest):
    """Orshot's ``POST /v1/generate/images/{templateId}``: a render request whose template is in the path."""

    template_id: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None  # type: ignore[assignment]

    def for_template(self, template_id: str) -> RenderRequest:
        """The render request for the path's template (a templateId in the body, Orshot's studio field, is ignored)."""
        fields = {name: getattr(self, name) for name in self.model_fields_set if name != "template_id"}
        return RenderRequest.model_validate(fields | {"template_id": template_id})


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
    """A single-page render's file."""

    content: str
    type: ResponseType
    format: Format
    response_time: str


class WebhookStatus(ApiModel):
    """The render's webhook: where it goes (no query string: it may hold a token) and how sending it went."""

    url: str
    status: WebhookState
    event_id: str
    attempts: int = 0  # tries, all invocations together
    last_error: str | None = None
    sent_at: datetime | None = None


class RenderList(ApiModel):
    """``GET /v1/renders``: the workspace's renders, newest first."""

    renders: list[RenderResponse]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class WebhookSettingsRequest(RequestModel):
    """``PUT /v1/webhook``: the workspace's default webhook (renders that name none) and the events it gets."""

    url: Annotated[str, StringConstraints(min_length=9, max_length=2048, pattern=r"^https://")] | None = Field(
        description="https URL; its query may hold a token (kept sealed, never answered); null removes it"
    )
    events: list[WebhookEventType] = Field(
        default_factory=lambda: list(get_args(WebhookEventType)), min_length=1, max_length=2
    )


class WebhookSecretInfo(ApiModel):
    exists: bool
    created_at: datetime | None = None
    rotated_at: datetime | None = None
    previous_valid_until: datetime | None = Field(
        default=None, description="the rotated-out secret still signs events until then"
    )


class WebhookEventOutcome(ApiModel):
    render_id: str
    event_id: str
    status: WebhookState
    attempts: int
    last_error: str | None = None
    sent_at: datetime | None = None


class WebhookSettingsResponse(ApiModel):
    url: str | None = Field(description="without its query string: that may hold a token")
    has_query: bool = False
    events: list[str]
    secret: WebhookSecretInfo
    recent: list[WebhookEventOutcome] = Field(default_factory=list, description="the last renders' webhook outcomes")


class WebhookSecretRequest(RequestModel):
    """``POST /v1/webhook/secret``: create the signing secret, or rotate it (the old one keeps signing meanwhile)."""

    grace_hours: Annotated[int, Field(ge=0, le=720)] = 24


class WebhookSecretResponse(ApiModel):
    secret: str = Field(description="whsec_…: shown this once")
    previous_valid_until: datetime | None = None


class RenderResponse(ApiModel):
    """One page: ``data`` is the file. Several: ``data`` lists them, and ``format``, ``type``, ``responseTime``,
    ``totalPages`` and ``renderedPages`` stand beside it (API.md, as Orshot answers)."""

    id: str
    status: RenderStatus
    data: RenderData | list[PageContent] | None  # None while a clip is rendering, or when it failed
    format: Format | None = Field(default=None, exclude_if=lambda v: v is None)
    type: ResponseType | None = Field(default=None, exclude_if=lambda v: v is None)
    response_time: str | None = Field(default=None, exclude_if=lambda v: v is None)
    total_pages: int | None = Field(default=None, exclude_if=lambda v: v is None)
    rendered_pages: int | None = Field(default=None, exclude_if=lambda v: v is None)
    connections: list[ConnectionStatus]
    warnings: list[Warning]
    webhook: WebhookStatus | None = Field(default=None, exclude_if=lambda v: v is None)


# ---------------------------------------------------------------- storages


def _printable(value: SecretStr) -> SecretStr:
    if not PRINTABLE.fullmatch(value.get_secret_value()):
        raise ValueError("printable ASCII characters only, no spaces")
    return value


# AWS's own key ids have 16–128 characters (checked where a storage has no endpoint); MinIO, SeaweedFS, Ceph … take
# shorter ones (MinIO's minimum is 3: `minioadmin`).
AccessKeyId = Annotated[SecretStr, Field(min_length=3, max_length=128), AfterValidator(_printable)]
AWS_KEY_ID_MIN = 16


class KeysAuth(RequestModel):
    type: Literal["keys"]
    access_key_id: AccessKeyId
    secret_access_key: Annotated[SecretStr, Field(min_length=1, max_length=256)]


class RoleAuth(RequestModel):
    """We assume this role with the workspace's ExternalId (returned by the API; the customer never chooses it)."""

    type: Literal["role"]
    role_arn: Annotated[
        str, StringConstraints(pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@/_-]+$", max_length=600)
    ]


class PolicyAuth(RequestModel):
    """The customer's bucket policy grants our delivery role; nothing secret is stored."""

    type: Literal["policy"]


class StorageSettings(ObjectOptions):
    """What every provider's storage has: naming, switches and object options."""

    prefix: ShortText | None = None
    pattern: ShortText | None = None
    enabled: bool = True
    paused: bool = False
    auto_copy: bool = True


class DropboxConnectRequest(StorageSettings):
    """Settings of the Dropbox storage that Connect Dropbox will save once the user has authorised."""

    folder: ShortText | None = None


class DropboxAuthorizeResponse(ApiModel):
    authorize_url: str
    redirect_uri: str
    expires_in: int


class StoragePatch(RequestModel):
    """PATCH: switch a storage on or off, change its default folder, or replace its credentials (probed again)."""

    enabled: bool | None = None
    paused: bool | None = None
    auto_copy: bool | None = None
    prefix: ShortText | None = None
    folder: ShortText | None = None
    auth: Annotated[KeysAuth | RoleAuth | PolicyAuth, Field(discriminator="type")] | None = None
    refresh_token: Annotated[SecretStr, Field(min_length=1, max_length=1024)] | None = None
    app_key: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    app_secret: Annotated[SecretStr, Field(min_length=1, max_length=256)] | None = None


class LastDelivery(ApiModel):
    """A storage's latest final delivery: when, how it ended, and why it failed if it did."""

    at: datetime
    status: DeliveryStatus
    error: str | None = None


class StorageAuthInfo(ApiModel):
    type: str = Field(description="keys, role or policy (S3), dropbox, or the provider's own")
    role_arn: str | None = Field(default=None, exclude_if=lambda v: v is None)
    external_id: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # For policy auth: the statement to paste into the bucket policy.
    bucket_policy: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)


# ---------------------------------------------------------------- templates


class TemplateSummary(ApiModel):
    id: str
    name: str
    builtin: bool
    pages: int
    width: int
    height: int
    layers: list[str]  # the names modifications can address
    # An animated template's (its first page's) length and frame rate: render it as mp4, webm, gif or webp
    duration: float | None = Field(default=None, exclude_if=lambda v: v is None)
    fps: int | None = Field(default=None, exclude_if=lambda v: v is None)


class TemplateList(ApiModel):
    templates: list[TemplateSummary]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page; null on the last")


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


# ---------------------------------------------------------------- remote copy (Uploadcare's, snake_case on the wire)


class RemoteCopyRequest(RequestModel):
    """``POST /v1/files/remote_copy``: copy a rendered file (still in staging) to a storage."""

    source: Annotated[str, StringConstraints(min_length=1, max_length=4096)] = Field(
        description="the file's UUID, or its content URL (the render's `url`)"
    )
    target: StorageName = Field(description="the name of one of the workspace's storages")
    pattern: ShortText = Field("${default}", description="the object name under the storage's folder")
    make_public: bool = Field(False, alias="make_public", description="a public-read object, where supported")


class RemoteCopyResponse(ApiModel):
    type: Literal["url"] = "url"
    result: str = Field(description="where the file is: s3://bucket/key, r2://bucket/key or dropbox://path")
    # Only while the copy is still running (202): follow it with GET /v1/renders/{renderId}.
    status: DeliveryStatus | None = None
    render_id: str | None = None
