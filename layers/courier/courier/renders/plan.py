"""What a render stages and where each file goes: its staged files (names as Uploadcare-style patterns make them)
and one delivery per file and connection. Shared by still renders (renders.py) and clips (clips.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from courier.naming import NameContext, build_key
from courier.records import ConnectionRecord, DeliveryRecord, StagedFileRecord
from courier.renders.connections import ResolvedConnection, key_for, naming
from courier.renders.models import RenderRequest
from courier.renders.staging import StagingKey
from courier.secrets.sealing import Sealer


@dataclass(frozen=True)
class Output:
    """One rendered file, as the plan needs it."""

    page: int
    ext: str
    content_type: str
    size: int
    checksum: str  # sha256:<hex>
    page_count: int = 1  # pages inside it (a one-file PDF holds several)


def seal_secrets(sealer: Sealer, connections: list[ResolvedConnection], workspace_id: str, render_id: str) -> None:
    """Secrets given in the request are kept only sealed, bound to this workspace and render."""
    for connection in connections:
        if connection.secret is not None:
            connection.target.sealed = sealer.seal(
                connection.secret, workspace_id, render_id, f"connections.{connection.index}"
            )


def plan_files(
    workspace_id: str,
    render_id: str,
    request: RenderRequest,
    template_id: str,
    template_pages: int,
    connections: list[ResolvedConnection],
    outputs: list[Output],
    now: datetime,
) -> tuple[list[StagedFileRecord], list[DeliveryRecord]]:
    # A page of a multi-page template keeps its number in its name, also when it is the only one asked for.
    multi_page = len(outputs) > 1 or (template_pages > 1 and outputs[0].page_count == 1)
    file_name_given = request.response.file_name is not None
    files: list[StagedFileRecord] = []
    deliveries: list[DeliveryRecord] = []
    for output in outputs:
        context = NameContext(
            uuid=str(uuid.uuid4()),
            filename=request.response.file_name or template_id,
            ext=output.ext,
            render_id=render_id,
            date=now.date(),
            page=output.page if multi_page else None,
        )
        filename = naming(partial(build_key, None, "${auto_filename}", context), "response.fileName")
        staged = StagedFileRecord(
            uuid=context.uuid,
            page=output.page,
            key=str(StagingKey(workspace_id, render_id, context.uuid, filename)),
            filename=filename,
            content_type=output.content_type,
            size=output.size,
            checksum=output.checksum,
        )
        files.append(staged)
        for connection in connections:
            if connection.paused:
                continue
            deliveries.append(
                DeliveryRecord(
                    render_id=render_id,
                    file_uuid=staged.uuid,
                    connection=connection.index,
                    page=staged.page,
                    key=key_for(connection, context, file_name_given),
                    target=connection.target,
                )
            )
    return files, deliveries


def connection_records(connections: list[ResolvedConnection]) -> list[ConnectionRecord]:
    return [
        ConnectionRecord(
            index=c.index,
            provider=c.target.provider,
            storage=c.target.storage,
            label=c.label,
            status="skipped" if c.paused else "pending",
        )
        for c in connections
    ]
