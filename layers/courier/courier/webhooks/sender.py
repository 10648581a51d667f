"""Webhooks: the signed event a workspace's endpoint receives when every destination of a render is final.

The wire contract (docs/WEBHOOKS.md): a compact JSON POST ``{"id", "type", "createdAt", "render"}`` signed as
Standard Webhooks (standardwebhooks.com) specify: ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature:
v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`` keyed by the base64-decoded part of the ``whsec_…`` secret.
For one release the older ``X-Courier-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` (keyed by
the whole secret string) is sent as well.
The sender goes through the same outbound policy as presigned URLs (``netguard``): checked and pinned on every
attempt, https only, no redirects followed. The workspace's secret lives in Secrets Manager (``WebhookSecrets``);
operators manage it and the default URL through ``WorkspaceWebhooks`` (``python -m courier_tools.admin
webhook …``). When a render's event is sent is decided in ``courier.delivery.service.WebhookNotifier``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http.client
import json
import random
import re
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError
from pydantic import SecretStr

from courier.net.policy import (
    BlockedURLError,
    CheckedURL,
    HostLookupError,
    Resolver,
    check_url,
    open_connection,
    redact,
    retry_after_seconds,
)
from courier.persistence.store import Store
from courier.records import WorkspaceWebhookRecord
from courier.secrets.credentials import CredentialReader
from courier.secrets.sealing import Sealer
from courier.webhooks.urls import seal_url

logger = Logger(child=True)

SIGNATURE_HEADER = "X-Courier-Signature"  # deprecated: sent until the next release beside the standard headers
EVENT_ID_HEADER = "X-Courier-Event-Id"
# Standard Webhooks' headers (lowercase, as the specification writes them).
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
USER_AGENT = "RenderCourier-Webhooks/1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label, not a secret

EventType = Literal["render.delivered", "render.failed"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

MAX_SIGNATURE_HEADER = 4096  # a header is parsed only up to this: a few signatures fit, a flood does not
MAX_REQUEUE_DELAY = 900.0  # SQS DelaySeconds' ceiling: a longer Retry-After is handed back as this
MIN_ATTEMPT_SECONDS = 1.0  # an attempt with less time than this left in the budget is not started
_EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # it travels in a header: no room for CR/LF tricks
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- secrets and signatures ----------------------------------------------------------------------------------------


def generate_secret() -> str:
    """A new webhook secret: ``whsec_`` and 32 random bytes in standard base64 (what Standard Webhooks libraries
    decode). Shown to the customer once."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def standard_key(secret: str) -> bytes | None:
    """The HMAC key Standard Webhooks derive from a ``whsec_`` secret: its base64-decoded part. None for a secret
    that is not standard base64 (those made before this release were URL-safe: they sign only X-Courier-Signature,
    and a rotation gives a standard one)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return key or None


def sign_standard(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``webhook-signature`` entry: ``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Courier-Signature value: ``t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``.

    The key is the secret's UTF-8 bytes exactly as shown to the customer, prefix included. Raises ValueError for an
    empty secret or a negative timestamp.
    """
    return f"t={timestamp},v1={_mac(secret, str(timestamp), body)}"


def _mac(secret: str, timestamp: str, body: bytes) -> str:
    if not secret:
        raise ValueError("the webhook secret is empty")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise ValueError("the timestamp must be a non-negative integer")
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: int | None = None) -> bool:
    """True when ``header`` is a valid X-Courier-Signature for the raw ``body`` under ``secret``.

    False — never an exception — for a malformed header, a timestamp further than ``tolerance`` seconds from
    ``now`` (in the past: a replay; in the future: a forged or skewed clock), or no matching ``v1``. Several ``v1``
    values are accepted (during a secret rotation the sender signs with the old and the new secret); unknown schemes
    (``v2=`` …) are ignored. Signatures are compared in constant time.
    """
    if not secret or len(header) > MAX_SIGNATURE_HEADER:
        return False
    stamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if name == "t":
            stamps.append(value)
        elif name == "v1":
            signatures.append(value)
    if len(stamps) != 1 or not signatures:
        return False
    stamp = stamps[0]
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - int(stamp)) > tolerance:
        return False
    expected = _mac(secret, stamp, body).encode()
    # Check every candidate (no early exit) and compare bytes: compare_digest refuses non-ASCII str.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate.encode())
    return matched


