"""Google Cloud Storage destination (JSON API, service-account key): streams a staged file into a bucket.

Files up to one chunk (8 MiB by default) are read and verified whole, then sent in one multipart request; larger
ones go through a resumable upload session in chunks (multiples of 256 KiB) read one at a time into a reused
buffer, so memory stays at about one chunk whatever the size. The last chunk is read, and so verified, before it
is sent, and only the last request finalises the object: a source that is short, corrupt or fails halfway never
completes a write, and the session is cancelled. ``if_exists`` skip/fail write with ``ifGenerationMatch=0``, which
GCS checks when the object is finalised: no race with another writer.

Of the DeliveryOptions this adapter applies content type, disposition, cache control, metadata, if_exists,
write_token and storage_class. GCS could also take make_public/acl (predefinedAcl, refused by buckets with
uniform bucket-level access) and customer-managed keys (kmsKeyName) instead of ``sse``; it has no object tags.
The registration layer refuses those options for GCS. HMAC keys go through the S3 adapter (XML API) instead.
"""

# mypy: disable-error-code="import-untyped,no-untyped-call"
# (google-cloud-storage ships no type information, so its objects are Any here; google-auth, api-core and
# google-crc32c ship py.typed but leave constructors and helpers such as from_http_response unannotated)

from __future__ import annotations

import base64
import contextlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import google_crc32c
from google.api_core import exceptions as api
from google.auth import exceptions as auth
from google.cloud import storage
from google.cloud.storage.retry import DEFAULT_RETRY

from courier.destinations.base import (
    AlreadyExistsError,
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
    VerifyingReader,
)
from courier.secrets.scrub import Scrubber

