"""MemoryStaging: courier.renders.staging.StagingBucket's interface over a dict, for unit tests (no S3)."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any, BinaryIO

from courier.renders.staging import StagingKey, _job_key


class MemoryStaging:
    def __init__(self, bucket: str = "staging") -> None:
        self.bucket = bucket
        self.objects: dict[str, tuple[bytes, dict[str, Any]]] = {}  # key -> (body, head)

    def put(self, key: StagingKey, body: bytes, content_type: str, render_id: str) -> None:
        head = {"ContentType": content_type, "ContentLength": len(body), "Metadata": {"render-id": render_id}}
        self.objects[str(key)] = (body, head)

    def upload(self, key: StagingKey, path: str, content_type: str, render_id: str) -> None:
        self.put(key, Path(path).read_bytes(), content_type, render_id)

    def put_job(self, workspace_id: str, render_id: str, body: bytes) -> None:
        self.objects[_job_key(workspace_id, render_id)] = (body, {})

    def take_job(self, workspace_id: str, render_id: str) -> bytes | None:
        found = self.objects.get(_job_key(workspace_id, render_id))
        return found[0] if found else None

    def delete_job(self, workspace_id: str, render_id: str) -> None:
        self.objects.pop(_job_key(workspace_id, render_id), None)

    def head(self, key: str) -> dict[str, Any] | None:
        found = self.objects.get(key)
        return dict(found[1]) if found else None

    def announce(self, key: str, head: dict[str, Any]) -> None:
        body, _ = self.objects[key]
        metadata = dict(head.get("Metadata") or {}) | {"announced-at": str(time.time_ns())}
        self.objects[key] = (body, {**head, "Metadata": metadata})

    def open(self, key: str) -> BinaryIO:
        """The staged bytes; KeyError when there is no such object (S3 would answer NoSuchKey)."""
        return io.BytesIO(self.objects[key][0])

    def presign_get(self, key: str, expires_in: int) -> str:
        return f"memory://{self.bucket}/{key}?expires_in={expires_in}"
