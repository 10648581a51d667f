"""Fault injection end to end: the local stack (tests/fakes/fault_stack.py) delivers through a fault-injecting proxy
in front of every kind of destination — an S3 endpoint (moto), an R2-style endpoint (SeaweedFS, signatures
checked), the Dropbox API hosts (the fake, over TLS, driven by the real SDK) and a presigned URL's server (the strict
SigV4 fake) — and each render's outcome is checked by tests/fakes/delivery_checker.py: final through the API, the
object exactly once with the staged checksum on success, a reason (and a dead letter after exhausted retries) on
error, no partial object, no stray key, no dangling multipart upload.

The schedule (per request, deterministic; see SCENARIOS):
  every kind:  5xx twice → success (3 tries) | 429 + Retry-After 1 → success, the wait honoured | a hang past the
               client's timeout → success | a reset mid-body → success, no partial object | the answer lost after
               the write → success, one object | 403 → error at once, no retry | 503 forever → error after 3
               invocations × 3 tries, and its dead letter
  Dropbox:     429 too_many_write_operations with a Retry-After longer than is waited in place → the next
               invocation; on its API host, a 503 then a hang on the token refresh → success (3 tries)
  presigned:   hangs forever → error after every retry, within the time budget
  ifExists:    skip/fail and the answer of the write lost → the retry must recognise its own write: success (S3, R2,
               via the write token it marks its objects with; Dropbox keeps no such mark: xfail, OWN_WRITE_DROPBOX)
  12 MiB files (multipart / upload sessions / streamed PUT): a reset mid-part, 503 and a lost answer on
               CompleteMultipartUpload, a reset mid-session, a reset mid-PUT → success, nothing dangling;
               7 MiB files (one R2 PUT streamed from staging): a reset mid-body, a lost answer, a 503 → the same
  events:      the same S3 event again after success, and three copies at once during a delivery → one write each
  crashes:     the deliver process SIGKILLed mid multipart upload → the reconciler finishes it; SIGKILLed mid
               presigned PUT → Lambda's retry takes over once the lease expires
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote_plus, unquote, urlsplit

import boto3
import pytest
import requests
import trustme
from botocore.config import Config

from tests.conftest import ROOT, aws_client, load_event
from tests.e2e.stack_process import stack_process
from tests.fakes.delivery_checker import (
    AzureView,
    DropboxView,
    Expect,
    GcsView,
    PresignedView,
    S3View,
    View,
    check_destination,
    check_render,
    dead_letter_keys,
    final_render,
)
from tests.fakes.dropbox_api import FakeDropbox
from tests.fakes.fault_proxy import (
    Fault,
    FaultProxy,
    Request,
    answer,
    dropbox_rate_limit,
    dropbox_route_error,
    hang,
    lose,
    reset,
    s3_error,
    slow,
)
from tests.fakes.strict_presigned import StrictPresignedServer

MiB = 1024 * 1024
KEYS = {"faults": "rc_e2e_faults_" + "c" * 32, "held": "rc_e2e_held_" + "d" * 32}
STAGING = "render-courier-staging-local"
TABLE = "render-courier-local"
URL_KEY, URL_SECRET = "AKIDFAULTSUITE000001", "fault-suite-url-secret"
R2_ACCOUNT = "fedcba9876543210fedcba9876543210"
KINDS = ("s3", "r2", "dropbox", "url", "azure")
# GCS joins the fault matrix; the duplicated-event tests (which exercise the claims, not the adapters) keep to KINDS:
# a resumable session's chunks do not name their object, so the proxy cannot tell which scenario they belong to.
MATRIX_KINDS = (*KINDS, "gcs")
READ_TIMEOUT = 1.5  # the stack's adapters give up on a silent server after this long
LARGE = 12 * MiB + 12345  # more than two S3 parts of 5 MiB, one Dropbox chunk of 8 MiB and a bit
MEDIUM = 7 * MiB + 321  # over one part, under the fault stack's 8 MiB multipart threshold: one streamed R2 PUT

OWN_WRITE_DROPBOX = (
    "LIMITATION: Dropbox keeps no metadata to tell this delivery's earlier write from another's, so with ifExists "
    "fail a retry after a lost answer reports the conflict (the file is there, byte-identical)"
)


# ---------------------------------------------------------------- servers, proxies and the stack


@dataclass
class Stack:
    api: str
    aws: str
    dlq: str
    workspaces: dict[str, str]  # name -> id
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, body: Any = None, key: str = "faults") -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {KEYS[key]}"}
        answer_ = requests.request(method, self.api + path, json=body, headers=headers, timeout=60)
        return answer_.status_code, answer_.json() if answer_.content else None

    def get(self, render_id: str, key: str = "faults") -> dict[str, Any]:
        status, render = self.call("GET", f"/v1/renders/{render_id}", key=key)
        assert status == 200, render
        return dict(render)

    def client(self, service: str) -> Any:
        return aws_client(self.aws, service)

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))


@dataclass
class Proxies:
    """One fault proxy per kind of destination (the S3 one in front of the stack's own AWS emulation)."""

    s3: FaultProxy
    r2: FaultProxy
    dropbox: FaultProxy
    url: FaultProxy
    azure: FaultProxy
    gcs: FaultProxy
    dropbox_ca: str  # the CA file the stack trusts for the Dropbox proxy's TLS
    azure_server: Any  # tests.fakes.azurite.Azurite behind the azure proxy
    gcs_server: Any  # tests.fakes.gcs_emulator.GcsEmulator behind the gcs proxy
    gcs_tokens: Any  # its token endpoint (not proxied)

    def __getitem__(self, kind: str) -> FaultProxy:
        proxy = getattr(self, kind)
        assert isinstance(proxy, FaultProxy)
        return proxy

    def all(self) -> list[FaultProxy]:
        return [self.s3, self.r2, self.dropbox, self.url, self.azure, self.gcs]


@pytest.fixture(scope="module")
def dropbox() -> Iterator[FakeDropbox]:
    with FakeDropbox() as fake:
        yield fake


@pytest.fixture(scope="module")
def presigned_server() -> Iterator[StrictPresignedServer]:
    with StrictPresignedServer({URL_KEY: URL_SECRET}) as server:
        yield server


@pytest.fixture(scope="module")
def proxies(
    seaweed: Any,
    dropbox: FakeDropbox,
    presigned_server: StrictPresignedServer,
    azure_server: Any,
    gcs_server: Any,
    gcs_tokens: Any,
) -> Iterator[Proxies]:
    import ssl

    # The Dropbox proxy terminates TLS with its own CA (the stack trusts it) and talks TLS to the fake.
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_tls)
    upstream_tls = ssl.create_default_context(cafile=dropbox.ca_file)
    handle, ca_file = tempfile.mkstemp(prefix="fault-proxy-ca-", suffix=".pem")
    os.close(handle)
    ca.cert_pem.write_to_path(ca_file)
    built = Proxies(
        s3=FaultProxy("127.0.0.1", 0),  # to the stack's moto server, once it has started (fixture `stack`)
        r2=FaultProxy("127.0.0.1", int(seaweed.ports["s3"])),
        dropbox=FaultProxy("127.0.0.1", dropbox.port, tls=server_tls, upstream_tls=upstream_tls, rewrite_host=True),
        url=FaultProxy("127.0.0.1", int(presigned_server.endpoint.rsplit(":", 1)[1])),
        azure=FaultProxy("127.0.0.1", azure_server.port),
        gcs=FaultProxy("127.0.0.1", int(gcs_server.endpoint.rsplit(":", 1)[1])),
        dropbox_ca=ca_file,
        azure_server=azure_server,
        gcs_server=gcs_server,
        gcs_tokens=gcs_tokens,
    )
    for proxy in built.all():
        proxy.start()
    yield built
    for proxy in built.all():
        proxy.stop()
    os.unlink(ca_file)


