"""The webhook sender against a real local receiver (HTTP and HTTPS on 127.0.0.1) answering by a schedule: 5xx,
429 with Retry-After, a connection reset, a hang, a trickle, redirects, refusals. Sleeps are recorded instead of
slept, so retries are fast; every server wait is bounded."""

from __future__ import annotations

import datetime
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from courier.renders.status import event_id
from courier.webhooks.events import WebhookEvent, event_for
from courier.webhooks.sender import WebhookError, WebhookSender
from courier.webhooks.signing import SIGNATURE_HEADER, generate_secret, verify
from tests.fakes.tls import pki as make_pki
from tests.fakes.tls import tls_server_context

HANG_SECONDS = 3.0  # how long a hanging answer holds at most; the sender's timeout in these tests is far shorter
TIMEOUT = 0.5


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A local webhook endpoint: each request takes the next action of the schedule (the last one repeats)."""

    schedule: list[str]
    port: int = 0
    requests: list[Seen] = field(default_factory=list)
    connections: int = 0
    sni: list[str | None] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hooks/courier?token=CANARY", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def next_action(self, seen: Seen) -> str:
        with self.lock:
            self.requests.append(seen)
            return self.schedule[min(len(self.requests), len(self.schedule)) - 1]


def act(handler: BaseHTTPRequestHandler, action: str, receiver: Receiver) -> None:
    if action == "reset":  # drop the connection with an RST, no answer
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return
    if action == "hang":  # say nothing, for longer than the sender waits
        receiver.stop.wait(HANG_SECONDS)
        handler.close_connection = True
        return
    if action == "trickle":  # a status line, then one header byte at a time: no single read ever times out
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(int(HANG_SECONDS / 0.05)):
            if receiver.stop.wait(0.05):
                break
            try:
                handler.wfile.write(b"X")
                handler.wfile.flush()
            except OSError:
                break
        handler.close_connection = True
        return
    status, _, extra = action.partition(" ")
    handler.send_response(int(status))
    if extra:
        name, _, value = extra.partition(":")
        handler.send_header(name, value.strip())
    handler.send_header("Content-Length", "2")
    handler.end_headers()
    handler.wfile.write(b"ok")


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    started: list[tuple[ThreadingHTTPServer, Receiver]] = []

    def start(*schedule: str, tls: ssl.SSLContext | None = None) -> Receiver:
        receiver = Receiver(list(schedule))

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else a keep-alive answer's body waits ~40 ms for a delayed ACK

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                act(self, receiver.next_action(seen), receiver)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def process_request(self, request: Any, client_address: Any) -> None:
                with receiver.lock:
                    receiver.connections += 1
                super().process_request(request, client_address)

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # resets and hangs end connections rudely on purpose

        httpd = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            tls.sni_callback = lambda sock, name, ctx: receiver.sni.append(name)
            httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        receiver.port = int(httpd.server_address[1])
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append((httpd, receiver))
        return receiver

    yield start
    for httpd, receiver in started:
        receiver.stop.set()
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Clock:
    """Real time plus whatever the sender 'slept': signatures carry a real timestamp, waits cost nothing."""

    slept: list[float] = field(default_factory=list)
    start: float = field(default_factory=time.time)
    origin: float = field(default_factory=time.monotonic)

    def __call__(self) -> float:
        return self.start + (time.monotonic() - self.origin) + sum(self.slept)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def event() -> WebhookEvent:
    render: dict[str, Any] = {
        "id": "7c0e5f4e-0000-4000-8000-000000000001",
        "status": "completed",
        "data": {"content": "https://staging.example/x.png", "type": "url", "format": "png", "responseTime": "0.2s"},
        "connections": [
            {"type": "storage", "provider": "s3", "storage": "default", "path": "a/b.png", "status": "success"}
        ],
        "warnings": [],
    }
    return event_for(render, event_id=event_id(render["id"]), now=datetime.datetime.now(datetime.UTC))


def sender(clock: Clock, **options: Any) -> WebhookSender:
    settings: dict[str, Any] = {
        "allow_local": True,
        "timeout": TIMEOUT,
        "sleep": clock.sleep,
        "clock": clock,
        "jitter": lambda: 1.0,
    }
    return WebhookSender(**(settings | options))


SECRET = generate_secret()


def test_retries_through_every_transient_failure_then_delivers(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given an endpoint that answers 503, 429 + Retry-After: 1, resets, hangs, and then accepts
    endpoint = receiver("503", "429 Retry-After: 1", "reset", "hang", "200")

    # When the event is sent
    started = time.monotonic()
    attempts = sender(clock).send(endpoint.url(), SECRET, event)

    # Then the fifth attempt delivered it, after backing off 1, 2 (≥ Retry-After), 4, 8 s — none really slept
    assert attempts == 5
    assert len(endpoint.requests) == 5
    assert clock.slept == [1.0, 2.0, 4.0, 8.0]
    assert time.monotonic() - started < 3  # the hang cost one timeout, not HANG_SECONDS
    # and every attempt was the same event, with its own timestamp, to the exact path and query
    assert {r.headers["x-courier-event-id"] for r in endpoint.requests} == {event.id}
    assert {r.body for r in endpoint.requests} == {event.body()}
    assert {r.path for r in endpoint.requests} == {"/hooks/courier?token=CANARY"}
    assert len({r.headers[SIGNATURE_HEADER.lower()] for r in endpoint.requests}) == 5
    final = endpoint.requests[-1]
    assert final.headers["content-type"] == "application/json"
    assert final.headers["user-agent"] == "RenderCourier-Webhooks/1"
    # and the accepted request verifies against the secret at the receiver's clock, and not with another secret
    assert verify(SECRET, final.headers[SIGNATURE_HEADER.lower()], final.body, now=int(clock()))
    assert not verify(generate_secret(), final.headers[SIGNATURE_HEADER.lower()], final.body, now=int(clock()))


def test_a_400_is_not_retried(receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent) -> None:
    endpoint = receiver("400", "200")
    with pytest.raises(WebhookError) as raised:
        sender(clock).send(endpoint.url(), SECRET, event)
    assert raised.value.retryable is False
    assert raised.value.status == 400
    assert len(endpoint.requests) == 1
    assert clock.slept == []
    assert "CANARY" not in raised.value.reason


def test_a_301_is_not_followed(receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent) -> None:
    # Given an endpoint that redirects to another path of the same server
    endpoint = receiver("301 Location: /elsewhere", "200")

    # Then the redirect is a permanent error and nothing was sent to the Location
    with pytest.raises(WebhookError, match="redirect") as raised:
        sender(clock).send(endpoint.url(), SECRET, event)
    assert raised.value.retryable is False
    assert [r.path for r in endpoint.requests] == ["/hooks/courier?token=CANARY"]


@pytest.mark.parametrize(
    ("url", "resolver"),
    [
        ("http://127.0.0.1:{port}/hook", None),  # loopback and plain http: only with allow_local
        ("https://127.0.0.1:{port}/hook", None),
        ("https://hooks.example.test:{port}/hook", lambda host, port: ["127.0.0.1"]),  # a name pointing home
        ("https://hooks.example.test:{port}/hook", lambda host, port: ["93.184.216.34", "10.0.0.8"]),
    ],
)
def test_a_private_or_non_https_url_is_refused_before_any_connection(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent, url: str, resolver: Any
) -> None:
    endpoint = receiver("200")
    refused = WebhookSender(timeout=TIMEOUT, sleep=clock.sleep, clock=clock, resolver=resolver)
    with pytest.raises(WebhookError) as raised:
        refused.send(url.format(port=endpoint.port), SECRET, event)
    assert raised.value.retryable is False
    assert raised.value.attempts == 1
    time.sleep(0.1)  # a connection, had one been made, would have been accepted by now
    assert endpoint.connections == 0


def test_the_time_budget_is_respected(receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent) -> None:
    # Given an endpoint that is down for good
    endpoint = receiver("503")

    # When the budget is 10 s (of fake time)
    with pytest.raises(WebhookError, match="time budget") as raised:
        sender(clock, budget_seconds=10, max_attempts=50).send(endpoint.url(), SECRET, event)

    # Then it stopped within the budget, handing the event back for a later try
    assert raised.value.retryable is True
    assert raised.value.retry_after == 8.0
    assert clock.slept == [1.0, 2.0, 4.0]  # 7 s waited; 8 more would pass 10
    assert len(endpoint.requests) == 4
    assert clock() - clock.start <= 10


def test_a_trickling_answer_is_cut_at_the_timeout(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given an endpoint that sends one byte every 50 ms, so no single read ever waits for the timeout
    endpoint = receiver("trickle")

    # When the event is sent with one attempt
    started = time.monotonic()
    with pytest.raises(WebhookError, match="did not answer within") as raised:
        sender(clock, max_attempts=1).send(endpoint.url(), SECRET, event)

    # Then the whole exchange was cut at the timeout
    assert time.monotonic() - started < TIMEOUT + 1
    assert raised.value.retryable is True


# --- HTTPS: the production shape -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path, Path]]:
    """A throwaway CA and a leaf certificate per DNS name: (ca.pem, cert.pem, key.pem)."""
    return make_pki(tmp_path_factory.mktemp("pki"))


def test_https_goes_to_the_pinned_address_with_the_host_name(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent, pki: Callable[[str], tuple[Path, Path, Path]]
) -> None:
    # Given an HTTPS endpoint on 127.0.0.1 with a certificate for hooks.example.test, which "resolves" to it
    ca, cert, key = pki("hooks.example.test")
    endpoint = receiver("200", tls=tls_server_context(cert, key))
    https = sender(clock, resolver=lambda host, port: ["127.0.0.1"], cafile=str(ca))

    # When the event is sent
    assert https.send(endpoint.url(host="hooks.example.test", scheme="https"), SECRET, event) == 1

    # Then TLS named the host, Host names it, and the request verifies
    assert endpoint.sni == ["hooks.example.test"]
    seen = endpoint.requests[0]
    assert seen.headers["host"] == f"hooks.example.test:{endpoint.port}"
    assert verify(SECRET, seen.headers[SIGNATURE_HEADER.lower()], seen.body, now=int(clock()))


def test_https_with_a_certificate_for_another_name_is_permanent(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent, pki: Callable[[str], tuple[Path, Path, Path]]
) -> None:
    ca, cert, key = pki("someone-else.example.test")
    endpoint = receiver("200", tls=tls_server_context(cert, key))
    https = sender(clock, resolver=lambda host, port: ["127.0.0.1"], cafile=str(ca))
    with pytest.raises(WebhookError, match="certificate") as raised:
        https.send(endpoint.url(host="hooks.example.test", scheme="https"), SECRET, event)
    assert raised.value.retryable is False
    assert endpoint.requests == []
