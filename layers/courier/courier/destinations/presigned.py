"""Presigned URL destination: one streamed PUT to a URL the customer signed (S3/R2 SigV4, GCS signed URL, Azure SAS).

The URL is a credential: it is never logged, shown or returned; receipts and errors name scheme, host and path only.
"""

from __future__ import annotations

import html
import http.client
import re
import ssl
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from courier.destinations.base import (
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
    VerifyingReader,
)
from courier.net.pinned import put_stream, retry_after_seconds
from courier.net.policy import BlockedURLError, CheckedURL, HostLookupError, Resolver, check_url, redact
from courier.secrets.scrub import Scrubber

MiB = 1024 * 1024
GiB = 1024 * MiB
MAX_SINGLE_PUT = 5 * GiB  # S3 PutObject (and so every S3-compatible presigned PUT)
AZURE_MAX_PUT_BLOB = 5000 * MiB  # Put Blob, service version 2019-12-12 and later
AZURE_HOSTS = (".blob.core.windows.net", ".blob.core.usgovcloudapi.net", ".blob.core.chinacloudapi.cn")
# Headers the transport owns: a declared value could only break the request (or smuggle a chunked body).
TRANSPORT_HEADERS = {"transfer-encoding", "connection", "expect", "te", "upgrade", "keep-alive", "trailer"}
# Declared headers whose values describe the object and carry no credential: servers quote them in ordinary messages.
DESCRIPTIVE_HEADERS = {
    "content-type",
    "content-disposition",
    "content-encoding",
    "content-language",
    "cache-control",
    "x-amz-acl",
    "x-amz-storage-class",
    "x-ms-blob-type",
    "x-goog-acl",
}
TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

EXPIRED = "the presigned URL has expired: create a new one (S3 presigned URLs live at most 7 days)"
SIGNATURE = (
    "the storage refused the URL's signature ({code}): the URL was changed, or a signed header (e.g. Content-Type)"
    " differs from the declared headers; declare exactly the headers the URL was signed with"
)
KNOWN_CODES = {
    "AccessDenied": "the storage denied the write (AccessDenied): the URL's signer may not write there",
    "AuthorizationFailure": "the storage denied the write (AuthorizationFailure): the SAS does not allow it",
    "AuthorizationPermissionMismatch": "the SAS does not grant write permission (AuthorizationPermissionMismatch)",
    "InvalidAccessKeyId": "the URL was signed with an unknown access key (InvalidAccessKeyId)",
    "NoSuchBucket": "the URL's bucket does not exist (NoSuchBucket)",
    "ContainerNotFound": "the URL's container does not exist (ContainerNotFound)",
    "EntityTooLarge": "the file is larger than the storage accepts in one PUT (EntityTooLarge)",
    "MissingContentLength": "the storage did not get a Content-Length (MissingContentLength)",
}
RETRYABLE_CODES = {"RequestTimeout", "SlowDown", "InternalError", "ServiceUnavailable", "ServerBusy"}


