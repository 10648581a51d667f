"""Google Cloud Storage destination (JSON API, service-account key): streams a staged file into a bucket.

Files up to one chunk (8 MiB by default) are read and verified whole, then sent in one multipart request; larger
ones go through a resumable upload session in chunks (multiples of 256 KiB) read one at a time into a reused
buffer, so memory stays at about one chunk whatever the size. The last chunk is read, and so verified, before it
is sent, and only the last request finalises the object: a source that is short, corrupt or fails halfway never
completes a write, and the session is cancelled. ``if_exists`` skip/fail write with ``ifGenerationMatch=0``, which
GCS checks when the object is finalised: no race with another writer.

Of the DeliveryOptions this adapter applies content type, disposition, cache control, metadata, if_exists,
write_token and storage_class. GCS could also take make_public/acl (predefinedAcl, refused by buckets with
uniform bucket-level access) and customer-managed keys (kmsKeyName) instead of ``sse``; it has no object tags.
The registration layer refuses those options for GCS. HMAC keys go through the S3 adapter (XML API) instead.
The client is built in gcs_client.py; errors are translated in gcs_errors.py.
"""

# mypy: disable-error-code="import-untyped,no-untyped-call"
# (google-cloud-storage ships no type information, so its objects are Any here; google-auth, api-core and
# google-crc32c ship py.typed but leave constructors and helpers such as from_http_response unannotated)

from __future__ import annotations

import base64
import contextlib
import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import google_crc32c
from google.api_core import exceptions as api
from google.cloud.storage.retry import DEFAULT_RETRY

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
from courier.destinations.gcs_errors import client_secrets, map_error

MiB = 1024 * 1024
CHUNK_MULTIPLE = 256 * 1024  # GCS takes resumable chunks in multiples of 256 KiB (all but the last)
# JSON metadata of objects written with if_exists skip/fail and a write token: the delivery that wrote them.
OWN_MARK = "render-courier-write"
# Retries inside the SDK stay short (idempotent reads and deletes only): our delivery loop decides about retrying.
SHORT_RETRY = DEFAULT_RETRY.with_delay(initial=0.5, maximum=2.0).with_timeout(8.0)
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")  # GCS's rule (dotted names may be up to 222)


