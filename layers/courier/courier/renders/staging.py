"""The private staging bucket: where rendered files wait for delivery, and how their keys are laid out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import unquote_plus

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client

STAGING_ROOT = "staging"
JOBS_ROOT = "jobs"  # a clip's request, kept for the video function (no event fires under this prefix)


@dataclass(frozen=True)
class StagingKey:
    workspace_id: str
    render_id: str
    file_uuid: str
    filename: str

    def __str__(self) -> str:
        return f"{STAGING_ROOT}/{self.workspace_id}/{self.render_id}/{self.file_uuid}/{self.filename}"

    @classmethod
    def parse(cls, key: str) -> StagingKey:
        """Parse a decoded staging key; ValueError when it is not one of ours."""
        parts = key.split("/")
        if len(parts) != 5 or parts[0] != STAGING_ROOT or not all(parts):
            raise ValueError(f"not a staging key: {key!r}")
        return cls(parts[1], parts[2], parts[3], parts[4])

    @classmethod
    def from_event_key(cls, encoded: str) -> StagingKey:
        # S3 URL-encodes keys in event notifications, with a space as "+".
        return cls.parse(unquote_plus(encoded))


class StagingBucket:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self.bucket = bucket

    def put(self, key: StagingKey, body: bytes, content_type: str, render_id: str) -> None:
        self._client.put_object(
            Bucket=self.bucket,
            Key=str(key),
            Body=body,
            ContentType=content_type,
            Metadata={"render-id": render_id},
        )

    def upload(self, key: StagingKey, path: str, content_type: str, render_id: str) -> None:
        """A file from disk, streamed in parts (s3transfer): memory stays flat however large the clip."""
        self._client.upload_file(
            path,
            self.bucket,
            str(key),
            ExtraArgs={"ContentType": content_type, "Metadata": {"render-id": render_id}},
        )

    def put_job(self, workspace_id: str, render_id: str, body: bytes) -> None:
        self._client.put_object(Bucket=self.bucket, Key=_job_key(workspace_id, render_id), Body=body)

    def take_job(self, workspace_id: str, render_id: str) -> bytes | None:
        """The job's request, or None when it is gone (done, or expired)."""
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=_job_key(workspace_id, render_id))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return bytes(body.read())

    def delete_job(self, workspace_id: str, render_id: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=_job_key(workspace_id, render_id))

    def head(self, key: str) -> dict[str, Any] | None:
        """The staged object's metadata, or None when it is gone (expired)."""
        try:
            return dict(self._client.head_object(Bucket=self.bucket, Key=key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def announce(self, key: str, head: dict[str, Any]) -> None:
        """Fire the bucket's ObjectCreated event for a staged file again, so the deliver function takes up
        deliveries added to it later (a remote copy): an in-place copy, which S3 allows only when something
        changes — here a metadata stamp; the content type and the render's metadata (from ``head``) are kept."""
        metadata = dict(head.get("Metadata") or {}) | {"announced-at": str(time.time_ns())}
        self._client.copy_object(
            Bucket=self.bucket,
            Key=key,
            CopySource={"Bucket": self.bucket, "Key": key},
            MetadataDirective="REPLACE",
            Metadata=metadata,
            ContentType=head.get("ContentType", "application/octet-stream"),
        )

    def open(self, key: str) -> BinaryIO:
        """A streaming body: read in chunks, never whole."""
        return cast(BinaryIO, self._client.get_object(Bucket=self.bucket, Key=key)["Body"])

    def presign_get(self, key: str, expires_in: int) -> str:
        return str(
            self._client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
            )
        )


def _job_key(workspace_id: str, render_id: str) -> str:
    return f"{JOBS_ROOT}/{workspace_id}/{render_id}.json"
