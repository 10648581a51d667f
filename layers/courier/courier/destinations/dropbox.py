"""Dropbox destination: streams a staged file into a customer's Dropbox with the official SDK.

The client comes from dropbox_client.py (``build_dropbox_client``); SDK errors are translated in dropbox_errors.py.
"""

# mypy: disable-error-code="import-untyped"
# (the dropbox SDK and requests ship no type information; without types-requests both are Any here)

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
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
from courier.destinations.dropbox_errors import PERMANENT_TAGS, client_secrets, error_tags, map_error

if TYPE_CHECKING:  # the SDK is imported when a Dropbox delivery runs, never for an S3-only invocation
    import dropbox

MiB = 1024 * 1024
# Dropbox's content_hash works on 4 MiB blocks; chunks that are whole blocks let one pass hash chunk and file.
BLOCK = 4 * MiB
SINGLE_UPLOAD_MAX = 150 * MiB  # files/upload and every upload-session request carry at most 150 MiB

log = logging.getLogger(__name__)
T = TypeVar("T")


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
