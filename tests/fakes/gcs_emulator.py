"""A Google Cloud Storage JSON API for tests: gcp-storage-emulator (PyPI) in a subprocess on 127.0.0.1, made
stricter where the GCS adapter depends on GCS's behaviour, and a local OAuth token endpoint for service accounts.

    with GcsEmulator() as gcs, TokenServer() as tokens:
        gcs.create_bucket("customer-bucket")
        key = tokens.new_key()  # a service-account key file's JSON whose token_uri is this server
        destination, read = gcs_harness(gcs, tokens)

What the emulator lacks and this wrapper adds (run as ``python gcs_emulator.py``, it patches the emulator's
handlers before serving):

- ``ifGenerationMatch``: the emulator ignores every precondition and overwrites. Here a media/multipart insert,
  and a resumable upload when its last chunk would finalise the object, answer 412 conditionNotMet like GCS when
  the object's generation is not the one asked for (0: no live object).
- Cancelling a resumable session (DELETE on the session URI, 499 on GCS): the emulator answers 501. Here the session
  is dropped and 499 answered; a later PUT to it gets 404.
- Seeing the requests: GCS checks the bearer token, the emulator accepts anything. Every request's method, path,
  query and Authorization header is recorded; ``requests()`` reads them back (GET /_courier/requests).

What it supports as it is: multipart and media uploads; resumable uploads in several chunks (308 with Range until
the last); content type, disposition, cache control, custom metadata and storage class on the object (from the JSON
metadata of an upload); crc32c/md5 checked against the metadata of a multipart upload (400 on a mismatch), crc32c
and md5Hash in the answer; get, download (with x-goog-meta-* headers), list and delete of objects; buckets.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

PRECONDITION_FAILED = {
    "error": {
        "code": 412,
        "message": "At least one of the pre-conditions you specified did not hold.",
        "errors": [
            {
                "domain": "global",
                "reason": "conditionNotMet",
                "message": "At least one of the pre-conditions you specified did not hold.",
                "locationType": "header",
                "location": "If-Match",
            }
        ],
    }
}


class GcsEmulatorError(RuntimeError):
    """The emulator did not come up; the message carries the end of its log."""


@dataclass
class GcsEmulator:
    """gcp-storage-emulator, in memory, in its own process (its HTTP server answers one request at a time)."""

    startup_timeout: float = 20.0
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> GcsEmulator:
        self._tmp = tempfile.TemporaryDirectory(prefix="gcs-emulator-")
        ready, log = Path(self._tmp.name) / "port", Path(self._tmp.name) / "emulator.log"
        with open(log, "ab") as out:
            # The child binds port 0 and writes the port it got: no race for a port picked free beforehand.
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--ready-file", str(ready)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if ready.exists():
                self.port = int(ready.read_text())
                with contextlib.suppress(OSError):
                    if self._get("/") == b"OK":
                        return self
            time.sleep(0.05)
        tail = log.read_text(errors="replace")[-3000:]
        self.stop()
        raise GcsEmulatorError(f"gcp-storage-emulator did not answer in {self.startup_timeout} s:\n{tail}")

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
            self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> GcsEmulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ plain HTTP, independent of the adapter's SDK

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.endpoint + path, timeout=10) as answer:  # noqa: S310 - our 127.0.0.1
            return bytes(answer.read())

    def create_bucket(self, name: str) -> None:
        body = json.dumps({"name": name}).encode()
        request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 endpoint
            f"{self.endpoint}/storage/v1/b?project=test", data=body, headers={"Content-Type": "application/json"}
        )
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310

    def object(self, bucket: str, key: str) -> dict[str, Any] | None:
        """The object's JSON resource (size, generation, contentType, metadata…), None when there is none."""
        try:
            return dict(json.loads(self._get(f"/storage/v1/b/{bucket}/o/{quote(key, safe='')}")))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def read(self, bucket: str, key: str) -> bytes | None:
        try:
            return self._get(f"/download/storage/v1/b/{bucket}/o/{quote(key, safe='')}?alt=media")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def names(self, bucket: str) -> list[str]:
        listed = json.loads(self._get(f"/storage/v1/b/{bucket}/o"))
        return [str(item["name"]) for item in listed.get("items") or []]

    def requests(self) -> list[dict[str, Any]]:
        """Every request so far: {"method", "path", "query" (parsed), "authorization"}."""
        return list(json.loads(self._get("/_courier/requests")))

    def session_status(self, session_url: str) -> int:
        """The status a PUT asking for a resumable session's progress gets (308 open, 404 gone)."""
        headers = {"Content-Range": "bytes */*"}
        request = urllib.request.Request(session_url, data=b"", method="PUT", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)


