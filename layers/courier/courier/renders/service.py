"""Renders: validate, resolve destinations, render, stage, record, answer — and report delivery status."""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from aws_lambda_powertools import Logger

from courier.api import pages
from courier.engine import (
    BudgetError,
    FetchImage,
    ModificationError,
    RenderedPage,
    RenderError,
    TemplateDocument,
    UnsupportedFormatError,
    extension,
    is_supported,
    render_document,
)
from courier.engine.document import MAX_PIXELS as MAX_PAGE_PIXELS
from courier.engine.document import ImageLayer
from courier.engine.pdf_settings import PdfSettings, length_px
from courier.errors import (
    NotFoundError,
    PayloadTooLargeError,
    RenderTooLargeError,
    ServiceUnavailableError,
    UnprocessableError,
)
from courier.models import ErrorDetail, RenderList, RenderRequest, RenderResponse, ResponseType, Warning
from courier.naming import NameContext, build_key
from courier.net.policy import BlockedURLError, check_url
from courier.persistence.store import Store
from courier.records import DeliveryRecord, RenderRecord
from courier.renders.clips import ClipRequests, is_clip
from courier.renders.connections import key_for, naming, resolve
from courier.renders.plan import Output, connection_records, plan_files, seal_secrets
from courier.renders.staging import StagingBucket, StagingKey
from courier.renders.status import status_document, wait_for
from courier.renders.templates import TemplateService
from courier.secrets.sealing import Sealer
from courier.webhooks.urls import seal_url

logger = Logger(child=True)

# A Lambda answer is at most 6 MB, base64 included: about 4.4 MB of raw bytes.
MAX_BINARY_BYTES = 4_400_000
# `wait` polls the table quickly at first (most deliveries of small files take well under a second), then backs off.


@dataclass(frozen=True)
class RenderOutcome:
    """The answer, and for ``response.type: binary`` the file itself (the handler sends it as the body)."""

    response: RenderResponse
    file: RenderedPage | None = None


@dataclass(frozen=True)
class RenderWebhook:
    url: str  # scheme://host/path
    query_sealed: str | None
    events: list[str] | None


