"""What a client sends to render, and to copy a rendered file: the render request (its answer spec, PDF and video
options, and its connections: stored storages, presigned URLs or inline S3 buckets), Orshot's generate request, and
Uploadcare's remote copy with its answer. Their validators refuse what cannot be rendered or delivered, with a reason;
courier.api.openapi_rules says the same rules in the document. What a render answers is in courier.renders.answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, StringConstraints, model_validator

from courier.models import (
    AccessKeyId,
    ApiModel,
    BucketName,
    DeliveryStatus,
    Format,
    HeaderName,
    HeaderText,
    ObjectOptions,
    Provider,
    Region,
    RequestModel,
    ResponseType,
    ShortText,
    StorageName,
)

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
