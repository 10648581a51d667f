"""Dropbox errors: how an SDK or transport failure becomes one of our delivery errors, and which secrets a reason
must not quote.

Dropbox's errors are unions of tags (``path/conflict/file``); ``error_tags`` walks them and ``map_error`` decides by
the deepest known tag: the user must act (``PERMANENT_TAGS``, ``AUTH_TAGS``: reconnect, free space, rename…), or
another try can work (``RETRYABLE_TAGS``: contention, a lost session). Reasons are made of tags, never of response
bodies or tokens, and are scrubbed of the client's tokens and app secret (``client_secrets``) all the same.
"""

# mypy: disable-error-code="import-untyped"
# (the dropbox SDK and requests ship no type information; without types-requests both are Any here)

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from courier.destinations.base import (
    AlreadyExistsError,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from courier.secrets.scrub import Scrubber

RECONNECT = "reconnect Dropbox"
SCOPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,4}")  # "files.content.write": what a scope name looks like

# Tags of Dropbox's error unions (UploadError, UploadSessionFinishError, WriteError, LookupError...) that the user
# must act on, with what to tell them.
PERMANENT_TAGS = {
    "malformed_path": "Dropbox refused the path as malformed: check the folder and the file name",
    "disallowed_name": "Dropbox does not allow this file or folder name: change the name pattern",
    "insufficient_space": "the Dropbox account is out of space: free some space or upgrade the plan",
    "team_folder_insufficient_space": "the team folder is out of space: free some space or raise its quota",
    "member_folder_insufficient_space": "the member folder is out of space: free some space or raise its quota",
    "no_write_permission": "the Dropbox app may not write to this folder: check its permissions or choose another",
    "access_restricted": "the Dropbox team restricts access to this folder: choose another folder",
    "team_folder": "Dropbox does not allow writing into a team folder's root: choose a folder inside it",
    "operation_suppressed": "the Dropbox team's policy suppressed the write",
    "upload_traffic_limit_reached": "the Dropbox team reached its data transport limit for the month",
    "encryption_not_supported": "Dropbox does not accept API uploads into this end-to-end encrypted folder",
    "too_many_shared_folder_targets": "the shared folder has too many members for this write",
    "payload_too_large": "the request was larger than Dropbox accepts (150 MiB per request)",
    "too_large": "the file is larger than an upload session accepts",
    "restricted_content": "Dropbox restricts this content",
    "file_ancestor": "a file is in the way of the folder path: rename it or choose another folder",
    "folder": "a folder already has this name: rename it or choose another file name",
}
# Tags after which another try can work: contention, a lost session, bytes corrupted in transit.
RETRYABLE_TAGS = {
    "too_many_write_operations": "Dropbox is busy writing in this folder (too_many_write_operations)",
    "too_many_requests": "Dropbox is rate limiting this app (too_many_requests)",
    "content_hash_mismatch": "the bytes Dropbox received do not match those sent (content_hash_mismatch)",
    "incorrect_offset": "the upload session lost track of the offset; another try starts a new session",
    "closed": "the upload session was closed early; another try starts a new session",
    "not_closed": "the upload session was not closed; another try starts a new session",
}
AUTH_TAGS = {
    "invalid_access_token": f"Dropbox access was revoked or is no longer valid: {RECONNECT}",
    "expired_access_token": f"the Dropbox access token expired and cannot be refreshed: {RECONNECT}",
    "user_suspended": "the Dropbox account is suspended",
    "route_access_denied": f"the Dropbox app may not call this API: {RECONNECT} with the right app",
}


def error_tags(error: Any) -> list[str]:
    """The tag path of a Dropbox error union, e.g. ["path", "conflict", "file"] (like its error_summary)."""
    tags: list[str] = []
    node = error
    while node is not None and len(tags) < 8:
        tag = getattr(node, "_tag", None)
        if isinstance(tag, str):
            tags.append(tag)
            node = getattr(node, "_value", None)
        elif hasattr(node, "reason"):  # UploadWriteFailed and RateLimitError carry their union in `reason`
            node = node.reason
        else:
            break
    return tags


def map_error(exc: BaseException, secrets: Iterable[str] = ()) -> DestinationError:
    """Translate an SDK or transport error into ours. Reasons never quote tokens or response bodies: they are made of
    the error's tags (checked by the SDK against Dropbox's published unions), and the one string Dropbox gives
    (a missing scope's name) is shown only if it looks like a scope, scrubbed of ``secrets`` like the rest."""
    if isinstance(exc, DestinationError):
        return exc
    error = _translate(exc)
    shown = Scrubber(secrets)(error.reason)
    return error if shown == error.reason else type(error)(shown, error.retry_after)


