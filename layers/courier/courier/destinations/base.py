"""The Destination port: what every provider adapter implements, and the typed errors it may raise."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, Protocol

from courier.secrets.scrub import key_ids


@dataclass(frozen=True)
class StagedFile:
    """A rendered file waiting in staging. ``open()`` gives a fresh stream each time (a retry re-reads it)."""

    key: str
    size: int
    checksum: str  # "sha256:<hex>"
    content_type: str
    opener: Callable[[], BinaryIO]
    bucket: str | None = None  # the staging bucket: lets an S3 adapter copy server-side when it may read it

    def open(self) -> BinaryIO:
        return self.opener()


IfExists = Literal["overwrite", "skip", "fail"]


@dataclass(frozen=True)
class DeliveryOptions:
    """How to write. Adapters apply what their provider supports and ignore the rest (documented per adapter)."""

    content_type: str
    content_disposition: str | None = None
    cache_control: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    make_public: bool = False
    acl: str | None = None  # a canned ACL, S3 only (make_public is public-read)
    # overwrite: replace; skip: leave an existing object and answer already_exists; fail: AlreadyExistsError.
    if_exists: IfExists = "overwrite"
    # S3-family only (other adapters ignore them): object tags, storage class, server-side encryption.
    tags: dict[str, str] = field(default_factory=dict)
    storage_class: str | None = None
    sse: Literal["AES256", "aws:kms"] | None = None
    sse_kms_key_id: str | None = None
    # Names this delivery (e.g. "<render>/<file>/<connection>"), the same for all its tries. With if_exists skip/fail
    # an adapter that can mark objects (S3 metadata) records it, so a retry after a lost answer (a timeout after the
    # write landed) recognises its own write instead of reporting the name taken. None: no such recognition.
    write_token: str | None = None


@dataclass(frozen=True)
class Delivered:
    """The receipt of one write: what the destination holds now."""

    location: str  # e.g. s3://bucket/key, dropbox:///path, https://host/path (never a query string)
    size: int
    checksum: str  # "sha256:<hex>" of the bytes sent
    etag: str | None = None  # the provider's own fingerprint (S3 ETag, Dropbox content_hash), when it gives one
    already_existed: bool = False  # if_exists="skip" found the name taken: nothing was written


class DestinationError(Exception):
    """A delivery failed. ``reason`` is shown to the user; it never contains a secret.

    Adapters scrub what a provider wrote with the secrets they know (courier.secrets.scrub); any AWS access key id left
    in a reason, whoever's it is, is masked here, the one place every reason passes through."""

    retryable = False

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        reason = key_ids(reason)
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetryableDeliveryError(DestinationError):
    """Worth another try: 5xx, throttling, timeouts, dropped connections, a checksum mismatch."""

    retryable = True


class PermanentDeliveryError(DestinationError):
    """Retrying cannot help: missing bucket, denied access, bad credentials. The user must act."""


class AlreadyExistsError(PermanentDeliveryError):
    """if_exists="fail" and the name is taken: nothing was written."""


class Destination(Protocol):
    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        """Stream ``source`` to ``key`` (same key, same result: with overwrite, writes are idempotent).

        Memory stays flat whatever the size. A source that fails or does not verify halfway leaves no partial
        object. Raises RetryableDeliveryError or PermanentDeliveryError, never a provider's own exception.
        """
        ...

    def probe(self) -> None:
        """Prove the destination works with these settings: write a small object, read it back, delete it.

        Raises PermanentDeliveryError with a reason the user can act on (or RetryableDeliveryError).
        """
        ...


PIECE = 1024 * 1024  # the most read from the staged stream at once


class VerifyingReader:
    """Wraps the staged stream: counts and hashes the bytes that pass, and raises before the last byte is handed
    on when they are not the rendered file's, so a short or corrupt read never completes a write (no partial
    object: a single PUT is never sent, a multipart upload is aborted by the transfer manager)."""

    def __init__(self, stream: BinaryIO, size: int, checksum: str) -> None:
        self._stream = stream
        self._expected_size = size
        self._expected_checksum = checksum
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when negative); fewer only at the end of the stream."""
        if size >= 0:
            buffer = bytearray(size)
            del buffer[self.readinto(buffer) :]
            return bytes(buffer)
        pieces = []
        while True:
            buffer = bytearray(PIECE)
            count = self.readinto(buffer)
            pieces.append(bytes(memoryview(buffer)[:count]))
            if count < PIECE:
                return b"".join(pieces)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        """Fill ``buffer`` until it is full or the stream ends; return how many bytes were put in it.

        The stream is read in pieces of at most 1 MiB copied into the caller's buffer: one big read would cost
        transient copies of its whole size in the HTTP stack, and a buffer reused part after part keeps memory flat.
        """
        view = memoryview(buffer).cast("B")
        filled = 0
        at_end = False
        # Fill the request unless the stream ends: a short read must not pass for the end of the file.
        while filled < len(view):
            chunk = self._stream.read(min(PIECE, len(view) - filled))
            if not chunk:
                at_end = True
                break
            view[filled : filled + len(chunk)] = chunk
            self._hash.update(chunk)
            filled += len(chunk)
        self.size += filled
        if self.size == self._expected_size and not at_end:
            # The whole file is read: the stream must end here before its last bytes are handed on, or a longer
            # staged file would be sent whole (a server takes exactly Content-Length bytes) and stored.
            if self._stream.read(1):
                raise IntegrityError(f"staging holds more than the rendered {self._expected_size} bytes")
            at_end = True
        if self.size > self._expected_size:
            raise IntegrityError(f"staging holds more than the rendered {self._expected_size} bytes")
        if (at_end or self.size == self._expected_size) and (
            self.size != self._expected_size or self.checksum != self._expected_checksum
        ):
            raise IntegrityError(
                f"the bytes read from staging ({self.size}) do not match the rendered file ({self._expected_size})"
            )
        return filled

    @property
    def checksum(self) -> str:
        return f"sha256:{self._hash.hexdigest()}"


class IntegrityError(RetryableDeliveryError):
    """What was read from staging is not what was rendered; another try re-reads it."""