@pytest.fixture(scope="module")
def stack(proxies: Proxies) -> Iterator[Stack]:
    box = proxies.dropbox
    env = os.environ | {
        "DROPBOX_API_HOST": f"127.0.0.1:{box.port}",
        "DROPBOX_API_CONTENT_HOST": f"localhost:{box.port}",
        "DROPBOX_API_NOTIFY_HOST": f"127.0.0.1:{box.port}",
        "COURIER_DROPBOX_CA_BUNDLE": proxies.dropbox_ca,
    }
    args = ["--port", "0", "--aws-port", "0", "--read-timeout", str(READ_TIMEOUT), "--hold", "held"]
    for name, key in KEYS.items():
        args += ["--workspace", f"{name}:{key}"]
    with stack_process("tests.fakes.fault_stack", args, env) as running:
        # Before READY the stack names the workspaces it seeded: "WORKSPACE <name> <id>"
        workspaces = {
            words[1]: words[2] for words in (line.split() for line in running.lines) if words[:1] == ["WORKSPACE"]
        }
        ready = running.ready
        proxies.s3.upstream = ("127.0.0.1", int(urlsplit(ready["aws"]).port or 0))
        yield Stack(ready["api"], ready["aws"], ready["dlq"], workspaces, running.process, running.lines)


# ---------------------------------------------------------------- destinations, one set per test


@dataclass
class Destinations:
    """One bucket / folder / URL prefix per kind for a test; views read them directly, never through a proxy."""

    tag: str
    stack: Stack
    proxies: Proxies
    views: dict[str, View]
    seaweed: Any
    workspace: str = "faults"
    gcs_buckets: tuple[str, ...] = ()  # the matrix's: one per GCS scenario

    def connection(self, kind: str, scenario: str, **options: str) -> dict[str, Any]:
        if kind == "url":
            url = presign(self.proxies.url.endpoint, f"{self.tag}-url/{scenario}/card.png")
            return {"provider": "url", "presignedUrl": url, "headers": {"Content-Type": "image/png"}} | options
        if kind == "gcs" and scenario in self.gcs_buckets:
            # A GCS upload names its object in its body: each matrix scenario has a bucket (and a storage) of its own
            return {"provider": kind, "storage": f"gcs-{scenario}", "folder": scenario} | options
        folder = f"/{self.tag}/{scenario}" if kind == "dropbox" else scenario
        return {"provider": kind, "storage": f"{kind}-{self.tag}", "folder": folder} | options

    def match(self, kind: str, scenario: str) -> dict[str, Any]:
        """Proxy rule arguments matching this scenario's write requests (not probes, not other scenarios)."""
        if kind == "dropbox":
            return {"path": r"^/2/files/upload", "header": ("Dropbox-API-Arg", f"/{scenario}/")}
        if kind == "gcs":
            return {"method": "POST", "path": f"^/upload/storage/v1/b/{scenario}/o"}
        return {"method": "PUT", "path": f"/{scenario}/"}


