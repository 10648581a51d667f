"""S3 destination: streams a staged file into a customer bucket with boto3's managed transfer."""

from __future__ import annotations

import uuid
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)

from courier.destinations.base import (
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
    VerifyingReader,
)

MiB = 1024 * 1024
# 16 MiB parts reach 156 GiB within S3's 10,000-part limit; at most 4 parts in flight + 2 queued keeps memory flat.
TRANSFER = TransferConfig(multipart_threshold=16 * MiB, multipart_chunksize=16 * MiB, max_concurrency=4)
TRANSFER.max_in_memory_upload_chunks = 6

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
}


def map_error(exc: Exception) -> DestinationError:
    """Translate a boto error into ours: permanent when the user must act, retryable otherwise."""
    if isinstance(exc, DestinationError):
        return exc
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        hint = PERMANENT_CODES.get(code)
        if hint:
            return PermanentDeliveryError(f"{code}: {hint}")
        if status >= 500 or status == 429 or code in {"SlowDown", "Throttling", "RequestTimeout", "InternalError"}:
            retry_after = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("retry-after")
            return RetryableDeliveryError(f"{code}: the storage answered {status or 'an error'}", _seconds(retry_after))
        return PermanentDeliveryError(f"{code}: {error.get('Message') or 'the storage refused the write'}")
    if isinstance(exc, (EndpointConnectionError, ConnectionError, ReadTimeoutError)):
        return RetryableDeliveryError(f"{type(exc).__name__}: the storage could not be reached")
    if isinstance(exc, ParamValidationError):
        return PermanentDeliveryError("the storage refused the request's parameters: check the object options")
    if isinstance(exc, BotoCoreError):
        return RetryableDeliveryError(f"{type(exc).__name__}")
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def _seconds(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class S3Destination:
    """One bucket, reached through an S3 client that already carries the right credentials and region."""

    def __init__(self, client: Any, bucket: str, probe_prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._probe_prefix = probe_prefix.strip("/")

    def probe(self) -> None:
        """Write, read back and delete a small object under the storage's prefix (where bucket policies allow us)."""
        key = "/".join(p for p in (self._probe_prefix, f".render-courier-probe-{uuid.uuid4().hex}.txt") if p)
        body = b"Render Courier checks that it can deliver here; this object is deleted at once.\n"
        try:
            self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="text/plain")
            read = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except Exception as exc:
            raise map_error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("the storage returned different bytes than were written")

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        extra: dict[str, Any] = {"ContentType": options.content_type}
        if options.content_disposition:
            extra["ContentDisposition"] = options.content_disposition
        if options.cache_control:
            extra["CacheControl"] = options.cache_control
        if options.metadata:
            extra["Metadata"] = options.metadata
        if options.make_public:
            # Never by default: buckets with ACLs disabled refuse any ACL header.
            extra["ACL"] = "public-read"
        try:
            with source.open() as stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                self._client.upload_fileobj(reader, self._bucket, key, ExtraArgs=extra, Config=TRANSFER)
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except Exception as exc:  # every SDK failure becomes one of our two error kinds
            raise map_error(exc) from exc
        if int(head["ContentLength"]) != source.size:
            raise RetryableDeliveryError(f"the stored object has {head['ContentLength']} bytes, not {source.size}")
        return Delivered(
            location=f"s3://{self._bucket}/{key}",
            size=reader.size,
            checksum=reader.checksum,
            etag=str(head.get("ETag", "")).strip('"') or None,
        )
