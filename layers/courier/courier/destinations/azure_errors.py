"""Azure errors: how an Azure SDK failure becomes one of our two delivery errors, and which secrets a reason must
not quote.

The storage's error code (x-ms-error-code) decides: the codes a user must act on (``PERMANENT_CODES``: a missing
container, refused credentials, a firewall rule, a lease…) are permanent with a hint; 5xx, 408, 429 and
``RETRYABLE_CODES`` are retryable. What the service wrote is shown scrubbed of the account key and SAS signature
(``client_secrets``); transport errors' own texts are never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from courier.destinations.base import DestinationError, PermanentDeliveryError, RetryableDeliveryError
from courier.secrets.scrub import Scrubber

MAX_CODE = 64
MAX_MESSAGE = 300
CHECK_CREDENTIALS = "check the storage's account key, SAS token or connection string"

PERMANENT_CODES = {
    "ContainerNotFound": "the container does not exist",
    "ContainerBeingDeleted": "the container is being deleted",
    "AuthenticationFailed": f"the storage refused the credentials: {CHECK_CREDENTIALS}",
    "InvalidAuthenticationInfo": f"the credentials are malformed: {CHECK_CREDENTIALS}",
    # Azure: a firewall or network rule refused this caller; Azurite: a wrong account key or signature.
    "AuthorizationFailure": f"the storage refused the credentials or this caller: {CHECK_CREDENTIALS}, and the "
    "account's firewall and network rules",
    "AuthorizationPermissionMismatch": "the credentials lack a permission: delivering needs write (w; read too with "
    "ifExists skip or fail), the storage check read, write and delete (r, w, d)",
    "AuthorizationResourceTypeMismatch": "the SAS token does not cover blobs: an account SAS needs resource types co",
    "AuthorizationServiceMismatch": "the SAS token is not for the blob service",
    "AuthorizationSourceIPMismatch": "the SAS token does not allow requests from this IP address",
    "AccountIsDisabled": "the storage account is disabled",
    "AccountRequiresHttps": "the storage account accepts HTTPS only: use an https endpoint",
    "InvalidResourceName": "the container or blob name is not valid",
    "OutOfRangeInput": "a name or value is out of range (container names 3-63 characters, blob names up to 1024)",
    "InvalidMetadata": "a metadata name or value is not valid (names: letters, digits and _)",
    "MetadataTooLarge": "the metadata is larger than 8 KiB",
    "LeaseIdMissing": "the blob has an active lease: break it or choose another name",
    "InvalidBlobType": "another kind of blob (append or page) has this name: choose another name",
    "BlobArchived": "the blob is archived and cannot be overwritten",
    "BlobImmutableDueToPolicy": "the blob is protected by an immutability policy",
    "UnsupportedHeader": "the storage does not support an option that was sent",
}
RETRYABLE_CODES = {"ServerBusy", "OperationTimedOut", "InternalError", "Md5Mismatch", "InvalidBlockList"}


def error_code(exc: Exception) -> str:
    """The storage's error code (x-ms-error-code), "" when it gave none."""
    code = getattr(exc, "error_code", None)
    code = getattr(code, "value", code)
    if not code:
        code = _header(exc, "x-ms-error-code")
    return str(code or "")


def name_taken(exc: Exception) -> bool:
    """A conditional write refused because the name is taken (409 BlobAlreadyExists, 412 ConditionNotMet)."""
    if not isinstance(exc, HttpResponseError):
        return False
    return error_code(exc) in {"BlobAlreadyExists", "ConditionNotMet"} or exc.status_code == 412


def map_error(exc: Exception, secrets: Iterable[str] = ()) -> DestinationError:
    """Translate an Azure SDK error into ours: permanent when the user must act, retryable otherwise.

    What the service wrote (its code and the first line of its message) is shown only scrubbed of ``secrets``: SAS
    signatures travel in URLs, which transport errors quote, and a Shared Key refusal quotes the request's signature
    (transport errors' own texts are never shown)."""
    if isinstance(exc, DestinationError):
        return exc
    if isinstance(exc, HttpResponseError) and exc.status_code:
        code, status = error_code(exc), int(exc.status_code)
        hint = PERMANENT_CODES.get(code)
        if hint:
            return PermanentDeliveryError(f"{code}: {hint}")
        scrub = Scrubber(secrets)
        shown = scrub(code or f"HTTP {status}")[:MAX_CODE]
        if status >= 500 or status in {408, 429} or code in RETRYABLE_CODES:
            retry_after = _header(exc, "Retry-After") or ""
            seconds = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else None
            return RetryableDeliveryError(f"{shown}: the storage answered {status}", seconds)
        message = scrub(" ".join(str(exc.message or "").split("\n", 1)[0].split()))[:MAX_MESSAGE]
        return PermanentDeliveryError(f"{shown}: {message or 'the storage refused the write'}")
    if isinstance(exc, ClientAuthenticationError):  # no answer: the SDK could not sign (a key that is not base64)
        return PermanentDeliveryError(f"the account key is not valid: {CHECK_CREDENTIALS}")
    if isinstance(exc, ServiceRequestError):
        return RetryableDeliveryError(f"{type(exc).__name__}: the storage could not be reached")
    if isinstance(exc, ServiceResponseError):
        return RetryableDeliveryError(f"{type(exc).__name__}: the connection broke or timed out")
    if isinstance(exc, AzureError):
        return RetryableDeliveryError(type(exc).__name__)
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def client_secrets(client: Any) -> list[str]:
    """The account key and SAS signature ``client`` holds (however it got them: key, SAS or connection string),
    which a reason must never quote. Only the SAS's ``sig`` is secret; its other fields are harmless settings."""
    credential = getattr(client, "credential", None)
    key = getattr(credential, "account_key", None)  # Shared Key (an account key or a connection string's)
    found = [key] if isinstance(key, str) and key else []
    tokens = [urlsplit(str(getattr(client, "url", ""))).query]  # a SAS given as a string travels in the URL
    sas = getattr(getattr(credential, "_credential", None), "signature", None)  # an AzureSasCredential's
    if isinstance(sas, str):
        tokens.append(sas.lstrip("?"))
    for token in tokens:
        found += parse_qs(token).get("sig", [])
    return found


def _header(exc: Exception, name: str) -> str | None:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return str(headers[name]) if headers is not None and name in headers else None
