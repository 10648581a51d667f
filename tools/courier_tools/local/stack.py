"""The Docker-free local stack: moto server, the stack's resources from template.yaml, the HTTP API served
through the real render handler as API Gateway v2 events, and staging-bucket events fed to the deliver handler."""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import importlib
import json
import logging
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import parse_qsl, urlsplit

import yaml

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from types_boto3_dynamodb.client import DynamoDBClient
    from types_boto3_kms.client import KMSClient
    from types_boto3_s3.client import S3Client
    from types_boto3_sqs.client import SQSClient
    from types_boto3_sqs.type_defs import MessageTypeDef

    from courier.errors import ApiError

REGION = "us-east-1"
ACCOUNT = "123456789012"
STAGING_BUCKET = "render-courier-staging-local"
TABLE = "render-courier-local"
DLQ = "render-courier-delivery-dlq"
EVENTS_QUEUE = "render-courier-staging-events"  # stands in for the S3 → Lambda trigger
CLIP_QUEUE = "render-courier-clips"  # as in template.yaml: the video function's jobs
MAX_HTTP_BODY = 10 * 1024 * 1024  # API Gateway HTTP API payload limit
# At stop, what in-flight invocations get before they are abandoned (as Lambda abandons a busy sandbox at shutdown).
STOP_GRACE_SECONDS = 2.0

log = logging.getLogger("courier_tools.local")


def repo_root() -> Path:
    """The checkout holding template.yaml: above the installed package, else the working directory."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "template.yaml").is_file() and (parent / "functions").is_dir():
            return parent
    cwd = Path.cwd()
    if (cwd / "template.yaml").is_file():
        return cwd
    raise RuntimeError("template.yaml not found: run from the repository root")


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short tags (!Ref, !Sub …) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node)}
    return {suffix: loader.construct_mapping(node)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _any_tag)


def table_definition(root: Path) -> dict[str, Any]:
    """The Table resource's key schema, read from template.yaml so the local table cannot drift from it."""
    text = (root / "template.yaml").read_text()
    return copy.deepcopy(_table_definition(text))  # a copy: a caller may change it


@functools.cache
def _table_definition(text: str) -> dict[str, Any]:
    # Parsed once per template text: PyYAML takes ~0.2 s for the template, and the test suites create a table per test
    template = yaml.load(text, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    props = template["Resources"]["Table"]["Properties"]
    definition = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if "GlobalSecondaryIndexes" in props:
        definition["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    return definition


@dataclass
class FakeContext:
    """The parts of the Lambda context that Powertools and our handlers read."""

    function_name: str
    timeout_seconds: int
    memory_limit_in_mb: int = 1024
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000))


@dataclass
class LocalStackConfig:
    host: str = "127.0.0.1"
    port: int = 3000  # 0: any free port (the stack reports the one it bound in api_url)
    aws_port: int = 4566  # 0: any free port (reported in aws_url)
    workspaces: list[tuple[str, str | None]] = field(default_factory=list)  # (name, key or None to generate)
    retry_delays: tuple[float, ...] = (1.0, 2.0)  # Lambda async retries: two, after a delay
    log_level: str = "WARNING"
    # Let presigned URLs and storage endpoints be plain http on 127.0.0.1 (tests, local fakes). Never deployed.
    allow_local_urls: bool = False


