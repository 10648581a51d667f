"""Dropbox destination: streams a staged file into a customer's Dropbox with the official SDK."""

# mypy: disable-error-code="import-untyped"
# (the dropbox SDK and requests ship no type information; without types-requests both are Any here)

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

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

if TYPE_CHECKING:  # the SDK is imported when a Dropbox delivery runs, never for an S3-only invocation
    import dropbox

MiB = 1024 * 1024
# Dropbox's content_hash works on 4 MiB blocks; chunks that are whole blocks let one pass hash chunk and file.
BLOCK = 4 * MiB
SINGLE_UPLOAD_MAX = 150 * MiB  # files/upload and every upload-session request carry at most 150 MiB
CA_BUNDLE_ENV = "COURIER_DROPBOX_CA_BUNDLE"
RECONNECT = "reconnect Dropbox"
SCOPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,4}")  # "files.content.write": what a scope name looks like

log = logging.getLogger(__name__)
T = TypeVar("T")

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


def build_dropbox_client(
    *,
    refresh_token: str | None,
    app_key: str | None,
    app_secret: str | None,
    access_token: str | None = None,
    ca_bundle: str | None = None,
    timeout: float = 60,
    max_retries_on_error: int = 2,
) -> dropbox.Dropbox:
    """A Dropbox client that refreshes its short-lived access token itself (given a refresh token and app key).

    The SDK's own 5xx retries stay short (our delivery loop decides about retrying); its rate-limit retries are off
    because the adapter honours Retry-After itself, with a cap. ``ca_bundle`` (default: $COURIER_DROPBOX_CA_BUNDLE)
    names a CA file to trust instead of the public roots. Raises PermanentDeliveryError without usable credentials.
    """
    import dropbox
    import requests

    if not ((refresh_token and app_key) or access_token):
        raise PermanentDeliveryError(f"the storage holds no Dropbox authorisation: {RECONNECT}")
    session = requests.Session()
    # REQUESTS_CA_BUNDLE / proxy variables would override `verify`; the CA to trust is decided here only.
    session.trust_env = False
    session.verify = ca_bundle or os.environ.get(CA_BUNDLE_ENV) or True
    try:
        return dropbox.Dropbox(
            oauth2_access_token=access_token or None,
            oauth2_refresh_token=refresh_token or None,
            app_key=app_key or None,
            app_secret=app_secret or None,
            session=session,
            timeout=timeout,
            max_retries_on_error=max_retries_on_error,
            max_retries_on_rate_limit=0,
            user_agent="RenderCourier/1.0",
        )
    except dropbox.dropbox_client.BadInputException as exc:
        raise PermanentDeliveryError(f"the storage's Dropbox authorisation is incomplete: {RECONNECT}") from exc


