"""S3-family destination (AWS S3, Cloudflare R2, S3-compatible stores): streams a staged file into a bucket.

Files up to ``single_put_max`` (100 MiB, where AWS advises multipart; the registry passes 0 for clients that sign
payloads, which would read the body twice) go in one PUT whose body is read from staging as it is sent: one request
instead of one per part (requests are billed to the customer), less work for the server, and memory of a read piece
whatever the size; files under a part are read into one buffer first. Larger files go in a multipart upload whose
parts are read from the stream one at a time into reused buffers and sent by a few threads, so memory stays at
(concurrency + 1) parts whatever the size (5 MiB × 7 by default: 35 MiB above the interpreter, 113 MiB in all, and
faster than 8 MiB × 7, 134 MiB; 16 MiB parts × 5 measured 161 MiB, over the 150 MiB budget — docs/bench/large.json).
Conditional writes (``If-None-Match: *`` on PUT and on CompleteMultipartUpload) implement ``if_exists`` skip/fail
without races. The streamed body is in s3_body.py, the multipart upload in s3_multipart.py, the error mapping in
s3_errors.py.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import quote

from botocore.exceptions import ClientError

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
from courier.destinations.s3_body import StreamedBody
from courier.destinations.s3_errors import client_secrets, map_error, precondition_failed
from courier.destinations.s3_multipart import BucketOwner, Conditional, MultipartUpload

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client
    from types_boto3_s3.type_defs import BlobTypeDef

MiB = 1024 * 1024
MAX_SINGLE_PUT = 5 * 1024 * MiB  # also the largest object this service delivers
# Above this, multipart: AWS's advice ("when your object size reaches 100 MB"); rclone's cutoff is 200 MiB.
SINGLE_PUT_MAX = 100 * MiB
# x-amz-meta-… of objects written with if_exists skip/fail and a write token: the delivery that wrote them.
OWN_MARK = "render-courier-write"


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
        client: S3Client,
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
        self._owner: BucketOwner = {"ExpectedBucketOwner": expected_owner} if expected_owner else {}
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
        if source.bucket is None:  # the caller copies only staged files that name their bucket
            return None
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

    def _conditional(self, options: DeliveryOptions) -> Conditional:
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
                Body=cast("BlobTypeDef", body),  # botocore sends a bytearray or a readable raw stream as is
                ContentLength=len(body),
                **self._object_args(options),
                **self._conditional(options),
            )
        except ClientError as exc:
            if options.if_exists != "overwrite" and precondition_failed(exc):
                return None
            raise
        return str(answer.get("ETag", ""))

    def _multipart(self, reader: VerifyingReader, key: str, options: DeliveryOptions, size: int) -> str | None:
        upload = MultipartUpload(self._client, self._bucket, key, self._owner, self._concurrency)
        return upload.run(reader, size, self._part_size, self._object_args(options), self._conditional(options))

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
