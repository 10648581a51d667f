"""The local stack's own HTTP edge, started as a user starts it (`python -m courier.local`): what the server answers
itself is in the contract's error shape, and a burst of clients is served."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from urllib.parse import urlsplit

import pytest

from tests.conftest import free_port
from tests.e2e.stack_process import Running, stack_process

KEY = "rc_e2e_edge_" + "e" * 32
AUTH = {"Authorization": f"Bearer {KEY}"}
MiB = 1024 * 1024


def start(env: dict[str, str] | None = None) -> AbstractContextManager[Running]:
    port, aws_port = free_port(), free_port()
    return stack_process(
        "courier.local", ["--port", str(port), "--aws-port", str(aws_port), "--workspace", f"edge:{KEY}"], env
    )


@pytest.fixture(scope="module")
def stack() -> Iterator[Running]:
    with start() as running:
        yield running


def address(running: Running) -> tuple[str, int]:
    split = urlsplit(running.ready["api"])
    assert split.hostname and split.port
    return split.hostname, split.port


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "BREW"])
def test_a_method_no_route_serves_is_405_in_the_error_shape(stack: Running, method: str) -> None:
    # When a client sends a method the API has no route for
    connection = http.client.HTTPConnection(*address(stack), timeout=10)
    connection.request(method, "/v1/renders")
    answer = connection.getresponse()
    # Then the answer is the contract's error shape (not http.server's 501 HTML page), with the methods served
    assert answer.status == 405
    assert answer.getheader("Content-Type") == "application/json"
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= set(str(answer.getheader("Allow")).split(", "))
    error = {"code": "method_not_allowed", "message": "method not allowed", "details": []}
    assert json.loads(answer.read()) == {"error": error}


def test_a_body_over_10_mib_is_413_in_the_error_shape(stack: Running) -> None:
    # When a request declares a body over API Gateway's 10 MiB (refused before a byte of it is read)
    connection = http.client.HTTPConnection(*address(stack), timeout=10)
    connection.putrequest("POST", "/v1/renders")
    headers = AUTH | {"Content-Type": "application/json", "Content-Length": str(10 * MiB + 1)}
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    answer = connection.getresponse()
    # Then
    assert answer.status == 413
    assert answer.getheader("Content-Type") == "application/json"
    error = {"code": "payload_too_large", "message": "request body is over 10 MiB", "details": []}
    assert json.loads(answer.read()) == {"error": error}


def test_64_clients_connecting_at_once_all_get_an_answer(stack: Running) -> None:
    # Given 64 clients that connect at the same moment (socketserver's default backlog of 5 drops most of them)
    clients = 64
    together = threading.Barrier(clients)

    def ask(_: int) -> str:
        together.wait(timeout=10)
        try:
            with socket.create_connection(address(stack), timeout=5) as sock:
                sock.sendall(b"GET /v1/renders/r HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n")
                return sock.recv(64).split(b"\r\n")[0].decode()
        except OSError as error:
            return repr(error)

    # When each asks for a render without a key
    with ThreadPoolExecutor(clients) as pool:
        status_lines = list(pool.map(ask, range(clients)))
    # Then every one is answered, within its 5 s
    assert status_lines == ["HTTP/1.1 401 Unauthorized"] * clients
