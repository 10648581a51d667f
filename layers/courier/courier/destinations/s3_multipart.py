"""S3 multipart upload: a file larger than ``single_put_max`` sent part by part, in bounded memory.

Parts are read from the verified stream one at a time into reused buffers and sent by ``concurrency`` threads, so
memory stays at (concurrency + 1) parts whatever the size. Nothing becomes visible at the key unless every part was
read, verified and stored and CompleteMultipartUpload (conditional for ``if_exists`` skip/fail) succeeded; an upload
that fails is aborted, and once ours completed, the unfinished uploads of the same key left by earlier, killed tries
are aborted too.
"""

from __future__ import annotations

import contextlib
import math
import queue
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, TypedDict, cast

from botocore.exceptions import ClientError

from courier.destinations.base import VerifyingReader
from courier.destinations.s3_errors import precondition_failed

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client
    from types_boto3_s3.type_defs import BlobTypeDef, CompletedPartTypeDef

MiB = 1024 * 1024
MAX_PARTS = 10_000


class BucketOwner(TypedDict, total=False):
    """Spread into every call on the bucket: ``{"ExpectedBucketOwner": account}``, or empty (no owner check)."""

    ExpectedBucketOwner: str


class Conditional(TypedDict, total=False):
    """Spread into the write that makes the object visible: ``{"IfNoneMatch": "*"}`` (skip/fail), or empty."""

    IfNoneMatch: str


class MultipartUpload:
    """The multipart upload of one key of one bucket. ``owner`` is ``{"ExpectedBucketOwner": …}`` or empty."""

    def __init__(self, client: S3Client, bucket: str, key: str, owner: BucketOwner, concurrency: int) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key
        self._owner = owner
        self._concurrency = concurrency

    def run(
        self,
        reader: VerifyingReader,
        size: int,
        part_size: int,
        object_args: dict[str, Any],
        conditional: Conditional,
    ) -> str | None:
        """Upload ``size`` bytes of ``reader`` in parts of at least ``part_size``, then complete the upload with
        ``conditional`` (``{"IfNoneMatch": "*"}`` for skip/fail). The ETag; None when the name was taken meanwhile."""
        key = self._key
        part_size = max(part_size, math.ceil(size / MAX_PARTS / MiB) * MiB)
        upload_id = self._client.create_multipart_upload(Bucket=self._bucket, Key=key, **object_args)["UploadId"]
        try:
            parts = self._upload_parts(reader, upload_id, part_size)
            stale = self._earlier_uploads(upload_id)
            try:
                answer = self._client.complete_multipart_upload(
                    Bucket=self._bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                    **self._owner,
                    **conditional,
                )
            except ClientError as exc:
                if conditional and precondition_failed(exc):
                    self._abort(upload_id)
                    return None
                raise
        except BaseException:
            # Never leave a dangling upload (it is billed and invisible); nothing becomes visible at the key.
            self._abort(upload_id)
            raise
        for earlier in stale:
            self._abort(earlier)
        return str(answer.get("ETag", ""))

    def _earlier_uploads(self, own: str) -> list[str]:
        """The unfinished multipart uploads of this very key begun before ours: earlier tries of this delivery by a
        worker that died mid-upload (Lambda timeout, out of memory, SIGKILL) and so never aborted its own. Keys are
        deterministic, so they are ours to abort once our upload completed. S3 lists the uploads of one key oldest
        first. Best effort: the listing needs s3:ListBucketMultipartUploads, and the bucket's lifecycle rule
        (AbortIncompleteMultipartUpload) stays the backstop."""
        key = self._key
        try:
            listed = self._client.list_multipart_uploads(Bucket=self._bucket, Prefix=key, **self._owner)
        except Exception:
            return []
        ids = [str(u.get("UploadId")) for u in listed.get("Uploads", []) if u.get("Key") == key]
        return ids[: ids.index(own)] if own in ids else []

    def _upload_parts(self, reader: VerifyingReader, upload_id: str, part_size: int) -> list[CompletedPartTypeDef]:
        # `concurrency` parts in flight plus the one being read, each in a buffer reused part after part: memory is
        # (concurrency + 1) × part size whatever the file's size, and the allocator never sees a part-sized churn.
        free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(self._concurrency + 1):
            free.put(bytearray(part_size))
        futures: list[Future[CompletedPartTypeDef]] = []

        def send(number: int, body: bytearray) -> CompletedPartTypeDef:
            try:
                answer = self._client.upload_part(
                    Bucket=self._bucket,
                    Key=self._key,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=cast("BlobTypeDef", body),  # botocore sends a bytearray as is; the stubs' Body omits it
                    ContentLength=len(body),
                    **self._owner,
                )
                return {"PartNumber": number, "ETag": answer["ETag"]}
            finally:
                free.put(body)

        with ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="s3-part") as pool:
            number = 0
            while True:
                body = free.get()  # waits while every buffer is in flight
                if any(f.done() and f.exception() for f in futures):
                    break
                if len(body) != part_size:
                    body = bytearray(part_size)  # only after the last, shortened part: never in practice
                count = reader.readinto(body)
                if count == 0:
                    break
                if count < part_size:
                    del body[count:]  # the last part; shrinking in place copies nothing
                number += 1
                futures.append(pool.submit(send, number, body))
                if count < part_size:
                    break
            wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            error = future.exception()
            if error is not None:
                raise error
        return [f.result() for f in futures]

    def _abort(self, upload_id: str) -> None:
        # The bucket's lifecycle rule is the backstop; the original error matters more than this one.
        with contextlib.suppress(Exception):
            self._client.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=upload_id, **self._owner)