# ------------------------------------------------------------ the OAuth token endpoint of service accounts


@dataclass
class TokenCall:
    claims: dict[str, Any]
    signature_valid: bool
    token: str | None  # what was issued, None when refused


class TokenServer:
    """Google's OAuth token endpoint for the JWT-bearer grant, on 127.0.0.1: checks the assertion's RS256
    signature against the public key of the service account it names and answers an access token, or
    invalid_grant for a key it was told to refuse (optionally echoing ``echo`` in the description, as a hostile
    or careless endpoint could). ``calls`` records every request."""

    def __init__(self) -> None:
        self.calls: list[TokenCall] = []
        self._keys: dict[str, Any] = {}
        self._refused: dict[str, str] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = server._answer(parse_qs(body.decode()))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def token_uri(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/token"

    def __enter__(self) -> TokenServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def new_key(self, email: str | None = None) -> dict[str, Any]:
        """A throwaway service-account key file's JSON (RSA 2048) naming this server as its token_uri."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        email = email or f"courier-{os.urandom(4).hex()}@test-project.iam.gserviceaccount.com"
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        self._keys[email] = private.public_key()
        return {
            "type": "service_account",
            "project_id": "test-project",
            "private_key_id": os.urandom(20).hex(),
            "private_key": pem,
            "client_email": email,
            "client_id": "1" * 21,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "universe_domain": "googleapis.com",
        }

    def refuse(self, email: str, echo: str = "") -> None:
        """Answer invalid_grant for this service account from now on (a deleted or disabled key)."""
        self._refused[email] = echo

    def calls_for(self, email: str) -> list[TokenCall]:
        return [call for call in self.calls if call.claims.get("iss") == email]

    def _answer(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        grant = (form.get("grant_type") or [""])[0]
        assertion = (form.get("assertion") or [""])[0]
        claims, valid = self._verify(assertion)
        email = str(claims.get("iss", ""))
        token = None
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            answer: tuple[int, dict[str, Any]] = (400, {"error": "unsupported_grant_type"})
        elif not valid or email in self._refused:
            description = f"Invalid JWT Signature. {self._refused.get(email, '')}".strip()
            answer = (400, {"error": "invalid_grant", "error_description": description})
        else:
            token = f"ya29.local-{os.urandom(16).hex()}"
            answer = (200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})
        with self._lock:
            self.calls.append(TokenCall(claims, valid, token))
        return answer

    def _verify(self, assertion: str) -> tuple[dict[str, Any], bool]:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        def decode(part: str) -> bytes:
            return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

        try:
            header, payload, signature = assertion.split(".")
            claims = dict(json.loads(decode(payload)))
        except ValueError:
            return {}, False
        key = self._keys.get(str(claims.get("iss")))
        if key is None or json.loads(decode(header)).get("alg") != "RS256":
            return claims, False
        try:
            key.verify(decode(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return claims, False
        now = time.time()
        # google-auth names Google's endpoint as the audience whatever the key's token_uri
        audience = claims.get("aud") in (self.token_uri, "https://oauth2.googleapis.com/token")
        fresh = audience and claims.get("iat", 0) - 60 <= now < claims.get("exp", 0)
        return claims, bool(fresh)


def gcs_harness(
    emulator: GcsEmulator, tokens: TokenServer, *, chunk: int = 256 * 1024
) -> tuple[Any, Callable[[str], bytes | None]]:
    """A GcsDestination on a fresh bucket of ``emulator``, signing in with a new service-account key through
    ``tokens`` (the real JWT-bearer path), and how to read back what a key holds: for the contract suite, e.g.
    ``Harness("gcs-emulator", chunk, lambda key: (destination, key), read)``."""
    from courier.destinations.gcs import GcsDestination
    from courier.destinations.gcs_client import build_gcs_client

    bucket = f"contract-{os.urandom(4).hex()}"
    emulator.create_bucket(bucket)
    client = build_gcs_client(
        credentials_info=tokens.new_key(),
        endpoint=emulator.endpoint,
        connect_timeout=5,
        read_timeout=30,
        allow_local=True,
    )
    destination = GcsDestination(client, bucket, chunk_size=chunk)
    return destination, lambda key: emulator.read(bucket, key)


# ------------------------------------------------------------ the emulator's process


def _serve(ready_file: Path) -> None:
    """Patch gcp-storage-emulator as described above, serve on a free port of 127.0.0.1, write the port."""
    from http import HTTPStatus
    from types import SimpleNamespace

    from gcp_storage_emulator import server as gcs  # type: ignore[import-untyped]
    from gcp_storage_emulator.exceptions import NotFound  # type: ignore[import-untyped]
    from gcp_storage_emulator.handlers import objects  # type: ignore[import-untyped]
    from gcp_storage_emulator.storage import RESUMABLE_DIR  # type: ignore[import-untyped]

    seen: list[dict[str, Any]] = []
    original_handle, original_insert, original_partial = gcs.Router.handle, objects.insert, objects.upload_partial

    def handle(router: Any, method: str) -> None:
        handler = router._request_handler
        parts = urlsplit(handler.path)
        if parts.path == "/_courier/requests":
            response = gcs.Response(handler)
            response.json(seen)
            response.close()
            return
        method = handler.headers.get("x-http-method-override") or method
        authorization = handler.headers.get("Authorization")
        seen.append(
            {"method": method, "path": parts.path, "query": parse_qs(parts.query), "authorization": authorization}
        )
        original_handle(router, method)

    def taken(request: Any, storage: Any, bucket: str, name: str) -> bool:
        wanted = request.query.get("ifGenerationMatch")
        if not wanted:
            return False
        try:
            current = str(storage.get_file_obj(bucket, name).get("generation"))
        except NotFound:
            current = "0"
        return bool(current != wanted[0])

    def refuse(response: Any) -> None:
        response.status = HTTPStatus.PRECONDITION_FAILED
        response.json(PRECONDITION_FAILED)

    def insert(request: Any, response: Any, storage: Any, *args: Any, **kwargs: Any) -> Any:
        kind = (request.query.get("uploadType") or [""])[0]
        if kind in ("media", "multipart") and "upload_id" not in request.query:
            name = (request.query.get("name") or [None])[0]
            if name is None and kind == "multipart" and isinstance(request.data, dict):
                name = request.data["meta"].get("name")
            if name and taken(request, storage, request.params["bucket_name"], name):
                return refuse(response)
        return original_insert(request, response, storage, *args, **kwargs)

    def upload_partial(request: Any, response: Any, storage: Any, *args: Any, **kwargs: Any) -> Any:
        upload_id = (request.query.get("upload_id") or [""])[0]
        try:
            obj = storage.get_resumable_file_obj(upload_id)
        except NotFound:
            response.status = HTTPStatus.NOT_FOUND
            return None
        parsed = objects._parse_resumable_content_range(request.get_header("Content-Range", "") or "")
        received = storage.get_resumable_byte_count(upload_id) + len(request.data or b"")
        finalises = parsed is None or (parsed["total"] is not None and received >= parsed["total"])
        if finalises and taken(request, storage, obj["bucket"], obj["name"]):
            return refuse(response)
        return original_partial(request, response, storage, *args, **kwargs)

    def cancel(request: Any, response: Any, storage: Any, *args: Any, **kwargs: Any) -> None:
        upload_id = (request.query.get("upload_id") or [""])[0]
        try:
            storage.delete_resumable_file_obj(upload_id)
        except NotFound:
            response.status = HTTPStatus.NOT_FOUND
            return
        with contextlib.suppress(Exception):
            storage._delete_file(RESUMABLE_DIR, storage.safe_id(upload_id))
        response.status = SimpleNamespace(value=499, phrase="Client Closed Request")

    gcs.Router.handle = handle
    objects.insert, objects.upload_partial = insert, upload_partial  # also what the emulator calls by name
    for _, handlers in gcs.HANDLERS:
        for verb, function in list(handlers.items()):
            if function is original_insert:
                handlers[verb] = insert
            elif function is original_partial:
                handlers[verb] = upload_partial
                handlers["DELETE"] = cancel
    server = gcs.create_server("127.0.0.1", 0, in_memory=True)
    server.start()
    partial = ready_file.with_suffix(".partial")
    partial.write_text(str(server._api._httpd.server_address[1]))
    partial.rename(ready_file)  # whole or absent: the parent never reads half a port number
    threading.Event().wait()  # until SIGTERM or SIGKILL ends the process


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="gcp-storage-emulator, patched as this module's docstring says")
    parser.add_argument("--ready-file", type=Path, required=True)
    _serve(parser.parse_args().ready_file)
