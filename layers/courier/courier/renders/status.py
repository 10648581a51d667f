"""The status document of a render: its answer, GET /v1/renders/{id}, and the ``render`` of its webhook event.
Built from the records alone (no renderer, no AWS client): the deliver function builds it too. And waiting for
statuses to become final (a render's ``wait``, a remote copy)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from courier.models import DeliveryStatus, ResponseType, Warning
from courier.net.policy import redact
from courier.records import ConnectionRecord, DeliveryRecord, RenderRecord
from courier.renders.answers import (
    ConnectionStatus,
    FileDelivery,
    PageContent,
    PagePath,
    RenderData,
    RenderResponse,
    WebhookStatus,
)

POLL_FIRST, POLL_MAX = 0.05, 0.5  # seconds between reads while waiting for deliveries: backing off, capped


def event_id(render_id: str) -> str:
    """The event id of a render: the same for every send of that render's event, so receivers can deduplicate."""
    return "evt_" + hashlib.sha256(render_id.encode()).hexdigest()[:24]


def wait_for[T](
    read: Callable[[], T],
    done: Callable[[T], bool],
    deadline: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``read()`` until ``done`` says so or the deadline (on ``clock``) passes; returns the last value read."""
    pause = POLL_FIRST
    while True:
        value = read()
        if done(value) or clock() >= deadline:
            return value
        sleep(min(pause, max(0.0, deadline - clock())))
        pause = min(pause * 1.5, POLL_MAX)


def status_document(
    render: RenderRecord, deliveries: list[DeliveryRecord], contents: list[str], content_type: ResponseType
) -> RenderResponse:
    """The render's answer and status document (GET /v1/renders/{id}, and the ``render`` of its webhook event).

    ``contents`` holds each staged file's content (a link, or base64 in the render's own answer) in file order.
    """
    if render.state is not None:
        return _unrendered(render)
    total = render.total_pages or len(render.files)
    # A multi-page template answers a list of pages, even when includePages asked for one of them.
    multi_page = total > 1
    data: RenderData | list[PageContent]
    if multi_page:
        data = [
            PageContent(page=f.page, page_id=f.uuid, content=c) for f, c in zip(render.files, contents, strict=True)
        ]
    else:
        data = RenderData(
            content=contents[0], type=content_type, format=render.format, response_time=render.response_time
        )
    warnings = list(render.warnings)
    connections = []
    for connection in render.connections:
        mine = sorted((d for d in deliveries if d.connection == connection.index), key=lambda d: d.page)
        status = connection.status if connection.status == "skipped" else _overall(mine)
        files = [
            FileDelivery(
                page=d.page,
                path=d.key if d.status in ("success", "pending", "already_exists") else None,
                status=d.status,
                error=d.error if d.status == "error" else None,
                attempts=d.attempts,
                size=d.size,
                checksum=d.checksum,
                delivered_at=d.delivered_at,
            )
            for d in mine
        ]
        error = next((f.error for f in files if f.error), None)
        if error:
            warnings.append(failure_warning(connection, error))
        path: str | list[PagePath] | None
        if status in ("error", "skipped"):
            path = None
        elif multi_page:
            path = [PagePath(page=f.page, path=f.path) for f in files]
        else:
            path = files[0].path if files else None
        connections.append(
            ConnectionStatus(
                provider=connection.provider,
                storage=connection.storage,
                path=path,
                status=status,
                error=error if status == "error" else None,
                files=files,
            )
        )
    pending = any(d.status == "pending" for d in deliveries)
    beside = (
        {
            "format": render.format,
            "type": content_type,
            "response_time": render.response_time,
            "total_pages": total,
            "rendered_pages": render.rendered_pages or len(render.files),
        }
        if multi_page
        else {}
    )
    return RenderResponse(
        id=render.id,
        status="delivering" if pending else "completed",
        data=data,
        **beside,
        connections=connections,
        warnings=warnings,
        webhook=webhook_status(render),
    )


def failure_warning(connection: ConnectionRecord, error: str) -> Warning:
    """A failed delivery as a warning: a stored storage is named in ``details``; a presigned URL or an inline bucket
    has no storage to name, so the title says which of the request's connections it was and ``details`` is empty
    (Orshot's shape)."""
    from courier.providers import PROVIDERS

    name = PROVIDERS[connection.provider].display if connection.provider in PROVIDERS else connection.provider
    if connection.storage is not None:
        return Warning(title=f"Failed to upload to {name}: {error}", details=f"storage '{connection.storage}'")
    kind = "presigned URL" if connection.provider == "url" else f"inline {name} bucket"
    return Warning(title=f"Failed to upload to {kind} (connections.{connection.index}): {error}", details="")


def webhook_status(render: RenderRecord) -> WebhookStatus | None:
    if render.webhook_url is None or render.webhook_state is None:
        return None
    return WebhookStatus(
        url=redact(render.webhook_url),
        status=render.webhook_state,
        event_id=event_id(render.id),
        attempts=render.webhook_attempts,
        last_error=render.webhook_error,
        sent_at=render.webhook_sent_at,
    )


def _overall(deliveries: list[DeliveryRecord]) -> DeliveryStatus:
    statuses = {d.status for d in deliveries}
    precedence: tuple[DeliveryStatus, ...] = ("error", "pending", "already_exists")
    return next((status for status in precedence if status in statuses), "success")


def _unrendered(render: RenderRecord) -> RenderResponse:
    """A clip still rendering or staging (its files are not all there yet: every connection is pending), or one that
    could not be rendered (every connection is in error, with the reason, so its webhook is ``render.failed``)."""
    failed = render.state == "failed"
    reason = render.warnings[-1].title if failed and render.warnings else None
    connections = [
        ConnectionStatus(
            provider=connection.provider,
            storage=connection.storage,
            path=None,
            status="error" if failed else "pending",
            error=reason,
            files=[],
        )
        for connection in render.connections
    ]
    return RenderResponse(
        id=render.id,
        status="failed" if failed else "rendering",
        data=None,
        connections=connections,
        warnings=render.warnings,
    )
