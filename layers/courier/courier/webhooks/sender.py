"""Webhook sending: POST a signed event under the outbound URL policy, retrying what may pass later.

The sender goes through the same outbound policy as presigned URLs (``courier.net.policy``): the URL is checked and
pinned on every attempt (DNS rebinding), https only, no redirects followed, and the whole exchange — not each read —
is bounded by the timeout. 5xx, 408, 429, timeouts and network errors are retried with jittered backoff within a
time budget; anything else is final (``WebhookError.retryable``). When a render's event is sent is decided by
``courier.webhooks.notifier.WebhookNotifier``.
"""

from __future__ import annotations

import http.client
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress

from aws_lambda_powertools import Logger

from courier.net.pinned import open_connection, retry_after_seconds
from courier.net.policy import BlockedURLError, CheckedURL, HostLookupError, Resolver, check_url, redact
from courier.webhooks.events import WebhookEvent
from courier.webhooks.signing import EVENT_ID_HEADER, signature_headers

logger = Logger(child=True)

USER_AGENT = "RenderCourier-Webhooks/1"
MAX_REQUEUE_DELAY = 900.0  # SQS DelaySeconds' ceiling: a longer Retry-After is handed back as this
MIN_ATTEMPT_SECONDS = 1.0  # an attempt with less time than this left in the budget is not started


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
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_ID_HEADER: event.id,
        } | signature_headers(event.id, int(self._clock()), body, secret, previous_secret)
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
