"""The outbound URL policy: every refused class of address and spelling, scheme and userinfo rules, no redirects,
size caps and timeouts, and a connection pinned to the checked address (DNS rebinding). Names are resolved by an
injected resolver or a patched getaddrinfo; the only sockets are to servers on 127.0.0.1."""

from __future__ import annotations

import io
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from courier.net.pinned import CHUNK, fetch, put_stream, retry_after_seconds
from courier.net.policy import (
    BlockedURLError,
    FetchError,
    HostLookupError,
    RedirectRefusedError,
    Resolver,
    check_url,
    redact,
)
from tests.fakes.tls import pki as make_pki
from tests.fakes.tls import tls_server_context

PUBLIC = "93.184.216.34"


def resolving(*answers: str) -> Resolver:
    return lambda host, port: list(answers)


# --- the policy ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://127.1.2.3/",
        "https://[::1]/",
        "https://10.1.2.3/",
        "https://172.16.0.1/",
        "https://172.31.255.255/",
        "https://192.168.0.10/",
        "https://[fc00::1]/",
        "https://[fd12:3456::1]/",
        "https://169.254.1.1/",
        "https://[fe80::1]/",
        "https://[fe80::1%25eth0]/",
        "https://224.0.0.1/",
        "https://[ff02::1]/",
        "https://0.0.0.0/",
        "https://[::]/",
        "https://240.0.0.1/",
        "https://255.255.255.255/",
        "https://100.64.0.1/",
        "https://100.127.255.254/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00:ec2::254]/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:169.254.169.254]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "https://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    ],
)
def test_every_non_public_address_is_refused(url: str) -> None:
    with pytest.raises(BlockedURLError, match="may not be reached"):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/",
        "https://[fd00:ec2::254]/",
        "https://10.0.0.1/",
        "https://192.168.1.1/",
        "https://100.64.0.1/",
        "https://[::ffff:169.254.169.254]/",
    ],
)
def test_allow_local_still_refuses_everything_but_loopback(url: str) -> None:
    with pytest.raises(BlockedURLError, match="may not be reached"):
        check_url(url, allow_local=True)


def test_metadata_addresses_are_named() -> None:
    with pytest.raises(BlockedURLError, match="metadata"):
        check_url("https://169.254.169.254/")
    with pytest.raises(BlockedURLError, match="metadata"):
        check_url("https://[fd00:ec2::254]/")


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "https://2130706433/",
        "https://0x7f.1/",
        "https://0x7f000001/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://0xa9.0xfe.0xa9.0xfe/",
        "https://017700000001/",
        "https://1.2.3.4.5/",
    ],
)
def test_legacy_ip_spellings_are_refused_even_with_allow_local(url: str) -> None:
    # getaddrinfo would read them as 127.0.0.1 / 169.254.169.254; no resolver is even asked
    def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("a numeric host must not be resolved")

    with pytest.raises(BlockedURLError):
        check_url(url, allow_local=True, resolver=resolver)


@pytest.mark.parametrize(
    "answers",
    [
        ["10.0.0.7"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["fd00:ec2::254"],
        ["::ffff:192.168.0.1"],
        [PUBLIC, "192.168.0.1"],  # ANY private answer refuses the name
        ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
    ],
)
def test_names_resolving_to_non_public_addresses_are_refused(answers: list[str]) -> None:
    with pytest.raises(BlockedURLError, match=r"storage\.example\.com resolves to"):
        check_url("https://storage.example.com/a.png", resolver=resolving(*answers))


def test_the_system_resolver_is_used_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given getaddrinfo answering a public and a private address for a public-looking name
    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(BlockedURLError, match="private"):
        check_url("https://images.example.com/a.png")


def test_localhost_is_refused_without_allow_local() -> None:
    with pytest.raises(BlockedURLError, match="loopback"):
        check_url("https://localhost/", resolver=resolving("127.0.0.1", "::1"))


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("http://images.example.com/a.png", "https"),
        ("ftp://images.example.com/a.png", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://images.example.com/", "scheme"),
        ("//images.example.com/a.png", "scheme"),
        ("https://user:pass@images.example.com/a.png", "user name"),
        ("https://user@images.example.com/a.png", "user name"),
        ("https://images.example.com@127.0.0.1/", "user name"),
        ("https:///a.png", "no host"),
        ("https://images.example.com:99999/", "parsed"),
        ("https://images.example.com/a b.png", "spaces"),
        ("https://images.example.com/a\r\nHost: evil/", "control"),
        ("https://images.example.com\\@127.0.0.1/", "backslash"),
        ("https://images.example.com/é.png", "ASCII"),
    ],
)
def test_schemes_userinfo_and_malformed_urls_are_refused(url: str, match: str) -> None:
    with pytest.raises(BlockedURLError, match=match):
        check_url(url, resolver=resolving(PUBLIC))


