"""The local stack's own HTTP edge and process, started as a user starts it (`python -m courier_tools.local`): what the
server answers itself is in the contract's error shape, a burst of clients is served, the log level comes from the
environment as in Lambda, and SIGTERM under load ends the stack in seconds."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import aws_client
from tests.e2e.stack_process import Running, stack_process

KEY = "rc_e2e_edge_" + "e" * 32
AUTH = {"Authorization": f"Bearer {KEY}"}
RENDER = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "main"}], "wait": 25}
MiB = 1024 * 1024


def start(*args: str, env: dict[str, str] | None = None) -> AbstractContextManager[Running]:
    return stack_process(
        "courier_tools.local",
        ["--port", "0", "--aws-port", "0", "--workspace", f"edge:{KEY}", *args],
        env,
    )


@pytest.fixture(scope="module")
def stack() -> Iterator[Running]:
    # The level as a deployed function gets it: from the environment only, no --log-level
    with start(env=dict(os.environ) | {"POWERTOOLS_LOG_LEVEL": "DEBUG"}) as running:
        yield running


def address(running: Running) -> tuple[str, int]:
    split = urlsplit(running.ready["api"])
    assert split.hostname and split.port
    return split.hostname, split.port


def connect_storage(running: Running) -> str:
    bucket = f"edge-{os.urandom(4).hex()}"
    aws_client(running.ready["aws"], "s3").create_bucket(Bucket=bucket)
    storage = {
        "provider": "s3",
        "bucket": bucket,
        "region": "us-east-1",
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEEDGE00001", "secretAccessKey": "edge-secret"},
    }
    answer = requests.put(f"{running.ready['api']}/v1/storage/main", json=storage, headers=AUTH, timeout=30)
    assert answer.status_code == 200, answer.text
    return bucket


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


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


def test_powertools_log_level_from_the_environment_applies_without_the_flag(stack: Running) -> None:
    # Given a connected storage
    connect_storage(stack)
    # When a render is delivered to it
    answer = requests.post(f"{stack.ready['api']}/v1/renders", json=RENDER, headers=AUTH, timeout=40)
    assert answer.status_code == 200 and answer.json()["status"] == "completed", answer.text
    # Then the deliver function's INFO record is printed: the stack runs at DEBUG, not at the flag's default WARNING
    assert eventually(lambda: any('"message":"Delivered"' in line for line in stack.lines), timeout=10)


def ends_within_seconds(running: Running) -> None:
    """SIGTERM: the stack must end cleanly within 5 s."""
    sent = time.monotonic()
    running.process.send_signal(signal.SIGTERM)
    try:
        code = running.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("still running 5 s after SIGTERM:\n" + "".join(running.lines[-20:]))
    assert code == 0, "".join(running.lines[-20:])
    assert time.monotonic() - sent < 5


def test_sigterm_while_renders_wait_for_their_deliveries_ends_the_stack_within_seconds() -> None:
    with start() as running:
        # Given more renders than the stack runs at once, each waiting for its delivery, and deliveries flowing
        bucket = connect_storage(running)
        s3 = aws_client(running.ready["aws"], "s3")
        with ThreadPoolExecutor(16) as clients:
            for _ in range(16):
                clients.submit(
                    requests.post, f"{running.ready['api']}/v1/renders", json=RENDER, headers=AUTH, timeout=60
                )
            assert eventually(lambda: s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) > 0), "nothing delivered"
            # When the stack gets SIGTERM, then it ends within seconds, not when the renders' waits run out
            ends_within_seconds(running)


def test_sigterm_while_a_delivery_gets_no_answer_ends_the_stack_within_seconds() -> None:
    # Given a server that takes connections and never answers
    with socket.create_server(("127.0.0.1", 0)) as silent, start("--allow-local-urls") as running:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/card.png"
        render = {"templateId": "social-card", "connections": [{"provider": "url", "presignedUrl": url}], "wait": 25}
        with ThreadPoolExecutor(1) as clients:
            clients.submit(requests.post, f"{running.ready['api']}/v1/renders", json=render, headers=AUTH, timeout=60)
            # And a render waiting for its delivery there, which waits for an answer (60 s before it gives up)
            silent.settimeout(30)
            delivery, _ = silent.accept()
            with delivery:
                # When the stack gets SIGTERM, then it ends within seconds, leaving both behind
                ends_within_seconds(running)
