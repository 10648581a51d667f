"""A fake Dropbox API over HTTPS (stdlib server + trustme certificate) for driving the real `dropbox` SDK.

It serves the API host and the content host from one server on 127.0.0.1: the API host is
``127.0.0.1:<port>`` and the content host ``localhost:<port>``, and each route must arrive on its own host, as
the SDK sends them. Only what the Dropbox adapter uses is implemented, with the real API's shapes: arguments in
the JSON body (RPC routes) or the ``Dropbox-API-Arg`` header (upload and download routes, ASCII only), results in
the body or the ``Dropbox-API-Result`` header, and errors as ``{"error_summary": ..., "error": {".tag": ...}}``
with 409 (route errors), 401 (auth), 429 (rate limits), 400 (bad input) or 5xx. Files live in memory; paths are
case-insensitive; uploads create missing parent folders; an identical file is "no conflict".

Run it alone for the local stack: ``python -m tests.fakes.dropbox_api --port 8443 --ca-file /tmp/dropbox-ca.pem``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import secrets
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import trustme

BLOCK = 4 * 1024 * 1024
MAX_REQUEST = 150 * 1024 * 1024
DISALLOWED_NAMES = {"desktop.ini", "thumbs.db", ".ds_store", "icon\r", ".dropbox", ".dropbox.attr"}
CONTENT_ROUTES = {
    "files/upload",
    "files/upload_session/start",
    "files/upload_session/append_v2",
    "files/upload_session/finish",
    "files/download",
}
RPC_ROUTES = {"files/get_metadata", "files/delete_v2", "files/create_folder_v2"}


def content_hash(data: bytes) -> str:
    """Dropbox's content_hash, computed independently of the SDK's and the adapter's."""
    blocks = b"".join(hashlib.sha256(data[i : i + BLOCK]).digest() for i in range(0, len(data), BLOCK))
    return hashlib.sha256(blocks).hexdigest()