def presign(endpoint: str, key: str) -> str:
    bucket, _, name = key.partition("/")
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=URL_KEY,
        aws_secret_access_key=URL_SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    return str(
        client.generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": name, "ContentType": "image/png"}, ExpiresIn=3600
        )
    )


def destinations(
    tag: str,
    stack: Stack,
    proxies: Proxies,
    seaweed: Any,
    dropbox: FakeDropbox,
    presigned_server: StrictPresignedServer,
    workspace: str = "faults",
) -> Destinations:
    s3, r2, azurite = stack.client("s3"), seaweed.client(), proxies.azure_server
    s3.create_bucket(Bucket=f"{tag}-s3")
    container = azurite.create_container(f"{tag}-azure")
    r2.create_bucket(Bucket=f"{tag}-r2")
    s3_keys = {"type": "keys", "accessKeyId": "AKIAFAULTSUITES30001", "secretAccessKey": "fault-suite-s3"}
    r2_keys = {"type": "keys", "accessKeyId": seaweed.access_key, "secretAccessKey": seaweed.secret_key}
    storages = {
        f"s3-{tag}": {
            "provider": "s3",
            "bucket": f"{tag}-s3",
            "region": "us-east-1",
            "endpoint": proxies.s3.endpoint,
            "auth": s3_keys,
            "autoCopy": False,
        },
        f"r2-{tag}": {
            "provider": "r2",
            "bucket": f"{tag}-r2",
            "accountId": R2_ACCOUNT,
            "endpoint": proxies.r2.endpoint,
            "auth": r2_keys,
            "autoCopy": False,
        },
        f"dropbox-{tag}": {
            "provider": "dropbox",
            "folder": f"/{tag}",
            "refreshToken": dropbox.refresh_token,
            "appKey": dropbox.app_key,
            "appSecret": dropbox.app_secret,
            "autoCopy": False,
        },
        f"azure-{tag}": {
            "provider": "azure",
            "container": f"{tag}-azure",
            "endpoint": f"{proxies.azure.endpoint}/{azurite.account_name}",
            "auth": {"type": "key", "accountName": azurite.account_name, "accountKey": azurite.account_key},
            "autoCopy": False,
        },
    }
    gcs_buckets = tuple(s.name for s in SCENARIOS if s.kind == "gcs") if tag == "matrix" else ()
    for bucket in (f"{tag}-gcs", *gcs_buckets):
        proxies.gcs_server.create_bucket(bucket)
        storages[f"gcs-{tag}" if bucket == f"{tag}-gcs" else f"gcs-{bucket}"] = {
            "provider": "gcs",
            "bucket": bucket,
            "endpoint": proxies.gcs.endpoint,
            "auth": {"type": "serviceAccount", "credentials": proxies.gcs_tokens.new_key()},
            "autoCopy": False,
        }
    for name, storage in storages.items():
        status, saved = stack.call("PUT", f"/v1/storage/{name}", storage, key=workspace)
        assert status == 200, saved
    # A GCS storage's probe wrote to the scenario's own bucket: not one of the scenario's writes
    proxies.gcs.forget(lambda r: any(f"/b/{bucket}/" in r.target for bucket in gcs_buckets))
    views: dict[str, View] = {
        "s3": S3View(f"s3 {tag}-s3", s3, f"{tag}-s3"),
        "r2": S3View(f"r2 {tag}-r2", r2, f"{tag}-r2"),
        "dropbox": DropboxView(f"dropbox /{tag}", dropbox, f"/{tag}"),
        "url": PresignedView(f"url /{tag}-url/", presigned_server, f"/{tag}-url/"),
        "azure": AzureView(f"azure {tag}-azure", container),
        "gcs": GcsView(f"gcs {tag}-gcs", proxies.gcs_server, [f"{tag}-gcs", *gcs_buckets]),
    }
    return Destinations(tag, stack, proxies, views, seaweed, workspace, gcs_buckets)


def render(stack: Stack, connections: list[dict[str, Any]], key: str = "faults") -> str:
    body = {"templateId": "social-card", "response": {"fileName": "card"}, "connections": connections}
    status, accepted = stack.call("POST", "/v1/renders", body, key=key)
    assert status == 200, accepted
    assert [c["status"] for c in accepted["connections"]] == ["pending"] * len(connections), accepted
    return str(accepted["id"])


def staged_files(stack: Stack, workspace: str, render_id: str) -> dict[str, bytes]:
    s3 = stack.client("s3")
    listed = s3.list_objects_v2(Bucket=STAGING, Prefix=f"staging/{workspace}/{render_id}/").get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=STAGING, Key=o["Key"])["Body"].read() for o in listed}


def check(
    dest: Destinations, render_id: str, kinds: list[str], expects: list[Expect], timeout: float = 60
) -> dict[str, Any]:
    """The checker on one render: final state, objects, reasons, dead letters."""
    stack = dest.stack
    try:
        final = final_render(lambda rid: stack.get(rid, key=dest.workspace), render_id, timeout)
        staged = staged_files(stack, stack.workspaces[dest.workspace], render_id)
        letters = dead_letter_keys(stack.client("sqs"), stack.dlq)
        checked = check_render(final, expects, [dest.views[k] for k in kinds], staged, letters)
    except AssertionError as exc:
        log = "".join(line[:400] for line in stack.lines if render_id in line or "attempt" in line)
        raise AssertionError(f"{exc}\n--- the stack's log about it ---\n{log}") from None
    return {"render": final, "keys": checked.keys, "staged": staged}