class DropboxDestination:
    """One Dropbox account (or app folder), reached through a client that carries and refreshes its tokens.

    Keys are Dropbox paths with a leading slash; missing folders are created by the upload itself. Files up to
    ``single_upload_limit`` go in one files/upload request (held in memory: the SDK sends bytes only); larger ones
    stream through an upload session in ``chunk_size`` pieces. Both default to 8 MiB, so memory stays at about two
    chunks whatever the size (Dropbox would take 150 MiB in one request, but not in a flat memory budget). Of the
    DeliveryOptions only ``if_exists`` applies: Dropbox keeps no content type, disposition, cache or metadata.
    """

    def __init__(
        self,
        client: dropbox.Dropbox,
        *,
        single_upload_limit: int = 8 * MiB,
        chunk_size: int = 8 * MiB,
        probe_folder: str = "",
        rate_limit_retries: int = 1,
        max_rate_limit_wait: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if chunk_size <= 0 or chunk_size % BLOCK or chunk_size >= SINGLE_UPLOAD_MAX:
            raise ValueError("chunk_size must be a multiple of 4 MiB below 150 MiB")
        if not 0 <= single_upload_limit <= SINGLE_UPLOAD_MAX:
            raise ValueError("single_upload_limit must be between 0 and 150 MiB")
        self._client = client
        self._single_limit = single_upload_limit
        self._chunk = chunk_size
        self._probe_folder = "/" + probe_folder.strip("/") if probe_folder.strip("/") else ""
        # Honour a short Retry-After in place (the chunk is still in memory); a long one goes back to the caller.
        self._rate_limit_retries = rate_limit_retries
        self._max_rate_limit_wait = max_rate_limit_wait
        self._sleep = sleep

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        from dropbox import files

        path = key if key.startswith("/") else f"/{key}"
        location = f"dropbox://{path}"
        # Never autorename: a repeated event must land on the same name, not "name (1).png".
        mode = files.WriteMode.overwrite if options.if_exists == "overwrite" else files.WriteMode.add
        if options.if_exists != "overwrite":
            # Dropbox calls an identical file "no conflict"; ask first so skip/fail behave as on S3 and a taken
            # name costs no upload. WriteMode.add (never autorename) still guards against a file appearing meanwhile.
            try:
                existing = self._existing_hash(path)
            except Exception as exc:
                raise self._error(exc) from exc
            if existing is not None:
                # Even this very file (an earlier try whose answer was lost, or an earlier delivery): Dropbox keeps no
                # metadata to tell our own write from another's, so the name counts as taken.
                return self._taken(source, location, options, existing)
        try:
            with source.open() as stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                hasher = ContentHasher()
                if source.size <= self._single_limit:
                    metadata = self._upload_whole(reader, source.size, hasher, path, mode)
                else:
                    metadata = self._upload_session(reader, source.size, hasher, path, mode)
        except Exception as exc:  # every SDK failure becomes one of our error kinds
            error = self._error(exc)
            if isinstance(error, AlreadyExistsError) and options.if_exists != "overwrite":
                return self._taken(source, location, options, None, error)
            raise error from exc
        content_hash = hasher.hexdigest()
        if int(metadata.size) != source.size:
            raise RetryableDeliveryError(f"Dropbox holds {metadata.size} bytes at {path}, not {source.size}")
        if metadata.content_hash is not None and metadata.content_hash != content_hash:
            raise RetryableDeliveryError(f"Dropbox's content_hash for {path} differs from the bytes sent")
        return Delivered(
            location=location,
            size=reader.size,
            checksum=reader.checksum,
            etag=metadata.content_hash or content_hash,
        )

    def probe(self) -> None:
        """Upload, download and delete a small file in the storage's folder (muted: no notification to the user)."""
        from dropbox import files

        path = f"{self._probe_folder}/.render-courier-probe-{uuid.uuid4().hex}.txt"
        body = b"Render Courier checks that it can deliver here; this file is deleted at once.\n"
        try:
            self._call(self._client.files_upload, body, path, mode=files.WriteMode.overwrite, mute=True)
            try:
                _, response = self._call(self._client.files_download, path)
                try:
                    read = response.content
                finally:
                    response.close()
            finally:
                self._call(self._client.files_delete_v2, path)
        except Exception as exc:
            raise self._error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("Dropbox returned different bytes than were written")

    def _upload_whole(self, reader: VerifyingReader, size: int, hasher: ContentHasher, path: str, mode: Any) -> Any:
        # One byte more than expected is asked for: a staged stream that runs long fails here, before the request.
        data = reader.read(size + 1)
        return self._call(
            self._client.files_upload, data, path, mode=mode, autorename=False, content_hash=hasher.update(data)
        )

    def _upload_session(self, reader: VerifyingReader, size: int, hasher: ContentHasher, path: str, mode: Any) -> Any:
        # A session that is never finished leaves nothing behind (Dropbox drops it after a week), so a source that
        # fails or does not verify before the last chunk leaves no file: VerifyingReader raises before finish.
        from dropbox import files

        data = reader.read(self._chunk if size > self._chunk else size + 1)
        start = self._call(self._client.files_upload_session_start, data, close=False, content_hash=hasher.update(data))
        offset = len(data)
        while size - offset > self._chunk:
            data = reader.read(self._chunk)
            cursor = files.UploadSessionCursor(session_id=start.session_id, offset=offset)
            self._call(self._client.files_upload_session_append_v2, data, cursor, content_hash=hasher.update(data))
            offset += len(data)
        data = reader.read(size - offset + 1)  # the last piece; the extra byte asked for proves the stream ends
        cursor = files.UploadSessionCursor(session_id=start.session_id, offset=offset)
        commit = files.CommitInfo(path=path, mode=mode, autorename=False)
        return self._call(
            self._client.files_upload_session_finish, data, cursor, commit, content_hash=hasher.update(data)
        )

    def _existing_hash(self, path: str) -> str | None:
        """The content_hash of the file at ``path`` ("" when Dropbox gives none), None when nothing is there."""
        from dropbox import exceptions, files

        try:
            metadata = self._call(self._client.files_get_metadata, path)
        except exceptions.ApiError as exc:
            if error_tags(exc.error)[-1:] == ["not_found"]:
                return None
            raise
        if isinstance(metadata, files.FolderMetadata):
            raise PermanentDeliveryError(f"conflict/folder: {PERMANENT_TAGS['folder']} ({path})")
        return str(getattr(metadata, "content_hash", None) or "")

    def _taken(
        self,
        source: StagedFile,
        location: str,
        options: DeliveryOptions,
        etag: str | None,
        error: AlreadyExistsError | None = None,
    ) -> Delivered:
        if options.if_exists == "skip":
            return Delivered(location, source.size, source.checksum, etag or None, already_existed=True)
        path = location.removeprefix("dropbox://")
        raise error or AlreadyExistsError(f"conflict/file: a file already exists at {path}")

    def _error(self, exc: BaseException) -> DestinationError:
        return map_error(exc, client_secrets(self._client))

    def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call the SDK, waiting out a short Retry-After in place (the request's bytes are still in memory)."""
        from dropbox import exceptions

        attempt = 0
        while True:
            try:
                return function(*args, **kwargs)
            except exceptions.RateLimitError as exc:
                wait = float(exc.backoff) if exc.backoff is not None else 1.0
                if attempt >= self._rate_limit_retries or wait > self._max_rate_limit_wait:
                    raise
                attempt += 1
                log.info("Dropbox rate limit on %s: waiting %.1f s", getattr(function, "__name__", "call"), wait)
                self._sleep(wait)


class ContentHasher:
    """Dropbox's content_hash (SHA-256 of the SHA-256 of each 4 MiB block), fed chunk by chunk.

    ``update`` returns the content_hash of that chunk alone, for the upload request that carries it; chunks must
    be whole blocks except the last, which upload sessions in multiples of 4 MiB guarantee.
    """

    def __init__(self) -> None:
        self._overall = hashlib.sha256()

    def update(self, data: bytes) -> str:
        view = memoryview(data)
        digests = b"".join(hashlib.sha256(view[i : i + BLOCK]).digest() for i in range(0, len(view), BLOCK))
        self._overall.update(digests)
        return hashlib.sha256(digests).hexdigest()

    def hexdigest(self) -> str:
        return self._overall.copy().hexdigest()


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