MiB = 1024 * 1024
CHUNK_MULTIPLE = 256 * 1024  # GCS takes resumable chunks in multiples of 256 KiB (all but the last)
DEFAULT_ENDPOINT = "https://storage.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/devstorage.read_write"  # objects only: no bucket or IAM changes
# Google's OAuth token endpoints: today's (in every key since 2018 and google-auth's default), then those older
# keys name. google-auth POSTs a signed JWT to the key's token_uri: any other URL would be a request of ours to a
# host the customer chose.
GOOGLE_TOKEN_URIS = frozenset(
    {
        "https://oauth2.googleapis.com/token",
        "https://accounts.google.com/o/oauth2/token",
        "https://www.googleapis.com/oauth2/v4/token",
    }
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REQUIRED_KEYS = ("client_email", "private_key", "token_uri")
# JSON metadata of objects written with if_exists skip/fail and a write token: the delivery that wrote them.
OWN_MARK = "render-courier-write"
MAX_MESSAGE = 300
# Retries inside the SDK stay short (idempotent reads and deletes only): our delivery loop decides about retrying.
SHORT_RETRY = DEFAULT_RETRY.with_delay(initial=0.5, maximum=2.0).with_timeout(8.0)
ACCESS = "the service account needs storage.objects.create, get and delete on the bucket (e.g. Storage Object User)"
PERMANENT_STATUS = {
    400: "the storage refused the request as invalid",
    401: "Google refused the access token: check the service account key",
    403: f"access denied: {ACCESS}",
    404: "the bucket does not exist, or the service account may not see it",
    412: "the object changed while it was written (precondition failed)",
}
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")  # GCS's rule (dotted names may be up to 222)
HASH_MISMATCH = re.compile(r"(CRC32C|MD5)\b.*\bdoesn't match", re.IGNORECASE)


def build_gcs_client(
    *,
    credentials_info: dict[str, Any] | None,
    endpoint: str | None = None,
    connect_timeout: float = 10,
    read_timeout: float = 60,
    allow_local: bool = False,
) -> Any:
    """A ``google.cloud.storage.Client`` signing in with a service-account key (the key file's JSON).

    Raises PermanentDeliveryError, naming what is wrong, for anything but a complete ``service_account`` key whose
    token_uri is Google's. ``allow_local`` (tests, the local stack) also admits a loopback token_uri and endpoint,
    and ``credentials_info=None`` (anonymous, for an emulator). ``endpoint``: e.g. a Private Service Connect one.
    The timeouts apply to every request a GcsDestination on this client sends, the token endpoint's included.
    """
    from google.auth.credentials import AnonymousCredentials
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    if credentials_info is None:
        if not allow_local:
            raise PermanentDeliveryError("the storage holds no service account key")
        credentials: Any = AnonymousCredentials()
    else:
        info = _checked_key(credentials_info, allow_local)
        try:
            credentials = service_account.Credentials.from_service_account_info(info, scopes=[SCOPE])
        except (ValueError, TypeError, auth.GoogleAuthError):  # never quote it: the message may hold key material
            raise PermanentDeliveryError("the service account key's private_key is not a valid PEM key") from None
    endpoint = _checked_endpoint(endpoint or DEFAULT_ENDPOINT, allow_local)
    token_session = Request()
    token_session.session.trust_env = False  # proxy and CA variables: what to trust is decided here only
    session: Any = AuthorizedSession(
        credentials, auth_request=token_session, refresh_timeout=connect_timeout + read_timeout
    )
    session.trust_env = False
    key = credentials_info or {}
    session.courier_secrets = (key.get("private_key"), key.get("private_key_id"))  # see client_secrets
    session.courier_timeout = (connect_timeout, read_timeout)  # GcsDestination's default
    client = storage.Client(
        project=None,  # objects only: no project is looked up (nor guessed from the environment)
        credentials=credentials,
        _http=session,
        client_options={"api_endpoint": endpoint},  # set explicitly, so STORAGE_EMULATOR_HOST cannot redirect it
    )
    # Off: for telemetry the SDK GETs each bucket's metadata from a background thread (a request we did not ask
    # for, needing storage.buckets.get, racing the first token refresh, frozen with the Lambda between invocations).
    client._bucket_metadata_cache = None
    return client


def _checked_endpoint(endpoint: str, allow_local: bool) -> str:
    parts = urlsplit(endpoint)
    local = allow_local and parts.hostname in LOCAL_HOSTS and parts.scheme in ("http", "https")
    google = parts.scheme == "https" and (parts.hostname or "").endswith(".googleapis.com") and not parts.port
    if not (local or google) or parts.username or parts.path.strip("/") or parts.query:
        raise PermanentDeliveryError("the storage endpoint must be an https://….googleapis.com address")
    return endpoint.rstrip("/")


def _checked_key(info: dict[str, Any], allow_local: bool) -> dict[str, Any]:
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise PermanentDeliveryError('the key is not a service account key (its "type" must be "service_account")')
    missing = [name for name in REQUIRED_KEYS if not isinstance(info.get(name), str) or not info[name]]
    if missing:
        raise PermanentDeliveryError(f"the service account key lacks {', '.join(missing)}: use the whole key file")
    if info.get("universe_domain", "googleapis.com") != "googleapis.com":
        raise PermanentDeliveryError("only service accounts of Google Cloud's googleapis.com universe are supported")
    token_uri = info["token_uri"]
    parts = urlsplit(token_uri)
    local = allow_local and parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS
    if token_uri not in GOOGLE_TOKEN_URIS and not local:
        raise PermanentDeliveryError(
            "the service account key's token_uri is not Google's (https://oauth2.googleapis.com/token): use the key "
            "file as Google Cloud created it"
        )
    return info


class GcsDestination:
    """One bucket, reached through a client built by ``build_gcs_client``. ``Delivered.etag`` is the object's
    generation (its version number: a new one for every write)."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        chunk_size: int = 8 * MiB,
        probe_prefix: str = "",
        timeout: tuple[float, float] | None = None,
    ) -> None:
        if chunk_size <= 0 or chunk_size % CHUNK_MULTIPLE:
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        if not BUCKET_NAME.fullmatch(bucket):  # the SDK puts it in request paths unquoted
            raise PermanentDeliveryError(f"the bucket name is not valid: {bucket[:64]!r}")
        self._client = client
        self._bucket = client.bucket(bucket)
        self._chunk = chunk_size
        self._probe_prefix = probe_prefix.strip("/")
        # (connect, read) seconds of each request, the token's included: by default those build_gcs_client was given
        self._timeout = timeout or getattr(client._http, "courier_timeout", (10.0, 60.0))

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        if options.if_exists != "overwrite" and options.write_token:
            # Marked as this delivery's, so that a retry after a lost answer recognises it (see _taken).
            options = replace(options, metadata={**options.metadata, OWN_MARK: options.write_token})
        generation_match = None if options.if_exists == "overwrite" else 0
        blob = self._blob(key, options)
        try:
            if generation_match == 0:
                existing = self._existing(key)  # a taken name costs no upload; the precondition closes the race
                if existing is not None:
                    return self._taken(key, source, options, existing)
            with source.open() as stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                if source.size <= self._chunk:
                    data = _staged(lambda: reader.read(source.size + 1))  # one more: a stream running long fails
                    blob.upload_from_string(
                        data,
                        content_type=options.content_type,
                        if_generation_match=generation_match,
                        checksum="crc32c",  # GCS checks it before it stores the object
                        timeout=self._timeout,
                        retry=None,
                    )
                    stored = {"size": blob.size, "generation": blob.generation}
                else:
                    stored = self._resumable(blob, reader, source.size, options, generation_match)
        except api.PreconditionFailed:
            return self._taken(key, source, options)
        except DestinationError:
            raise
        except Exception as exc:  # every SDK failure becomes one of our two error kinds
            raise self._error(exc) from exc
        if int(stored.get("size") or 0) != source.size:
            raise RetryableDeliveryError(f"the stored object has {stored.get('size')} bytes, not {source.size}")
        return Delivered(
            location=f"gs://{self._bucket.name}/{key}",
            size=reader.size,
            checksum=reader.checksum,
            etag=str(stored.get("generation") or "") or None,
        )

    def probe(self) -> None:
        """Write, read back and delete a small object under the storage's prefix."""
        key = "/".join(p for p in (self._probe_prefix, f".render-courier-probe-{uuid.uuid4().hex}.txt") if p)
        body = b"Render Courier checks that it can deliver here; this object is deleted at once.\n"
        blob = self._bucket.blob(key)
        try:
            blob.upload_from_string(
                body, content_type="text/plain", if_generation_match=0, timeout=self._timeout, retry=None
            )
            read = blob.download_as_bytes(timeout=self._timeout, retry=SHORT_RETRY)
            blob.delete(timeout=self._timeout, retry=SHORT_RETRY)
        except Exception as exc:
            raise self._error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("the storage returned different bytes than were written")

    def _error(self, exc: BaseException) -> DestinationError:
        return map_error(exc, client_secrets(self._client))

    def _blob(self, key: str, options: DeliveryOptions) -> Any:
        blob = self._bucket.blob(key)
        blob.content_type = options.content_type
        blob.content_disposition = options.content_disposition
        blob.cache_control = options.cache_control
        blob.metadata = dict(options.metadata) or None
        blob.storage_class = options.storage_class
        return blob

    def _resumable(
        self, blob: Any, reader: VerifyingReader, size: int, options: DeliveryOptions, generation_match: int | None
    ) -> dict[str, Any]:
        """One resumable session, fed chunk by chunk from a reused buffer; cancelled unless it completes."""
        url = blob.create_resumable_upload_session(
            content_type=options.content_type,
            size=size,
            timeout=self._timeout,
            checksum=None,  # sent with the last chunk instead (X-Goog-Hash), when it is known
            if_generation_match=generation_match,
            retry=None,
        )
        if urlsplit(url).netloc != urlsplit(self._client.api_endpoint).netloc:
            raise PermanentDeliveryError("the storage answered with an upload session on another host")
        http = self._client._http  # the client's AuthorizedSession: the same credentials and token
        crc = google_crc32c.Checksum()
        buffer = bytearray(self._chunk)
        offset = 0
        try:
            while True:
                count = _staged(lambda: reader.readinto(buffer))  # the last chunk is verified before it is sent
                if count < len(buffer):
                    del buffer[count:]
                for start in range(0, count, MiB):  # the C extension takes bytes only: 1 MiB copies, not a chunk
                    crc.update(bytes(buffer[start : start + MiB]))
                headers = {"Content-Range": f"bytes {offset}-{offset + count - 1}/{size}"}
                last = offset + count == size
                if last:
                    headers["X-Goog-Hash"] = f"crc32c={base64.b64encode(crc.digest()).decode()}"
                response = http.put(url, data=buffer, headers=headers, timeout=self._timeout)
                offset += count
                if last and response.status_code in (200, 201):
                    resource: dict[str, Any] = response.json()
                    break
                if last or response.status_code != 308:
                    raise api.from_http_response(response)
                if response.headers.get("Range") != f"bytes=0-{offset - 1}":
                    raise RetryableDeliveryError("GCS kept fewer bytes of a chunk than were sent")
        except BaseException:
            with contextlib.suppress(Exception):
                http.delete(url, timeout=self._timeout)  # cancel: nothing was finalised, nothing is left
            raise
        remote = resource.get("crc32c")
        if remote and remote != base64.b64encode(crc.digest()).decode():
            with contextlib.suppress(Exception):
                blob.delete(if_generation_match=resource.get("generation"), timeout=self._timeout, retry=None)
            raise RetryableDeliveryError("the stored object's CRC32C differs from the bytes sent")
        return resource

    def _existing(self, key: str) -> Any:
        return self._bucket.get_blob(key, timeout=self._timeout, retry=SHORT_RETRY)

    def _taken(self, key: str, source: StagedFile, options: DeliveryOptions, existing: Any = None) -> Delivered:
        """The name is taken. By an earlier try of this very delivery (same write token: its answer was lost), the
        delivery is done; by anything else, skip or fail as asked."""
        location = f"gs://{self._bucket.name}/{key}"
        if existing is None and options.write_token:
            try:
                existing = self._existing(key)
            except Exception as exc:
                raise self._error(exc) from exc
        if (
            options.write_token
            and existing is not None
            and (existing.metadata or {}).get(OWN_MARK) == options.write_token
            and existing.size == source.size
        ):
            return Delivered(location, source.size, source.checksum, etag=str(existing.generation))
        if options.if_exists == "fail":
            raise AlreadyExistsError(f"an object already exists at {key}; nothing was written (ifExists: fail)")
        return Delivered(location=location, size=0, checksum="", already_existed=True)


def _staged[T](read: Callable[[], T]) -> T:
    """A read of staging: its failures are staging's, not the storage's (a reset connection to S3 is no GCS error)."""
    try:
        return read()
    except DestinationError:
        raise
    except Exception as exc:
        raise RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})") from exc


