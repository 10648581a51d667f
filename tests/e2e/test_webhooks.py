"""Webhooks end to end on the local stack (started with --allow-local-urls): the operator sets a workspace's
webhook with the admin CLI, a render to an S3 storage names a webhook on a local receiver, and exactly one signed
POST arrives when the delivery is final — verifiable with the secret the CLI showed, and only with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from courier.renders.status import event_id
from courier.webhooks.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, verify
from tests.conftest import ROOT, aws_client
from tests.e2e.stack_process import stack_process

KEYS = {"hooks": "rc_e2e_hooks_" + "h" * 32, "unsigned": "rc_e2e_unsigned_" + "u" * 32}
TOKEN = "CANARY-e2e-query-token"


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1 that records every POST and answers 204."""

    server: ThreadingHTTPServer
    posts: list[Post] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def received(self, path: str) -> list[Post]:
        with self.lock:
            return [p for p in self.posts if p.path.split("?", 1)[0] == path]


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with holder[0].lock:
                holder[0].posts.append(Post(self.path, dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder.append(Receiver(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


@dataclass
class Stack:
    api: str
    aws: str

    def call(self, method: str, path: str, body: Any = None, key: str = "hooks") -> tuple[int, Any]:
        answer = requests.request(
            method, self.api + path, json=body, headers={"Authorization": f"Bearer {KEYS[key]}"}, timeout=40
        )
        return answer.status_code, answer.json() if answer.content else None

    def admin(self, *argv: str) -> tuple[int, str, str]:
        """`python -m courier_tools.admin` as an operator runs it against this stack."""
        env = os.environ | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        env.pop("AWS_PROFILE", None)
        # The stack's inline-secrets key (output InlineSecretsKeyId), which seals a webhook URL's query
        [key] = aws_client(self.aws, "kms").list_keys()["Keys"]
        env["COURIER_INLINE_KEY_ID"] = key["KeyId"]
        command = [
            sys.executable,
            "-m",
            "courier_tools.admin",
            "--table",
            "render-courier-local",
            "--region",
            "us-east-1",
        ]
        done = subprocess.run(
            [*command, "--endpoint-url", self.aws, *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.returncode, done.stdout, done.stderr

    def workspace_id(self, name: str) -> str:
        code, out, err = self.admin("--json", "workspace", "list")
        assert code == 0, err
        return next(str(w["id"]) for w in json.loads(out) if w["name"] == name)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    args = ["--port", "0", "--aws-port", "0", "--allow-local-urls"]
    for name, key in KEYS.items():
        args += ["--workspace", f"{name}:{key}"]
    with stack_process("courier_tools.local", args) as running:
        yield Stack(running.ready["api"], running.ready["aws"])


@pytest.fixture(scope="module")
def secret(stack: Stack, receiver: Receiver) -> str:
    """The operator sets the workspace's default webhook; the CLI shows the new secret once."""
    workspace = stack.workspace_id("hooks")
    default = receiver.url(f"/default?token={TOKEN}")
    code, out, err = stack.admin(
        "--json", "webhook", "set", "--workspace", workspace, "--url", default, "--allow-local-urls"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["url"] == receiver.url("/default") and TOKEN not in out
    return str(shown["webhookSecret"])


def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def storage(stack: Stack, name: str, bucket: str) -> None:
    body = {
        "provider": "s3",
        "bucket": bucket,
        "region": "us-east-1",
        "autoCopy": False,
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEHOOKS0001", "secretAccessKey": "hooks-secret"},
    }
    status, answer = stack.call("PUT", f"/v1/storage/{name}", body)
    assert status == 200, answer


def new_bucket(stack: Stack) -> str:
    name = f"hooks-{os.urandom(4).hex()}"
    aws_client(stack.aws, "s3").create_bucket(Bucket=name)
    return name


def test_a_delivered_render_posts_one_event_signed_with_the_workspace_secret(
    stack: Stack, receiver: Receiver, secret: str
) -> None:
    # Given an S3 storage, and a render to it naming its own webhook (with a token in the query)
    bucket = new_bucket(stack)
    storage(stack, "main", bucket)
    body = {
        "templateId": "social-card",
        "connections": [{"provider": "s3", "storage": "main"}],
        "webhook": receiver.url(f"/hooks/courier?token={TOKEN}"),
    }
    status, answer = stack.call("POST", "/v1/renders", body)
    assert status == 200, answer
    assert answer["webhook"]["status"] == "pending" and TOKEN not in json.dumps(answer)

    # When the delivery is final, one POST arrives (and no other, even after the event notifier's next rounds)
    assert eventually(lambda: receiver.received("/hooks/courier")), "no webhook within 20 s"
    time.sleep(2.5)
    [post] = receiver.received("/hooks/courier")
    assert post.path == f"/hooks/courier?token={TOKEN}"

    # Then its signature verifies with the secret the admin CLI showed, and with no other secret
    header = post.headers[SIGNATURE_HEADER]
    assert verify(secret, header, post.body)
    assert not verify(secret[:-1] + ("A" if secret[-1] != "A" else "B"), header, post.body)
    assert not verify("whsec_" + "x" * 43, header, post.body)
    assert not verify(secret, header, post.body + b" ")
    # And a replay of it later than the tolerance is refused
    stamp = int(dict(part.split("=", 1) for part in header.split(","))["t"])
    assert verify(secret, header, post.body, tolerance=300, now=stamp + 299)
    assert not verify(secret, header, post.body, tolerance=300, now=stamp + 301)

    # And the event is the render's: delivered, with the status document, under the render's event id
    event = json.loads(post.body)
    assert event["id"] == event_id(answer["id"]) == post.headers[EVENT_ID_HEADER]
    assert event["type"] == "render.delivered"
    assert event["render"]["id"] == answer["id"] and event["render"]["status"] == "completed"
    [connection] = event["render"]["connections"]
    assert connection["status"] == "success"
    assert aws_client(stack.aws, "s3").head_object(Bucket=bucket, Key=connection["path"])["ContentLength"] > 0

    # And the status document says it was sent, naming the URL without its query
    _, read = stack.call("GET", f"/v1/renders/{answer['id']}")
    webhook = read["webhook"]
    assert webhook["url"] == receiver.url("/hooks/courier")
    assert (webhook["status"], webhook["attempts"], webhook["lastError"]) == ("sent", 1, None)
    assert webhook["sentAt"] and TOKEN not in json.dumps(read)


def test_a_failed_delivery_posts_render_failed_to_the_workspace_default(
    stack: Stack, receiver: Receiver, secret: str
) -> None:
    # Given a storage whose bucket was deleted after it was saved
    bucket = new_bucket(stack)
    storage(stack, "gone", bucket)
    aws_client(stack.aws, "s3").delete_bucket(Bucket=bucket)
    before = len(receiver.received("/default"))
    # When a render naming no webhook goes to it
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "gone"}]}
    status, answer = stack.call("POST", "/v1/renders", body)
    assert status == 200 and answer["webhook"]["url"] == receiver.url("/default")

    # Then the workspace's default webhook gets one render.failed event, signed
    def mine() -> list[Post]:
        return [p for p in receiver.received("/default") if json.loads(p.body)["render"]["id"] == answer["id"]]

    assert eventually(mine), "no webhook within 20 s"
    [post] = mine()
    assert len(receiver.received("/default")) == before + 1
    assert verify(secret, post.headers[SIGNATURE_HEADER], post.body)
    event = json.loads(post.body)
    assert event["type"] == "render.failed"
    assert event["render"]["connections"][0]["error"].startswith("NoSuchBucket")


def test_a_render_with_no_destinations_posts_at_once(stack: Stack, receiver: Receiver, secret: str) -> None:
    status, answer = stack.call(
        "POST",
        "/v1/renders",
        {"templateId": "social-card", "connections": [], "webhook": receiver.url("/empty")},
    )
    assert status == 200 and answer["connections"] == []
    assert eventually(lambda: receiver.received("/empty")), "no webhook within 20 s"
    [post] = receiver.received("/empty")
    event = json.loads(post.body)
    assert event["type"] == "render.delivered" and event["render"]["connections"] == []
    assert verify(secret, post.headers[SIGNATURE_HEADER], post.body)


def test_a_clip_posts_once_it_is_rendered_and_delivered(stack: Stack, receiver: Receiver, secret: str) -> None:
    # A clip answers `rendering` at once; its one event comes when the video function has drawn and delivered it
    bucket = new_bucket(stack)
    storage(stack, "clips", bucket)
    trimmed = {"trimEnd": 0.5, "fps": 10}
    status, answer = stack.call(
        "POST",
        "/v1/renders",
        {
            "templateId": "promo-video",
            "response": {"format": "mp4"},
            "videoOptions": trimmed,
            "connections": [{"provider": "s3", "storage": "clips"}],
            "webhook": receiver.url("/clip"),
        },
    )
    assert status == 200 and answer["status"] == "rendering"
    assert eventually(lambda: receiver.received("/clip"), timeout=60), "no webhook within 60 s"
    [post] = receiver.received("/clip")
    event = json.loads(post.body)
    assert event["type"] == "render.delivered" and event["render"]["status"] == "completed"
    assert event["render"]["data"]["format"] == "mp4" and event["render"]["connections"][0]["status"] == "success"
    assert verify(secret, post.headers[SIGNATURE_HEADER], post.body)


def test_a_workspace_without_a_secret_cannot_name_a_webhook(stack: Stack, receiver: Receiver) -> None:
    body = {"templateId": "social-card", "connections": [], "webhook": receiver.url(f"/nope?token={TOKEN}")}
    status, answer = stack.call("POST", "/v1/renders", body, key="unsigned")
    assert status == 422 and answer["error"]["details"][0]["field"] == "webhook"
    assert "python -m courier_tools.admin webhook set" in answer["error"]["message"]
    assert TOKEN not in json.dumps(answer)
    assert receiver.received("/nope") == []
