"""The Destination port: what every provider adapter implements, and the typed errors it may raise."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class StagedFile:
    """A rendered file waiting in staging. ``open()`` gives a fresh stream each time (a retry re-reads it)."""

    key: str
    size: int
    checksum: str  # "sha256:<hex>"
    content_type: str
    opener: Callable[[], BinaryIO]

    def open(self) -> BinaryIO:
        return self.opener()


@dataclass(frozen=True)
class DeliveryOptions:
    content_type: str
    content_disposition: str | None = None
    cache_control: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    make_public: bool = False


@dataclass(frozen=True)
class Delivered:
    """The receipt of one write: what the destination holds now."""

    location: str  # e.g. s3://bucket/key
    size: int
    checksum: str  # "sha256:<hex>" of the bytes sent
    etag: str | None = None


class DestinationError(Exception):
    """A delivery failed. ``reason`` is shown to the user; it never contains a secret."""

    retryable = False

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetryableDeliveryError(DestinationError):
    """Worth another try: 5xx, throttling, timeouts, dropped connections, a checksum mismatch."""

    retryable = True


class PermanentDeliveryError(DestinationError):
    """Retrying cannot help: missing bucket, denied access, bad credentials. The user must act."""


class Destination(Protocol):
    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        """Stream ``source`` to ``key`` (same key, same result: writes are idempotent overwrites).

        Raises RetryableDeliveryError or PermanentDeliveryError, never a provider's own exception.
        """
        ...


class HashingReader:
    """Wraps a stream to count and hash the bytes that pass, so integrity costs no second read."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._hash.update(chunk)
        self.size += len(chunk)
        return chunk

    @property
    def checksum(self) -> str:
        return f"sha256:{self._hash.hexdigest()}"
