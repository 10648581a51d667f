"""A fault-injecting HTTP/1.1 proxy for one destination (an S3 endpoint, the Dropbox API hosts, a presigned URL's
server), on 127.0.0.1, plain or TLS on either side.

Requests pass through unchanged (bodies streamed as they arrive, so the server sees exactly what the client sent,
a truncated body included) unless a rule matches. Each rule holds a list of faults, used one per matching request
in arrival order, then the rule lets requests through (or repeats its last fault forever): a deterministic
schedule. Faults:

- ``answer(status, …)``: the request's body is read, the server never sees it, the client gets this answer;
- ``hang()``: the body is read, then no answer at all, until the client gives up (its timeout) and closes;
- ``reset(after)``: ``after`` bytes of the body reach the server, then both connections are reset (RST);
- ``lose()``: the server gets and answers the request, but the answer is dropped and the client waits in vain;
- ``slow(rate, until)``: the body is taken from the client at ``rate`` bytes per second (to stop a client
  mid-upload), at full speed once the ``until`` event is set;
- ``hold(gate)``: the request waits until ``gate`` is set, then passes.

Every request is recorded (``seen``) with what was done to it, the server's status and the body bytes taken so far.
``Expect: 100-continue`` is answered by the proxy itself. With ``rewrite_host`` the Host header's port becomes the
server's (the fake Dropbox checks it); without it the Host is untouched, so SigV4 signatures stay valid.

    with FaultProxy("127.0.0.1", moto_port) as proxy:
        proxy.schedule(faults=[answer(503), reset(1000)], method="PUT", path=r"/bucket/renders/")
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["pass", "answer", "hang", "reset", "lose", "slow", "hold"]
MAX_HEAD = 64 * 1024
PIECE = 64 * 1024
HANG_LIMIT = 60.0  # a hanging request is dropped after this long even if the client never gives up


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    after: int = 0  # reset: body bytes that reach the server first
    rate: int = 0  # slow: bytes per second
    gate: threading.Event | None = None  # hold: until set; slow: full speed once set

    def __str__(self) -> str:
        return f"{self.kind} {self.status}" if self.kind == "answer" else self.kind


PASS = Fault("pass")


def answer(status: int, body: bytes = b"", *, retry_after: int | None = None, content_type: str = "") -> Fault:
    headers = [("Content-Type", content_type)] if content_type else []
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    return Fault("answer", status=status, headers=tuple(headers), body=body)


def hang() -> Fault:
    return Fault("hang")


def reset(after: int = 0) -> Fault:
    return Fault("reset", after=after)


def lose() -> Fault:
    return Fault("lose")


def slow(rate: int, until: threading.Event | None = None) -> Fault:
    return Fault("slow", rate=rate, gate=until)


def hold(gate: threading.Event) -> Fault:
    return Fault("hold", gate=gate)


# Provider-shaped refusals, as each kind of server words them.
def s3_error(status: int, code: str, message: str, *, retry_after: int | None = None) -> Fault:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return answer(status, body.encode(), retry_after=retry_after, content_type="application/xml")


def dropbox_rate_limit(retry_after: int, reason: str = "too_many_requests") -> Fault:
    error = {"reason": {".tag": reason}, "retry_after": retry_after}
    body = json.dumps({"error_summary": f"{reason}/..", "error": error}).encode()
    return answer(429, body, retry_after=retry_after, content_type="application/json")


def dropbox_route_error(status: int, tag: str) -> Fault:
    body = json.dumps({"error_summary": f"{tag}/..", "error": {".tag": tag}}).encode()
    return answer(status, body, content_type="application/json")


@dataclass
class Request:
    """What the proxy saw of one request (body bytes counted as they arrive)."""

    method: str
    target: str  # path and query, as sent
    headers: dict[str, str]  # lower-case names
    fault: str = "pass"
    status: int | None = None  # the server's answer (None: it never answered, or never saw the request)
    received: int = 0  # body bytes taken from the client
    length: int | None = None  # the declared Content-Length
    at: float = field(default_factory=time.monotonic)
    answered_at: float | None = None  # when the server's answer came (monotonic, as ``at``)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def query(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""


@dataclass
class Rule:
    """Faults for the requests it matches, one each in order; afterwards they pass (or the last one repeats)."""

    faults: list[Fault]
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request target (path and query)
    header: tuple[str, str] | None = None  # (name, regular expression searched in its value)
    forever: bool = False
    where: Callable[[Request], bool] | None = None
    used: int = 0

    def matches(self, request: Request) -> bool:
        if self.method is not None and request.method != self.method:
            return False
        if self.path is not None and not re.search(self.path, request.target):
            return False
        if self.header is not None:
            name, pattern = self.header
            if not re.search(pattern, request.headers.get(name.lower(), "")):
                return False
        return self.where is None or self.where(request)

    def take(self) -> Fault | None:
        if self.used < len(self.faults):
            self.used += 1
            return self.faults[self.used - 1]
        if self.forever and self.faults:
            self.used += 1
            return self.faults[-1]
        return None


class _Closed(Exception):
    """The client closed its connection between requests."""


class FaultProxy:
    """Listens on 127.0.0.1 (TLS with ``tls`` as the server context); forwards to ``upstream_host:upstream_port``
    (TLS when ``upstream_tls`` is given, verified against the name the client used)."""

    def __init__(
        self,
        upstream_host: str,
        upstream_port: int,
        *,
        tls: ssl.SSLContext | None = None,
        upstream_tls: ssl.SSLContext | None = None,
        rewrite_host: bool = False,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._tls = tls
        self._upstream_tls = upstream_tls
        self._rewrite_host = rewrite_host
        self.rules: list[Rule] = []
        self.seen: list[Request] = []
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    @property
    def endpoint(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ the schedule

    def schedule(
        self,
        faults: list[Fault],
        *,
        method: str | None = None,
        path: str | None = None,
        header: tuple[str, str] | None = None,
        forever: bool = False,
        where: Callable[[Request], bool] | None = None,
    ) -> Rule:
        """Add a rule (checked in the order added; the first that matches and still has a fault decides)."""
        rule = Rule(list(faults), method, path, header, forever, where)
        with self._lock:
            self.rules.append(rule)
        return rule

    def remove(self, rule: Rule) -> None:
        with self._lock:
            self.rules.remove(rule)

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()

    def forget(self, where: Callable[[Request], bool]) -> None:
        """Drop the requests seen so far that ``where`` selects (e.g. a storage's probe on save)."""
        with self._lock:
            self.seen[:] = [r for r in self.seen if not where(r)]

    def requests(self, where: Callable[[Request], bool] | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.seen if where is None or where(r)]

    def wait_for(self, check: Callable[[list[Request]], bool], timeout: float = 10.0) -> bool:
        """Block until ``check(seen)`` holds (re-checked whenever a request progresses)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not check(list(self.seen)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.2))
            return True

    def _fault_for(self, request: Request) -> Fault:
        with self._lock:
            self.seen.append(request)
            for rule in self.rules:
                if rule.matches(request):
                    fault = rule.take()
                    if fault is not None:
                        request.fault = str(fault)
                        self._lock.notify_all()
                        return fault
            self._lock.notify_all()
            return PASS

    def _progress(self, request: Request, received: int | None = None, status: int | None = None) -> None:
        with self._lock:
            if received is not None:
                request.received = received
            if status is not None:
                request.status, request.answered_at = status, time.monotonic()
            self._lock.notify_all()

    # ------------------------------------------------------------ connections

    def _accept(self) -> None:
        self._listener.settimeout(0.1)  # closing a listening socket does not wake accept(): poll the stop flag
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=self._serve, args=(client,), name="fault-proxy-conn", daemon=True).start()

    @contextlib.contextmanager
    def _tracked(self, sock: socket.socket) -> Iterator[socket.socket]:
        with self._lock:
            self._sockets.add(sock)
        try:
            yield sock
        finally:
            with self._lock:
                self._sockets.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()

    def _serve(self, raw: socket.socket) -> None:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            client = self._tls.wrap_socket(raw, server_side=True) if self._tls else raw
        except (ssl.SSLError, OSError):
            raw.close()
            return
        with self._tracked(client):
            reader = _Stream(client)
            try:
                while not self._stop.is_set():
                    request, head, length, chunked = self._read_head(reader)
                    # A fresh server connection per request: no stale keep-alive connection can fail a request
                    # that no rule meant to fail.
                    name = request.headers.get("host", "").rsplit(":", 1)[0] or "127.0.0.1"
                    upstream = self._connect(name)
                    try:
                        if not self._handle(reader, upstream, request, head, length, chunked):
                            return
                    finally:
                        upstream.close()
            except (_Closed, OSError, ssl.SSLError, ValueError):
                return

    def _connect(self, name: str) -> _Stream:
        sock = socket.create_connection(self.upstream, timeout=HANG_LIMIT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._upstream_tls is not None:
            sock = self._upstream_tls.wrap_socket(sock, server_hostname=name)
        with self._lock:
            self._sockets.add(sock)
        return _Stream(sock, tracked=self._sockets, lock=self._lock)

    def _read_head(self, reader: _Stream) -> tuple[Request, bytes, int | None, bool]:
        head = reader.read_until(b"\r\n\r\n", MAX_HEAD)
        if not head:
            raise _Closed
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.append((name.strip(), value.strip()))
        lowered = {name.lower(): value for name, value in headers}
        chunked = "chunked" in lowered.get("transfer-encoding", "").lower()
        length = None if chunked else int(lowered.get("content-length", "0") or 0)
        request = Request(method, target, lowered, length=length)
        if "100-continue" in lowered.get("expect", "").lower():
            reader.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        out = [lines[0]]
        for name, value in headers:
            lower = name.lower()
            if lower == "expect":
                continue
            if lower == "host" and self._rewrite_host:
                value = f"{value.rsplit(':', 1)[0]}:{self.upstream[1]}"
            out.append(f"{name}: {value}")
        return request, ("\r\n".join(out) + "\r\n\r\n").encode("latin-1"), length, chunked

    # ------------------------------------------------------------ one request

    def _handle(
        self, client: _Stream, upstream: _Stream, request: Request, head: bytes, length: int | None, chunked: bool
    ) -> bool:
        """Serve one request; False when the client connection must end."""
        fault = self._fault_for(request)
        if fault.kind == "hold" and fault.gate is not None:
            fault.gate.wait(HANG_LIMIT)
        if fault.kind in ("answer", "hang"):
            self._relay_body(client, None, request, length, chunked)
            if fault.kind == "hang":
                self._wait_for_close(client)
                return False
            client.send(_response(fault))
            return True
        if fault.kind == "reset":
            upstream.send(head)
            self._relay_body(client, upstream, request, length, chunked, limit=fault.after)
            client.reset()
            upstream.reset()
            return False
        upstream.send(head)
        released = fault.gate if fault.kind == "slow" else None
        if not self._relay_body(client, upstream, request, length, chunked, rate=fault.rate, released=released):
            upstream.reset()  # the client stopped mid-body: the server sees a truncated request, as S3 would
            return False
        status, response = self._read_response(upstream, request.method)
        self._progress(request, status=status)
        if fault.kind == "lose":
            self._wait_for_close(client)
            return False
        client.send(response)
        return True

    def _relay_body(
        self,
        client: _Stream,
        upstream: _Stream | None,
        request: Request,
        length: int | None,
        chunked: bool,
        *,
        limit: int | None = None,
        rate: int = 0,
        released: threading.Event | None = None,
    ) -> bool:
        """Take the body from the client (to the server when ``upstream``); False when the client stopped early."""
        received = 0
        started = time.monotonic()

        def forward(data: bytes) -> None:
            nonlocal received
            if upstream is not None:
                upstream.send(data)
            received += len(data)
            self._progress(request, received=received)
            if rate and not (released is not None and released.is_set()):
                ahead = received / rate - (time.monotonic() - started)
                if ahead > 0:
                    if released is not None:
                        released.wait(ahead)
                    else:
                        time.sleep(ahead)

        try:
            if chunked:
                for piece in client.chunked_pieces():
                    if limit is not None and received + len(piece) >= limit:
                        forward(piece[: max(0, limit - received)])
                        return True
                    forward(piece)
                return True
            remaining = length or 0
            while remaining:
                want = min(PIECE, remaining, rate or PIECE)
                if limit is not None:
                    want = min(want, limit - received)
                    if want <= 0:
                        return True
                data = client.read(want)
                if not data:
                    return False
                forward(data)
                remaining -= len(data)
            return True
        except OSError:
            return False

    def _read_response(self, upstream: _Stream, method: str) -> tuple[int, bytes]:
        head = upstream.read_until(b"\r\n\r\n", MAX_HEAD)
        if not head:
            raise OSError("the server closed the connection without an answer")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        lowered = {n.strip().lower(): v.strip() for n, _, v in (line.partition(":") for line in lines[1:] if line)}
        if method == "HEAD" or status in (204, 304) or status < 200:
            return status, head
        if "chunked" in lowered.get("transfer-encoding", "").lower():
            return status, head + upstream.raw_chunked()
        if "content-length" in lowered:
            return status, head + upstream.read_exactly(int(lowered["content-length"]))
        return status, head + upstream.read_all()

    def _wait_for_close(self, client: _Stream) -> None:
        """No answer: wait until the client gives up (EOF or reset), or the proxy stops, or HANG_LIMIT passes."""
        deadline = time.monotonic() + HANG_LIMIT
        while not self._stop.is_set() and time.monotonic() < deadline:
            if client.closed_by_peer(0.1):
                return


def _response(fault: Fault) -> bytes:
    reason = {403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
    lines = [f"HTTP/1.1 {fault.status} {reason.get(fault.status, 'Error')}"]
    lines += [f"{name}: {value}" for name, value in fault.headers]
    lines += [f"Content-Length: {len(fault.body)}", "", ""]
    return "\r\n".join(lines).encode("latin-1") + fault.body


class _Stream:
    """A socket with a read buffer: heads, exact lengths, chunked bodies, resets."""

    def __init__(
        self, sock: socket.socket, *, tracked: set[socket.socket] | None = None, lock: threading.Condition | None = None
    ) -> None:
        self.sock = sock
        self._buffer = bytearray()
        self._tracked = tracked
        self._lock = lock

    def _fill(self) -> bool:
        data = self.sock.recv(PIECE)
        if not data:
            return False
        self._buffer += data
        return True

    def read_until(self, marker: bytes, limit: int) -> bytes:
        while marker not in self._buffer:
            if len(self._buffer) > limit:
                raise ValueError("head too large")
            if not self._fill():
                if self._buffer:
                    raise OSError("connection closed mid-head")
                return b""
        end = self._buffer.index(marker) + len(marker)
        head = bytes(self._buffer[:end])
        del self._buffer[:end]
        return head

    def read(self, size: int) -> bytes:
        if not self._buffer and not self._fill():
            return b""
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read_exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise OSError("connection closed mid-body")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read_all(self) -> bytes:
        while self._fill():
            pass
        data = bytes(self._buffer)
        self._buffer.clear()
        return data

    def chunked_pieces(self) -> Iterator[bytes]:
        """The raw bytes of a chunked body (sizes, data, trailers), piece by piece, up to its end."""
        while True:
            size_line = self.read_until(b"\r\n", MAX_HEAD)
            if not size_line:
                raise OSError("connection closed mid-body")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                trailers = size_line
                while (line := self.read_until(b"\r\n", MAX_HEAD)) not in (b"\r\n", b""):
                    trailers += line
                yield trailers + b"\r\n"
                return
            yield size_line + self.read_exactly(size + 2)

    def raw_chunked(self) -> bytes:
        return b"".join(self.chunked_pieces())

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def closed_by_peer(self, timeout: float) -> bool:
        try:
            readable, _, _ = select.select([self.sock], [], [], timeout)
            if not readable:
                return False
            return not self.sock.recv(PIECE)
        except (OSError, ValueError):
            return True

    def reset(self) -> None:
        """Close with RST (SO_LINGER 0): the peer sees the connection reset, unsent bytes are dropped."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        if self._tracked is not None and self._lock is not None:
            with self._lock:
                self._tracked.discard(self.sock)
        with contextlib.suppress(OSError):
            self.sock.close()
