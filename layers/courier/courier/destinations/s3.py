"""S3-family destination (AWS S3, Cloudflare R2, S3-compatible stores): streams a staged file into a bucket.

Files up to ``single_put_max`` (100 MiB, where AWS advises multipart; the registry passes 0 for clients that sign
payloads, which would read the body twice) go in one PUT whose body is read from staging as it is sent: one request
instead of one per part (requests are billed to the customer), less work for the server, and memory of a read piece
whatever the size; files under a part are read into one buffer first. Larger files go in a multipart upload whose
parts are read from the stream one at a time into reused buffers and sent by a few threads, so memory stays at
(concurrency + 1) parts whatever the size (5 MiB × 7 by default: 35 MiB above the interpreter, 113 MiB in all, and
faster than 8 MiB × 7, 134 MiB; 16 MiB parts × 5 measured 161 MiB, over the 150 MiB budget — docs/bench/large.json).
Conditional writes (``If-None-Match: *`` on PUT and on CompleteMultipartUpload) implement ``if_exists`` skip/fail
without races.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import queue
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar
from urllib.parse import quote

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)

from courier.destinations.base import (
    AlreadyExistsError,
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
    VerifyingReader,
)
from courier.secrets.scrub import Scrubber

T = TypeVar("T")
MiB = 1024 * 1024
MAX_PARTS = 10_000
MAX_SINGLE_PUT = 5 * 1024 * MiB  # also the largest object this service delivers
# Above this, multipart: AWS's advice ("when your object size reaches 100 MB"); rclone's cutoff is 200 MiB.
SINGLE_PUT_MAX = 100 * MiB
# x-amz-meta-… of objects written with if_exists skip/fail and a write token: the delivery that wrote them.
OWN_MARK = "render-courier-write"
# How much of a server's own code and message a reason keeps (S3's are far shorter; a hostile server's need not be).
MAX_CODE = 64
MAX_MESSAGE = 300

PERMANENT_CODES = {
    "NoSuchBucket": "the bucket does not exist",
    "AccessDenied": "access denied: check the bucket policy or the key's permissions",
    "AllAccessDisabled": "all access to this bucket is disabled",
    "InvalidAccessKeyId": "the access key id is not valid",
    "SignatureDoesNotMatch": "the secret access key does not match the access key id",
    "AccountProblem": "the bucket owner's account has a problem",
    "AccessControlListNotSupported": "the bucket has ACLs disabled: turn makePublic off",
    "InvalidBucketName": "the bucket name is not valid",
    "PermanentRedirect": "the bucket is in another region: set the storage's region",
    "AuthorizationHeaderMalformed": "the bucket is in another region: set the storage's region",
    "KMS.AccessDeniedException": "the bucket's KMS key does not allow this writer",
    "InvalidStorageClass": "the storage class is not valid for this bucket",
    "InvalidTag": "a tag is not valid",
    "NotImplemented": "the storage does not support an option that was asked for",
}


def map_error(exc: Exception, secrets: Iterable[str] = ()) -> DestinationError:
    """Translate a boto error into ours: permanent when the user must act, retryable otherwise.

    What the server wrote (its error code and message) is shown only scrubbed of ``secrets`` (the client's keys and
    token) and of any access key id: an S3-compatible server may quote the credential it refused."""
    if isinstance(exc, DestinationError):
        return exc
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        hint = PERMANENT_CODES.get(code)
        if hint:
            return PermanentDeliveryError(f"{code}: {hint}")
        scrub = Scrubber(secrets)
        shown = scrub(code)[:MAX_CODE]
        if status >= 500 or status == 429 or code in {"SlowDown", "Throttling", "RequestTimeout", "InternalError"}:
            retry_after = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("retry-after")
            return RetryableDeliveryError(
                f"{shown}: the storage answered {status or 'an error'}", _seconds(retry_after)
            )
        message = scrub(" ".join(str(error.get("Message") or "").split()))[:MAX_MESSAGE]
        return PermanentDeliveryError(f"{shown}: {message or 'the storage refused the write'}")
    if isinstance(exc, (EndpointConnectionError, ConnectionError, ReadTimeoutError)):
        return RetryableDeliveryError(f"{type(exc).__name__}: the storage could not be reached")
    if isinstance(exc, ParamValidationError):
        return PermanentDeliveryError("the storage refused the request's parameters: check the object options")
    if isinstance(exc, BotoCoreError):
        return RetryableDeliveryError(f"{type(exc).__name__}")
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def client_secrets(client: Any) -> list[str]:
    """The access key id, secret key and session token ``client`` signs with, which a server may quote back; none
    for a client without botocore's signer (a test double). Read when an error is being translated, not before:
    refreshable credentials may refresh on reading."""
    credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
    if credentials is None:
        return []
    try:
        frozen = credentials.get_frozen_credentials()
    except Exception:
        return []
    return [str(value) for value in (frozen.access_key, frozen.secret_key, frozen.token) if value]


def _seconds(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _precondition_failed(exc: Exception) -> bool:
    if not isinstance(exc, ClientError):
        return False
    code = exc.response.get("Error", {}).get("Code")
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in {"PreconditionFailed", "ConditionalRequestConflict"} or status == 412


class StreamedBody(io.RawIOBase):
    """A staged file as the body of one PUT, read from staging as the SDK sends it and verified on the way: when
    the bytes are not the rendered file's, the read that would hand on the last of them raises, so the server never
    receives a whole body and stores nothing. Rewinding (the SDK retrying the request, or reading the body ahead to
    sign it) reopens the staged file. Its length is the staged size, so the SDK never seeks to its end.

    A failed staging read is kept in ``failure`` and makes any rewind fail: the SDK wraps what a body raises
    mid-send as a connection error and would retry it, re-reading staging for nothing; ``deliver()`` reports the
    kept failure instead."""

    def __init__(self, source: StagedFile) -> None:
        super().__init__()
        self._source = source
        self._opened = contextlib.ExitStack()
        self.failure: RetryableDeliveryError | None = None
        self.reader = self._open()

    def _open(self) -> VerifyingReader:
        self._opened.close()
        stream = self._opened.enter_context(self._source.open())
        return VerifyingReader(stream, self._source.size, self._source.checksum)

    def __len__(self) -> int:
        return self._source.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._reading(lambda: self.reader.read(-1 if size is None else size))

    def readinto(self, buffer: Any) -> int:
        return self._reading(lambda: self.reader.readinto(buffer))

    def _reading(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except RetryableDeliveryError as exc:  # IntegrityError: not the rendered bytes
            self.failure = exc
            raise
        except Exception as exc:
            self.failure = RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})")
            raise self.failure from exc

    def tell(self) -> int:
        return self.reader.size

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset != 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("a staged body can only be rewound to its start")
        if self.failure is not None:
            raise self.failure
        if self.reader.size:  # failed reads are kept above, so 0 bytes read means the stream is as opened
            self.reader = self._open()
        return 0

    def close(self) -> None:
        self._opened.close()
        super().close()


@dataclass(frozen=True)
class S3Flavour:
    """What a provider accepts: R2 takes no ACL, SSE-KMS, tagging or storage-class headers."""

    name: Literal["s3", "r2"] = "s3"

    @property
    def supports_acl(self) -> bool:
        return self.name == "s3"

    @property
    def supports_tags_and_kms(self) -> bool:
        return self.name == "s3"


class S3Destination:
    """One bucket, reached through an S3 client that already carries the right credentials, region and endpoint."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        flavour: S3Flavour = S3Flavour(),
        probe_prefix: str = "",
        expected_owner: str | None = None,
        part_size: int = 5 * MiB,
        concurrency: int = 6,
        single_put_max: int = SINGLE_PUT_MAX,
        server_side_copy: bool = False,
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._flavour = flavour
        self._probe_prefix = probe_prefix.strip("/")
        self._owner = {"ExpectedBucketOwner": expected_owner} if expected_owner else {}
        self._part_size = part_size
        self._concurrency = concurrency
        self._single_put_max = min(single_put_max, MAX_SINGLE_PUT)
        # Only when this client's credentials can also read staging (our own role, same S3): no bytes through us.
        self._server_side_copy = server_side_copy

    # ------------------------------------------------------------ the port

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        if source.size > MAX_SINGLE_PUT:
            raise PermanentDeliveryError("files over 5 GiB are not delivered")
        scheme = self._flavour.name
        try:
            if options.if_exists != "overwrite":
                if options.write_token:
                    # Marked as this delivery's, so that a retry after a lost answer recognises it (see _taken).
                    options = replace(options, metadata={**options.metadata, OWN_MARK: options.write_token})
                existing = self._head(key)
                if existing is not None:
                    return self._taken(key, source, options, existing)
            if self._server_side_copy and source.bucket and options.if_exists == "overwrite":
                copied = self._copy(source, key, options)
                if copied is not None:
                    return copied
            if self._part_size < source.size <= self._single_put_max:
                with StreamedBody(source) as body:
                    try:
                        etag = self._put_object(body, key, options)  # read from staging while it is sent
                    except Exception:
                        if body.failure is not None:
                            raise body.failure from None
                        raise
                    reader = body.reader
            else:
                with source.open() as stream:
                    reader = VerifyingReader(stream, source.size, source.checksum)
                    if source.size <= self._part_size:
                        etag = self._put(reader, key, options, source.size)
                    else:
                        etag = self._multipart(reader, key, options, source.size)
            if etag is None:
                return self._taken(key, source, options)
            head = self._client.head_object(Bucket=self._bucket, Key=key, **self._owner)
        except DestinationError:
            raise
        except Exception as exc:  # every SDK failure becomes one of our two error kinds
            raise self._error(exc) from exc
        if int(head["ContentLength"]) != source.size:
            raise RetryableDeliveryError(f"the stored object has {head['ContentLength']} bytes, not {source.size}")
        return Delivered(
            location=f"{scheme}://{self._bucket}/{key}",
            size=reader.size,
            checksum=reader.checksum,
            etag=str(head.get("ETag", etag)).strip('"') or None,
        )

    def probe(self) -> None:
        """Write, read back and delete a small object under the storage's prefix (where bucket policies allow us)."""
        key = "/".join(p for p in (self._probe_prefix, f".render-courier-probe-{uuid.uuid4().hex}.txt") if p)
        body = b"Render Courier checks that it can deliver here; this object is deleted at once.\n"
        try:
            self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="text/plain", **self._owner)
            read = self._client.get_object(Bucket=self._bucket, Key=key, **self._owner)["Body"].read()
            self._client.delete_object(Bucket=self._bucket, Key=key, **self._owner)
        except Exception as exc:
            raise self._error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("the storage returned different bytes than were written")

    def _error(self, exc: Exception) -> DestinationError:
        return map_error(exc, client_secrets(self._client) if isinstance(exc, ClientError) else ())

    # ------------------------------------------------------------ writes

    def _object_args(self, options: DeliveryOptions) -> dict[str, Any]:
        args: dict[str, Any] = {"ContentType": options.content_type, **self._owner}
        if options.content_disposition:
            args["ContentDisposition"] = options.content_disposition
        if options.cache_control:
            args["CacheControl"] = options.cache_control
        if options.metadata:
            args["Metadata"] = options.metadata
        if options.storage_class and self._flavour.supports_tags_and_kms:
            args["StorageClass"] = options.storage_class
        if options.tags and self._flavour.supports_tags_and_kms:
            args["Tagging"] = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in options.tags.items())
        if options.sse == "AES256":
            args["ServerSideEncryption"] = "AES256"
        elif options.sse == "aws:kms" and self._flavour.supports_tags_and_kms:
            args["ServerSideEncryption"] = "aws:kms"
            if options.sse_kms_key_id:
                args["SSEKMSKeyId"] = options.sse_kms_key_id
        acl = options.acl or ("public-read" if options.make_public else None)
        if acl and self._flavour.supports_acl:
            # Never by default: buckets with ACLs disabled refuse any ACL header.
            args["ACL"] = acl
        return args

    def _copy(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered | None:
        """CopyObject from staging (≤ 5 GiB, which is every file here): S3 moves the bytes and computes their
        SHA-256, which must equal the rendered file's. None when S3 refuses the copy: the stream path follows."""
        try:
            answer = self._client.copy_object(
                Bucket=self._bucket,
                Key=key,
                CopySource={"Bucket": source.bucket, "Key": source.key},
                MetadataDirective="REPLACE",
                ChecksumAlgorithm="SHA256",
                **self._object_args(options),
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"AccessDenied", "NotImplemented", "InvalidRequest"}:
                return None  # e.g. the bucket policy grants PutObject but not copies from our bucket
            raise
        result = answer.get("CopyObjectResult", {})
        expected = base64.b64encode(bytes.fromhex(source.checksum.removeprefix("sha256:"))).decode()
        if result.get("ChecksumSHA256") not in (None, expected):
            raise RetryableDeliveryError("the copied object's checksum does not match the rendered file")
        return Delivered(
            location=f"{self._flavour.name}://{self._bucket}/{key}",
            size=source.size,
            checksum=source.checksum,
            etag=str(result.get("ETag", "")).strip('"') or None,
        )

    def _conditional(self, options: DeliveryOptions) -> dict[str, str]:
        return {} if options.if_exists == "overwrite" else {"IfNoneMatch": "*"}

    def _put(self, reader: VerifyingReader, key: str, options: DeliveryOptions, size: int) -> str | None:
        """One PUT of a small file (≤ one part, so bounded memory). None when the name was taken meanwhile."""
        body = bytearray(size + 1)  # one byte more than expected: a staged stream that runs long fails here
        del body[reader.readinto(body) :]  # verified before it is sent: a bad read raises here
        return self._put_object(body, key, options)

    def _put_object(self, body: bytearray | StreamedBody, key: str, options: DeliveryOptions) -> str | None:
        """One PutObject of a buffered or a streamed body. None when the name was taken meanwhile."""
        try:
            answer = self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentLength=len(body),
                **self._object_args(options),
                **self._conditional(options),
            )
        except ClientError as exc:
            if options.if_exists != "overwrite" and _precondition_failed(exc):
                return None
            raise
        return str(answer.get("ETag", ""))

    def _multipart(self, reader: VerifyingReader, key: str, options: DeliveryOptions, size: int) -> str | None:
        part_size = max(self._part_size, math.ceil(size / MAX_PARTS / MiB) * MiB)
        upload_id = self._client.create_multipart_upload(Bucket=self._bucket, Key=key, **self._object_args(options))[
            "UploadId"
        ]
        try:
            parts = self._upload_parts(reader, key, upload_id, part_size)
            stale = self._earlier_uploads(key, upload_id)
            try:
                answer = self._client.complete_multipart_upload(
                    Bucket=self._bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                    **self._owner,
                    **self._conditional(options),
                )
            except ClientError as exc:
                if options.if_exists != "overwrite" and _precondition_failed(exc):
                    self._abort(key, upload_id)
                    return None
                raise
        except BaseException:
            # Never leave a dangling upload (it is billed and invisible); nothing becomes visible at the key.
            self._abort(key, upload_id)
            raise
        for earlier in stale:
            self._abort(key, earlier)
        return str(answer.get("ETag", ""))

    def _earlier_uploads(self, key: str, own: str) -> list[str]:
        """The unfinished multipart uploads of this very key begun before ours: earlier tries of this delivery by a
        worker that died mid-upload (Lambda timeout, out of memory, SIGKILL) and so never aborted its own. Keys are
        deterministic, so they are ours to abort once our upload completed. S3 lists the uploads of one key oldest
        first. Best effort: the listing needs s3:ListBucketMultipartUploads, and the bucket's lifecycle rule
        (AbortIncompleteMultipartUpload) stays the backstop."""
        try:
            listed = self._client.list_multipart_uploads(Bucket=self._bucket, Prefix=key, **self._owner)
        except Exception:
            return []
        ids = [str(u.get("UploadId")) for u in listed.get("Uploads", []) if u.get("Key") == key]
        return ids[: ids.index(own)] if own in ids else []

    def _upload_parts(self, reader: VerifyingReader, key: str, upload_id: str, part_size: int) -> list[dict[str, Any]]:
        # `concurrency` parts in flight plus the one being read, each in a buffer reused part after part: memory is
        # (concurrency + 1) × part size whatever the file's size, and the allocator never sees a part-sized churn.
        free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(self._concurrency + 1):
            free.put(bytearray(part_size))
        futures: list[Future[dict[str, Any]]] = []

        def send(number: int, body: bytearray) -> dict[str, Any]:
            try:
                answer = self._client.upload_part(
                    Bucket=self._bucket,
                    Key=key,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=body,
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

    def _abort(self, key: str, upload_id: str) -> None:
        # The bucket's lifecycle rule is the backstop; the original error matters more than this one.
        with contextlib.suppress(Exception):
            self._client.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id, **self._owner)

    # ------------------------------------------------------------ if_exists

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return dict(self._client.head_object(Bucket=self._bucket, Key=key, **self._owner))
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                return None
            raise

    def _taken(
        self, key: str, source: StagedFile, options: DeliveryOptions, head: dict[str, Any] | None = None
    ) -> Delivered:
        """The name is taken. By an earlier try of this very delivery (same write token: its answer was lost, e.g. a
        timeout after S3 stored the object), the delivery is done; by anything else, skip or fail as asked."""
        location = f"{self._flavour.name}://{self._bucket}/{key}"
        head = head if head is not None or not options.write_token else self._head(key)
        if (
            options.write_token
            and head is not None
            and head.get("Metadata", {}).get(OWN_MARK) == options.write_token
            and int(head.get("ContentLength", -1)) == source.size
        ):
            etag = str(head.get("ETag", "")).strip('"') or None
            return Delivered(location=location, size=source.size, checksum=source.checksum, etag=etag)
        if options.if_exists == "fail":
            raise AlreadyExistsError(f"an object already exists at {key}; nothing was written (ifExists: fail)")
        return Delivered(location=location, size=0, checksum="", already_existed=True)
