"""Pinned HTTP: connections to the address the URL policy vetted, and the two requests made through them.

A connection goes to ``CheckedURL.address`` (never a second resolution), sends the URL's host as Host and as the TLS
server name, verifies the certificate against it, and uses no proxy of the environment. ``put_stream`` PUTs a
streamed body with an explicit Content-Length and resets the connection rather than complete a request whose body
turns out wrong; ``fetch`` GETs a remote file under the policy with a size cap and an overall deadline. Redirects are
never followed: a 3xx could point anywhere, including inside our network.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import http.client
import socket
import ssl
import struct
import time
from collections.abc import Mapping
from typing import Protocol

from courier.net.policy import CheckedURL, FetchError, RedirectRefusedError, Resolver, check_url, redact

CHUNK = 256 * 1024  # bytes per send; one chunk is held back until the end of the body is proven
MAX_ERROR_BODY = 64 * 1024  # an error document is small; a huge answer to a PUT is cut here


class Readable(Protocol):
    """What put_stream reads from: a binary file, or a wrapper such as the VerifyingReader."""

    def read(self, size: int = -1, /) -> bytes: ...


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted address; Host still names the URL's host."""

    def __init__(self, checked: CheckedURL, timeout: float) -> None:
        super().__init__(checked.host, checked.port, timeout=timeout)
        self._address = checked.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the vetted address; SNI, Host and certificate verification use the URL's host name."""

    def __init__(self, checked: CheckedURL, timeout: float, tls: ssl.SSLContext) -> None:
        super().__init__(checked.host, checked.port, timeout=timeout, context=tls)
        self._address = checked.address
        self._tls = tls

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def open_connection(checked: CheckedURL, *, timeout: float, cafile: str | None = None) -> http.client.HTTPConnection:
    """An unopened HTTP(S) connection pinned to ``checked.address`` (proxies in the environment are not used)."""
    if checked.scheme == "https":
        return _PinnedHTTPSConnection(checked, timeout, tls_context(cafile))
    return _PinnedHTTPConnection(checked, timeout)


@functools.cache
def tls_context(cafile: str | None = None) -> ssl.SSLContext:
    """The system CA store (or only ``cafile``, for tests), hostname checking on; built once, it is thread-safe."""
    return ssl.create_default_context(cafile=cafile)


def abort(conn: http.client.HTTPConnection) -> None:
    """Drop the connection with a reset, so the server never sees a complete request."""
    if conn.sock is not None:
        # SO_LINGER 0: close() sends RST instead of FIN, and the bytes still queued are discarded.
        with contextlib.suppress(OSError):
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def put_stream(
    checked: CheckedURL,
    body: Readable,
    size: int,
    headers: Mapping[str, str],
    *,
    timeout: float,
    cafile: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """PUT ``size`` bytes of ``body`` to the checked address with an explicit Content-Length (never chunked).

    Returns (status, headers with lower-case names, at most 64 KiB of the answer's body). The last chunk is held
    back until the body is proven to end at ``size``: if ``body.read`` raises or the body is short or long, the
    connection is reset before the request is complete and the exception (ValueError for a wrong length)
    propagates. Raises RedirectRefusedError on a 3xx, and OSError / ssl.SSLError / http.client.HTTPException on
    network failures. A server that answers early (e.g. 403 before the body is sent) is answered with its status.
    """
    conn = open_connection(checked, timeout=timeout, cafile=cafile)
    sent_all = False
    try:
        pending, remaining = _read_ahead(body, size, size)
        conn.putrequest("PUT", checked.target, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        try:
            while True:
                if remaining == 0:
                    conn.send(pending)
                    sent_all = True
                    break
                following, remaining = _read_ahead(body, remaining, size)
                conn.send(pending)
                pending = following
        except (BrokenPipeError, ConnectionResetError) as exc:
            # The server may have answered and closed before taking the whole body (S3 does on a bad signature).
            early = _early_answer(conn)
            if early is None or 200 <= early[0] < 300:
                raise exc from None
            return early
        return _answer(conn, MAX_ERROR_BODY)
    except BaseException:
        if not sent_all:
            abort(conn)
        raise
    finally:
        conn.close()


def _read_ahead(body: Readable, remaining: int, size: int) -> tuple[bytes, int]:
    """The next chunk and what remains after it; at the end, proves that the body ends exactly there."""
    want = min(CHUNK, remaining)
    chunk = b""
    while len(chunk) < want:  # a raw stream may return less than asked without being at its end
        more = body.read(want - len(chunk))
        if not more:
            raise ValueError(f"the body ended before its declared {size} bytes")
        chunk += more
    left = remaining - len(chunk)
    if left == 0 and body.read(1):
        raise ValueError(f"the body is longer than its declared {size} bytes")
    return chunk, left


def _early_answer(conn: http.client.HTTPConnection) -> tuple[int, dict[str, str], bytes] | None:
    try:
        return _answer(conn, MAX_ERROR_BODY)
    except (OSError, http.client.HTTPException):
        return None


def _answer(conn: http.client.HTTPConnection, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    response = conn.getresponse()
    headers = {name.lower(): value for name, value in response.getheaders()}
    if 300 <= response.status < 400:
        raise RedirectRefusedError(response.status)
    return response.status, headers, response.read(max_bytes)


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_local: bool = False,
    cafile: str | None = None,
    resolver: Resolver | None = None,
) -> bytes:
    """GET a remote file (e.g. an image for the renderer) under the policy, at most ``max_bytes``, within ``timeout``
    seconds overall. Raises BlockedURLError (incl. RedirectRefusedError) or FetchError."""
    checked = check_url(url, allow_local=allow_local, resolver=resolver)
    deadline = time.monotonic() + timeout
    conn = open_connection(checked, timeout=timeout, cafile=cafile)
    try:
        conn.putrequest("GET", checked.target, skip_accept_encoding=True)
        conn.putheader("Accept-Encoding", "identity")
        conn.putheader("User-Agent", "RenderCourier/1")
        conn.endheaders()
        response = conn.getresponse()
        if 300 <= response.status < 400:
            raise RedirectRefusedError(response.status)
        if response.status != 200:
            retryable = response.status in (408, 429) or response.status >= 500
            raise FetchError(
                f"{redact(url)} answered {response.status}",
                status=response.status,
                retryable=retryable,
                retry_after=retry_after_seconds(response.getheader("Retry-After")),
            )
        declared = response.getheader("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{redact(url)} is larger than {max_bytes} bytes")
        data = bytearray()
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"{redact(url)} took longer than {timeout:g} s", retryable=True)
            chunk = response.read1(min(CHUNK, max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
            if len(data) > max_bytes:
                raise FetchError(f"{redact(url)} is larger than {max_bytes} bytes")
        return bytes(data)
    except ssl.SSLCertVerificationError:
        raise FetchError(f"the certificate of {checked.host} is not valid for that name") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{redact(url)} could not be fetched ({type(exc).__name__})", retryable=True) from None
    finally:
        conn.close()


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
