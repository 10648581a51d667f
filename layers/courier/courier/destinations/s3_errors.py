"""S3 errors: how a boto failure becomes one of our two delivery errors, and which secrets its reason must not quote.

``map_error`` reads S3's error code first: the codes a user must act on (``PERMANENT_CODES``: a missing bucket, a
refused key, ACLs disabled…) become a PermanentDeliveryError with a hint; throttling, 5xx and unreachable endpoints
become retryable. Whatever the server wrote is shown scrubbed of the client's keys and token (``client_secrets``):
an S3-compatible server may quote the credential it refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)

from courier.destinations.base import DestinationError, PermanentDeliveryError, RetryableDeliveryError
from courier.secrets.scrub import Scrubber

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client

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


def client_secrets(client: S3Client) -> list[str]:
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


def precondition_failed(exc: Exception) -> bool:
    """A conditional write (``If-None-Match: *``) refused because the name is taken meanwhile."""
    if not isinstance(exc, ClientError):
        return False
    code = exc.response.get("Error", {}).get("Code")
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in {"PreconditionFailed", "ConditionalRequestConflict"} or status == 412
