"""S3 streamed body: a staged file as the body of one PutObject, read from staging while the SDK sends it.

Used by the S3 adapter for files between one part and ``single_put_max``: one request instead of one per part, and
memory of a read piece whatever the size. The bytes are verified on the way (VerifyingReader), so a body that is not
the rendered file's never reaches the server whole; a failed staging read is kept for ``deliver()`` to report.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any, TypeVar

from courier.destinations.base import RetryableDeliveryError, StagedFile, VerifyingReader

T = TypeVar("T")


class StreamedBody(io.RawIOBase):
    """A staged file as the body of one PUT, read from staging as the SDK sends it and verified on the way: when
    the bytes are not the rendered file's, the read that would hand on the last of them raises, so the server never
    receives a whole body and stores nothing. Rewinding (the SDK retrying the request, or reading the body ahead to
    sign it) reopens the staged file. Its length is the staged size, so the SDK never seeks to its end.

    A failed staging read is kept in ``failure`` and makes any rewind fail: the SDK wraps what a body raises
    mid-send as a connection error and would retry it, re-reading staging for nothing; ``deliver()`` reports the
    kept failure instead."""

    def __init__(self, source: StagedFile) -> None:
        super().__init__()
        self._source = source
        self._opened = contextlib.ExitStack()
        self.failure: RetryableDeliveryError | None = None
        self.reader = self._open()

    def _open(self) -> VerifyingReader:
        self._opened.close()
        stream = self._opened.enter_context(self._source.open())
        return VerifyingReader(stream, self._source.size, self._source.checksum)

    def __len__(self) -> int:
        return self._source.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._reading(lambda: self.reader.read(-1 if size is None else size))

    def readinto(self, buffer: Any) -> int:
        return self._reading(lambda: self.reader.readinto(buffer))

    def _reading(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except RetryableDeliveryError as exc:  # IntegrityError: not the rendered bytes
            self.failure = exc
            raise
        except Exception as exc:
            self.failure = RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})")
            raise self.failure from exc

    def tell(self) -> int:
        return self.reader.size

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset != 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("a staged body can only be rewound to its start")
        if self.failure is not None:
            raise self.failure
        if self.reader.size:  # failed reads are kept above, so 0 bytes read means the stream is as opened
            self.reader = self._open()
        return 0

    def close(self) -> None:
        self._opened.close()
        super().close()
