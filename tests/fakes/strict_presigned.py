"""A strict S3-like server for presigned PUTs: it checks SigV4 query signatures, expiry and signed headers the way S3
does (moto accepts any signature and any expiry), refuses chunked bodies, and stores an object only when its whole
body arrived. Stdlib only, plain HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

MAX_EXPIRES = 7 * 24 * 3600  # SigV4 presigned URLs live at most 7 days


@dataclass
class StoredObject:
    body: bytes
    headers: dict[str, str]  # lower-case names, as received

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    status: int
    received: int  # body bytes that arrived
    complete: bool  # the whole declared body arrived
    code: str = ""


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class StrictPresignedServer:
    """``credentials``: access key id -> secret. ``clock_offset`` moves the server's clock (seconds) to test expiry."""

    def __init__(self, credentials: dict[str, str], region: str = "us-east-1") -> None:
        self.credentials = credentials
        self.region = region
        self.clock_offset = 0.0
        self.objects: dict[str, StoredObject] = {}  # "/bucket/key" (decoded) -> object
        self.requests: list[RecordedRequest] = []
        self._forced: list[Answer] = []
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StrictPresignedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StrictPresignedServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def answer_next(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        """The next PUT (after its body is read) gets this answer instead of being stored."""
        with self._lock:
            self._forced.append(Answer(status, headers or {}, body))

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until ``count`` requests were handled (a reset connection is recorded when the server notices)."""
        with self._done:
            self._done.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    def _record(self, request: RecordedRequest) -> None:
        with self._done:
            self.requests.append(request)
            self._done.notify_all()

    def _take_forced(self) -> Answer | None:
        with self._lock:
            return self._forced.pop(0) if self._forced else None

    def now(self) -> float:
        return time.time() + self.clock_offset

    # --- SigV4, query-string authentication (the presigned form) -------------------------------------------------

    def verify(self, method: str, raw_path: str, headers: dict[str, list[str]]) -> tuple[int, str, str] | None:
        """None when the request is authorised, else (status, code, message) as S3 would answer."""
        target = urlsplit(raw_path)
        params = _query_pairs(target.query)
        single = {name: value for name, value in params}
        if single.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
            return 403, "AccessDenied", "Query-string authentication version 4 requires the X-Amz-Algorithm parameter"
        required = ("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature")
        if any(name not in single for name in required):
            return 400, "AuthorizationQueryParametersError", "a presigned parameter is missing"
        access_key, date, region, service, terminal = (single["X-Amz-Credential"].split("/") + [""] * 5)[:5]
        secret = self.credentials.get(access_key)
        if secret is None:
            return 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
        if region != self.region or service != "s3" or terminal != "aws4_request":
            return 400, "AuthorizationQueryParametersError", "the credential scope is not valid here"
        expires = int(single["X-Amz-Expires"]) if single["X-Amz-Expires"].isdigit() else -1
        if not 0 < expires <= MAX_EXPIRES:
            return 400, "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds"
        signed_at = datetime.strptime(single["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
        if self.now() > signed_at + expires:
            return 403, "AccessDenied", "Request has expired"
        signed_headers = single["X-Amz-SignedHeaders"]
        canonical_headers = "".join(
            f"{name}:{','.join(' '.join(v.split()) for v in headers.get(name, []))}\n"
            for name in signed_headers.split(";")
        )
        canonical_query = "&".join(
            f"{_encode(name)}={_encode(value)}" for name, value in sorted(params) if name != "X-Amz-Signature"
        )
        payload = single.get("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
        canonical_request = "\n".join(
            (method, target.path or "/", canonical_query, canonical_headers, signed_headers, payload)
        )
        scope = f"{date}/{region}/{service}/aws4_request"
        string_to_sign = "\n".join(
            ("AWS4-HMAC-SHA256", single["X-Amz-Date"], scope, hashlib.sha256(canonical_request.encode()).hexdigest())
        )
        key = f"AWS4{secret}".encode()
        for part in (date, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, single["X-Amz-Signature"]):
            return (
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                "Check your key and signing method.",
            )
        return None


def _query_pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for item in query.split("&"):
        if item:
            name, _, value = item.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def error_xml(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
        f"<RequestId>FAKE</RequestId></Error>"
    ).encode()


def _handler(fake: StrictPresignedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else a keep-alive answer's body waits ~40 ms for a delayed ACK

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _headers(self) -> dict[str, list[str]]:
            headers: dict[str, list[str]] = {}
            for name, value in self.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            return headers

        def _reply(self, status: int, headers: dict[str, str], body: bytes, close: bool = False) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)

        def _read_body(self, length: int) -> tuple[bytes, bool]:
            """What arrived of the declared body, and whether all of it did (a client may stop early or reset)."""
            chunks, received = [], 0
            try:
                while received < length:
                    chunk = self.rfile.read(min(1 << 20, length - received))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    received += len(chunk)
            except OSError:
                pass
            body = b"".join(chunks)
            return body, len(body) == length

        def do_PUT(self) -> None:
            multi = self._headers()
            flat = {name: ",".join(values) for name, values in multi.items()}

            # Recorded before answering: a client may reset the connection as soon as it has the answer.
            def record(status: int, received: int, complete: bool, code: str = "") -> None:
                fake._record(RecordedRequest("PUT", self.path, flat, status, received, complete, code))

            if "transfer-encoding" in flat:
                # S3: 501 NotImplemented, "A header you provided implies functionality that is not implemented".
                message = "A header you provided implies functionality that is not implemented"
                record(501, 0, False, "NotImplemented")
                self._reply(501, {}, error_xml("NotImplemented", message), close=True)
                return
            if "content-length" not in flat or not flat["content-length"].isdigit():
                record(411, 0, False, "MissingContentLength")
                self._reply(411, {}, error_xml("MissingContentLength", "You must provide the Content-Length"), True)
                return
            length = int(flat["content-length"])
            refusal = fake.verify("PUT", self.path, multi)
            body, complete = self._read_body(length)  # read (or drain) before answering
            if not complete:
                record(0, len(body), False)  # the client gave up: nothing is stored, nobody is answered
                self.close_connection = True
                return
            if refusal is not None:
                status, code, message = refusal
                record(status, len(body), True, code)
                self._reply(status, {"Content-Type": "application/xml"}, error_xml(code, message))
                return
            forced = fake._take_forced()
            if forced is not None:
                record(forced.status, len(body), True, "forced")
                self._reply(forced.status, forced.headers, forced.body)
                return
            name = unquote(urlsplit(self.path).path)
            fake.objects[name] = StoredObject(body, flat)
            etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
            record(200, len(body), True)
            self._reply(200, {"ETag": etag}, b"")

    return Handler