def client_secrets(client: Any) -> list[str]:
    """The tokens and app secret ``client`` holds (the access token as last refreshed), which a reason must never
    quote; none for a client that is not the SDK's."""
    names = ("_oauth2_access_token", "_oauth2_refresh_token", "_app_secret")
    return [value for value in (getattr(client, name, None) for name in names) if isinstance(value, str) and value]


def _translate(exc: BaseException) -> DestinationError:
    import requests
    from dropbox import exceptions
    from dropbox.dropbox_client import BadInputException
    from stone.backends.python_rsrc.stone_validators import ValidationError

    if isinstance(exc, exceptions.ApiError):
        return _api_error(error_tags(exc.error))
    if isinstance(exc, exceptions.AuthError):
        tags = error_tags(exc.error)
        if tags[:1] == ["missing_scope"]:
            scope = getattr(getattr(exc.error, "_value", None), "required_scope", None)
            what = f"the {scope} permission" if isinstance(scope, str) and SCOPE.fullmatch(scope) else "a permission"
            return PermanentDeliveryError(f"missing_scope: the Dropbox app lacks {what}: {RECONNECT}")
        tag = tags[0] if tags else "other"
        return PermanentDeliveryError(f"{tag}: {AUTH_TAGS.get(tag, f'Dropbox refused the authorisation: {RECONNECT}')}")
    if isinstance(exc, exceptions.RateLimitError):
        tag = (error_tags(exc.error) or ["too_many_requests"])[0]
        reason = RETRYABLE_TAGS.get(tag, "Dropbox is rate limiting this app")
        return RetryableDeliveryError(reason, float(exc.backoff) if exc.backoff is not None else None)
    if isinstance(exc, exceptions.PathRootError):
        return PermanentDeliveryError(f"the Dropbox team's root folder changed: {RECONNECT}")
    if isinstance(exc, exceptions.BadInputError):
        # Token refresh answers 400 invalid_client when the app key or secret is wrong (invalid_grant is AuthError).
        if "invalid_client" in str(getattr(exc, "message", "")):
            return PermanentDeliveryError(f"invalid_client: Dropbox refused the app key or secret: {RECONNECT}")
        return PermanentDeliveryError("Dropbox rejected the request as malformed (HTTP 400)")
    if isinstance(exc, exceptions.HttpError):
        status = int(exc.status_code or 0)
        if status >= 500 or status in {408, 429}:
            return RetryableDeliveryError(f"Dropbox answered HTTP {status}")
        return PermanentDeliveryError(f"Dropbox answered HTTP {status}")
    if isinstance(exc, requests.exceptions.Timeout):
        return RetryableDeliveryError(f"{type(exc).__name__}: Dropbox did not answer in time")
    if isinstance(exc, requests.exceptions.SSLError):
        return RetryableDeliveryError("SSLError: the TLS connection to Dropbox failed")
    if isinstance(exc, requests.exceptions.RequestException):
        return RetryableDeliveryError(f"{type(exc).__name__}: Dropbox could not be reached")
    if isinstance(exc, ValidationError):
        return PermanentDeliveryError("the path is not a valid Dropbox path: check the folder and the file name")
    if isinstance(exc, BadInputException):
        return PermanentDeliveryError(f"the storage's Dropbox authorisation is incomplete: {RECONNECT}")
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def _api_error(tags: list[str]) -> DestinationError:
    summary = "/".join(tags) or "other"
    if tags[-2:] == ["conflict", "file"]:
        return AlreadyExistsError(f"{summary}: a file already exists at this path")
    for tag in reversed(tags):
        if tag in PERMANENT_TAGS:
            return PermanentDeliveryError(f"{summary}: {PERMANENT_TAGS[tag]}")
        if tag in RETRYABLE_TAGS:
            return RetryableDeliveryError(f"{summary}: {RETRYABLE_TAGS[tag]}")
    if tags[:1] == ["lookup_failed"]:  # the upload session expired or was never found
        return RetryableDeliveryError(f"{summary}: the upload session was lost; another try starts a new one")
    if tags[-1:] == ["not_found"]:
        return RetryableDeliveryError(f"{summary}: the file was not found (just written: another try may see it)")
    return PermanentDeliveryError(f"{summary}: Dropbox refused the request")