class ApiFailure(Exception):
    """An answer other than 200: the status, a JSON body (or text) and extra headers."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def route_error(*tags: str, **fields: Any) -> ApiFailure:
    """409 with a nested union error: route_error("path", "conflict", "file") is path/conflict/file/.."""
    error: dict[str, Any] = {".tag": tags[-1], **fields}
    for tag in reversed(tags[:-1]):
        error = {".tag": tag, tag: error}
    return ApiFailure(409, {"error_summary": "/".join(tags) + "/..", "error": error})


def auth_error(tag: str) -> ApiFailure:
    return ApiFailure(401, {"error_summary": f"{tag}/..", "error": {".tag": tag}})


@dataclass
class StoredFile:
    path_display: str
    data: bytes
    id: str
    rev: str
    server_modified: str

    def metadata(self, tagged: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {".tag": "file"} if tagged else {}
        result |= {
            "name": self.path_display.rsplit("/", 1)[-1],
            "id": self.id,
            "client_modified": self.server_modified,
            "server_modified": self.server_modified,
            "rev": self.rev,
            "size": len(self.data),
            "path_lower": self.path_display.lower(),
            "path_display": self.path_display,
            "is_downloadable": True,
            "content_hash": content_hash(self.data),
        }
        return result


@dataclass
class UploadSession:
    data: bytearray = field(default_factory=bytearray)
    closed: bool = False


@dataclass
class Fault:
    route: str  # "files/upload", "oauth2/token"... or "*"
    count: int
    status: int  # 429, 500, 503... or 0 to drop the connection without an answer
    retry_after: int | None = None
    reason: str = "too_many_requests"  # 429: too_many_requests or too_many_write_operations
    delay: float = 0.0  # seconds to wait before answering (a client timeout shorter than this times out)


class FakeDropbox:
    """The fake service. Thread-safe; inspect it from tests (files, writes, calls, grants, open sessions)."""

    def __init__(
        self,
        *,
        app_key: str = "fake-app-key",
        app_secret: str = "fake-app-secret",  # noqa: S107 (a fake)
        refresh_token: str = "fake-refresh-token",  # noqa: S107
        token_lifetime: int = 14400,
        ca_file: str | None = None,
        port: int = 0,
    ) -> None:
        self.app_key = app_key
        self.app_secret = app_secret
        self.refresh_token = refresh_token
        self.token_lifetime = token_lifetime
        self._lock = threading.RLock()
        self._ca = trustme.CA()
        cert = self._ca.issue_cert("127.0.0.1", "localhost")
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(self._context)
        if ca_file is None:
            handle, ca_file = tempfile.mkstemp(prefix="fake-dropbox-ca-", suffix=".pem")
            os.close(handle)
            self._own_ca_file = True
        else:
            self._own_ca_file = False
        self.ca_file = ca_file
        self._ca.cert_pem.write_to_path(self.ca_file)
        self._server = _TLSServer(("127.0.0.1", port), _Handler, self)
        self.port = int(self._server.server_address[1])
        self.api_host = f"127.0.0.1:{self.port}"
        self.content_host = f"localhost:{self.port}"
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> FakeDropbox:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-dropbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._own_ca_file:
            os.unlink(self.ca_file)

    def __enter__(self) -> FakeDropbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stack_env(self) -> dict[str, str]:
        """The variables that point a local stack's Dropbox SDK (read at import) and Connect Dropbox at this fake."""
        return {
            "DROPBOX_API_HOST": self.api_host,
            "DROPBOX_API_CONTENT_HOST": self.content_host,
            "DROPBOX_API_NOTIFY_HOST": self.api_host,
            "COURIER_DROPBOX_CA_BUNDLE": self.ca_file,
            "COURIER_DROPBOX_APP_KEY": self.app_key,
        }

    def reset(self) -> None:
        """Forget files, tokens, sessions, faults and counters (the app and refresh token stay)."""
        with self._lock:
            self.files: dict[str, StoredFile] = {}
            self.folders: dict[str, str] = {}  # lower -> display
            self.sessions: dict[str, UploadSession] = {}
            self.tokens: dict[str, float] = {}  # access token -> expiry (time.monotonic)
            self.faults: list[Fault] = []
            self.calls: list[str] = []  # routes in arrival order
            self.writes = 0  # committed changes: files written or deleted
            self.grants = 0  # access tokens issued from the refresh token
            self.refresh_token_valid = True
            self.codes: dict[str, tuple[str, str]] = {}  # authorization code -> (PKCE challenge, redirect URI)
            self.pkce_refresh_tokens: set[str] = set()
            self.quota: int | None = None  # bytes; beyond it writes fail with insufficient_space
            self.read_only: set[str] = set()  # lower-case folders where writes fail with no_write_permission
            self.corrupt_writes = 0  # the next N committed files get a flipped byte (storage-side corruption)

    # -- test controls ---------------------------------------------------------------------------------------
    def fail(
        self,
        route: str,
        status: int,
        *,
        count: int = 1,
        retry_after: int | None = None,
        reason: str = "too_many_requests",
        delay: float = 0.0,
    ) -> None:
        """Make the next ``count`` requests to ``route`` ("*": any route) answer ``status`` (0: drop them)."""
        with self._lock:
            self.faults.append(Fault(route, count, status, retry_after, reason, delay))

    def issue_token(self, lifetime: float | None = None) -> str:
        """An access token as the OAuth flow would hand one out (for clients built without a refresh token)."""
        with self._lock:
            token = "sl." + secrets.token_urlsafe(24)
            self.tokens[token] = time.monotonic() + (self.token_lifetime if lifetime is None else lifetime)
            return token

    def expire_tokens(self) -> None:
        """Every access token issued so far is expired from now on (clients must refresh)."""
        with self._lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def revoke(self) -> None:
        """The user disconnected the app: the refresh token answers invalid_grant, access tokens are invalid."""
        with self._lock:
            self.refresh_token_valid = False
            self.tokens.clear()

    def put(self, path: str, data: bytes) -> None:
        """Seed a file as if the user had put it there."""
        with self._lock:
            self._write(path, data, "overwrite", False)

    def read(self, path: str) -> bytes | None:
        with self._lock:
            stored = self.files.get(path.lower())
            return stored.data if stored else None

    def paths(self) -> list[str]:
        """Every file's display path, sorted."""
        with self._lock:
            return sorted(f.path_display for f in self.files.values())

    def count(self, route: str) -> int:
        with self._lock:
            return self.calls.count(route)

    # -- the service -----------------------------------------------------------------------------------------
    def handle(self, route: str, host: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: (status, headers, body). Faults first, then auth, then the route."""
        with self._lock:
            self.calls.append(route)
            fault = next((f for f in self.faults if f.count > 0 and f.route in (route, "*")), None)
            if fault:
                fault.count -= 1
        if fault:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status == 0:
                raise ConnectionAbortedError("fault: drop the connection")
            if fault.status == 429:
                retry_after = fault.retry_after if fault.retry_after is not None else 1
                error = {"reason": {".tag": fault.reason}, "retry_after": retry_after}
                return self._json(
                    429,
                    {"error_summary": f"{fault.reason}/..", "error": error},
                    {"Retry-After": str(retry_after)},
                )
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return fault.status, {"Content-Type": "text/plain; charset=utf-8", **extra}, b"Internal Server Error"
        try:
            if route == "oauth2/token":
                return self._json(200, self._token(headers, body))
            expected_host = self.content_host if route in CONTENT_ROUTES else self.api_host
            if route not in CONTENT_ROUTES | RPC_ROUTES:
                raise ApiFailure(400, f'Error in call to API function "{route}": Unknown API function')
            if host != expected_host:
                raise ApiFailure(400, f'Error in call to API function "{route}": wrong host {host}')
            self._authorise(headers)
            arg = self._arg(route, headers, body)
            data = body if route in CONTENT_ROUTES else b""
            with self._lock:
                if route == "files/download":
                    stored = self._file_for_read(arg["path"])
                    result = json.dumps(stored.metadata())  # ASCII-escaped, as an HTTP header must be
                    return 200, {"Content-Type": "application/octet-stream", "Dropbox-API-Result": result}, stored.data
                return self._json(200, self._route(route, arg, data))
        except ApiFailure as failure:
            return self._json(failure.status, failure.body, failure.headers)

    def _json(
        self, status: int, payload: Any, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if isinstance(payload, str):
            return status, {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}, payload.encode()
        return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()

    def authorize(self, *, client_id: str, code_challenge: str, redirect_uri: str, approve: bool = True) -> str:
        """What www.dropbox.com/oauth2/authorize does when the user clicks Allow: a single-use code for this
        client, PKCE challenge and redirect URI. (The user's browser is not simulated: tests call this.)"""
        if client_id != self.app_key or not approve:
            raise ValueError("not authorised")
        code = "code-" + secrets.token_urlsafe(16)
        with self._lock:
            self.codes[code] = (code_challenge, redirect_uri)
        return code

    def _token(self, headers: Any, body: bytes) -> dict[str, Any]:
        form = {k: v[0] for k, v in parse_qs(body.decode("ascii"), keep_blank_values=True).items()}
        if form.get("grant_type") == "authorization_code":
            return self._exchange_code(form)
        if form.get("grant_type") != "refresh_token":
            raise ApiFailure(400, {"error": "unsupported_grant_type", "error_description": "grant_type"})
        public = form.get("refresh_token") in self.pkce_refresh_tokens and "client_secret" not in form
        if form.get("client_id") != self.app_key or (not public and form.get("client_secret") != self.app_secret):
            raise ApiFailure(400, {"error": "invalid_client", "error_description": "Invalid client_id or secret"})
        with self._lock:
            known = form.get("refresh_token") == self.refresh_token or public
            if not self.refresh_token_valid or not known:
                raise ApiFailure(400, {"error": "invalid_grant", "error_description": "refresh token is invalid"})
            self.grants += 1
        return {"access_token": self.issue_token(), "token_type": "bearer", "expires_in": self.token_lifetime}

    def _exchange_code(self, form: dict[str, str]) -> dict[str, Any]:
        """The authorization_code grant with PKCE (a public client: no secret, the verifier proves the caller)."""
        with self._lock:
            issued = self.codes.pop(form.get("code", ""), None)  # single use
        if issued is None or form.get("client_id") != self.app_key:
            raise ApiFailure(400, {"error": "invalid_grant", "error_description": "code doesn't exist or has expired"})
        challenge, redirect_uri = issued
        verifier = form.get("code_verifier", "")
        computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if computed != challenge or form.get("redirect_uri") != redirect_uri:
            raise ApiFailure(400, {"error": "invalid_grant", "error_description": "invalid code verifier or redirect"})
        refresh = "pkce-refresh-" + secrets.token_urlsafe(16)
        with self._lock:
            self.pkce_refresh_tokens.add(refresh)
            self.grants += 1
        return {
            "access_token": self.issue_token(),
            "token_type": "bearer",
            "expires_in": self.token_lifetime,
            "refresh_token": refresh,
            "account_id": "dbid:fake-account",
            "uid": "12345",
        }

    def _authorise(self, headers: Any) -> None:
        auth = headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        with self._lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            raise auth_error("invalid_access_token")
        if expiry <= time.monotonic():
            raise auth_error("expired_access_token")

    def _arg(self, route: str, headers: Any, body: bytes) -> dict[str, Any]:
        if route in CONTENT_ROUTES:
            raw = headers.get("Dropbox-API-Arg")
            if raw is None:
                raise ApiFailure(400, f'Error in call to API function "{route}": missing Dropbox-API-Arg header')
            if not raw.isascii():  # the real API refuses raw UTF-8 here: non-ASCII must be \\u-escaped
                raise ApiFailure(400, f'Error in call to API function "{route}": Dropbox-API-Arg must be ASCII')
            text = raw
        else:
            if headers.get("Content-Type", "").split(";")[0] != "application/json":
                raise ApiFailure(400, f'Error in call to API function "{route}": Bad HTTP "Content-Type" header')
            text = body.decode("utf-8")
        try:
            arg = json.loads(text)
        except ValueError:
            raise ApiFailure(400, f'Error in call to API function "{route}": could not decode input as JSON') from None
        if not isinstance(arg, dict):
            raise ApiFailure(400, f'Error in call to API function "{route}": expected an object')
        return arg

    def _route(self, route: str, arg: dict[str, Any], data: bytes) -> Any:
        if route in CONTENT_ROUTES and len(data) > MAX_REQUEST:
            raise route_error("payload_too_large")
        if arg.get("content_hash") is not None and arg["content_hash"] != content_hash(data):
            raise route_error("content_hash_mismatch")
        if route == "files/upload":
            mode = _tag(arg.get("mode", "add"))
            return self._write(arg["path"], data, mode, bool(arg.get("autorename")), upload=True)
        if route == "files/upload_session/start":
            session_id = secrets.token_hex(16)
            self.sessions[session_id] = UploadSession(bytearray(data), bool(arg.get("close")))
            return {"session_id": session_id}
        if route == "files/upload_session/append_v2":
            session = self._session(arg["cursor"], prefix=())
            session.data += data
            session.closed = bool(arg.get("close"))
            return None
        if route == "files/upload_session/finish":
            session = self._session(arg["cursor"], prefix=("lookup_failed",))
            commit = arg["commit"]
            session.data += data
            result = self._write(
                commit["path"], bytes(session.data), _tag(commit.get("mode", "add")), bool(commit.get("autorename"))
            )
            del self.sessions[arg["cursor"]["session_id"]]
            return result
        if route == "files/get_metadata":
            lower = self._check_path(arg["path"], "path")
            if lower in self.files:
                return self.files[lower].metadata(tagged=True)
            if lower in self.folders:
                return self._folder_metadata(lower)
            raise route_error("path", "not_found")
        if route == "files/delete_v2":
            lower = self._check_path(arg["path"], "path_lookup")
            if lower in self.files:
                self.writes += 1
                return {"metadata": self.files.pop(lower).metadata(tagged=True)}
            if lower in self.folders:
                metadata = self._folder_metadata(lower)
                inside = [p for p in (*self.files, *self.folders) if p == lower or p.startswith(lower + "/")]
                for p in inside:
                    self.files.pop(p, None)
                    self.folders.pop(p, None)
                self.writes += 1
                return {"metadata": metadata}
            raise route_error("path_lookup", "not_found")
        if route == "files/create_folder_v2":
            lower = self._check_path(arg["path"], "path")
            if lower in self.files or lower in self.folders:
                raise route_error("path", "conflict", "folder" if lower in self.folders else "file")
            self._make_parents(arg["path"] + "/x", "path")
            self.writes += 1
            return {"metadata": self._folder_metadata(lower)}
        raise AssertionError(route)

    def _session(self, cursor: dict[str, Any], prefix: tuple[str, ...]) -> UploadSession:
        session = self.sessions.get(cursor["session_id"])
        if session is None:
            raise route_error(*prefix, "not_found")
        if session.closed:
            raise route_error(*prefix, "closed")
        if cursor["offset"] != len(session.data):
            raise route_error(*prefix, "incorrect_offset", correct_offset=len(session.data))
        return session

    def _check_path(self, path: str, tag: str) -> str:
        """The lower-case key of a valid path, or the route's malformed_path error."""
        parts = path.split("/")
        if not path.startswith("/") or path == "/" or any(p in ("", ".", "..") for p in parts[1:]):
            raise route_error(tag, "malformed_path")
        return path.lower()

    def _make_parents(self, path: str, tag: str) -> str:
        """Create the missing parent folders (keeping existing folders' case); return the display path."""
        parts = path.split("/")[1:]
        display = ""
        for part in parts[:-1]:
            display += "/" + part
            lower = display.lower()
            if lower in self.files:
                raise route_error(tag, "conflict", "file_ancestor")
            display = self.folders.setdefault(lower, display)
        return f"{display}/{parts[-1]}"

    def _write(self, path: str, data: bytes, mode: str, autorename: bool, *, upload: bool = False) -> dict[str, Any]:
        """Commit a file, or raise the WriteError under "path" (files/upload wraps it in UploadWriteFailed)."""

        def fail(*tags: str) -> ApiFailure:
            failure = route_error("path", *tags)
            if upload:  # UploadError.path is a struct: {".tag": "path", "reason": <WriteError>, "upload_session_id"}
                error = failure.body["error"]
                failure.body["error"] = {".tag": "path", "reason": error["path"], "upload_session_id": "fake"}
            return failure

        lower = path.lower()
        try:
            self._check_path(path, "path")
        except ApiFailure:
            raise fail("malformed_path") from None
        name = path.rsplit("/", 1)[-1]
        if name.lower() in DISALLOWED_NAMES:
            raise fail("disallowed_name")
        if any(lower == f or lower.startswith(f + "/") for f in self.read_only):
            raise fail("no_write_permission")
        if lower in self.folders:
            raise fail("conflict", "folder")
        try:
            display = self._make_parents(path, "path")
        except ApiFailure:
            raise fail("conflict", "file_ancestor") from None
        existing = self.files.get(lower)
        if existing is not None:
            if existing.data == data:  # identical contents: nothing is written, no conflict, same rev
                return existing.metadata()
            if mode != "overwrite":
                if not autorename:
                    raise fail("conflict", "file")
                lower, display = self._free_name(display)
            else:
                display = existing.path_display
        used = sum(len(f.data) for p, f in self.files.items() if p != lower)
        if self.quota is not None and used + len(data) > self.quota:
            raise fail("insufficient_space")
        number = next(self._ids)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.corrupt_writes and data:
            self.corrupt_writes -= 1
            data = data[:-1] + bytes([data[-1] ^ 1])
        stored = StoredFile(
            display, data, existing.id if existing else f"id:fake{number:012d}", f"{number:015x}", stamp
        )
        self.files[lower] = stored
        self.writes += 1
        return stored.metadata()

    def _free_name(self, display: str) -> tuple[str, str]:
        folder, _, name = display.rpartition("/")
        stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
        for n in itertools.count(1):
            candidate = f"{folder}/{stem} ({n}){dot}{ext}"
            if candidate.lower() not in self.files:
                return candidate.lower(), candidate
        raise AssertionError("unreachable")

    def _file_for_read(self, path: str) -> StoredFile:
        lower = self._check_path(path, "path")
        if lower in self.folders:
            raise route_error("path", "not_file")
        stored = self.files.get(lower)
        if stored is None:
            raise route_error("path", "not_found")
        return stored

    def _folder_metadata(self, lower: str) -> dict[str, Any]:
        display = self.folders[lower]
        return {
            ".tag": "folder",
            "name": display.rsplit("/", 1)[-1],
            "id": f"id:folder{abs(hash(lower)) % 10**12:012d}",
            "path_lower": lower,
            "path_display": display,
        }


def _tag(value: Any) -> str:
    """A union value as the SDK sends it ({".tag": "add"}) or in the short form the API also accepts ("add")."""
    return str(value[".tag"]) if isinstance(value, dict) else str(value)


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeDropbox) -> None:
        self.fake = fake
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake happens in the connection's own thread, never in the accept loop.
        try:
            tls = self.fake._context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(tls, client_address)
        except (ssl.SSLError, OSError):
            pass
        finally:
            tls.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's pooled session expects
    disable_nagle_algorithm = True  # else a keep-alive answer's body waits ~40 ms for a delayed ACK
    server: _TLSServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        route = path.removeprefix("/2/") if path.startswith("/2/") else path.lstrip("/")
        try:
            status, headers, payload = self.server.fake.handle(route, self.headers.get("Host", ""), self.headers, body)
        except ConnectionAbortedError:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(status)
        headers = {"X-Dropbox-Request-Id": secrets.token_hex(8), **headers, "Content-Length": str(len(payload))}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ca-file", required=True, help="where to write the CA certificate to trust")
    parser.add_argument("--app-key", default="fake-app-key")
    parser.add_argument("--app-secret", default="fake-app-secret")
    parser.add_argument("--refresh-token", default="fake-refresh-token")
    options = parser.parse_args()
    fake = FakeDropbox(
        app_key=options.app_key,
        app_secret=options.app_secret,
        refresh_token=options.refresh_token,
        ca_file=options.ca_file,
        port=options.port,
    ).start()
    print(
        f"DROPBOX_API_HOST={fake.api_host} DROPBOX_API_CONTENT_HOST={fake.content_host} "
        f"COURIER_DROPBOX_CA_BUNDLE={fake.ca_file}",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