def client_secrets(client: Any) -> list[str]:
    """What ``client`` holds that a reason must never quote: the service account's private key and its id, and the
    access token as last refreshed (read when an error is being translated). None for a client not built here."""
    http = getattr(client, "_http", None)
    token = getattr(getattr(http, "credentials", None), "token", None)
    return [str(value) for value in (*getattr(http, "courier_secrets", ()), token) if value]


def map_error(exc: BaseException, secrets: Iterable[str] = ()) -> DestinationError:
    """Translate a google-auth, api-core or transport error into ours, scrubbed of ``secrets``."""
    if isinstance(exc, DestinationError):
        return exc
    error = _translate(exc)
    shown = Scrubber(secrets)(error.reason)
    return error if shown == error.reason else type(error)(shown, error.retry_after)


def _translate(exc: BaseException) -> DestinationError:
    import requests
    from google.cloud.storage import exceptions as media

    if isinstance(exc, auth.RefreshError):
        if getattr(exc, "retryable", False):
            return RetryableDeliveryError("Google's token endpoint could not issue a token now")
        said = " ".join(str(exc.args[0] if exc.args else "").split())[:MAX_MESSAGE]
        return PermanentDeliveryError(f"the service account key was refused ({said}): create a new key")
    if isinstance(exc, auth.TransportError):
        return RetryableDeliveryError(f"{type(exc).__name__}: Google's token endpoint could not be reached")
    if isinstance(exc, api.GoogleAPICallError):
        status = int(exc.code or 0)
        message = _server_message(exc)
        rate_limited = any("ratelimit" in str(e.get("reason", "")).lower() for e in exc.errors if isinstance(e, dict))
        if status in (408, 409, 429) or status >= 500 or HASH_MISMATCH.search(message) or rate_limited:
            retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
            seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
            said = f": {message}" if message else ""
            return RetryableDeliveryError(f"{type(exc).__name__}: the storage answered {status}{said}", seconds)
        hint = PERMANENT_STATUS.get(status, f"the storage refused the write ({status})")
        return PermanentDeliveryError(f"{type(exc).__name__}: {hint}" + (f" ({message})" if message else ""))
    if isinstance(exc, media.DataCorruption):
        return RetryableDeliveryError("the storage's checksum differs from the bytes sent")
    if isinstance(exc, (requests.exceptions.RequestException, api.RetryError, ConnectionError, TimeoutError)):
        return RetryableDeliveryError(f"{type(exc).__name__}: the storage could not be reached")
    return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


def _server_message(exc: api.GoogleAPICallError) -> str:
    """The message of GCS's JSON error, without the request's URL (which api-core puts in front of it)."""
    try:
        message = str(exc.response.json()["error"]["message"]) if exc.response is not None else ""
    except Exception:
        message = ""
    return " ".join(message.split())[:MAX_MESSAGE]