class GcsDestination:
    """One bucket, reached through a client built by ``build_gcs_client``. ``Delivered.etag`` is the object's
    generation (its version number: a new one for every write)."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        chunk_size: int = 8 * MiB,
        probe_prefix: str = "",
        timeout: tuple[float, float] | None = None,
    ) -> None:
        if chunk_size <= 0 or chunk_size % CHUNK_MULTIPLE:
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        if not BUCKET_NAME.fullmatch(bucket):  # the SDK puts it in request paths unquoted
            raise PermanentDeliveryError(f"the bucket name is not valid: {bucket[:64]!r}")
        self._client = client
        self._bucket = client.bucket(bucket)
        self._chunk = chunk_size
        self._probe_prefix = probe_prefix.strip("/")
        # (connect, read) seconds of each request, the token's included: by default those build_gcs_client was given
        self._timeout = timeout or getattr(client._http, "courier_timeout", (10.0, 60.0))

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        if options.if_exists != "overwrite" and options.write_token:
            # Marked as this delivery's, so that a retry after a lost answer recognises it (see _taken).
            options = replace(options, metadata={**options.metadata, OWN_MARK: options.write_token})
        generation_match = None if options.if_exists == "overwrite" else 0
        blob = self._blob(key, options)
        try:
            if generation_match == 0:
                existing = self._existing(key)  # a taken name costs no upload; the precondition closes the race
                if existing is not None:
                    return self._taken(key, source, options, existing)
            with source.open() as stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                if source.size <= self._chunk:
                    data = _staged(lambda: reader.read(source.size + 1))  # one more: a stream running long fails
                    blob.upload_from_string(
                        data,
                        content_type=options.content_type,
                        if_generation_match=generation_match,
                        checksum="crc32c",  # GCS checks it before it stores the object
                        timeout=self._timeout,
                        retry=None,
                    )
                    stored = {"size": blob.size, "generation": blob.generation}
                else:
                    stored = self._resumable(blob, reader, source.size, options, generation_match)
        except api.PreconditionFailed:
            return self._taken(key, source, options)
        except DestinationError:
            raise
        except Exception as exc:  # every SDK failure becomes one of our two error kinds
            raise self._error(exc) from exc
        if int(stored.get("size") or 0) != source.size:
            raise RetryableDeliveryError(f"the stored object has {stored.get('size')} bytes, not {source.size}")
        return Delivered(
            location=f"gs://{self._bucket.name}/{key}",
            size=reader.size,
            checksum=reader.checksum,
            etag=str(stored.get("generation") or "") or None,
        )

    def probe(self) -> None:
        """Write, read back and delete a small object under the storage's prefix."""
        key = "/".join(p for p in (self._probe_prefix, f".render-courier-probe-{uuid.uuid4().hex}.txt") if p)
        body = b"Render Courier checks that it can deliver here; this object is deleted at once.\n"
        blob = self._bucket.blob(key)
        try:
            blob.upload_from_string(
                body, content_type="text/plain", if_generation_match=0, timeout=self._timeout, retry=None
            )
            read = blob.download_as_bytes(timeout=self._timeout, retry=SHORT_RETRY)
            blob.delete(timeout=self._timeout, retry=SHORT_RETRY)
        except Exception as exc:
            raise self._error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("the storage returned different bytes than were written")

    def _error(self, exc: BaseException) -> DestinationError:
        return map_error(exc, client_secrets(self._client))

    def _blob(self, key: str, options: DeliveryOptions) -> Any:
        blob = self._bucket.blob(key)
        blob.content_type = options.content_type
        blob.content_disposition = options.content_disposition
        blob.cache_control = options.cache_control
        blob.metadata = dict(options.metadata) or None
        blob.storage_class = options.storage_class
        return blob

    def _resumable(
        self, blob: Any, reader: VerifyingReader, size: int, options: DeliveryOptions, generation_match: int | None
    ) -> dict[str, Any]:
        """One resumable session, fed chunk by chunk from a reused buffer; cancelled unless it completes."""
        url = blob.create_resumable_upload_session(
            content_type=options.content_type,
            size=size,
            timeout=self._timeout,
            checksum=None,  # sent with the last chunk instead (X-Goog-Hash), when it is known
            if_generation_match=generation_match,
            retry=None,
        )
        if urlsplit(url).netloc != urlsplit(self._client.api_endpoint).netloc:
            raise PermanentDeliveryError("the storage answered with an upload session on another host")
        http = self._client._http  # the client's AuthorizedSession: the same credentials and token
        crc = google_crc32c.Checksum()
        buffer = bytearray(self._chunk)
        offset = 0
        try:
            while True:
                count = _staged(lambda: reader.readinto(buffer))  # the last chunk is verified before it is sent
                if count < len(buffer):
                    del buffer[count:]
                for start in range(0, count, MiB):  # the C extension takes bytes only: 1 MiB copies, not a chunk
                    crc.update(bytes(buffer[start : start + MiB]))
                headers = {"Content-Range": f"bytes {offset}-{offset + count - 1}/{size}"}
                last = offset + count == size
                if last:
                    headers["X-Goog-Hash"] = f"crc32c={base64.b64encode(crc.digest()).decode()}"
                response = http.put(url, data=buffer, headers=headers, timeout=self._timeout)
                offset += count
                if last and response.status_code in (200, 201):
                    resource: dict[str, Any] = response.json()
                    break
                if last or response.status_code != 308:
                    raise api.from_http_response(response)
                if response.headers.get("Range") != f"bytes=0-{offset - 1}":
                    raise RetryableDeliveryError("GCS kept fewer bytes of a chunk than were sent")
        except BaseException:
            with contextlib.suppress(Exception):
                http.delete(url, timeout=self._timeout)  # cancel: nothing was finalised, nothing is left
            raise
        remote = resource.get("crc32c")
        if remote and remote != base64.b64encode(crc.digest()).decode():
            with contextlib.suppress(Exception):
                blob.delete(if_generation_match=resource.get("generation"), timeout=self._timeout, retry=None)
            raise RetryableDeliveryError("the stored object's CRC32C differs from the bytes sent")
        return resource

    def _existing(self, key: str) -> Any:
        return self._bucket.get_blob(key, timeout=self._timeout, retry=SHORT_RETRY)

    def _taken(self, key: str, source: StagedFile, options: DeliveryOptions, existing: Any = None) -> Delivered:
        """The name is taken. By an earlier try of this very delivery (same write token: its answer was lost), the
        delivery is done; by anything else, skip or fail as asked."""
        location = f"gs://{self._bucket.name}/{key}"
        if existing is None and options.write_token:
            try:
                existing = self._existing(key)
            except Exception as exc:
                raise self._error(exc) from exc
        if (
            options.write_token
            and existing is not None
            and (existing.metadata or {}).get(OWN_MARK) == options.write_token
            and existing.size == source.size
        ):
            return Delivered(location, source.size, source.checksum, etag=str(existing.generation))
        if options.if_exists == "fail":
            raise AlreadyExistsError(f"an object already exists at {key}; nothing was written (ifExists: fail)")
        return Delivered(location=location, size=0, checksum="", already_existed=True)


def _staged[T](read: Callable[[], T]) -> T:
    """A read of staging: its failures are staging's, not the storage's (a reset connection to S3 is no GCS error)."""
    try:
        return read()
    except DestinationError:
        raise
    except Exception as exc:
        raise RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})") from exc
