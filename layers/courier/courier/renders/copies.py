"""Uploadcare's remote copy: a rendered file, still in staging, copied to one of the workspace's storages.

The copy is one more delivery of the render: recorded like the others (a connection and a pending delivery),
carried out by the deliver function through the same code path (retries, exactly-once, checksums, DLQ), and
visible in ``GET /v1/renders/{id}``. The render function holds no customer credentials, so it only records the
delivery and re-announces the staged object (an in-place copy fires the staging bucket's ObjectCreated event);
then it waits for the outcome within the API's time limit.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from courier.errors import ApiError, BadRequestError, UnprocessableError
from courier.naming import NameContext
from courier.persistence.store import Store
from courier.records import ConnectionRecord, DeliveryRecord, RenderRecord, StagedFileRecord
from courier.renders.connections import key_for, stored_connection
from courier.renders.models import ConnectionSpec, RemoteCopyRequest, RemoteCopyResponse
from courier.renders.staging import STAGING_ROOT, StagingBucket, StagingKey
from courier.renders.status import wait_for

FINAL = frozenset({"success", "already_exists", "error"})
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STAGING_GONE = "source: the file is no longer in staging (rendered files are kept for a limited time)"
EFFECTS_REFUSED = "source: CDN image effects (-/…/) are not applied to rendered files; copy the file as rendered"
UNKNOWN_SOURCE = "source: no such file in this workspace (give a file UUID or its URL from a render's answer)"


class CopyFailedError(ApiError):
    """The copy was tried and refused for good (permission, missing bucket …): the delivery's own reason."""

    code = "copy_failed"


@dataclass(frozen=True)
class CopyOutcome:
    status: int  # 201 copied, 200 the name was taken and nothing was written, 202 still running
    answer: RemoteCopyResponse


class CopyService:
    def __init__(
        self,
        store: Store,
        staging: StagingBucket,
        wait_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._store = store
        self._staging = staging
        self._wait_seconds = wait_seconds
        self._clock = clock
        self._sleep = sleep

    def remote_copy(self, workspace_id: str, request: RemoteCopyRequest) -> CopyOutcome:
        started = self._clock()
        render, staged = self._source(workspace_id, request.source)
        if render.state is not None:
            state = "failed" if render.state == "failed" else "rendering"
            raise BadRequestError(
                f"source: its clip is {state}: copy it once GET /v1/renders/{render.id} says completed"
            )
        storage = self._store.get_storage(workspace_id, request.target)
        if storage is None:
            raise BadRequestError("target: no such storage in this workspace")
        if not storage.enabled:
            raise BadRequestError("target: the storage is disabled; enable it first")
        spec = ConnectionSpec(
            provider=storage.provider, storage=storage.name, pattern=request.pattern, make_public=request.make_public
        )
        index = len(render.connections)
        connection = stored_connection(index, storage, spec)
        # Existing names are left alone and answered 200, as Uploadcare does.
        connection.target.options = connection.target.options.model_copy(update={"if_exists": "skip"})
        try:
            key = key_for(connection, _name_context(render, staged), file_name_given=False)
        except UnprocessableError as exc:
            raise BadRequestError(f"pattern: {exc.details[0].message if exc.details else exc.message}") from None
        head = self._staging.head(staged.key)
        if head is None:
            raise BadRequestError(STAGING_GONE)
        delivery = DeliveryRecord(
            render_id=render.id,
            file_uuid=staged.uuid,
            connection=index,
            page=staged.page,
            key=key,
            target=connection.target,
        )
        record = ConnectionRecord(
            index=index, provider=storage.provider, storage=storage.name, label=storage.name, status="pending"
        )
        while not self._store.add_delivery(render, record, delivery):
            # Another copy of this render took the index: take the next one.
            render = self._reload(render)
            index = len(render.connections)
            record = record.model_copy(update={"index": index})
            delivery = delivery.model_copy(update={"connection": index})
        self._staging.announce(staged.key, head)
        final = self._wait(delivery, started + self._wait_seconds)
        result = _location(delivery)
        if final is None:
            return CopyOutcome(202, RemoteCopyResponse(result=result, status="pending", render_id=render.id))
        if final.status == "error":
            raise CopyFailedError(f"the copy to the target storage failed: {final.error or 'unknown reason'}")
        return CopyOutcome(201 if final.status == "success" else 200, RemoteCopyResponse(result=result))

    def _source(self, workspace_id: str, source: str) -> tuple[RenderRecord, StagedFileRecord]:
        """The render and staged file a source names: its UUID, or a URL whose path holds its staging key."""
        file_uuid, render_id = _parse_source(source)
        if file_uuid is None:
            raise BadRequestError(UNKNOWN_SOURCE)
        if render_id is None:
            render_id = self._store.find_file(workspace_id, file_uuid)
        found = self._store.get_render(render_id) if render_id else None
        # Another workspace's file is answered exactly like a missing one.
        if found is None or found[0].workspace_id != workspace_id:
            raise BadRequestError(UNKNOWN_SOURCE)
        render = found[0]
        staged = next((f for f in render.files if f.uuid == file_uuid), None)
        if staged is None:
            raise BadRequestError(UNKNOWN_SOURCE)
        return render, staged

    def _reload(self, render: RenderRecord) -> RenderRecord:
        found = self._store.get_render(render.id)
        if found is None:
            raise BadRequestError(UNKNOWN_SOURCE)
        return found[0]

    def _wait(self, delivery: DeliveryRecord, deadline: float) -> DeliveryRecord | None:
        """The delivery once final, or None at the deadline."""
        current = wait_for(
            lambda: self._store.get_delivery(delivery.render_id, delivery.file_uuid, delivery.connection),
            lambda found: found is not None and found.status in FINAL,
            deadline,
            self._sleep,
            self._clock,
        )
        return current if current is not None and current.status in FINAL else None


def _parse_source(source: str) -> tuple[str | None, str | None]:
    """(file UUID, render id if the source tells it). A URL of a staged file names both; a bare UUID only the file."""
    text = source.strip()
    if UUID.fullmatch(text.lower()):
        return text.lower(), None
    # Uploadcare's SDKs send a file's CDN path: "<uuid>/", or "<uuid>/-/<effect>/…/" with image effects.
    uuid, slash, effects = text.partition("/")
    if slash and UUID.fullmatch(uuid.lower()):
        if effects.strip("/"):
            raise BadRequestError(EFFECTS_REFUSED)
        return uuid.lower(), None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.path:
        return None, None
    segments = [unquote(s) for s in parts.path.split("/")]
    if STAGING_ROOT in segments:
        start = segments.index(STAGING_ROOT)
        try:
            key = StagingKey.parse("/".join(segments[start : start + 5]))
        except ValueError:
            return None, None
        return key.file_uuid, key.render_id
    # Any other URL (a CDN in front of the files, say): the first UUID in its path names the file.
    found = next((s.lower() for s in segments if UUID.fullmatch(s.lower())), None)
    return found, None


def _name_context(render: RenderRecord, staged: StagedFileRecord) -> NameContext:
    # The staged name is the render's own ${auto_filename}: "<filename>[_page_<n>]<effects><ext>".
    stem, dot, ext = staged.filename.rpartition(".")
    return NameContext(
        uuid=staged.uuid,
        filename=stem if dot else staged.filename,
        ext=f".{ext}" if dot else "",
        render_id=render.id,
        date=render.created_at.date(),
    )


def _location(delivery: DeliveryRecord) -> str:
    from courier.providers import PROVIDERS

    return PROVIDERS[delivery.target.provider].location(delivery.target, delivery.key)
