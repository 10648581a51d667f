"""GCS errors: how a google-auth, api-core or transport failure becomes one of our two delivery errors, and which
secrets a reason must not quote.

Rate limits, 408/409/429, 5xx and checksum mismatches are retryable; other statuses are permanent with a hint
(``PERMANENT_STATUS``: a refused key, a missing bucket, a missing permission). GCS's own message is shown without the
request URL api-core puts in front of it, and every reason is scrubbed of the service account's private key, its id
and the current access token (``client_secrets``).
"""

# mypy: disable-error-code="import-untyped,no-untyped-call"
# (google-cloud-storage ships no type information, so its objects are Any here; google-auth, api-core and
# google-crc32c ship py.typed but leave constructors and helpers such as from_http_response unannotated)

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from google.api_core import exceptions as api
from google.auth import exceptions as auth

from courier.destinations.base import DestinationError, PermanentDeliveryError, RetryableDeliveryError
from courier.secrets.scrub import Scrubber

MAX_MESSAGE = 300
ACCESS = "the service account needs storage.objects.create, get and delete on the bucket (e.g. Storage Object User)"
PERMANENT_STATUS = {
    400: "the storage refused the request as invalid",
    401: "Google refused the access token: check the service account key",
    403: f"access denied: {ACCESS}",
    404: "the bucket does not exist, or the service account may not see it",
    412: "the object changed while it was written (precondition failed)",
}
HASH_MISMATCH = re.compile(r"(CRC32C|MD5)\b.*\bdoesn't match", re.IGNORECASE)


def client_secrets(client: Any) -> list[str]:
    """What ``client`` holds that a reason must never quote: the service account's private key and its id, and the
    access token as last refreshed (read when an error is being translated). None for a client not built here."""
    http = getattr(client, "_http", None)
    token = getattr(getattr(http, "credentials", None), "token", None)
    return [str(value) for value in (*getattr(http, "courier_secrets", ()), token) if value]


def map_error(exc: BaseException, secrets: Iterable[str] = ()) -> DestinationError:
    """Translate a google-auth, api-core or transport error into ours, scrubbed of ``secrets``."""
    if isinstance(exc, DestinationError):
        return exc
    error = _translate(exc)
    shown = Scrubber(secrets)(error.reason)
    return error if shown == error.reason else type(error)(shown, error.retry_after)


def _translate(exc: BaseException) -> DestinationError:
    import requests
    from google.cloud.storage import exceptions as media

    if isinstance(exc, auth.RefreshError):
        if getattr(exc, "retryable", False):
            return RetryableDeliveryError("Google's token endpoint could not issue a token now")
        said = " ".join(str(exc.args[0] if exc.args else "").split())[:MAX_MESSAGE]
        return PermanentDeliveryError(f"the service account key was refused ({said}): create a new key")
    if isinstance(exc, auth.TransportError):
        return RetryableDeliveryError(f"{type(exc).__name__}: Google's token endpoint could not be reached")
    if isinstance(exc, api.GoogleAPICallError):
        status = int(exc.code or 0)
        message = _server_message(exc)
        rate_limited = any("ratelimit" in str(e.get("reason", "")).lower() for e in exc.errors if isinstance(e, dict))
        if status in (408, 409, 429) or status >= 500 or HASH_MISMATCH.search(message) or rate_limited:
            retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
            seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
            said = f": {message}" if message else ""
            return RetryableDeliveryError(f"{type(exc).__name__}: the storage answered {status}{said}", seconds)
        hint = PERMANENT_STATUS.get(status, f"the storage refused the write ({status})")
        return PermanentDeliveryError(f"{type(exc).__name__}: {hint}" + (f" ({message})" if message else ""))
    if isinstance(exc, media.DataCorruption):
        return RetryableDeliveryError("the storage's checksum differs from the bytes sent")
    if isinstance(exc, (requests.exceptions.RequestException, api.RetryError, ConnectionError, TimeoutError)):
        return RetryableDeliveryError(f"{type(exc).__name__}: the storage could not be reached")
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def _server_message(exc: api.GoogleAPICallError) -> str:
    """The message of GCS's JSON error, without the request's URL (which api-core puts in front of it)."""
    try:
        message = str(exc.response.json()["error"]["message"]) if exc.response is not None else ""
    except Exception:
        message = ""
    return " ".join(message.split())[:MAX_MESSAGE]