class PresignedUrlDestination:
    """Writes to one presigned URL. ``key`` is ignored: the URL names the object.

    Sends the declared ``headers`` exactly (they may be signed), plus Content-Type from the delivery options when
    the declared headers have none, and ``x-ms-blob-type: BlockBlob`` for an Azure SAS URL when not declared. Other
    delivery options (disposition, cache control, metadata, ACL, if_exists) are not applied: a signed URL fixes
    what may be sent, so they belong in the URL's signature and declared headers.
    """

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        allow_local: bool = False,
        ca_file: str | None = None,
        timeout: float = 60,
        resolver: Resolver | None = None,
    ) -> None:
        self._url = url
        self._headers = dict(headers)
        self._allow_local = allow_local
        self._ca_file = ca_file
        self._timeout = timeout
        self._resolver = resolver
        self._scrubber: Scrubber | None = None  # built at the first refusal to scrub

    def __repr__(self) -> str:
        return f"PresignedUrlDestination({redact(self._url)!r})"

    @property
    def location(self) -> str:
        return redact(self._url)

    def probe(self) -> None:
        """Nothing is written: a presigned URL is single-purpose (often single-use and short-lived), and a test
        object would take the name the customer signed for. Checks only that the URL passes the outbound policy
        and that the declared headers can be sent. Raises PermanentDeliveryError / RetryableDeliveryError."""
        checked = self._check()
        self._request_headers(checked, "application/octet-stream", 0)

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        del key  # the URL is the object's name
        limit, store = (AZURE_MAX_PUT_BLOB, "Azure Put Blob") if self._is_azure() else (MAX_SINGLE_PUT, "S3")
        if source.size > limit:
            raise PermanentDeliveryError(
                f"the file is {source.size} bytes, more than one {store} PUT takes through a presigned URL"
                f" ({limit // MiB} MiB): use an S3 storage for files over 5 GB"
            )
        checked = self._check()
        headers = self._request_headers(checked, options.content_type, source.size)
        try:
            stream = source.open()
        except Exception as exc:
            raise RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})") from exc
        try:
            with stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                status, answer, body = put_stream(
                    checked, _StagingReader(reader), source.size, headers, timeout=self._timeout, cafile=self._ca_file
                )
        except DestinationError:
            raise  # the staged bytes did not verify (IntegrityError): the connection was reset, nothing stored
        except Exception as exc:
            raise self._map_exception(exc, checked.host) from None
        if not 200 <= status < 300:
            raise self._map_answer(status, answer, body)
        etag = answer.get("etag", "").strip('"') or None
        return Delivered(location=self.location, size=reader.size, checksum=reader.checksum, etag=etag)

    def _check(self) -> CheckedURL:
        try:
            return check_url(self._url, allow_local=self._allow_local, resolver=self._resolver)
        except HostLookupError as exc:
            if exc.temporary:
                raise RetryableDeliveryError(exc.reason) from None
            raise PermanentDeliveryError(exc.reason) from None
        except BlockedURLError as exc:
            raise PermanentDeliveryError(exc.reason) from None

    def _is_azure(self) -> bool:
        parts = urlsplit(self._url)
        host = (parts.hostname or "").lower()
        return host.endswith(AZURE_HOSTS) and any(name == "sig" for name, _ in parse_qsl(parts.query))

    def _request_headers(self, checked: CheckedURL, content_type: str, size: int) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in self._headers.items():
            lower = name.lower()
            if not TOKEN.match(name) or any(c in value for c in "\r\n\0"):
                raise PermanentDeliveryError(f"the declared header {name[:40]!r} is not a valid HTTP header")
            if lower in TRANSPORT_HEADERS:
                raise PermanentDeliveryError(f"the declared header {name} cannot be set: the transport sets it")
            if lower == "host":
                if value.lower() not in {checked.host, f"{checked.host}:{checked.port}"}:
                    raise PermanentDeliveryError("the declared Host header names another host than the URL")
                continue  # http.client sends Host from the URL
            if lower == "content-length":
                if value.strip() != str(size):
                    raise PermanentDeliveryError(
                        f"the URL was signed for {value.strip()[:20]} bytes but the file has {size}: sign it again"
                    )
                continue  # put_stream sends it
            headers[name] = value
        declared = {name.lower() for name in headers}
        if "content-type" not in declared and not self._signs_content_type_implicitly():
            headers["Content-Type"] = content_type
        if "x-ms-blob-type" not in declared and self._is_azure():
            headers["x-ms-blob-type"] = "BlockBlob"  # Put Blob refuses a request without a blob type
        return headers

    def _signs_content_type_implicitly(self) -> bool:
        # V2 signatures (S3 "AWSAccessKeyId", GCS "GoogleAccessId") always sign Content-Type, empty when the signer
        # gave none: adding one would break the signature.
        names = {name for name, _ in parse_qsl(urlsplit(self._url).query)}
        return "Signature" in names and bool(names & {"AWSAccessKeyId", "GoogleAccessId"})

    def _map_answer(self, status: int, headers: Mapping[str, str], body: bytes) -> DestinationError:
        text = body.decode("utf-8", "replace")
        # Decided on the server's words as written; only scrubbed words are ever shown (see _scrub).
        code = (_element(text, "Code") or headers.get("x-ms-error-code", "")).strip()
        message = " ".join(
            filter(None, (_element(text, n) for n in ("Message", "AuthenticationErrorDetail", "Details")))
        )
        retry_after = retry_after_seconds(headers.get("retry-after"))
        if status in (408, 429) or status >= 500 or code in RETRYABLE_CODES:
            return RetryableDeliveryError(
                f"the storage answered {status} {self._scrub(code)[:64]}".rstrip(), retry_after
            )
        if code in {"ExpiredToken", "ExpiredRequest"} or "expired" in message.lower():
            return PermanentDeliveryError(EXPIRED)
        if code == "AuthenticationFailed" and "expir" in message.lower():
            return PermanentDeliveryError(EXPIRED)
        if code in {"SignatureDoesNotMatch", "AuthenticationFailed"}:
            return PermanentDeliveryError(SIGNATURE.format(code=code))
        if code in KNOWN_CODES:
            return PermanentDeliveryError(KNOWN_CODES[code])
        detail = self._scrub(message)[:200]
        return PermanentDeliveryError(
            f"the storage refused the write: {status} {self._scrub(code)[:64]} {detail}".strip()
        )

    def _scrub(self, text: str) -> str:
        """``text`` without any run of 8+ characters of a secret of the URL or the declared headers, however a server
        spelled it, nor any access key id. A server may quote the request it refused, whole or in part."""
        if self._scrubber is None:
            self._scrubber = Scrubber(self._secrets())
        return self._scrubber(text)

    def _secrets(self) -> set[str]:
        """What a reason must never quote: the query string; each of its parameters (``name=value``) and values,
        raw and decoded (scrub adds the other spellings); the key id of a credential on its own (it is the part
        before the scope, "AKIA…/20260101/…"); and the declared headers' values (a security token, an SSE-C key)
        except those that only describe the object (Content-Type…). Signing metadata (X-Amz-Date, the signed header
        names) is part of the query, so a server's words that repeat 8+ characters of it are masked too: a reason
        may lose a word, never a secret."""
        query = urlsplit(self._url).query
        found = {query}
        for part in query.split("&"):
            _name, _, raw = part.partition("=")
            decoded = unquote_plus(raw)
            found |= {part, raw, decoded, decoded.split("/", 1)[0]}
        found |= {value.strip() for name, value in self._headers.items() if name.lower() not in DESCRIPTIVE_HEADERS}
        return found

    def _map_exception(self, exc: Exception, host: str) -> DestinationError:
        if isinstance(exc, BlockedURLError):  # a redirect
            return PermanentDeliveryError(exc.reason)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return PermanentDeliveryError(f"the TLS certificate of {host} is not valid for that name")
        if isinstance(exc, ValueError):  # put_stream: the staged body was shorter or longer than its size
            return RetryableDeliveryError(f"the bytes read from staging do not match the rendered file ({exc})")
        if isinstance(exc, TimeoutError):
            return RetryableDeliveryError(f"{host} did not answer within {self._timeout:g} s")
        if isinstance(exc, (OSError, http.client.HTTPException)):
            return RetryableDeliveryError(f"the connection to {host} failed ({type(exc).__name__})")
        return RetryableDeliveryError(f"{type(exc).__name__}: unexpected error")


class _StagingReader:
    """Tells a failing staging read apart from a failing connection: both raise OSError."""

    def __init__(self, reader: VerifyingReader) -> None:
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        try:
            return self._reader.read(size)
        except DestinationError:
            raise
        except Exception as exc:
            raise RetryableDeliveryError(f"staging could not be read ({type(exc).__name__})") from exc


def _element(xml: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", xml, re.DOTALL)
    return " ".join(html.unescape(match.group(1)).split()) if match else ""