def test_http_with_allow_local_only_to_loopback() -> None:
    assert check_url("http://127.0.0.1:9000/b/k", allow_local=True).address == "127.0.0.1"
    assert check_url("http://localhost:9000/", allow_local=True, resolver=resolving("127.0.0.1", "::1")).port == 9000
    with pytest.raises(BlockedURLError, match="https"):
        check_url("http://images.example.com/", allow_local=True, resolver=resolving(PUBLIC))


def test_a_public_url_is_checked_and_pinned() -> None:
    url = "https://Bücher.Example.com/a%20b.png?X-Amz-Signature=s3cr3t#frag"
    checked = check_url(url, resolver=resolving(PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"))
    assert (checked.scheme, checked.host, checked.port, checked.address) == (
        "https",
        "xn--bcher-kva.example.com",
        443,
        PUBLIC,
    )
    assert checked.target == "/a%20b.png?X-Amz-Signature=s3cr3t"
    assert "s3cr3t" not in repr(checked)


@pytest.mark.parametrize(
    ("error", "temporary"), [(socket.EAI_NONAME, False), (socket.EAI_AGAIN, True), (socket.EAI_FAIL, False)]
)
def test_lookup_failures(error: int, temporary: bool) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(error, "lookup failed")

    with pytest.raises(HostLookupError) as caught:
        check_url("https://nowhere.example.com/?sig=s3cr3t", resolver=resolver)
    assert caught.value.temporary is temporary and "s3cr3t" not in caught.value.reason


def test_reasons_never_carry_the_query() -> None:
    for url in ("https://10.0.0.1/k?sig=s3cr3t", "http://x.example.com/?sig=s3cr3t", "https://u:s3cr3t@x.example/"):
        with pytest.raises(BlockedURLError) as caught:
            check_url(url, resolver=resolving(PUBLIC))
        assert "s3cr3t" not in caught.value.reason


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://u:p@Bucket.S3.amazonaws.com/a/b.png?X-Amz-Signature=x#f", "https://bucket.s3.amazonaws.com/a/b.png"),
        ("https://[2001:db8::1]:8443/k?sig=x", "https://[2001:db8::1]:8443/k"),
        ("http://127.0.0.1:9000/b/k%20x", "http://127.0.0.1:9000/b/k%20x"),
        ("https://h:99999/x", "<invalid URL>"),
    ],
)
def test_redact(url: str, redacted: str) -> None:
    assert redact(url) == redacted


# --- the connection: local servers on 127.0.0.1 ---------------------------------------------------------------------