def one_write(committed: list[Request]) -> bool:
    """One delivery wrote once: one commit — or, on a loaded machine, its SDK's own retry of a commit the server
    answered after the client had given up on it (READ_TIMEOUT; the same bytes again). A second claim's write (what
    the fault suite is after) would also show in the delivery's attempts, which ``check`` asserts."""
    slow = [r for r in committed[:-1] if r.answered_at is not None and r.answered_at - r.at >= READ_TIMEOUT * 0.9]
    return len(committed) >= 1 and len(slow) == len(committed) - 1


def commits(proxy: FaultProxy, scenario: str) -> list[Request]:
    """A scenario's requests that made an object visible, answered 2xx by the server: S3 PutObject and
    CompleteMultipartUpload, Dropbox files/upload and upload_session/finish, a presigned PUT."""

    def commit(r: Request) -> bool:
        if f"/{scenario}/" not in unquote(r.target) + r.headers.get("dropbox-api-arg", ""):
            return False
        if r.status is None or not 200 <= r.status < 300:
            return False
        if r.path.startswith("/2/"):
            return r.path in ("/2/files/upload", "/2/files/upload_session/finish")
        if r.method == "PUT":  # not an S3 UploadPart, nor an Azure Put Block (its Put Block List commits)
            return "uploadId=" not in r.query and ("comp=block" not in r.query or "comp=blocklist" in r.query)
        # S3's CompleteMultipartUpload; GCS's one-request (multipart) upload
        return r.method == "POST" and ("uploadId=" in r.query or "uploadType=multipart" in r.query)

    return proxy.requests(commit)


# ---------------------------------------------------------------- the fault matrix on rendered files


def refusal(kind: str, status: int, retry_after: int | None = None) -> Fault:
    """A refusal as that kind of server words it."""
    if kind == "dropbox":
        if status == 429:
            return dropbox_rate_limit(retry_after or 1)
        if status == 403:
            return dropbox_route_error(403, "no_permission")
        return answer(status, b"Service Unavailable", content_type="text/plain")
    if kind == "gcs":
        reason = {403: "forbidden", 429: "rateLimitExceeded", 500: "backendError", 503: "backendError"}[status]
        error = {"code": status, "message": f"fault suite {status}", "errors": [{"reason": reason, "message": "x"}]}
        body = json.dumps({"error": error}).encode()
        return answer(status, body, retry_after=retry_after, content_type="application/json")
    if kind == "azure":
        code = {403: "AuthorizationPermissionMismatch", 429: "ServerBusy", 500: "InternalError", 503: "ServerBusy"}
        return azure_error(status, code[status], f"fault suite {status}", retry_after=retry_after)
    code = {403: "AccessDenied", 429: "TooManyRequests", 500: "InternalError", 503: "SlowDown"}[status]
    return s3_error(status, code, f"fault suite {status}", retry_after=retry_after)


def azure_error(status: int, code: str, message: str, *, retry_after: int | None = None) -> Fault:
    """An error as Azure Storage answers it: the code in x-ms-error-code and in the XML body."""
    error = s3_error(status, code, message, retry_after=retry_after)
    return replace(error, headers=(*error.headers, ("x-ms-error-code", code)))


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str
    faults: Callable[[str], list[Fault]]
    expect: Expect
    forever: bool = False
    commits: int = 1  # writes the server answered 2xx (a lost answer and its retry: 2)
    options: tuple[tuple[str, str], ...] = ()  # connection options, e.g. (("ifExists", "fail"),)
    xfail: str | None = None  # a known bug or limitation this scenario shows


def _matrix() -> list[Scenario]:
    scenarios: list[Scenario] = []
    for kind in MATRIX_KINDS:
        # Dropbox waits out a short Retry-After in place (the request's bytes are in memory): not a new try.
        rate_limited_tries = 1 if kind == "dropbox" else 2
        scenarios += [
            Scenario(f"{kind}-5xx-twice", kind, lambda k: [refusal(k, 503), refusal(k, 500)], Expect("success", 3)),
            Scenario(f"{kind}-429", kind, lambda k: [refusal(k, 429, 1)], Expect("success", rate_limited_tries)),
            Scenario(f"{kind}-hang", kind, lambda k: [hang()], Expect("success", 2)),
            Scenario(f"{kind}-reset", kind, lambda k: [reset(after=2000)], Expect("success", 2)),
            Scenario(f"{kind}-lost-answer", kind, lambda k: [lose()], Expect("success", 2), commits=2),
            Scenario(
                f"{kind}-403", kind, lambda k: [refusal(k, 403)], Expect("error", 1, dead_letter=True), forever=True
            ),
            Scenario(f"{kind}-503-always", kind, lambda k: [refusal(k, 503)], Expect("error", 9), forever=True),
        ]
    scenarios += [
        # A Retry-After longer than the adapter waits in place and than the invocation waits: Lambda's retry.
        Scenario(
            "dropbox-429-long",
            "dropbox",
            lambda k: [dropbox_rate_limit(8, "too_many_write_operations")],
            Expect("success", 1 + 1),
        ),
        Scenario("url-hang-always", "url", lambda k: [hang()], Expect("error", 9, reason="did not answer"), True),
    ]
    # ifExists skip/fail after a lost answer: the retry finds the name taken by its own earlier write; it must
    # report success (the file is there, written by this delivery), not "already exists" or an error.
    for kind, mode in (("s3", "fail"), ("r2", "skip"), ("dropbox", "fail"), ("azure", "fail"), ("gcs", "fail")):
        why = OWN_WRITE_DROPBOX if kind == "dropbox" else None
        options = (("ifExists", mode),)
        scenarios.append(
            Scenario(f"{kind}-lost-{mode}", kind, lambda k: [lose()], Expect("success", 2), options=options, xfail=why)
        )
    return scenarios