class RenderService:
    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        sealer: Sealer,
        templates: TemplateService,
        url_expiry_seconds: int,
        allow_local_urls: bool = False,
        fetch_image: FetchImage | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clips: ClipRequests | None = None,
    ) -> None:
        self._clips = clips or ClipRequests(store, staging, sealer, None)
        self._store = store
        self._templates = templates
        self._fetch_image = fetch_image
        self._staging = staging
        self._sealer = sealer
        self._url_expiry = url_expiry_seconds
        self._allow_local = allow_local_urls
        self._sleep = sleep

    # ------------------------------------------------------------ POST /v1/renders

    def create(self, workspace_id: str, request: RenderRequest) -> RenderOutcome:
        started = time.monotonic()
        _check_supported(request)
        try:
            document = self._templates.get(workspace_id, request.template_id)
        except NotFoundError:
            raise UnprocessableError.at("templateId", "no such template in this workspace") from None
        _check_pages(request, document)
        _check_binary(request, document)
        webhook = self._webhook_for(workspace_id, request)
        warnings: list[Warning] = []
        connections = resolve(self._store.list_storages(workspace_id), request, warnings, self._allow_local)
        # Names are checked before anything renders: a bad folder or pattern is a 422, never a failed delivery.
        sample = NameContext(
            uuid=str(uuid.UUID(int=0)),
            filename=request.response.file_name or document.id,
            ext=extension(request.response.format),
            render_id=str(uuid.UUID(int=0)),
            date=datetime.now(UTC).date(),
        )
        naming(partial(build_key, None, "${auto_filename}", sample), "response.fileName")
        seen: dict[tuple[str, str], int] = {}
        for connection in connections:
            key = key_for(connection, sample, request.response.file_name is not None)
            # Two connections writing the same object would race each other (and R2 allows one write a second).
            if (connection.identity, key) in seen:
                raise UnprocessableError.at(
                    f"connections.{connection.index}",
                    f"delivers to the same place as connections.{seen[(connection.identity, key)]}",
                )
            seen[(connection.identity, key)] = connection.index
        chosen = _pages(request, document)
        if is_clip(request, document, chosen):
            render, deliveries = self._clips.accept(
                workspace_id, request, document, chosen, connections, warnings, partial(_webhook_fields, webhook)
            )
            if request.wait > 0:
                render, deliveries = self._wait_clip(render, started + request.wait)
            return RenderOutcome(self._answer(render, deliveries, None))

        try:
            result = render_document(
                document,
                request.modifications,
                request.response.format,
                fetch_image=self._fetch_image,
                scale=request.response.scale or 1.0,
                pages=chosen,
                pdf=_pdf_settings(request),
                time=request.response.time,
                frame=request.response.frame,
            )
        except ModificationError as exc:
            raise UnprocessableError.at(exc.field_path, exc.message) from None
        except BudgetError as exc:
            details = [
                ErrorDetail(field=field, message=reason, type="render_too_large") for field, reason in exc.fields
            ]
            raise RenderTooLargeError(exc.message, details) from None
        except UnsupportedFormatError as exc:
            raise UnprocessableError.at("response.format", str(exc)) from None
        except RenderError as exc:
            raise UnprocessableError.at("templateId", f"the template could not be rendered: {exc}") from None
        warnings.extend(Warning(title=text) for text in result.warnings)
        if request.response.type == "binary" and len(result.pages[0].body) > MAX_BINARY_BYTES:
            size = len(result.pages[0].body) / 1_000_000
            raise PayloadTooLargeError(
                f"the file is {size:.1f} MB, over the {MAX_BINARY_BYTES / 1_000_000:.1f} MB a binary answer can "
                'carry: use "response": {"type": "url"}'
            )

        render_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        seal_secrets(self._sealer, connections, workspace_id, render_id)
        outputs = [
            Output(
                page.page,
                page.ext,
                page.content_type,
                len(page.body),
                f"sha256:{hashlib.sha256(page.body).hexdigest()}",
                page.page_count,
            )
            for page in result.pages
        ]
        files, deliveries = plan_files(
            workspace_id, render_id, request, document.id, len(document.pages), connections, outputs, now
        )

        render = RenderRecord(
            id=render_id,
            workspace_id=workspace_id,
            template_id=request.template_id,
            format=request.response.format,
            response_type=request.response.type,
            created_at=now,
            total_pages=len(document.pages),
            rendered_pages=sum(page.page_count for page in result.pages),
            source=request.source,
            response_time="",
            files=files,
            connections=connection_records(connections),
            warnings=warnings,
            **_webhook_fields(webhook, now),
        )
        render.response_time = f"{time.monotonic() - started:.2f}s"
        # The record goes first: its staged files trigger deliveries, which must find it.
        self._store.create_render(render, deliveries)
        try:
            for staged, page in zip(files, result.pages, strict=True):
                self._staging.put(StagingKey.parse(staged.key), page.body, staged.content_type, render_id)
        except Exception as exc:
            # Not answered, so never happened: no pending deliveries may be left waiting for files that never came.
            logger.exception("Staging failed", extra={"render_id": render_id})
            self._store.delete_render(render_id)
            raise ServiceUnavailableError("the rendered file could not be stored; try again") from exc

        if request.wait > 0 and deliveries:
            deliveries = self._wait(render_id, started + request.wait)
        answer = self._answer(render, deliveries, result.pages)
        return RenderOutcome(answer, result.pages[0] if request.response.type == "binary" else None)

    def _wait_clip(self, render: RenderRecord, deadline: float) -> tuple[RenderRecord, list[DeliveryRecord]]:
        """The clip's render once drawn and delivered (or failed), or as it stands at the deadline."""

        def read() -> tuple[RenderRecord, list[DeliveryRecord]]:
            return self._store.get_render(render.id) or (render, [])

        def done(found: tuple[RenderRecord, list[DeliveryRecord]]) -> bool:
            current, deliveries = found
            return current.state == "failed" or (
                current.state is None and all(d.status != "pending" for d in deliveries)
            )

        return wait_for(read, done, deadline, self._sleep)

    def _wait(self, render_id: str, deadline: float) -> list[DeliveryRecord]:
        def deliveries() -> list[DeliveryRecord]:
            found = self._store.get_render(render_id)
            return found[1] if found else []

        return wait_for(deliveries, lambda ds: all(d.status != "pending" for d in ds), deadline, self._sleep)

    # ------------------------------------------------------------ GET /v1/renders/{id}

    def get(self, workspace_id: str, render_id: str) -> RenderResponse:
        found = self._store.get_render(render_id) if _is_uuid(render_id) else None
        # Another workspace's render is indistinguishable from a missing one.
        if found is None or found[0].workspace_id != workspace_id:
            raise NotFoundError("render not found")
        render, deliveries = found
        return self._answer(render, deliveries, None)

    def list_renders(self, workspace_id: str, limit: int, cursor: str | None) -> RenderList:
        """The workspace's renders, newest first, as ``GET /v1/renders/{id}`` answers each. 422 for a foreign cursor."""
        try:
            ids, after = self._store.list_render_ids(workspace_id, limit, pages.decode(cursor))
        except ValueError:
            raise UnprocessableError.at("query.cursor", "not a cursor this API answered") from None
        renders = []
        for render_id in ids:
            found = self._store.get_render(render_id)
            if found is not None and found[0].workspace_id == workspace_id:  # gone meanwhile (retention): left out
                renders.append(self._answer(found[0], found[1], None))
        return RenderList(renders=renders, next_cursor=pages.encode(after) if after else None)

    # ------------------------------------------------------------ helpers

    def _webhook_for(self, workspace_id: str, request: RenderRequest) -> RenderWebhook | None:
        """Where this render's event goes: the request's ``webhook``, else the workspace's default (an explicit
        ``"webhook": null`` opts out). 422 for a URL the outbound policy refuses, or when the workspace has no
        secret to sign with: an unsigned or unverifiable event would teach receivers to skip the check. The URL is
        kept without its query, which is sealed apart (it often holds a token)."""
        settings = self._store.workspace_webhook(workspace_id)
        if request.webhook is None:
            if "webhook" in request.model_fields_set or settings is None or not settings.webhook_secret_id:
                return None
            if settings.webhook_url is None:
                return None
            return RenderWebhook(settings.webhook_url, settings.webhook_query_sealed, settings.webhook_events)
        try:
            check_url(request.webhook, allow_local=self._allow_local)
        except BlockedURLError as exc:
            raise UnprocessableError.at("webhook", exc.reason) from None
        if settings is None or not settings.webhook_secret_id:
            raise UnprocessableError.at(
                "webhook",
                "this workspace has no webhook secret to sign events with yet: create it with POST "
                "/v1/webhook/secret (or an operator with `python -m courier_tools.admin webhook set`; "
                "see docs/WEBHOOKS.md)",
            )
        shown, sealed = seal_url(self._sealer, workspace_id, request.webhook)
        return RenderWebhook(shown, sealed, None)

    def _answer(
        self, render: RenderRecord, deliveries: list[DeliveryRecord], pages: list[RenderedPage] | None
    ) -> RenderResponse:
        contents = [self._content(render, i, pages) for i in range(len(render.files))]
        # A status read links to the staged file instead of repeating the bytes, and says so.
        kind: ResponseType = "base64" if render.response_type == "base64" and pages is not None else "url"
        return status_document(render, deliveries, contents, kind)

    def _content(self, render: RenderRecord, index: int, pages: list[RenderedPage] | None) -> str:
        staged = render.files[index]
        if render.response_type == "base64" and pages is not None:
            return base64.b64encode(pages[index].body).decode()
        return self._staging.presign_get(staged.key, self._url_expiry)


