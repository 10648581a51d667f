"""Records of a render as the render function writes them, for tests that start at the deliver side."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from courier.records import ConnectionRecord, DeliveryRecord, DeliveryTarget, RenderRecord, StagedFileRecord
from courier.renders.staging import StagingKey


def one_file_render(
    key: StagingKey, body: bytes, *, bucket: str, delivered_key: str, storage: str = "main"
) -> tuple[RenderRecord, DeliveryRecord]:
    """A PNG render of one staged file (``key``, holding ``body``) with one pending delivery to an S3 bucket that
    grants our role (``policy``: no credentials to look up)."""
    render = RenderRecord(
        id=key.render_id,
        workspace_id=key.workspace_id,
        template_id="social-card",
        format="png",
        response_type="url",
        created_at=datetime.now(UTC),
        response_time="0.10s",
        files=[
            StagedFileRecord(
                uuid=key.file_uuid,
                page=1,
                key=str(key),
                filename=key.filename,
                content_type="image/png",
                size=len(body),
                checksum=f"sha256:{hashlib.sha256(body).hexdigest()}",
            )
        ],
        connections=[ConnectionRecord(index=0, provider="s3", storage=storage, status="pending")],
    )
    delivery = DeliveryRecord(
        render_id=key.render_id,
        file_uuid=key.file_uuid,
        connection=0,
        page=1,
        key=delivered_key,
        target=DeliveryTarget(provider="s3", storage=storage, bucket=bucket, region="us-east-1", auth_type="policy"),
    )
    return render, delivery
