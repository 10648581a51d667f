"""Warnings of failed deliveries in the status document: what each connection was, in Orshot's warning shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from courier.models import Provider
from courier.records import ConnectionRecord, DeliveryRecord, DeliveryTarget, RenderRecord, StagedFileRecord
from courier.renders.status import status_document

RENDER_ID = "9f1c0000-0000-4000-8000-000000000001"
FILE = StagedFileRecord(
    uuid="7c0e0000-0000-4000-8000-000000000002",
    page=1,
    key="k",
    filename="f.png",
    content_type="image/png",
    size=1,
    checksum="sha256:00",
)


def _failed(index: int, provider: Provider, storage: str | None, auth: str) -> tuple[ConnectionRecord, DeliveryRecord]:
    connection = ConnectionRecord(index=index, provider=provider, storage=storage, status="pending", label="x")
    delivery = DeliveryRecord(
        render_id=RENDER_ID,
        file_uuid=FILE.uuid,
        connection=index,
        page=1,
        key="renders/f.png",
        target=DeliveryTarget(provider=provider, storage=storage, auth_type=auth),  # type: ignore[arg-type]
        status="error",
        error="Access Denied",
    )
    return connection, delivery


@pytest.mark.parametrize(
    ("provider", "storage", "auth", "title", "details"),
    [
        ("s3", "default", "keys", "Failed to upload to S3: Access Denied", "storage 'default'"),
        ("url", None, "url", "Failed to upload to presigned URL (connections.2): Access Denied", ""),
        ("s3", None, "inline", "Failed to upload to inline S3 bucket (connections.2): Access Denied", ""),
    ],
)
def test_a_failed_delivery_warning_says_which_connection_failed(
    provider: Provider, storage: str | None, auth: str, title: str, details: str
) -> None:
    # Given a render whose third connection (a stored storage, a presigned URL or an inline bucket) failed
    connection, delivery = _failed(2, provider, storage, auth)
    render = RenderRecord(
        id=RENDER_ID,
        workspace_id="ws",
        template_id="social-card",
        format="png",
        response_type="url",
        created_at=datetime.now(UTC),
        response_time="0.1s",
        files=[FILE],
        connections=[connection],
    )
    # When its status document is built
    document = status_document(render, [delivery], ["https://staging/f.png"], "url")
    # Then the warning names the storage, or else which connection it was, never "storage 'None'"
    assert [w.model_dump() for w in document.warnings] == [{"title": title, "details": details}]
    assert "None" not in document.model_dump_json()