def _webhook_fields(webhook: RenderWebhook | None, now: datetime) -> dict[str, Any]:
    """A render record's webhook fields: where its event goes, pending from the start."""
    if webhook is None:
        return {}
    return {
        "webhook_url": webhook.url,
        "webhook_query_sealed": webhook.query_sealed,
        "webhook_events": webhook.events,
        "webhook_state": "pending",
        "webhook_next_at": now,
    }


def _check_supported(request: RenderRequest) -> None:
    if not is_supported(request.response.format):
        raise UnprocessableError.at("response.format", f"format {request.response.format} is not supported")
    # Orshot's options for what is not offered here: a clear refusal, never a silent success without them.
    if request.publish is not None:
        raise UnprocessableError.at("publish", "publishing to social accounts is not offered: deliver to a storage")


def _pdf_settings(request: RenderRequest) -> PdfSettings | None:
    options = request.pdf_options
    if options is None or request.response.format != "pdf":
        return None
    margin = length_px(options.margin) if options.margin else 0.0
    return PdfSettings(margin=margin, dpi=options.dpi, cmyk=options.color_mode == "cmyk")


def _pages(request: RenderRequest, document: TemplateDocument) -> list[int] | None:
    """The page numbers to render: `includePages`, within a PDF's `rangeFrom`–`rangeTo`; None: all of them."""
    options = request.pdf_options if request.response.format == "pdf" else None
    ranged = options is not None and (options.range_from is not None or options.range_to is not None)
    if request.response.include_pages is None and not ranged:
        return None
    pages = sorted(set(request.response.include_pages or range(1, len(document.pages) + 1)))
    if options is not None:
        low, high = options.range_from or 1, options.range_to or len(document.pages)
        pages = [n for n in pages if low <= n <= high]
    return pages