# --- events --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookEvent:
    """One event. ``render`` is the render status document (GET /v1/renders/{id}) as JSON-ready camelCase data."""

    id: str
    type: EventType
    created_at: datetime
    render: dict[str, Any]

    def __post_init__(self) -> None:
        if not _EVENT_ID.match(self.id):
            raise ValueError("an event id is 1-128 letters, digits, '_' or '-'")
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    def payload(self) -> dict[str, Any]:
        created = self.created_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"id": self.id, "type": self.type, "createdAt": created, "render": self.render}

    def body(self) -> bytes:
        """The exact bytes that are POSTed and signed (compact JSON, UTF-8). Raises TypeError if ``render`` is not
        JSON data (e.g. a datetime: dump the status model with ``mode="json"``)."""
        return json.dumps(self.payload(), separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def event_id(render_id: str) -> str:
    """The event id of a render: the same for every send of that render's event, so receivers can deduplicate."""
    return "evt_" + hashlib.sha256(render_id.encode()).hexdigest()[:24]


def event_for(render_status: dict[str, Any], *, event_id: str, now: datetime) -> WebhookEvent:
    """The event for a render whose destinations are all final: ``render.failed`` when any connection is in
    ``error``, else ``render.delivered`` (success, already_exists, skipped, or no connection at all).

    Raises ValueError while a connection is still ``pending``: the event is sent once, when the render is final.
    """
    statuses = [str(c.get("status")) for c in render_status.get("connections") or []]
    if "pending" in statuses or render_status.get("status") in ("delivering", "rendering"):
        raise ValueError("the render still has pending deliveries: send its webhook when every one is final")
    failed = "error" in statuses or render_status.get("status") == "failed"
    kind: EventType = "render.failed" if failed else "render.delivered"
    return WebhookEvent(id=event_id, type=kind, created_at=now, render=render_status)


# --- sending -------------------------------------------------------------------------------------------------------


class WebhookError(Exception):
    """The event was not accepted. ``retryable``: send it again later (re-queue, after ``retry_after`` seconds when
    set); otherwise resending cannot help until the workspace fixes its endpoint. ``reason`` never carries the URL's
    query string or the secret."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        status: int | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.status = status  # the endpoint's last HTTP status, when it answered
        self.attempts = attempts  # tries made: each one a POST, or a URL refused or not resolved before it


# (checked URL, body, headers, timeout in seconds) -> (status, headers with lower-case names). Raises OSError
# (TimeoutError when the whole exchange took longer than the timeout), ssl.SSLError or http.client.HTTPException.
Transport = Callable[[CheckedURL, bytes, Mapping[str, str], float], tuple[int, dict[str, str]]]


def post(
    checked: CheckedURL, body: bytes, headers: Mapping[str, str], timeout: float, *, cafile: str | None = None
) -> tuple[int, dict[str, str]]:
    """POST ``body`` to the checked (pinned) address; the whole exchange, not each read, is bounded by ``timeout``.

    The answer's body is not read: only its status counts, and an endpoint could trickle a body forever.
    """
    conn = open_connection(checked, timeout=timeout, cafile=cafile)
    expired = threading.Event()

    def expire() -> None:
        # A socket timeout bounds each read, not the exchange: a server dripping one header byte at a time
        # would hold the sender. Shutting the socket down wakes the blocked read.
        expired.set()
        sock = conn.sock
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.connect()
        if expired.is_set():  # the watchdog fired before there was a socket to shut down
            raise TimeoutError
        conn.putrequest("POST", checked.target, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("Connection", "close")
        conn.endheaders(body)
        response = conn.getresponse()
        if expired.is_set():  # a shut-down socket reads as EOF, which can end a trickled header block "cleanly"
            raise TimeoutError
        return response.status, {name.lower(): value for name, value in response.getheaders()}
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise TimeoutError(f"no answer within {timeout:g} s") from None
        raise
    finally:
        watchdog.cancel()
        conn.close()


class WebhookSender:
    """POSTs signed events under the outbound URL policy, retrying transient failures within a time budget.

    ``sleep`` and ``clock`` (wall-clock seconds; also the signature's ``t``) and ``transport`` are injectable so
    the retry policy tests without waiting or sockets.
    """

    def __init__(
        self,
        *,
        allow_local: bool = False,
        timeout: float = 10,
        resolver: Resolver | None = None,
        cafile: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        budget_seconds: float = 60.0,
        transport: Transport | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if max_attempts < 1 or timeout <= 0 or budget_seconds <= 0:
            raise ValueError("max_attempts, timeout and budget_seconds must be positive")
        self._allow_local = allow_local
        self._timeout = float(timeout)
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._budget = budget_seconds
        self._transport: Transport = transport or (lambda c, b, h, t: post(c, b, h, t, cafile=cafile))
        self._jitter = jitter

    def send(self, url: str, secret: str, event: WebhookEvent, *, previous_secret: str | None = None) -> int:
        """POST ``event`` to ``url`` until a 2xx; returns the number of attempts used.

        Every attempt carries the same body and X-Courier-Event-Id and a fresh signature timestamp. During a secret
        rotation pass the old secret as ``previous_secret``: the header then carries a ``v1`` for each.

        Raises WebhookError: permanent (``retryable=False``) for a URL the policy refuses (before any connection),
        a 3xx (redirects are not followed), a 4xx other than 408/429, or an invalid TLS certificate; retryable
        when the attempts or the time budget ran out on 5xx, 408, 429, timeouts or network errors, or when a
        Retry-After is longer than ``max_delay`` (``retry_after`` then says when to try again).
        """
        if not secret:
            raise ValueError("the webhook secret is empty")
        body = event.body()
        where = redact(url)
        started = self._clock()
        attempt = 0
        while True:  # bounded: every pass makes an attempt, and attempts stop at max_attempts
            attempt += 1
            # A late wake-up may have eaten into the budget; an attempt still gets a moment rather than none.
            timeout = max(0.1, min(self._timeout, self._budget - (self._clock() - started)))
            failure = self._attempt(url, where, secret, previous_secret, event, body, timeout)
            if failure is None:
                logger.info("Webhook delivered", extra={"url": where, "event_id": event.id, "attempts": attempt})
                return attempt
            failure.attempts = attempt
            logger.warning(
                "Webhook attempt failed",
                extra={
                    "url": where,
                    "event_id": event.id,
                    "attempt": attempt,
                    "status": failure.status,
                    "reason": failure.reason,
                    "final": not failure.retryable,
                },
            )
            if not failure.retryable:
                raise failure
            if attempt >= self._max_attempts:
                raise WebhookError(
                    f"{failure.reason}; gave up after {attempt} attempts",
                    retryable=True,
                    retry_after=failure.retry_after,
                    status=failure.status,
                    attempts=attempt,
                )
            wait = self._backoff(attempt)
            if failure.retry_after is not None:
                if failure.retry_after > self._max_delay:
                    # Honour it by handing the event back instead of holding the invocation (or calling early).
                    raise WebhookError(
                        f"{failure.reason}; the endpoint asked to wait {failure.retry_after:g} s",
                        retryable=True,
                        retry_after=min(failure.retry_after, MAX_REQUEUE_DELAY),
                        status=failure.status,
                        attempts=attempt,
                    )
                wait = max(wait, failure.retry_after)
            elapsed = self._clock() - started
            if elapsed + wait + min(self._timeout, MIN_ATTEMPT_SECONDS) > self._budget:
                raise WebhookError(
                    f"{failure.reason}; gave up after {attempt} attempts in {elapsed:.1f} s (time budget)",
                    retryable=True,
                    retry_after=wait,
                    status=failure.status,
                    attempts=attempt,
                )
            self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Exponential, capped, with "equal jitter": between half and all of the step, so retries spread out."""
        step = min(self._max_delay, self._base_delay * 2.0 ** min(attempt - 1, 30))
        return step / 2 + step / 2 * self._jitter()

    def _attempt(
        self,
        url: str,
        where: str,
        secret: str,
        previous_secret: str | None,
        event: WebhookEvent,
        body: bytes,
        timeout: float,
    ) -> WebhookError | None:
        """One POST: None when accepted, else the error (not raised, so the loop decides whether to retry)."""
        try:
            # Checked on every attempt, so each connection goes to an address vetted just before it (DNS rebinding).
            checked = check_url(url, allow_local=self._allow_local, resolver=self._resolver)
        except HostLookupError as exc:
            return WebhookError(exc.reason, retryable=exc.temporary)
        except BlockedURLError as exc:
            return WebhookError(f"{exc.reason}; change the workspace's webhook URL", retryable=False)
        stamp = int(self._clock())
        signature = sign(secret, stamp, body)
        if previous_secret:
            signature += f",v1={_mac(previous_secret, str(stamp), body)}"
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_ID_HEADER: event.id,
            SIGNATURE_HEADER: signature,
        }
        # Standard Webhooks: one space-separated entry per secret in use (both during a rotation's overlap).
        keys = [key for key in (standard_key(secret), standard_key(previous_secret or "")) if key]
        if keys:
            headers |= {
                STANDARD_ID_HEADER: event.id,
                STANDARD_TIMESTAMP_HEADER: str(stamp),
                STANDARD_SIGNATURE_HEADER: " ".join(sign_standard(key, event.id, stamp, body) for key in keys),
            }
        try:
            status, answer = self._transport(checked, body, headers, timeout)
        except ssl.SSLCertVerificationError:
            return WebhookError(f"the TLS certificate of {checked.host} is not valid for that name", retryable=False)
        except TimeoutError:
            return WebhookError(f"{where} did not answer within {timeout:g} s", retryable=True)
        except (OSError, http.client.HTTPException) as exc:
            return WebhookError(f"{where} could not be reached ({type(exc).__name__})", retryable=True)
        return _judge(where, status, answer)


def _judge(where: str, status: int, headers: Mapping[str, str]) -> WebhookError | None:
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return WebhookError(
            f"{where} answered {status} (a redirect); redirects are not followed: set the final URL",
            retryable=False,
            status=status,
        )
    if status in (408, 429) or status >= 500:
        return WebhookError(
            f"{where} answered {status}",
            retryable=True,
            retry_after=retry_after_seconds(headers.get("retry-after")),
            status=status,
        )
    return WebhookError(f"{where} refused the event ({status})", retryable=False, status=status)


# --- workspace secrets ---------------------------------------------------------------------------------------------


class WebhookSecretError(Exception):
    """The workspace's signing secret could not be had. ``retryable``: Secrets Manager failed for now; otherwise the
    workspace has no secret (an operator runs ``python -m courier_tools.admin webhook set``)."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class SigningSecrets:
    """What an event is signed with: the current secret, and during a rotation's grace period the previous one."""

    current: SecretStr
    previous: SecretStr | None = None


class WebhookSecrets:
    """A workspace's webhook secret in Secrets Manager, at ``<prefix><workspace>/webhook`` (under the prefix the
    deliver function may read), as JSON ``{"current", "previous", "previousUntil"}``.

    The deliver side reads through ``reader`` (cached per warm container, so a rotation reaches it within the cache
    age); the admin side writes with ``client``. Neither ever logs a value.
    """

    def __init__(self, prefix: str, *, client: Any = None, reader: CredentialReader | None = None) -> None:
        self._prefix = prefix
        self._client = client
        self._reader = reader

    def name(self, workspace_id: str) -> str:
        return f"{self._prefix}{workspace_id}/webhook"

    def signing(self, workspace_id: str, now: datetime) -> SigningSecrets:
        """The secrets to sign with now. Raises WebhookSecretError."""
        if self._reader is None:
            raise RuntimeError("WebhookSecrets was built without a reader")
        try:
            stored = self._reader.load(self.name(workspace_id))
        except Exception as exc:  # Powertools wraps every SDK error in GetParameterError: look at its text
            if "ResourceNotFound" in repr(exc) or "not found" in str(exc).lower():
                raise WebhookSecretError(
                    "the workspace has no webhook secret: an operator runs `python -m courier_tools.admin webhook set`",
                    retryable=False,
                ) from None
            raise WebhookSecretError(
                f"the webhook secret could not be read ({type(exc).__name__})", retryable=True
            ) from None
        current = stored.get("current")
        if current is None or not current.get_secret_value():
            raise WebhookSecretError("the stored webhook secret is malformed: rotate it", retryable=False)
        until = stored.get("previousUntil")
        try:
            overlapping = until is not None and now < datetime.fromisoformat(until.get_secret_value())
        except ValueError:
            overlapping = False
        if not overlapping:
            return SigningSecrets(current)
        # The rotated-out secret: inline when the rotation read it (older items), else the version it replaced.
        previous = stored.get("previous")
        if previous is None:
            try:
                previous = self._reader.load_previous(self.name(workspace_id)).get("current")
            except Exception:
                previous = None  # gone or unreadable: sign with the current secret alone rather than not at all
        return SigningSecrets(current, previous)

    def create(self, workspace_id: str) -> tuple[SecretStr, str]:
        """A new secret for a workspace that has none (or none anyone was shown): (the secret, its name)."""
        secret = SecretStr(generate_secret())
        name = self.name(workspace_id)
        payload = json.dumps({"current": secret.get_secret_value()})
        try:
            self._client.create_secret(
                Name=name,
                SecretString=payload,
                Description="Render Courier webhook signing secret",
                Tags=[{"Key": "courier:workspace", "Value": workspace_id}, {"Key": "courier:kind", "Value": "webhook"}],
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceExistsException":
                raise
            # Left by a `webhook set` that stopped before recording it: nobody was shown it, so replace it.
            self._client.put_secret_value(SecretId=name, SecretString=payload)
        return secret, name

    def rotate(self, workspace_id: str, previous_until: datetime | None) -> SecretStr:
        """Replace the current secret; the old one keeps signing until ``previous_until`` (None: not at all).

        Write-only, so the render function (which never reads a secret) can rotate: the new version says until when
        the overlap lasts, and the old secret stays readable by the deliver side as the AWSPREVIOUS version."""
        secret = SecretStr(generate_secret())
        value: dict[str, str] = {"current": secret.get_secret_value()}
        if previous_until is not None:
            value["previousUntil"] = previous_until.isoformat()
        self._client.put_secret_value(SecretId=self.name(workspace_id), SecretString=json.dumps(value))
        return secret


class WebhookConfigError(Exception):
    """An admin change that cannot be made: no such workspace, no secret to rotate."""


class WebhookURLError(WebhookConfigError):
    """The URL is refused by the outbound policy; the message never holds its query string."""


class WorkspaceWebhooks:
    """A workspace's default URL, its events and its secret: for operators (``python -m courier_tools.admin webhook …``)
    and for the workspace itself (``/v1/webhook``)."""

    def __init__(
        self,
        store: Store,
        secrets: WebhookSecrets,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sealer: Sealer | None = None,
    ):
        self._store = store
        self._secrets = secrets
        self._now = now
        self._sealer = sealer

    def show(self, workspace_id: str) -> WorkspaceWebhookRecord:
        settings = self._store.workspace_webhook(workspace_id)
        if settings is None:
            raise WebhookConfigError(f"no workspace {workspace_id}: see `workspace list`")
        return settings

    def set(
        self,
        workspace_id: str,
        url: str | None,
        *,
        clear_url: bool = False,
        allow_local: bool = False,
        events: list[str] | None = None,
        create_secret: bool = True,
    ) -> tuple[WorkspaceWebhookRecord, SecretStr | None]:
        """Set (or with ``clear_url`` remove) the default URL, and the events sent (None: leave as they are). The URL
        is kept without its query; the query is sealed apart. With ``create_secret`` a workspace that has no secret
        gets one; without it, a URL with no secret to sign for it is refused (WebhookConfigError).

        Returns the settings and the new secret when one was created (it is shown once, then only its use remains).
        """
        settings = self.show(workspace_id)
        changes: dict[str, Any] = {}
        if url is not None:
            try:
                check_url(url, allow_local=allow_local)
            except BlockedURLError as exc:
                raise WebhookURLError(f"the webhook URL is refused: {exc.reason}") from None
            if not settings.webhook_secret_id and not create_secret:
                raise WebhookConfigError("create the signing secret first: POST /v1/webhook/secret")
            shown, sealed = seal_url(self._sealer, workspace_id, url, "url")
            changes |= {"webhook_url": shown, "webhook_query_sealed": sealed}
        elif clear_url:
            changes |= {"webhook_url": None, "webhook_query_sealed": None}
        if events is not None:
            changes["webhook_events"] = None if set(events) == set(EVENT_TYPES) else sorted(set(events))
        created: SecretStr | None = None
        if not settings.webhook_secret_id and create_secret:
            created, name = self._secrets.create(workspace_id)
            changes |= {"webhook_secret_id": name, "webhook_secret_created_at": self._now()}
        updated = settings.model_copy(update=changes)
        self._store.put_workspace_webhook(updated)
        return updated, created

    def create_or_rotate(self, workspace_id: str, grace: timedelta) -> tuple[WorkspaceWebhookRecord, SecretStr]:
        """``POST /v1/webhook/secret``: the workspace's first secret, or a rotation with ``grace`` of overlap."""
        settings = self.show(workspace_id)
        if settings.webhook_secret_id:
            return self.rotate(workspace_id, grace)
        secret, name = self._secrets.create(workspace_id)
        updated = settings.model_copy(update={"webhook_secret_id": name, "webhook_secret_created_at": self._now()})
        self._store.put_workspace_webhook(updated)
        return updated, secret

    def rotate(self, workspace_id: str, grace: timedelta) -> tuple[WorkspaceWebhookRecord, SecretStr]:
        """A new secret; events are signed with both until the grace period ends (the old one then stops)."""
        settings = self.show(workspace_id)
        if not settings.webhook_secret_id:
            raise WebhookConfigError(
                f"workspace {workspace_id} has no webhook secret to rotate: create it with `webhook set`"
            )
        now = self._now()
        until = now + grace if grace > timedelta(0) else None
        secret = self._secrets.rotate(workspace_id, until)
        updated = settings.model_copy(update={"webhook_rotated_at": now, "webhook_previous_until": until})
        self._store.put_workspace_webhook(updated)
        return updated, secret