@dataclass
class Seen:
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Callable[..., tuple[int, Seen]]]:
    """Starts a local HTTP(S) server whose handler answers with ``respond(handler, body)``."""
    started: list[ThreadingHTTPServer] = []

    def start(
        respond: Callable[[BaseHTTPRequestHandler, bytes], None], tls: ssl.SSLContext | None = None
    ) -> tuple[int, Seen]:
        seen = Seen()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else a keep-alive answer's body waits ~40 ms for a delayed ACK

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                seen.requests.append((self.command, self.path, headers, body))
                respond(self, body)

            do_GET = do_PUT = _handle

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        if tls is not None:
            tls.sni_callback = lambda sock, name, ctx: seen.sni.append(name)
            httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(httpd)
        return int(httpd.server_address[1]), seen

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Callable[..., None]:
    def respond(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def test_put_stream_sends_a_content_length_and_the_headers(server: Callable[..., tuple[int, Seen]]) -> None:
    port, seen = server(answer(200, headers={"ETag": '"abc"'}))
    checked = check_url(f"http://127.0.0.1:{port}/b/k.png?sig=x", allow_local=True)
    body = b"x" * (CHUNK * 2 + 5)
    status, headers, _ = put_stream(checked, io.BytesIO(body), len(body), {"Content-Type": "image/png"}, timeout=5)
    assert status == 200 and headers["etag"] == '"abc"'
    method, path, sent, received = seen.requests[0]
    assert (method, path, received) == ("PUT", "/b/k.png?sig=x", body)
    assert sent["content-length"] == str(len(body)) and "transfer-encoding" not in sent
    assert sent["content-type"] == "image/png" and sent["host"] == f"127.0.0.1:{port}"


@pytest.mark.parametrize(("given", "match"), [(b"x" * 10, "ended before"), (b"x" * 12, "longer")])
def test_put_stream_refuses_a_body_of_the_wrong_length(
    server: Callable[..., tuple[int, Seen]], given: bytes, match: str
) -> None:
    port, seen = server(answer(200))
    checked = check_url(f"http://127.0.0.1:{port}/k", allow_local=True)
    with pytest.raises(ValueError, match=match):
        put_stream(checked, io.BytesIO(given), 11, {}, timeout=5)
    assert not seen.requests  # a one-chunk body is proven before anything is sent


def test_put_stream_reports_an_answer_given_before_the_body_was_taken() -> None:
    # Given a server that refuses on the headers alone and closes (S3 does so for an expired or badly signed URL)
    error = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def refuse() -> None:
            conn, _ = listener.accept()
            with conn:
                received = b""
                while b"\r\n\r\n" not in received:
                    received += conn.recv(65536)
                head = f"HTTP/1.1 403 Forbidden\r\nContent-Length: {len(error)}\r\nConnection: close\r\n\r\n"
                conn.sendall(head.encode() + error)

        thread = threading.Thread(target=refuse)
        thread.start()
        checked = check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/k", allow_local=True)
        # When a large body is PUT there
        size = 16 * 1024 * 1024
        status, _, body = put_stream(checked, io.BytesIO(bytes(size)), size, {}, timeout=5)
        thread.join()
    # Then the answer is reported, not the broken pipe
    assert status == 403 and b"Request has expired" in body


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_refused(server: Callable[..., tuple[int, Seen]], status: int) -> None:
    port, seen = server(answer(status, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    url = f"http://127.0.0.1:{port}/img.png"
    with pytest.raises(RedirectRefusedError, match=str(status)):
        fetch(url, max_bytes=1000, timeout=5, allow_local=True)
    with pytest.raises(RedirectRefusedError, match=str(status)):
        put_stream(check_url(url, allow_local=True), io.BytesIO(b"x"), 1, {}, timeout=5)
    assert len(seen.requests) == 2  # the Location was never requested


def test_fetch_gets_the_body(server: Callable[..., tuple[int, Seen]]) -> None:
    port, seen = server(answer(200, b"\x89PNG..."))
    assert fetch(f"http://127.0.0.1:{port}/a.png", max_bytes=100, timeout=5, allow_local=True) == b"\x89PNG..."
    assert seen.requests[0][2]["accept-encoding"] == "identity"


def test_fetch_caps_the_size(server: Callable[..., tuple[int, Seen]]) -> None:
    port, _ = server(answer(200, b"x" * 101))
    with pytest.raises(FetchError, match="larger than 100 bytes"):
        fetch(f"http://127.0.0.1:{port}/a.png", max_bytes=100, timeout=5, allow_local=True)

    def unannounced(handler: BaseHTTPRequestHandler, _: bytes) -> None:  # no Content-Length: read until close
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"y" * 5000)
        handler.close_connection = True

    port, _ = server(unannounced)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch(f"http://127.0.0.1:{port}/a.png", max_bytes=1000, timeout=5, allow_local=True)


@pytest.mark.parametrize(("status", "retryable"), [(404, False), (403, False), (503, True), (429, True)])
def test_fetch_errors(server: Callable[..., tuple[int, Seen]], status: int, retryable: bool) -> None:
    port, _ = server(answer(status, headers={"Retry-After": "3"}))
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/a.png?sig=s3cr3t", max_bytes=10, timeout=5, allow_local=True)
    assert caught.value.status == status and caught.value.retryable is retryable
    assert caught.value.retry_after == 3 and "s3cr3t" not in caught.value.reason


def test_fetch_times_out_on_a_silent_server() -> None:
    with socket.socket() as listener:  # accepts (the kernel does) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(FetchError, match="could not be fetched") as caught:
            fetch(f"http://127.0.0.1:{port}/a.png", max_bytes=10, timeout=0.3, allow_local=True)
    assert caught.value.retryable


def test_the_connection_goes_to_the_checked_address_not_a_new_lookup(
    server: Callable[..., tuple[int, Seen]],
    pki: Callable[[str], tuple[Path, Path, Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a name whose DNS answers a public address first and loopback afterwards (DNS rebinding)
    ca, cert, key = pki("rebind.example.test")
    port, seen = server(answer(200, b"ok"), tls=tls_server_context(cert, key))
    lookups: list[str] = []

    def getaddrinfo(host: str, p: int, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        address = PUBLIC if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, p))]

    connects: list[tuple[str, int]] = []
    real_create_connection = socket.create_connection

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connects.append(address)
        # The test may not reach the public address: the local server stands in for it.
        return real_create_connection(("127.0.0.1", port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    # When the URL is checked, then written to
    checked = check_url(f"https://rebind.example.test:{port}/a.png")
    status, _, _ = put_stream(checked, io.BytesIO(b"x"), 1, {}, timeout=5, cafile=str(ca))
    # Then the socket went to the checked address, DNS was asked once, and TLS and Host still name the host
    assert checked.address == PUBLIC and status == 200
    assert lookups.count("rebind.example.test") == 1 and connects == [(PUBLIC, port)]
    assert seen.sni == ["rebind.example.test"] and seen.requests[0][2]["host"] == f"rebind.example.test:{port}"


# --- TLS: SNI and certificate checks use the host name, the socket uses the pinned address -------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path, Path]]:
    """A throwaway CA and a leaf certificate per DNS name: (ca.pem, cert.pem, key.pem)."""
    return make_pki(tmp_path_factory.mktemp("pki"))


def test_tls_goes_to_the_pinned_address_with_the_host_name(
    server: Callable[..., tuple[int, Seen]], pki: Callable[[str], tuple[Path, Path, Path]]
) -> None:
    # Given an HTTPS server on 127.0.0.1 with a certificate for storage.example.test
    ca, cert, key = pki("storage.example.test")
    port, seen = server(answer(200, b"", {"ETag": '"e"'}), tls=tls_server_context(cert, key))
    checked = check_url(
        f"https://storage.example.test:{port}/b/k?sig=x", allow_local=True, resolver=resolving("127.0.0.1")
    )
    # When a PUT goes there, trusting the test CA
    status, headers, _ = put_stream(checked, io.BytesIO(b"abc"), 3, {}, timeout=5, cafile=str(ca))
    # Then TLS named the host (SNI), the certificate verified against it, and Host names it too
    assert status == 200 and headers["etag"] == '"e"'
    assert seen.sni == ["storage.example.test"] and seen.requests[0][2]["host"] == f"storage.example.test:{port}"


def test_tls_refuses_a_certificate_for_another_name(
    server: Callable[..., tuple[int, Seen]], pki: Callable[[str], tuple[Path, Path, Path]]
) -> None:
    ca, cert, key = pki("other.example.test")
    port, seen = server(answer(200), tls=tls_server_context(cert, key))
    checked = check_url(f"https://storage.example.test:{port}/k", allow_local=True, resolver=resolving("127.0.0.1"))
    with pytest.raises(ssl.SSLCertVerificationError):
        put_stream(checked, io.BytesIO(b"abc"), 3, {}, timeout=5, cafile=str(ca))
    with pytest.raises(FetchError, match="certificate"):
        fetch(
            f"https://storage.example.test:{port}/k",
            max_bytes=10,
            timeout=5,
            allow_local=True,
            cafile=str(ca),
            resolver=resolving("127.0.0.1"),
        )
    assert not seen.requests


def test_tls_uses_the_system_store_by_default(
    server: Callable[..., tuple[int, Seen]], pki: Callable[[str], tuple[Path, Path, Path]]
) -> None:
    _, cert, key = pki("storage.example.test")
    port, _ = server(answer(200), tls=tls_server_context(cert, key))
    checked = check_url(f"https://storage.example.test:{port}/k", allow_local=True, resolver=resolving("127.0.0.1"))
    with pytest.raises(ssl.SSLCertVerificationError):
        put_stream(checked, io.BytesIO(b"abc"), 3, {}, timeout=5)


def test_retry_after_parses_seconds_and_dates() -> None:
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