class LocalStack:
    """Start with ``start()`` (or as a context manager); ``stop()`` ends everything it started."""

    def __init__(self, config: LocalStackConfig) -> None:
        self.config = config
        self.root = repo_root()
        self.seeded: dict[str, tuple[str, str]] = {}  # workspace name -> (id, key)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._moto: Any = None
        self._http: ThreadingHTTPServer | None = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="deliver")
        # The render function's warm sandboxes: a request runs on one of these long-lived threads, as an invocation
        # runs in a reused Lambda container, so per-thread state (the renderer's fonts) is built once per sandbox and
        # released by its own thread at stop, not per keep-alive connection of the HTTP server.
        self._sandboxes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="render")
        self._render: ModuleType | None = None
        self._deliver: ModuleType | None = None
        self._video: ModuleType | None = None
        # The video function: one clip at a time per container; two containers here
        self._video_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="video")
        # Invocations submitted and not yet finished, so that stop() can wait for them against a deadline.
        self._in_flight: dict[str, set[Future[Any]]] = {"render": set(), "deliver": set(), "video": set()}
        self._in_flight_lock = threading.Lock()

    @property
    def api_url(self) -> str:
        """Where the HTTP API listens: the port it bound once started (port 0 asks for any free one)."""
        port = self._http.server_address[1] if self._http is not None else self.config.port
        return f"http://{self.config.host}:{port}"

    @property
    def aws_url(self) -> str:
        port = self._moto.get_host_and_port()[1] if self._moto is not None else self.config.aws_port
        return f"http://{self.config.host}:{port}"

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ start and stop

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        # Both ports are bound first, so the URLs the functions are configured with are the ones listening (a port
        # chosen "free" beforehand can be taken by another process before it is bound).
        self._moto = ThreadedMotoServer(ip_address=self.config.host, port=self.config.aws_port, verbose=False)
        self._moto.start()
        self._http = self._bind_http()
        self._configure_environment()
        self._create_resources()
        self._import_handlers()
        self._seed_workspaces()
        self._spawn(self._http.serve_forever, "http")
        self._spawn(self._pump_events, "notifier")
        self._spawn(self._pump_clips, "clips")

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> bool:
        """Stop taking requests, cancel the invocations not started, and give the running ones ``grace`` seconds in
        all. Renders go first, while S3 events still reach the deliver function: a render waiting for its deliveries
        (``wait``) ends when they do, not when its wait runs out. True when everything ended in time; what still runs
        is left to finish or to die with the process, which should then end without waiting for it (os._exit)."""
        deadline = time.monotonic() + grace
        if self._http is not None:
            if any(thread.name == "http" for thread in self._threads):  # shutdown() waits for serve_forever to end
                self._http.shutdown()
            self._http.server_close()
        self._sandboxes.shutdown(wait=False, cancel_futures=True)
        renders_ended = self._wait_in_flight("render", deadline)
        self._video_pool.shutdown(wait=False, cancel_futures=True)
        self._wait_in_flight("video", deadline)
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        deliveries_ended = self._wait_in_flight("deliver", deadline)
        if renders_ended:
            # Each sandbox thread releases its own renderer state (unsendable across threads) as it ends.
            self._sandboxes.shutdown(wait=True)
        if self._moto is not None:
            self._moto.stop()
        return renders_ended and deliveries_ended

    def _submit(self, kind: str, executor: ThreadPoolExecutor, call: Callable[..., Any], *args: Any) -> Future[Any]:
        """Runs ``call`` on the executor, tracked until it ends. Raises RuntimeError once the executor is shut down."""
        future = executor.submit(call, *args)
        with self._in_flight_lock:
            self._in_flight[kind].add(future)

        def ended(done: Future[Any]) -> None:
            with self._in_flight_lock:
                self._in_flight[kind].discard(done)

        future.add_done_callback(ended)
        return future

    def _wait_in_flight(self, kind: str, deadline: float) -> bool:
        with self._in_flight_lock:
            running = list(self._in_flight[kind])
        return not wait_all(running, timeout=max(0.0, deadline - time.monotonic())).not_done

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _configure_environment(self) -> None:
        # The same variables template.yaml sets, plus an endpoint that sends every AWS call to moto.
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.aws_url,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "COURIER_TABLE_NAME": TABLE,
                "COURIER_STAGING_BUCKET": STAGING_BUCKET,
                "COURIER_SECRET_PREFIX": "courier/",
                "COURIER_URL_EXPIRY_SECONDS": "3600",
                "COURIER_MAX_DELIVERY_ATTEMPTS": str(len(self.config.retry_delays) + 1),
                "POWERTOOLS_SERVICE_NAME": "render-courier",
                "POWERTOOLS_LOG_LEVEL": self.config.log_level,
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_DISABLED": "true",
                "COURIER_ALLOW_LOCAL_URLS": "true" if self.config.allow_local_urls else "false",
                # Where a browser comes back to after Connect Dropbox (the deployed API derives its https URL).
                "COURIER_PUBLIC_URL": os.environ.get("COURIER_PUBLIC_URL") or self.api_url,
            }
        )
        for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            os.environ.pop(variable, None)

    @overload
    def client(self, service: Literal["dynamodb"]) -> DynamoDBClient: ...
    @overload
    def client(self, service: Literal["kms"]) -> KMSClient: ...
    @overload
    def client(self, service: Literal["s3"]) -> S3Client: ...
    @overload
    def client(self, service: Literal["sqs"]) -> SQSClient: ...
    def client(self, service: Literal["dynamodb", "kms", "s3", "sqs"]) -> BaseClient:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.aws_url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's fixed emulation credentials
        )

    def _create_resources(self) -> None:
        s3, sqs, dynamodb = self.client("s3"), self.client("sqs"), self.client("dynamodb")
        s3.create_bucket(Bucket=STAGING_BUCKET)
        key = self.client("kms").create_key(Description="Render Courier inline secrets (local)")["KeyMetadata"]
        os.environ["COURIER_INLINE_KEY_ID"] = key["KeyId"]
        dynamodb.create_table(TableName=TABLE, **table_definition(self.root))
        self.dlq_url = sqs.create_queue(QueueName=DLQ)["QueueUrl"]
        os.environ["COURIER_DLQ_URL"] = self.dlq_url  # where the deliver function writes its own dead letters
        self._clips_url = sqs.create_queue(QueueName=CLIP_QUEUE)["QueueUrl"]
        os.environ["COURIER_CLIP_QUEUE_URL"] = self._clips_url
        self._events_url = sqs.create_queue(QueueName=EVENTS_QUEUE)["QueueUrl"]
        events_arn = sqs.get_queue_attributes(QueueUrl=self._events_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        # moto sends real S3 event payloads (URL-encoded keys and all) to a queue; we hand them to the handler.
        s3.put_bucket_notification_configuration(
            Bucket=STAGING_BUCKET,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "QueueArn": events_arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "staging/"}]}},
                    }
                ]
            },
        )

    def _import_handlers(self) -> None:
        for function in ("render", "deliver", "video"):
            path = str(self.root / "functions" / function)
            if path not in sys.path:
                sys.path.insert(0, path)
        self._render = importlib.import_module("render_handler")
        self._deliver = importlib.import_module("deliver_handler")
        self._video = importlib.import_module("video_handler")

    def _seed_workspaces(self) -> None:
        from courier.accounts.auth import provision_workspace
        from courier.accounts.keys import KeyRepository
        from courier.platform import aws

        keys = KeyRepository(aws.table(TABLE))
        for name, key in self.config.workspaces or [("demo", None)]:
            workspace_id, api_key = provision_workspace(keys, name, key)
            self.seeded[name] = (workspace_id, api_key)

    # ------------------------------------------------------------ HTTP API

    def _bind_http(self) -> ThreadingHTTPServer:
        stack = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # An answer is two writes (headers, then body): with Nagle's algorithm on, the body waits for the
            # client's delayed ACK of the headers, ~40 ms on every keep-alive request.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                stack._handle_http(self)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

            def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
                # http.server's own refusals (a method without do_*, a malformed request line, headers too long) in
                # the contract's error shape rather than its HTML page, never quoting the request back.
                if code == HTTPStatus.NOT_IMPLEMENTED:  # a method no route serves: API Gateway-like 405
                    allowed = ", ".join(sorted(name[3:] for name in dir(self) if name.startswith("do_")))
                    stack._reply_error(self, status_error(405, "method not allowed"), {"allow": allowed})
                else:
                    stack._reply_error(self, status_error(code, HTTPStatus(code).description))

            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            # socketserver's backlog is 5: a burst of clients (a load test, a page's parallel calls) overflows it
            # and connections are dropped or reset before the server gets to accept them.
            request_queue_size = 128

        return Server((self.config.host, self.config.port), Handler)

    def _handle_http(self, request: BaseHTTPRequestHandler) -> None:
        from courier.errors import BadRequestError, PayloadTooLargeError, ServiceUnavailableError

        declared = request.headers.get("Content-Length") or "0"
        if not (declared.isascii() and declared.isdigit()):
            self._reply_error(request, BadRequestError("Content-Length must be a number of bytes"))
            return
        length = int(declared)
        if length > MAX_HTTP_BODY:
            self._reply_error(request, PayloadTooLargeError(f"request body is over {MAX_HTTP_BODY // 1024**2} MiB"))
            return
        body = request.rfile.read(length) if length else b""
        event = api_gateway_event(
            request.command, request.path, dict(request.headers.items()), body, request.client_address[0]
        )
        answer = self._invoke_render(event)
        if answer is None:
            self._reply_error(request, ServiceUnavailableError("the local stack is stopping"))
            return
        payload = answer.get("body") or ""
        raw = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
        headers = {k.lower(): str(v) for k, v in (answer.get("headers") or {}).items()}
        self._reply(request, int(answer.get("statusCode", 200)), headers, raw, tuple(answer.get("cookies") or ()))

    def _invoke_render(self, event: dict[str, Any]) -> dict[str, Any] | None:
        """The render handler's answer, from one of its sandboxes; None when the stack began to stop first."""
        assert self._render is not None
        try:
            invocation = self._submit(
                "render", self._sandboxes, self._render.lambda_handler, event, FakeContext("RenderFunction", 30)
            )
        except RuntimeError:  # the sandboxes are shut down
            return None
        try:
            answer: dict[str, Any] = invocation.result()
        except CancelledError:  # still queued when they were
            return None
        return answer

    def _reply_error(
        self, request: BaseHTTPRequestHandler, error: ApiError, headers: dict[str, str] | None = None
    ) -> None:
        """An error the server answers itself, in the contract's shape. The connection closes: a request body may be
        left unread."""
        from courier.api.http import error_result

        answer = error_result(error)
        answer_headers = {k.lower(): str(v) for k, v in answer["headers"].items()} | (headers or {})
        self._reply(request, error.status, answer_headers, answer["body"].encode(), close=True)

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler,
        status: int,
        headers: dict[str, str],
        body: bytes,
        cookies: tuple[str, ...] = (),
        close: bool = False,
    ) -> None:
        request.send_response(status)
        for name, value in headers.items():
            if name not in ("content-length", "connection"):
                request.send_header(name, value)
        if close:
            request.send_header("connection", "close")  # and http.server closes it after this answer
        for cookie in cookies:
            request.send_header("set-cookie", cookie)
        request.send_header("content-length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    # ------------------------------------------------------------ S3 events → deliver handler

    def _receive(self, sqs: SQSClient, url: str, most: int, what: str) -> list[MessageTypeDef] | None:
        """Up to `most` messages of a queue (long-polled for a second); None once the stack stops."""
        try:
            return list(
                sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=most, WaitTimeSeconds=1, AttributeNames=["All"]
                ).get("Messages", [])
            )
        except Exception:  # moto stopping under us at shutdown
            if self._stop.is_set():
                return None
            log.exception("reading %s failed", what)
            time.sleep(0.5)
            return []

    def _pump_events(self) -> None:
        sqs = self.client("sqs")
        while not self._stop.is_set():
            messages = self._receive(sqs, self._events_url, 10, "staging events")
            if messages is None:
                return
            for message in messages:
                event = json.loads(message["Body"])
                sqs.delete_message(QueueUrl=self._events_url, ReceiptHandle=message["ReceiptHandle"])
                if "Records" in event:  # not s3:TestEvent
                    self.invoke_deliver(event)

    # ------------------------------------------------------------ clip jobs → video handler

    def _pump_clips(self) -> None:
        """As the SQS event source mapping does: each job to the video function; a failed one back to the queue
        (here: tried once more, then left, as a redrive policy would dead-letter it)."""
        sqs = self.client("sqs")
        while not self._stop.is_set():
            messages = self._receive(sqs, self._clips_url, 1, "clip jobs")
            if messages is None:
                return
            for message in messages:
                try:
                    self._submit("video", self._video_pool, self._invoke_video, sqs, message)
                except RuntimeError:  # shutting down
                    return

    def _invoke_video(self, sqs: SQSClient, message: MessageTypeDef) -> None:
        assert self._video is not None
        event = {"Records": [{"messageId": message["MessageId"], "body": message["Body"]}]}
        answer = self._video.lambda_handler(event, FakeContext("VideoFunction", 900))
        received = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        if not answer.get("batchItemFailures") or received >= 2:
            sqs.delete_message(QueueUrl=self._clips_url, ReceiptHandle=message["ReceiptHandle"])

    def invoke_deliver(self, event: dict[str, Any]) -> None:
        """Invoke the deliver handler asynchronously, with Lambda's retries and then the dead-letter queue."""
        self._submit("deliver", self._pool, self._invoke_with_retries, event)

    def _invoke_with_retries(self, event: dict[str, Any]) -> None:
        assert self._deliver is not None
        for attempt, delay in enumerate((0.0, *self.config.retry_delays)):
            if delay and self._stop.wait(delay):
                return
            try:
                self._deliver.lambda_handler(event, FakeContext("DeliverFunction", 900))
                return
            except Exception as exc:
                log.warning("deliver attempt %d failed: %s", attempt + 1, exc)
        # As the async invoke config's on-failure destination does: keep the event for redrive.
        self.client("sqs").send_message(
            QueueUrl=self.dlq_url,
            MessageBody=json.dumps(
                {"requestPayload": event, "condition": "RetriesExhausted", "timestamp": datetime.now(UTC).isoformat()}
            ),
        )


def status_error(status: int, message: str) -> ApiError:
    """An error for a status courier.errors has no class for, its code named as the contract names codes
    (``method_not_allowed`` for 405)."""
    from courier.errors import ApiError

    error = ApiError(message)
    error.status = status
    error.code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    return error


def api_gateway_event(method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2.0) event, as the real integration would send it."""
    split = urlsplit(target)
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode(), True
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": split.path,
        "rawQueryString": split.query,
        "headers": lowered,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "local",
            "domainName": lowered.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": split.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if split.query:
        event["queryStringParameters"] = dict(parse_qsl(split.query))
    if body:
        event["body"] = text
    return event


@contextlib.contextmanager
def running(config: LocalStackConfig) -> Iterator[LocalStack]:
    stack = LocalStack(config)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
