"""What the render routes answer: a render's status document (its files or pages, each connection's deliveries, its
warnings and webhook; courier.renders.status builds it from the records, and the deliver function sends it as the
``render`` of a webhook event), the page of renders GET /v1/renders lists, and the templates' list."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from courier.models import ApiModel, DeliveryStatus, Format, Provider, ResponseType, Warning, WebhookState

# rendering: a clip still being drawn (asynchronously); failed: it could not be (the reason in `warnings`)
RenderStatus = Literal["rendering", "delivering", "completed", "failed"]


# ---------------------------------------------------------------- a render's status document


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


# ---------------------------------------------------------------- lists


class RenderList(ApiModel):
    """``GET /v1/renders``: the workspace's renders, newest first."""

    renders: list[RenderResponse]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


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
