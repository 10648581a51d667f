"""The outbound URL policy (SSRF guard): which URLs the service may reach, and a pinned connection to reach them.

A customer's URL is checked once — scheme, userinfo, every address its host resolves to — and the connection then
goes to the address that was checked, never to a second resolution (DNS rebinding), with TLS verified against the
URL's host name. Redirects are never followed: a 3xx could point anywhere, including inside our network.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import http.client
import ipaddress
import socket
import ssl
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit


class Readable(Protocol):
    """What put_stream reads from: a binary file, or a wrapper such as the VerifyingReader."""

    def read(self, size: int = -1, /) -> bytes: ...


# host, port -> every address the name resolves to, in the resolver's order of preference.
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CHUNK = 256 * 1024  # bytes per send; one chunk is held back until the end of the body is proven
MAX_ERROR_BODY = 64 * 1024  # an error document is small; a huge answer to a PUT is cut here

METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # a NAT64 gateway would translate the embedded IPv4 address


class BlockedURLError(ValueError):
    """The URL may not be reached. ``reason`` is shown to the user and never contains the query string."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostLookupError(BlockedURLError):
    """The host name did not resolve; ``temporary`` when the resolver said to try again (EAI_AGAIN)."""

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.temporary = temporary


class RedirectRefusedError(BlockedURLError):
    """The server answered a redirect; redirects are never followed."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the server answered {status} (a redirect); redirects are not followed: use the final URL")
        self.status = status


class FetchError(Exception):
    """A GET did not give the file: an HTTP error status, a body over the cap, a network failure."""

    def __init__(
        self, reason: str, *, status: int | None = None, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class CheckedURL:
    """A URL that passed the policy, with the address the connection must go to."""

    url: str = field(repr=False)  # may carry a credential (a presigned query): never in a repr or a log
    scheme: str
    host: str  # lower-case, IDNA-encoded; sent as Host and as the TLS server name
    port: int
    address: str  # the vetted IP the socket connects to

    @property
    def target(self) -> str:
        """The request target exactly as given (path and query): a presigned signature covers it byte for byte."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def system_resolver(host: str, port: int) -> list[str]:
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    return addresses


def redact(url: str) -> str:
    """scheme://host[:port]/path — no userinfo, query or fragment: what logs and receipts may show."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path}"


def blocked_class(ip: IPAddress) -> str | None:
    """Why an address may not be reached (a short noun phrase), or None when it is a public unicast address."""
    if ip in METADATA:
        return "the cloud metadata service"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = blocked_class(embedded)
            return f"{inner} (inside an IPv6 address)" if inner else None
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "a shared (CGNAT) address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((name for hit, name in checks if hit), None)


def check_url(url: str, *, allow_local: bool = False, resolver: Resolver | None = None) -> CheckedURL:
    """Vet ``url`` and pin the address to connect to. Raises BlockedURLError (HostLookupError when DNS fails).

    https only; http and loopback addresses only with ``allow_local`` (the local stack's --allow-local-urls), and
    then http only when every address is loopback. Every resolved address must pass, not just the first.
    """
    if any(ord(c) <= 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        raise BlockedURLError("the URL contains spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        raise BlockedURLError("the URL cannot be parsed (check the host and port)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise BlockedURLError(f"the URL's scheme must be https, not {scheme or 'missing'}")
    if scheme == "http" and not allow_local:
        raise BlockedURLError("the URL must use https")
    if "@" in parts.netloc:
        raise BlockedURLError("the URL must not contain a user name or password")
    if not hostname:
        raise BlockedURLError("the URL has no host")
    if not (parts.path + parts.query).isascii():
        raise BlockedURLError("the URL's path and query must be percent-encoded ASCII")
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BlockedURLError("the URL's host name is not valid") from None
    port = port if port is not None else (443 if scheme == "https" else 80)

    literal = _ip_literal(host)
    addresses = [str(literal)] if literal is not None else _resolve(host, port, resolver or system_resolver)
    for address in addresses:
        ip = ipaddress.ip_address(address)
        reason = blocked_class(ip)
        if reason == "a loopback address" and allow_local:
            continue
        if reason:
            verb = "is" if literal is not None else "resolves to"
            raise BlockedURLError(f"the URL's host {host} {verb} {reason} ({ip}), which may not be reached")
    if scheme == "http" and not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise BlockedURLError("the URL must use https (http is allowed only to this machine, for local tests)")
    return CheckedURL(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


def _resolve(host: str, port: int, resolver: Resolver) -> list[str]:
    try:
        answers = resolver(host, port)
    except socket.gaierror as exc:
        temporary = exc.errno == socket.EAI_AGAIN
        raise HostLookupError(f"the URL's host {host} could not be resolved", temporary=temporary) from None
    except (OSError, UnicodeError):
        raise HostLookupError(f"the URL's host {host} could not be resolved", temporary=True) from None
    if not answers:
        raise HostLookupError(f"the URL's host {host} has no address", temporary=False)
    try:
        return [str(ipaddress.ip_address(a)) for a in answers]
    except ValueError:
        raise HostLookupError(
            f"the URL's host {host} resolved to something that is not an address", temporary=False
        ) from None


def _ip_literal(host: str) -> IPAddress | None:
    """An IP address written as the host, or None for a name. Legacy IPv4 spellings are refused outright."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # inet_aton (and so getaddrinfo) reads 2130706433, 0x7f.1 and 0177.0.0.1 as 127.0.0.1: a name made only of
    # digits, dots and hex letters behind 0x is an address in disguise. A real name has a letter in its last label.
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or last.startswith("0x"):
        try:
            socket.inet_aton(host)
        except OSError:
            pass
        else:
            raise BlockedURLError("the URL's host is an IP address in a non-standard notation; write a.b.c.d")
        if last.isdigit():
            raise BlockedURLError("the URL's host is not a valid name or address")
    return None


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
