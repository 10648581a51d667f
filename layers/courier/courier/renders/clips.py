"""Clips (MP4, WebM, animated GIF and WebP): accepted by the render function, drawn by the video function.

The render function checks a clip request as it checks any other (modifications, pages, the clip's budget, names,
connections), plans its files and their deliveries, records the render as ``rendering``, keeps what the drawing needs
(template, modifications, response options — never a secret: inline ones are sealed in the planned deliveries) in
the staging bucket under ``jobs/``, and queues a job. The video function (up to 15 minutes, in its own layer with
PyAV) draws and encodes each clip to local disk, records each file's size and checksum, then stages the files in
parts: their S3 events start the deliveries exactly as a still's do. A clip that cannot be drawn is recorded
``failed`` with the reason (its webhook says ``render.failed``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from courier.engine import BudgetError, FetchImage, ModificationError, RenderError, TemplateDocument
from courier.engine.clip import ClipSettings, ClipWindowError, check_clip, render_clips
from courier.engine.errors import UnsupportedFormatError
from courier.engine.modifications import apply_modifications
from courier.engine.motion import is_animated
from courier.engine.video import CLIP_FORMATS, VIDEO_FORMATS
from courier.errors import NotFoundError, RenderTooLargeError, ServiceUnavailableError, UnprocessableError
from courier.models import ErrorDetail, Warning
from courier.persistence.store import Store
from courier.records import DeliveryRecord, RenderRecord
from courier.renders.connections import ResolvedConnection
from courier.renders.models import RenderRequest
from courier.renders.plan import Output, connection_records, plan_files, seal_secrets
from courier.renders.staging import StagingBucket, StagingKey
from courier.renders.templates import TemplateService
from courier.secrets.sealing import Sealer

if TYPE_CHECKING:
    from types_boto3_sqs.client import SQSClient

logger = Logger(child=True)


def is_clip(request: RenderRequest, document: TemplateDocument, pages: list[int] | None) -> bool:
    """MP4 and WebM always are; GIF and WebP are when an animated page is chosen and no still moment is asked for."""
    fmt = request.response.format
    if fmt in VIDEO_FORMATS:
        return True
    if fmt not in CLIP_FORMATS or request.response.time is not None or request.response.frame is not None:
        return False
    return any(is_animated(p) for n, p in enumerate(document.pages, start=1) if pages is None or n in pages)


def clip_settings(request: RenderRequest) -> ClipSettings:
    """Orshot's videoOptions as the clip renderer takes them: `trimStart`–`trimEnd`, or the first `duration` seconds
    from `trimStart`; `fps`; `quality`; `loop` (GIF and WebP; they loop unless told not to)."""
    options = request.video_options
    if options is None:
        return ClipSettings()
    start = options.trim_start or 0.0
    end = options.trim_end if options.trim_end is not None else (start + options.duration if options.duration else None)
    return ClipSettings(start, end, options.fps, options.quality, options.loop is not False)


@dataclass(frozen=True)
class ClipJob:
    workspace_id: str
    render_id: str

    def to_json(self) -> str:
        return json.dumps({"workspaceId": self.workspace_id, "renderId": self.render_id})

    @classmethod
    def from_json(cls, text: str) -> ClipJob:
        data = json.loads(text)
        return cls(str(data["workspaceId"]), str(data["renderId"]))


class ClipQueue:
    """Jobs for the video function, through SQS (retried, then dead-lettered, by the queue's redrive policy)."""

    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def submit(self, job: ClipJob) -> None:
        self._client.send_message(QueueUrl=self._url, MessageBody=job.to_json())


class ClipRequests:
    """The render function's side: check, plan, record and queue."""

    def __init__(self, store: Store, staging: StagingBucket, sealer: Sealer, queue: ClipQueue | None) -> None:
        self._store = store
        self._staging = staging
        self._sealer = sealer
        self._queue = queue

    def accept(
        self,
        workspace_id: str,
        request: RenderRequest,
        document: TemplateDocument,
        pages: list[int] | None,
        connections: list[ResolvedConnection],
        warnings: list[Warning],
        webhook_fields: Callable[[datetime], dict[str, Any]],
    ) -> tuple[RenderRecord, list[DeliveryRecord]]:
        if self._queue is None:
            raise ServiceUnavailableError(
                "clips (mp4, webm, animated gif and webp) are not rendered on this deployment"
            )
        if request.response.type != "url":
            raise UnprocessableError.at(
                "response.type", 'a clip is rendered after the answer: ask for "type": "url" (and `wait` for it)'
            )
        fmt, scale = request.response.format, request.response.scale or 1.0
        settings = clip_settings(request)
        try:
            modified, notes = apply_modifications(document, request.modifications)
            check_clip(modified, fmt, scale, pages, settings)
        except ClipWindowError as exc:
            raise UnprocessableError.at("videoOptions.trimStart", str(exc)) from None
        except ModificationError as exc:
            raise UnprocessableError.at(exc.field_path, exc.message) from None
        except UnsupportedFormatError as exc:
            raise UnprocessableError.at("response.format", str(exc)) from None
        except BudgetError as exc:
            details = [ErrorDetail(field=f, message=m, type="render_too_large") for f, m in exc.fields]
            raise RenderTooLargeError(exc.message, details) from None
        warnings.extend(Warning(title=note) for note in notes)
        content_type, ext = CLIP_FORMATS[fmt]
        outputs = [
            Output(number, ext, content_type, 0, "")
            for number, page in enumerate(modified.pages, start=1)
            if (pages is None or number in pages) and is_animated(page)
        ]
        render_id, now = str(uuid.uuid4()), datetime.now(UTC)
        seal_secrets(self._sealer, connections, workspace_id, render_id)
        files, deliveries = plan_files(
            workspace_id, render_id, request, document.id, len(document.pages), connections, outputs, now
        )
        job = json.dumps(
            {
                "templateId": request.template_id,
                "modifications": request.modifications,
                "format": fmt,
                "scale": scale,
                "pages": pages,
                "settings": asdict(settings),
            }
        ).encode()
        render = RenderRecord(
            id=render_id,
            workspace_id=workspace_id,
            template_id=request.template_id,
            format=fmt,
            response_type="url",
            created_at=now,
            total_pages=len(document.pages),
            rendered_pages=len(outputs),
            source=request.source,
            response_time="",
            files=files,
            connections=connection_records(connections),
            warnings=warnings,
            state="rendering",
            **webhook_fields(now),
        )
        self._staging.put_job(workspace_id, render_id, job)
        self._store.create_render(render, deliveries)
        try:
            self._queue.submit(ClipJob(workspace_id, render_id))
        except Exception as exc:
            logger.exception("Queueing a clip failed", extra={"render_id": render_id})
            self._store.delete_render(render_id)
            raise ServiceUnavailableError("the clip could not be queued; try again") from exc
        return render, deliveries


class ClipRenderer:
    """The video function's side: draw, encode, record, stage."""

    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        templates: TemplateService,
        fetch_image: FetchImage | None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._staging = staging
        self._templates = templates
        self._fetch_image = fetch_image
        self._clock = clock

    def run(self, job: ClipJob) -> None:
        """Render the job's clips. A job already done (a redelivered message) or gone does nothing; one that cannot
        be drawn is recorded failed. Other errors raise, so the queue tries again."""
        found = self._store.get_render(job.render_id)
        if found is None or found[0].workspace_id != job.workspace_id or found[0].state not in ("rendering", "staging"):
            return  # done, failed or gone (a job still staging was cut short: it is drawn and uploaded again)
        render = found[0]
        body = self._staging.take_job(job.workspace_id, job.render_id)
        if body is None:
            if render.state == "rendering":
                self._fail(render, "its request expired before it could be drawn")
            return  # staging: a copy of a job that ended (its request is deleted once its files are uploaded)
        spec = json.loads(body)
        started = time.monotonic()
        notes: list[str] = []
        with tempfile.TemporaryDirectory(prefix="clip-") as directory:
            try:
                document = self._templates.get(job.workspace_id, spec["templateId"])
                clips = render_clips(
                    document,
                    spec["modifications"],
                    spec["format"],
                    Path(directory),
                    fetch_image=self._fetch_image,
                    scale=spec["scale"],
                    pages=spec["pages"],
                    warnings=notes,
                    settings=ClipSettings(**spec.get("settings", {})),
                )
            except NotFoundError:
                self._fail(render, "its template was deleted before it could be drawn")
                return
            except (ModificationError, BudgetError, UnsupportedFormatError, RenderError, ClipWindowError) as exc:
                self._fail(render, str(exc))
                return
            by_page = {clip.page: clip for clip in clips}
            files = []
            for staged in render.files:
                clip = by_page[staged.page]
                size, checksum = clip.path.stat().st_size, _sha256(clip.path)
                files.append(staged.model_copy(update={"size": size, "checksum": checksum}))
            finished = render.model_copy(
                update={
                    "files": files,
                    "state": "staging",
                    "warnings": [*render.warnings, *(Warning(title=note) for note in dict.fromkeys(notes))],
                    "response_time": f"{(self._clock() - render.created_at).total_seconds():.2f}s",
                }
            )
            # The record first, with each file's size and checksum: the staged files' events start deliveries
            # that read them. It reads as rendering until the deliver function has had every file's event.
            self._store.put_render(finished)
            for staged in files:
                clip = by_page[staged.page]
                self._staging.upload(StagingKey.parse(staged.key), str(clip.path), clip.content_type, render.id)
        self._staging.delete_job(job.workspace_id, job.render_id)
        logger.info(
            "Clip rendered",
            extra={
                "render_id": render.id,
                "frames": sum(c.frames for c in clips),
                "drawn": sum(c.drawn for c in clips),
                "seconds": round(time.monotonic() - started, 2),
            },
        )

    def _fail(self, render: RenderRecord, reason: str) -> None:
        logger.warning("Clip failed", extra={"render_id": render.id, "reason": reason})
        warning = Warning(title=f"The clip could not be rendered: {reason}")
        self._store.put_render(render.model_copy(update={"state": "failed", "warnings": [*render.warnings, warning]}))
        self._staging.delete_job(render.workspace_id, render.id)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"