SCENARIOS = _matrix()
EXHAUSTED = [s.name for s in SCENARIOS if s.expect.status == "error" and s.expect.attempts == 9]


@pytest.fixture(scope="module")
def matrix(
    stack: Stack,
    proxies: Proxies,
    seaweed: Any,
    dropbox: FakeDropbox,
    presigned_server: StrictPresignedServer,
) -> dict[str, Any]:
    """Every scenario's render, accepted at once (each with its own folder and proxy rule), then each final."""
    dest = destinations("matrix", stack, proxies, seaweed, dropbox, presigned_server)
    renders: dict[str, str] = {}
    for scenario in SCENARIOS:
        proxy = proxies[scenario.kind]
        proxy.schedule(
            scenario.faults(scenario.kind), forever=scenario.forever, **dest.match(scenario.kind, scenario.name)
        )
    # The longest first (retries exhausted, hangs), two at a time: the slowest chain sets the wait.
    ordered = sorted(SCENARIOS, key=lambda s: -(s.expect.attempts or 0))
    with ThreadPoolExecutor(max_workers=2) as pool:
        accepted = pool.map(
            lambda s: (s.name, render(stack, [dest.connection(s.kind, s.name, **dict(s.options))])), ordered
        )
        renders.update(accepted)
    results: dict[str, dict[str, Any] | AssertionError] = {}
    for scenario in SCENARIOS:
        # Dead letters are checked in their own test; everything else here.
        expect = Expect(scenario.expect.status, scenario.expect.attempts, scenario.expect.reason, None)
        if scenario.expect.dead_letter is not None:
            expect = scenario.expect
        try:
            results[scenario.name] = check(dest, renders[scenario.name], [scenario.kind], [expect])
        except AssertionError as exc:
            results[scenario.name] = exc
    return {"dest": dest, "renders": renders, "results": results}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(s.name, marks=[pytest.mark.xfail(strict=True, reason=s.xfail)] if s.xfail else [])
        for s in SCENARIOS
    ],
)
def test_fault_matrix(matrix: dict[str, Any], proxies: Proxies, name: str) -> None:
    scenario = next(s for s in SCENARIOS if s.name == name)
    result = matrix["results"][name]
    # Then the render's outcome passes the checker (final, object once with the staged checksum / reason)
    if isinstance(result, AssertionError):
        raise result
    proxy = proxies[scenario.kind]
    seen = proxy.requests(lambda r: f"/{name}/" in unquote(r.target) + r.headers.get("dropbox-api-arg", ""))
    if scenario.expect.status == "success":
        # And the write reached the server as often as the schedule says, the answer lost counting once more
        assert len(commits(proxy, name)) == scenario.commits, [(r.fault, r.status) for r in seen]
    if name.endswith("-429") or name == "dropbox-429-long":
        # And the Retry-After was honoured before the next try (1 s; Lambda's retry for the long one)
        limited = next(r for r in seen if r.fault == "answer 429")
        after = next(r for r in seen if r.at > limited.at)
        assert after.at - limited.at >= 0.9, after.at - limited.at
    if name.endswith("-403"):
        assert len(seen) == 1, "a permanent refusal is not retried"
    if name == "url-hang-always":
        # And every try gave up after the client's timeout (1.5 s), none hung longer: 9 tries, 2 Lambda retries
        assert len(seen) == 9
        assert seen[-1].at - seen[0].at < 9 * READ_TIMEOUT + 3 + 3, seen[-1].at - seen[0].at


@pytest.mark.parametrize("name", EXHAUSTED)
def test_exhausted_retries_leave_a_dead_letter(matrix: dict[str, Any], stack: Stack, name: str) -> None:
    # Given a delivery that failed with a retryable error on every try of every invocation (checked above)
    result = matrix["results"][name]
    assert not isinstance(result, AssertionError), result
    # Then the DLQ holds its staged file's event, for `python -m courier_tools.ops redrive` (the render is final when
    # its last try is recorded; the failed invocation reaches the DLQ just after)
    sqs = stack.client("sqs")
    letters: list[str] = []

    def lettered() -> bool:
        letters[:] = dead_letter_keys(sqs, stack.dlq)
        return bool(set(result["staged"]) & set(letters))

    wait(lettered, 15, f"the dead letter of {name} ({sorted(result['staged'])} not in {sorted(letters)})")


