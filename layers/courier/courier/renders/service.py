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

from aws_lambda_powertools import Logger

from courier.api import pages
from courier.engine import (
    BudgetError,
    FetchImage,
    ModificationError,
    RenderedPage,
    RenderError,
    UnsupportedFormatError,
    render_document,
)
from courier.errors import (
    NotFoundError,
    PayloadTooLargeError,
    RenderTooLargeError,
    ServiceUnavailableError,
    UnprocessableError,
)
from courier.models import ErrorDetail, ResponseType, Warning
from courier.persistence.store import Store
from courier.records import DeliveryRecord, RenderRecord
from courier.renders.answers import RenderList, RenderResponse
from courier.renders.checks import (
    check_binary,
    check_names,
    check_pages,
    check_supported,
    is_uuid,
    pages_to_render,
    pdf_settings,
)
from courier.renders.clips import ClipRequests, is_clip
from courier.renders.connections import resolve
from courier.renders.models import RenderRequest
from courier.renders.plan import Output, connection_records, plan_files, seal_secrets
from courier.renders.staging import StagingBucket, StagingKey
from courier.renders.status import status_document, wait_for
from courier.renders.templates import TemplateService
from courier.renders.webhook import webhook_fields, webhook_for
from courier.secrets.sealing import Sealer

logger = Logger(child=True)

# A Lambda answer is at most 6 MB, base64 included: about 4.4 MB of raw bytes.
MAX_BINARY_BYTES = 4_400_000
# `wait` polls the table quickly at first (most deliveries of small files take well under a second), then backs off.


@dataclass(frozen=True)
class RenderOutcome:
    """The answer, and for ``response.type: binary`` the file itself (the handler sends it as the body)."""

    response: RenderResponse
    file: RenderedPage | None = None


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
        check_supported(request)
        try:
            document = self._templates.get(workspace_id, request.template_id)
        except NotFoundError:
            raise UnprocessableError.at("templateId", "no such template in this workspace") from None
        check_pages(request, document)
        check_binary(request, document)
        webhook = webhook_for(self._store, self._sealer, workspace_id, request, self._allow_local)
        warnings: list[Warning] = []
        connections = resolve(self._store.list_storages(workspace_id), request, warnings, self._allow_local)
        check_names(request, document, connections)
        chosen = pages_to_render(request, document)
        if is_clip(request, document, chosen):
            render, deliveries = self._clips.accept(
                workspace_id, request, document, chosen, connections, warnings, partial(webhook_fields, webhook)
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
                pdf=pdf_settings(request),
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
            **webhook_fields(webhook, now),
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
            return self._read(render.id, render.workspace_id) or (render, [])

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
        found = self._read(render_id, workspace_id) if is_uuid(render_id) else None
        if found is None:
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
            found = self._read(render_id, workspace_id)
            if found is not None:  # gone meanwhile (retention): left out
                renders.append(self._answer(found[0], found[1], None))
        return RenderList(renders=renders, next_cursor=pages.encode(after) if after else None)

    # ------------------------------------------------------------ helpers

    def _read(self, render_id: str, workspace_id: str) -> tuple[RenderRecord, list[DeliveryRecord]] | None:
        """The workspace's render and its deliveries (another workspace's is None, as a missing one: indistinguishable,
        and never touched); a clip whose files are all staged reads as rendered even if an S3 event that should have
        said so was lost."""
        found = self._store.get_render(render_id)
        if found is None or found[0].workspace_id != workspace_id:
            return None
        if found[0].state == "staging":
            from courier.renders.staged import settle_staging

            found = (settle_staging(self._store, self._staging, found[0]), found[1])
        return found

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