def _check_pages(request: RenderRequest, document: TemplateDocument) -> None:
    """`includePages` and a PDF's `rangeFrom`–`rangeTo` name pages the template has, and leave one at least; a
    page at `scale` stays within the page limit."""
    count = len(document.pages)
    options = request.pdf_options
    if options is not None and request.response.format == "pdf":
        for field, number in (("rangeFrom", options.range_from), ("rangeTo", options.range_to)):
            if number is not None and number > count:
                raise UnprocessableError.at(
                    f"pdfOptions.{field}", f"the template has {count} page{'s' if count > 1 else ''}, not {number}"
                )
    for index, number in enumerate(request.response.include_pages or []):
        if number > len(document.pages):
            raise UnprocessableError.at(
                f"response.includePages.{index}",
                f"the template has {len(document.pages)} page{'s' if len(document.pages) > 1 else ''}, not {number}",
            )
    if _pages(request, document) == []:
        raise UnprocessableError.at("pdfOptions", "includePages and rangeFrom–rangeTo leave no page to render")
    # Pictures are fitted at the pixels they fill: a pixel ratio or a dpi multiplies them.
    pdf = request.response.format == "pdf"
    resolution = ((options.dpi or 96) / 96 if options is not None else 1.0) if pdf else (request.response.scale or 1.0)
    field = "pdfOptions.dpi" if pdf else "response.scale"
    for page in document.pages:
        for layer in page.layers:
            big = layer.width * layer.height * resolution**2 > MAX_PAGE_PIXELS
            if resolution > 1 and isinstance(layer, ImageLayer) and big:
                raise UnprocessableError.at(
                    field,
                    f"the picture of layer {layer.name!r} would be {layer.width * resolution:.0f}×"
                    f"{layer.height * resolution:.0f} pixels, over {MAX_PAGE_PIXELS / 1e6:.0f} Mpx: ask for fewer",
                )
    scale = request.response.scale or 1.0
    if request.response.format != "pdf" and scale != 1:
        for number, page in enumerate(document.pages, start=1):
            if page.width * page.height * scale * scale > MAX_PAGE_PIXELS:
                raise UnprocessableError.at(
                    "response.scale",
                    f"page {number} at scale {scale:g} would be {page.width * scale:.0f}×{page.height * scale:.0f} "
                    f"pixels, over the {MAX_PAGE_PIXELS / 1e6:.0f} megapixels of a page: use a smaller scale",
                )


def _check_binary(request: RenderRequest, document: TemplateDocument) -> None:
    """A binary answer carries one file: a single page, or every page in one PDF."""
    chosen = _pages(request, document)
    count = len(chosen) if chosen is not None else len(document.pages)
    if request.response.type != "binary" or count == 1:
        return
    one_pdf = request.response.format == "pdf" and (document.output is None or document.output.pdf == "single")
    if not one_pdf:
        raise UnprocessableError.at(
            "response.type",
            f"the render has {count} pages: a binary answer carries one file; "
            'use "type": "url" or "base64", or "format": "pdf"',
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