def test_the_matrix_leaves_no_stray_partial_or_dangling_object(matrix: dict[str, Any]) -> None:
    # Given every scenario final (successes hold their object, errors hold nothing)
    dest: Destinations = matrix["dest"]
    expected: dict[str, set[str]] = {view.name: set() for view in dest.views.values()}
    known = {s.name for s in SCENARIOS if s.xfail}  # their own tests say what they leave

    def ignore(key: str) -> bool:
        return any(f"/{name}/" in f"/{key}" for name in known)

    for name, result in matrix["results"].items():
        if name in known:
            continue
        assert not isinstance(result, AssertionError), result
        for view, keys in result["keys"].items():
            expected[view] |= keys
    # Then each destination holds exactly the reported keys: no partial object under any name, no strays, and no
    # multipart upload left open
    for view in dest.views.values():
        check_destination(view, expected[view.name], ignore)


def test_dropbox_api_host_faults_on_the_token_refresh_are_retried(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("token", stack, proxies, seaweed, dropbox, presigned_server)
    # Given the API host (not the content host) failing the first two token refreshes: a 503, then no answer
    rule = proxies.dropbox.schedule(
        [answer(503, b"Service Unavailable", content_type="text/plain"), hang()], path="^/oauth2/token"
    )
    # When a render goes to Dropbox (each try builds its client, and refreshes the access token first)
    render_id = render(stack, [dest.connection("dropbox", "refresh")])
    # Then the third try delivers it, once
    result = check(dest, render_id, ["dropbox"], [Expect("success", 3, dead_letter=False)])
    assert rule.used == 2 and len(commits(proxies.dropbox, "refresh")) == 1
    check_destination(dest.views["dropbox"], result["keys"][dest.views["dropbox"].name])


# ---------------------------------------------------------------- duplicated S3 events


def s3_event(staged_key: str, size: int, *, release: bool = False) -> dict[str, Any]:
    event = copy.deepcopy(load_event("deliver.s3.encoded-key.json"))
    event["Records"][0]["s3"]["object"] |= {"key": quote_plus(staged_key, safe="/"), "size": size}
    if release:
        event["release"] = True
    return event


def send_events(stack: Stack, events: list[dict[str, Any]]) -> None:
    """Put events on the queue the stack reads staging notifications from: it takes them in one batch."""
    sqs = stack.client("sqs")
    queue = sqs.get_queue_url(QueueName="render-courier-staging-events")["QueueUrl"]
    entries = [{"Id": str(i), "MessageBody": json.dumps(e)} for i, e in enumerate(events)]
    sqs.send_message_batch(QueueUrl=queue, Entries=entries)


def drained(stack: Stack) -> bool:
    sqs = stack.client("sqs")
    queue = sqs.get_queue_url(QueueName="render-courier-staging-events")["QueueUrl"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return bool(
        attributes["ApproximateNumberOfMessages"] == "0" and attributes["ApproximateNumberOfMessagesNotVisible"] == "0"
    )


def wait(check_: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check_():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_the_same_event_again_after_delivery_writes_nothing(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("again", stack, proxies, seaweed, dropbox, presigned_server)
    expects = [Expect("success", 1, dead_letter=False)] * len(KINDS)
    # Given a render fanned out to every kind, delivered
    render_id = render(stack, [dest.connection(k, "after") for k in KINDS])
    check(dest, render_id, list(KINDS), expects)
    [(staged_key, body)] = staged_files(stack, stack.workspaces["faults"], render_id).items()
    # When the same S3 event arrives again, twice, one after the other
    for _ in range(2):
        send_events(stack, [s3_event(staged_key, len(body))])
        wait(lambda: drained(stack), 10, "the duplicate to be taken")
    time.sleep(0.5)  # the invocation after the queue: it finds every delivery final
    # Then nothing was written again, and everything still checks
    result = check(dest, render_id, list(KINDS), expects)
    for kind in KINDS:
        assert one_write(commits(proxies[kind], "after")), kind
    for view in (dest.views[k] for k in KINDS):
        check_destination(view, result["keys"][view.name])


def test_three_copies_of_an_event_during_its_delivery_write_once(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("during", stack, proxies, seaweed, dropbox, presigned_server, workspace="held")
    expects = [Expect("success", 1, dead_letter=False)] * len(KINDS)
    # Given a 12 MiB render fanned out to every kind, whose last destination (the presigned URL) takes its body
    # slowly: the worker has delivered the other three and holds the claim of the fourth
    done = threading.Event()
    proxies.url.schedule([slow(256 * 1024, until=done)], method="PUT", path="/inflight/")
    render_id = render(stack, [dest.connection(k, "inflight") for k in KINDS], key="held")
    staged_key, body = inflate(stack, stack.workspaces["held"], render_id, LARGE)
    event = s3_event(staged_key, len(body), release=True)
    send_events(stack, [event])
    assert proxies.url.wait_for(lambda seen: any("/inflight/" in r.target and r.received >= MiB for r in seen), 30)
    failed_before = stack.count("deliver attempt 1 failed")
    last_before = stack.count("deliver attempt 3 failed")
    # When three copies of its event arrive at once (the stack's pool runs them concurrently)
    send_events(stack, [event] * 3)
    # Then each finds the claim held and fails its invocation, for Lambda to retry ...
    wait(lambda: stack.count("deliver attempt 1 failed") >= failed_before + 3, 15, "three failed claims")
    done.set()
    # ... and their retries find every delivery final (or, on a loaded machine where the held write outlasts the
    # first retry's 1 s, the claim still held, and retry again): one write each, no copy's last attempt fails,
    # nothing dead-lettered
    check(dest, render_id, list(KINDS), expects)
    time.sleep(3.5)  # past the second retry (1 s, then 2 s)
    assert stack.count("deliver attempt 3 failed") == last_before
    result = check(dest, render_id, list(KINDS), expects)
    for kind in KINDS:
        assert one_write(commits(proxies[kind], "inflight")), kind
    for view in (dest.views[k] for k in KINDS):
        check_destination(view, result["keys"][view.name])


# ---------------------------------------------------------------- large files: multipart, sessions, streamed PUT


def inflate(stack: Stack, workspace: str, render_id: str, size: int) -> tuple[str, bytes]:
    """Make a held render's staged file large (the templates render small PNGs): new bytes at the same staged key
    and the render record's size and checksum to match. Its event is held; a test releases it."""
    [staged_key] = staged_files(stack, workspace, render_id)
    body = os.urandom(size)
    stack.client("s3").put_object(Bucket=STAGING, Key=staged_key, Body=body, ContentType="image/png")
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(TABLE)
    table.update_item(
        Key={"pk": f"RENDER#{render_id}", "sk": "RENDER"},
        UpdateExpression="SET files[0].#size = :size, files[0].checksum = :sum",
        ExpressionAttributeNames={"#size": "size"},
        ExpressionAttributeValues={":size": size, ":sum": f"sha256:{hashlib.sha256(body).hexdigest()}"},
    )
    return staged_key, body


def upload_part(number: int) -> Callable[[str], dict[str, Any]]:
    """Rule arguments for a scenario's UploadPart number ``number`` (PUT …?partNumber=N&uploadId=…, any order)."""
    return lambda n: {"method": "PUT", "path": f"/{n}/[^?]*\\?(.*&)?partNumber={number}(&|$)"}


def complete_upload(n: str) -> dict[str, Any]:
    """Rule arguments for a scenario's CompleteMultipartUpload (POST …?uploadId=…)."""
    return {"method": "POST", "path": f"/{n}/[^?]*\\?uploadId=[^&]*$"}


def whole_put(n: str) -> dict[str, Any]:
    """Rule arguments for a scenario's single S3 PutObject (PUT without a query)."""
    return {"method": "PUT", "path": f"/{n}/[^?]*$"}


LARGE_SCENARIOS: dict[str, tuple[str, Callable[[str], dict[str, Any]], list[Fault], int]] = {
    # name: (kind, rule arguments for this scenario, faults, file size)
    "s3-part-reset": ("s3", upload_part(2), [reset(MiB)], LARGE),
    "s3-complete-503": ("s3", complete_upload, [s3_error(503, "SlowDown", "Please reduce your request rate.")], LARGE),
    "s3-complete-lost": ("s3", complete_upload, [lose()], LARGE),
    "r2-part-reset": ("r2", upload_part(1), [reset(2 * MiB)], LARGE),
    "r2-stream-reset": ("r2", whole_put, [reset(3 * MiB)], MEDIUM),
    "r2-stream-lost": ("r2", whole_put, [lose()], MEDIUM),
    "r2-stream-503": ("r2", whole_put, [s3_error(503, "SlowDown", "Please reduce your request rate.")], MEDIUM),
    "dropbox-finish-reset": (
        "dropbox",
        lambda n: {"path": "^/2/files/upload_session/finish", "header": ("Dropbox-API-Arg", f"/{n}/")},
        [reset(MiB)],
        LARGE,
    ),
    "url-put-reset": ("url", lambda n: {"method": "PUT", "path": f"/{n}/"}, [reset(5 * MiB)], LARGE),
}


def test_large_files_survive_faults_mid_part_mid_session_and_mid_put(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("large", stack, proxies, seaweed, dropbox, presigned_server, workspace="held")
    held = stack.workspaces["held"]
    # Given, per scenario, a 12 MiB staged file (3 S3 parts, 2 Dropbox chunks) or a 7 MiB one (one streamed R2 PUT)
    # and one fault in the middle of it
    renders: dict[str, str] = {}
    rules = {}
    events = []
    for name, (kind, rule, faults, size) in LARGE_SCENARIOS.items():
        rules[name] = proxies[kind].schedule(faults, **rule(name))
        renders[name] = render(stack, [dest.connection(kind, name)], key="held")
        staged_key, body = inflate(stack, held, renders[name], size)
        events.append(s3_event(staged_key, len(body), release=True))
    # When the stack delivers them
    send_events(stack, events)
    # Then each succeeds on its second try, whole, and nothing is left behind (no part, session or upload)
    expected: dict[str, set[str]] = {}
    for name, (kind, _, _, _) in LARGE_SCENARIOS.items():
        result = check(dest, renders[name], [kind], [Expect("success", 2, dead_letter=False)])
        for view, keys in result["keys"].items():
            expected.setdefault(view, set()).update(keys)
        assert rules[name].used == 1, f"{name}: the fault was never injected"
        assert len(commits(proxies[kind], name)) == (2 if name.endswith("-lost") else 1), name
    for kind in ("s3", "r2", "url", "dropbox"):
        view = dest.views[kind]
        check_destination(view, expected.get(view.name, set()))


# ---------------------------------------------------------------- the deliver process killed mid-upload


# Prepended to a deliver or ops process: as deployed, but multipart above 8 MiB (deployed: 100 MiB), so that a 12 MiB
# file is uploaded, and killed, mid-multipart, and its retry goes multipart too.
MULTIPART_ABOVE_8_MIB = (
    "import functools\n"
    "from courier import wiring\n"
    "from courier.destinations.registry import Transport\n"
    "wiring.build_delivery_service = functools.partial(\n"
    f"    wiring.build_delivery_service, transport=Transport(s3_single_put_max={8 * MiB}))\n"
)


def deliver_process(stack: Stack, event: dict[str, Any]) -> subprocess.Popen[str]:
    """The deliver handler in a process of its own (as a Lambda sandbox), against the stack's AWS emulation."""
    code = (
        MULTIPART_ABOVE_8_MIB + "import json, sys\n"
        "sys.path.insert(0, 'functions/deliver')\n"
        "import deliver_handler\n"
        "from courier_tools.local.stack import FakeContext\n"
        "deliver_handler.lambda_handler(json.loads(sys.argv[1]), FakeContext('DeliverFunction', 900))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(event)],
        cwd=ROOT,
        env=deliver_env(stack),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def deliver_env(stack: Stack) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COURIER_"))}
    return env | {
        "AWS_ENDPOINT_URL": stack.aws,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "COURIER_TABLE_NAME": TABLE,
        "COURIER_STAGING_BUCKET": STAGING,
        "COURIER_DLQ_URL": stack.dlq,
        "COURIER_ALLOW_LOCAL_URLS": "true",
        "COURIER_MAX_DELIVERY_ATTEMPTS": "3",
        "COURIER_LEASE_SECONDS": "2",  # a dead worker's claim frees itself after 2 s
        "POWERTOOLS_SERVICE_NAME": "render-courier",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def kill_mid_upload(stack: Stack, proxy: FaultProxy, event: dict[str, Any], scenario: str) -> None:
    """Start a deliver process and SIGKILL it once the slowed proxy has taken 1 MiB of its upload."""
    process = deliver_process(stack, event)
    try:
        started = proxy.wait_for(
            lambda seen: any(f"/{scenario}/" in r.target and r.received >= MiB for r in seen), timeout=30
        )
        ended = process.poll() is not None
        output = process.stdout.read() if ended and process.stdout else ""
        assert started and not ended, f"the upload never started, or the process ended before the kill:\n{output}"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_killed_mid_multipart_upload_then_reconciled(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("killed", stack, proxies, seaweed, dropbox, presigned_server, workspace="held")
    s3 = dest.views["s3"]
    assert isinstance(s3, S3View)
    # Given a held render of a 12 MiB file to S3, whose parts the proxy takes at 512 KiB/s
    rule = proxies.s3.schedule([slow(512 * 1024)], method="PUT", path="/multipart/", forever=True)
    render_id = render(stack, [dest.connection("s3", "multipart")], key="held")
    staged_key, body = inflate(stack, stack.workspaces["held"], render_id, LARGE)
    # When the deliver process is SIGKILLed in the middle of its multipart upload
    kill_mid_upload(stack, proxies.s3, s3_event(staged_key, len(body)), "multipart")
    # Then nothing is visible at the key, and the killed worker's upload is left open (it could not abort it)
    assert s3.objects() == {}
    assert len(s3.dangling()) == 1
    assert stack.get(render_id, key="held")["connections"][0]["status"] == "pending"
    # When the reconciler runs after the dead worker's lease expired (the proxy no longer slow)
    proxies.s3.remove(rule)
    time.sleep(2.2)
    ops = MULTIPART_ABOVE_8_MIB + "import sys\nfrom courier_tools.ops import main\nsys.exit(main(sys.argv[1:]))\n"
    run = subprocess.run(
        [sys.executable, "-c", ops, "reconcile", "--older-than", "0"],
        cwd=ROOT,
        env=deliver_env(stack),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Then the file is delivered whole, once, and no multipart upload is left open (the killed try is not counted
    # in attempts: it never recorded one)
    result = check(dest, render_id, ["s3"], [Expect("success", 1, dead_letter=False)])
    check_destination(s3, result["keys"][s3.name])


def test_killed_mid_presigned_put_then_lambda_retries(
    stack: Stack, proxies: Proxies, seaweed: Any, dropbox: FakeDropbox, presigned_server: StrictPresignedServer
) -> None:
    dest = destinations("killput", stack, proxies, seaweed, dropbox, presigned_server, workspace="held")
    url = dest.views["url"]
    # Given a held render of a 12 MiB file to a presigned URL, whose server takes the body at 512 KiB/s
    rule = proxies.url.schedule([slow(512 * 1024)], method="PUT", path="/single/", forever=True)
    render_id = render(stack, [dest.connection("url", "single")], key="held")
    staged_key, body = inflate(stack, stack.workspaces["held"], render_id, LARGE)
    event = s3_event(staged_key, len(body))
    # When the deliver process is SIGKILLed in the middle of the PUT
    kill_mid_upload(stack, proxies.url, event, "single")
    # Then the server stored nothing (it never got the whole body)
    assert url.objects() == {}
    # When Lambda retries the event (the stack: a failed claim while the dead worker's lease lasts, then again)
    proxies.url.remove(rule)
    send_events(stack, [event | {"release": True}])
    # Then it is delivered whole, once, without a dead letter
    result = check(dest, render_id, ["url"], [Expect("success", 1, dead_letter=False)])
    check_destination(url, result["keys"][url.name])
