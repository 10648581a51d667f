"""The outbound URL policy (SSRF guard): which URLs the service may reach, and at which address.

A customer's URL is checked once — scheme, userinfo, every address its host resolves to — and the result
(``CheckedURL``) names the one vetted address the connection must go to, never a second resolution (DNS rebinding).
Connections pinned to that address, with TLS verified against the URL's host name and redirects never followed, are
in courier.net.pinned.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# host, port -> every address the name resolves to, in the resolver's order of preference.
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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
