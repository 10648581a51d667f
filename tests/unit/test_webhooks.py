"""Webhook signatures, events and the sender's retry policy, with an in-memory transport (no sockets), plus the
customer's verification snippet from docs/WEBHOOKS.md, executed so the doc cannot rot."""

from __future__ import annotations

import hashlib
import hmac
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courier.net.policy import CheckedURL
from courier.renders.status import event_id
from courier.webhooks import sender as webhooks
from courier.webhooks.events import WebhookEvent, event_for
from courier.webhooks.sender import WebhookError, WebhookSender
from courier.webhooks.signing import SIGNATURE_HEADER, generate_secret, sign, verify
from tests.conftest import ROOT

SECRET = "whsec_test-secret-0123456789abcdefghijklmnopqrstuv"
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
BODY = b'{"id":"evt_1","type":"render.delivered"}'
PUBLIC = "93.184.216.34"
URL = "https://hooks.example.com/courier?token=CANARY-query-token"


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests never touch the network: any connection attempt fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a unit test tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# --- signatures ----------------------------------------------------------------------------------------------------


def test_sign_and_verify_round_trip() -> None:
    # Given a body signed now
    header = sign(SECRET, NOW, BODY)

    # Then the header has the documented shape and verifies
    assert re.fullmatch(r"t=1767225600,v1=[0-9a-f]{64}", header)
    expected = hmac.new(SECRET.encode(), b"1767225600." + BODY, hashlib.sha256).hexdigest()
    assert header.endswith(expected)
    assert verify(SECRET, header, BODY, now=NOW)
    assert verify(SECRET, header, BODY, now=NOW + 300)  # the edge of the tolerance is still inside


def test_verify_refuses_a_wrong_secret() -> None:
    assert not verify("whsec_someone-else", sign(SECRET, NOW, BODY), BODY, now=NOW)
    assert not verify("", sign(SECRET, NOW, BODY), BODY, now=NOW)


def test_verify_refuses_a_tampered_body() -> None:
    assert not verify(SECRET, sign(SECRET, NOW, BODY), BODY.replace(b"delivered", b"failed"), now=NOW)
    assert not verify(SECRET, sign(SECRET, NOW, BODY), BODY + b" ", now=NOW)


def test_verify_refuses_a_replayed_timestamp() -> None:
    # Given a request captured and replayed six minutes later
    header = sign(SECRET, NOW, BODY)

    # Then it no longer verifies, with the default tolerance or a tighter one
    assert not verify(SECRET, header, BODY, now=NOW + 301)
    assert not verify(SECRET, header, BODY, now=NOW + 61, tolerance=60)


def test_verify_refuses_a_timestamp_too_far_in_the_future() -> None:
    assert not verify(SECRET, sign(SECRET, NOW + 301, BODY), BODY, now=NOW)


def test_verify_refuses_a_replay_with_a_new_timestamp_but_the_old_signature() -> None:
    # Given an attacker who rewrites t= to look fresh but cannot recompute v1
    old = sign(SECRET, NOW, BODY)
    forged = old.replace(f"t={NOW}", f"t={NOW + 3600}")

    # Then it does not verify at the new time
    assert not verify(SECRET, forged, BODY, now=NOW + 3600)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        f"v1={'0' * 64}",  # no timestamp
        f"t={NOW}",  # no signature
        f"t={NOW},t={NOW},v1={'0' * 64}",  # two timestamps
        f"t=abc,v1={'0' * 64}",
        f"t=-5,v1={'0' * 64}",
        f"t=１７６７２２５６００,v1={'0' * 64}",  # non-ASCII digits
        f"t={NOW},v1",  # a part without '='
        f"t={NOW},v1=é",  # non-ASCII signature: never a TypeError from compare_digest
        f"t={NOW}," + ",".join(["v1=" + "0" * 64] * 100),  # over the length cap
        f"t={NOW}000000000000,v1={'0' * 64}",  # absurd timestamp
    ],
)
def test_verify_refuses_a_malformed_header(header: str) -> None:
    assert verify(SECRET, header, BODY, now=NOW) is False


def test_verify_accepts_any_of_several_signatures_and_ignores_unknown_schemes() -> None:
    # Given a header signed with the new and the old secret during a rotation, and a future scheme
    good = sign(SECRET, NOW, BODY).split("v1=")[1]
    header = f"t={NOW}, v1={'0' * 64}, v2=whatever, v1={good}"

    # Then either secret verifies and a third does not
    assert verify(SECRET, header, BODY, now=NOW)
    assert not verify("whsec_other", header, BODY, now=NOW)


def test_sign_refuses_an_empty_secret_or_a_negative_time() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign("", NOW, BODY)
    with pytest.raises(ValueError, match="non-negative"):
        sign(SECRET, -1, BODY)


def test_generate_secret() -> None:
    secrets = {generate_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", secret)  # 32 bytes of standard base64 (Standard Webhooks)


@given(body=st.binary(max_size=512), stamp=st.integers(min_value=0, max_value=10**10), skew=st.integers(-300, 300))
def test_any_signed_body_verifies_within_the_tolerance(body: bytes, stamp: int, skew: int) -> None:
    assert verify(SECRET, sign(SECRET, stamp, body), body, now=stamp + skew)


# --- the customer's snippet from docs/WEBHOOKS.md -------------------------------------------------------------------


def doc_snippet() -> str:
    text = (ROOT / "docs" / "WEBHOOKS.md").read_text()
    found = re.search(r"<!-- verify-snippet:.*?-->\s*```python\n(.*?)```", text, re.DOTALL)
    assert found, "docs/WEBHOOKS.md lost its marked verification snippet"
    return found.group(1)


@pytest.fixture(scope="module")
def customer_verify() -> Callable[..., bool]:
    code = doc_snippet()
    imports = set(re.findall(r"^(?:import|from) (\w+)", code, re.MULTILINE))
    assert imports <= {"hashlib", "hmac", "time"}, "the snippet must stay standard-library only"
    assert len(code.strip().splitlines()) <= 16, "the snippet is meant to be short"
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/WEBHOOKS.md", "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_courier_signature"]  # type: ignore[no-any-return]


def test_the_documented_snippet_verifies_what_we_send(
    customer_verify: Callable[..., bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a real event body signed the way the sender signs it, with the current time
    event = WebhookEvent(id="evt_doc", type="render.delivered", created_at=datetime.now(UTC), render={"id": "r"})
    body = event.body()
    import time

    header = sign(SECRET, int(time.time()), body)

    # Then the customer's code accepts it, and refuses the wrong secret, a tampered body and a replay
    assert customer_verify(SECRET, header, body)
    assert not customer_verify("whsec_wrong", header, body)
    assert not customer_verify(SECRET, header, body + b"x")
    monkeypatch.setattr(time, "time", lambda: NOW + 301)
    assert not customer_verify(SECRET, sign(SECRET, NOW, body), body)
    monkeypatch.setattr(time, "time", lambda: NOW)
    assert customer_verify(SECRET, f"t={NOW},v1={'0' * 64},v1={sign(SECRET, NOW, body)[-64:]}", body)


@pytest.mark.parametrize("header", ["", "garbage", "t=x,v1=y", f"t={NOW},v1", f"t={NOW},v1=é", "v1=00"])
def test_the_documented_snippet_refuses_malformed_headers_without_raising(
    customer_verify: Callable[..., bool], header: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setattr(time, "time", lambda: NOW)
    assert customer_verify(SECRET, header, BODY) is False


# --- events --------------------------------------------------------------------------------------------------------


def status(*connection_statuses: str, overall: str = "completed") -> dict[str, Any]:
    return {
        "id": "7c0e5f4e-0000-4000-8000-000000000001",
        "status": overall,
        "data": {"content": "https://staging.example/x.png", "type": "url", "format": "png", "responseTime": "0.2s"},
        "connections": [
            {"type": "storage", "provider": "s3", "storage": f"s{i}", "path": None, "status": s}
            for i, s in enumerate(connection_statuses)
        ],
        "warnings": [],
    }


@pytest.mark.parametrize(
    ("statuses", "kind"),
    [
        (("success",), "render.delivered"),
        (("success", "already_exists", "skipped"), "render.delivered"),
        ((), "render.delivered"),
        (("success", "error"), "render.failed"),
        (("error",), "render.failed"),
        (("skipped", "error", "already_exists"), "render.failed"),
    ],
)
def test_event_for_chooses_the_type(statuses: tuple[str, ...], kind: str) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    event = event_for(status(*statuses), event_id="evt_x", now=now)
    assert event.type == kind
    assert event.id == "evt_x"
    assert event.created_at == now
    assert event.render == status(*statuses)


def test_event_for_refuses_a_render_that_is_not_final() -> None:
    with pytest.raises(ValueError, match="pending"):
        event_for(status("success", "pending", overall="delivering"), event_id="evt_x", now=datetime.now(UTC))


def test_event_id_is_deterministic_per_render() -> None:
    first = event_id("7c0e5f4e-0000-4000-8000-000000000001")
    assert first == event_id("7c0e5f4e-0000-4000-8000-000000000001")
    assert first != event_id("7c0e5f4e-0000-4000-8000-000000000002")
    assert re.fullmatch(r"evt_[0-9a-f]{24}", first)
    assert first == "evt_" + hashlib.sha256(b"7c0e5f4e-0000-4000-8000-000000000001").hexdigest()[:24]


def test_the_body_is_compact_camel_case_json_in_utc() -> None:
    # Given an event created at a non-UTC offset with non-ASCII data
    created = datetime(2026, 1, 1, 2, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    event = WebhookEvent(id="evt_1", type="render.failed", created_at=created, render={"name": "Grüße"})

    # Then the body is compact, UTF-8, camelCase, with the time in UTC
    assert (
        event.body()
        == (
            '{"id":"evt_1","type":"render.failed","createdAt":"2026-01-01T00:00:00.123Z","render":{"name":"Grüße"}}'
        ).encode()
    )


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"id": "evt\r\nX-Evil: 1"}, "event id"),
        ({"id": ""}, "event id"),
        ({"type": "render.exploded"}, "unknown event type"),
        ({"created_at": datetime(2026, 1, 1)}, "timezone"),
    ],
)
def test_an_event_is_validated(changes: dict[str, Any], match: str) -> None:
    fields: dict[str, Any] = {"id": "evt_1", "type": "render.delivered", "created_at": datetime.now(UTC), "render": {}}
    with pytest.raises(ValueError, match=match):
        WebhookEvent(**(fields | changes))


def test_a_render_that_is_not_json_data_is_refused() -> None:
    event = WebhookEvent(
        id="evt_1", type="render.delivered", created_at=datetime.now(UTC), render={"at": datetime.now()}
    )
    with pytest.raises(TypeError):
        event.body()


# --- the sender's policy, over an in-memory transport -----------------------------------------------------------------


Outcome = tuple[int, dict[str, str]] | BaseException


@dataclass
class FakeEndpoint:
    """Answers from a schedule (the last answer repeats) and records every request it was given."""

    schedule: list[Outcome]
    requests: list[tuple[CheckedURL, bytes, dict[str, str], float]] = field(default_factory=list)

    def __call__(self, checked: CheckedURL, body: bytes, headers: Mapping[str, str], timeout: float) -> Any:
        self.requests.append((checked, body, dict(headers), timeout))
        outcome = self.schedule[min(len(self.requests) - 1, len(self.schedule) - 1)]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@dataclass
class FakeTime:
    now: float = float(NOW)
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def event() -> WebhookEvent:
    return event_for(status("success"), event_id=event_id("render-1"), now=datetime(2026, 1, 1, tzinfo=UTC))


def sender(endpoint: FakeEndpoint, fake_time: FakeTime, **options: Any) -> WebhookSender:
    settings: dict[str, Any] = {
        "resolver": lambda host, port: [PUBLIC],
        "sleep": fake_time.sleep,
        "clock": fake_time.clock,
        "transport": endpoint,
        "jitter": lambda: 1.0,
    }
    return WebhookSender(**(settings | options))


def ok() -> Outcome:
    return (200, {})


def answered(status: int, **headers: str) -> Outcome:
    return (status, {k.replace("_", "-"): v for k, v in headers.items()})


def test_a_2xx_is_done_in_one_attempt(fake_time: FakeTime, event: WebhookEvent) -> None:
    # Given an endpoint that accepts
    endpoint = FakeEndpoint([answered(204)])

    # When the event is sent
    attempts = sender(endpoint, fake_time).send(URL, SECRET, event)

    # Then one POST went to the pinned address with the documented headers, body and signature
    assert attempts == 1
    checked, body, headers, timeout = endpoint.requests[0]
    assert (checked.host, checked.address, checked.target) == (
        "hooks.example.com",
        PUBLIC,
        "/courier?token=CANARY-query-token",
    )
    assert body == event.body()
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "RenderCourier-Webhooks/1"
    assert headers["X-Courier-Event-Id"] == event.id
    assert headers[SIGNATURE_HEADER].startswith(f"t={NOW},v1=")
    assert verify(SECRET, headers[SIGNATURE_HEADER], body, now=NOW)
    assert timeout == 10
    assert fake_time.slept == []


def test_transient_failures_are_retried_with_a_fresh_timestamp_and_the_same_event_id(
    fake_time: FakeTime, event: WebhookEvent
) -> None:
    # Given an endpoint that fails four ways and then accepts
    endpoint = FakeEndpoint(
        [answered(503), answered(429, retry_after="3"), ConnectionResetError(), TimeoutError(), answered(200)]
    )

    # When the event is sent
    attempts = sender(endpoint, fake_time).send(URL, SECRET, event)

    # Then it took five attempts, backing off 1, max(2, Retry-After 3), 4, 8 seconds
    assert attempts == 5
    assert fake_time.slept == [1.0, 3.0, 4.0, 8.0]
    # and every attempt carried the same body and event id, with a timestamp of its own that verifies
    assert {r[1] for r in endpoint.requests} == {event.body()}
    assert {r[2]["X-Courier-Event-Id"] for r in endpoint.requests} == {event.id}
    stamps = [int(r[2][SIGNATURE_HEADER].split(",")[0][2:]) for r in endpoint.requests]
    assert stamps == [NOW, NOW + 1, NOW + 4, NOW + 8, NOW + 16]
    for _, body, headers, _ in endpoint.requests:
        assert verify(SECRET, headers[SIGNATURE_HEADER], body, now=NOW + 16, tolerance=3600)


def test_backoff_is_jittered_between_half_and_all_of_the_step(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([answered(500), answered(500), answered(500), ok()])
    sender(endpoint, fake_time, jitter=lambda: 0.0).send(URL, SECRET, event)
    assert fake_time.slept == [0.5, 1.0, 2.0]


def test_backoff_is_capped_at_max_delay(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([answered(502)] * 6 + [ok()])
    sender(endpoint, fake_time, max_attempts=10, max_delay=5, budget_seconds=1000).send(URL, SECRET, event)
    assert fake_time.slept == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 413, 422])
def test_other_4xx_are_permanent(fake_time: FakeTime, event: WebhookEvent, status: int) -> None:
    endpoint = FakeEndpoint([answered(status), ok()])
    with pytest.raises(WebhookError) as raised:
        sender(endpoint, fake_time).send(URL, SECRET, event)
    assert raised.value.retryable is False
    assert raised.value.status == status
    assert raised.value.attempts == 1
    assert len(endpoint.requests) == 1
    assert fake_time.slept == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_permanent_and_not_followed(fake_time: FakeTime, event: WebhookEvent, status: int) -> None:
    endpoint = FakeEndpoint([answered(status, location="http://169.254.169.254/"), ok()])
    with pytest.raises(WebhookError, match="redirect") as raised:
        sender(endpoint, fake_time).send(URL, SECRET, event)
    assert raised.value.retryable is False
    assert len(endpoint.requests) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_408_429_and_5xx_are_retried(fake_time: FakeTime, event: WebhookEvent, status: int) -> None:
    endpoint = FakeEndpoint([answered(status), ok()])
    assert sender(endpoint, fake_time).send(URL, SECRET, event) == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # not https
        "https://127.0.0.1/x",
        "https://10.0.0.5/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://user:pass@hooks.example.com/x",
        "ftp://hooks.example.com/x",
    ],
)
def test_a_refused_url_is_permanent_before_any_request(fake_time: FakeTime, event: WebhookEvent, url: str) -> None:
    endpoint = FakeEndpoint([ok()])
    with pytest.raises(WebhookError) as raised:
        sender(endpoint, fake_time).send(url, SECRET, event)
    assert raised.value.retryable is False
    assert raised.value.attempts == 1
    assert "webhook URL" in raised.value.reason
    assert endpoint.requests == []


def test_a_name_resolving_to_a_private_address_is_refused(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([ok()])
    s = sender(endpoint, fake_time, resolver=lambda host, port: [PUBLIC, "10.0.0.7"])
    with pytest.raises(WebhookError, match="private address") as raised:
        s.send(URL, SECRET, event)
    assert not raised.value.retryable
    assert endpoint.requests == []


def test_a_temporary_dns_failure_is_retried(fake_time: FakeTime, event: WebhookEvent) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        if len(calls) == 1:
            raise socket.gaierror(socket.EAI_AGAIN, "try again")
        return [PUBLIC]

    endpoint = FakeEndpoint([ok()])
    assert sender(endpoint, fake_time, resolver=resolver).send(URL, SECRET, event) == 2
    assert len(endpoint.requests) == 1


def test_the_url_is_checked_again_before_every_attempt(fake_time: FakeTime, event: WebhookEvent) -> None:
    # Given a name that resolves publicly, then (rebinding) to the metadata service
    answers = iter([[PUBLIC], ["169.254.169.254"]])
    endpoint = FakeEndpoint([answered(503), ok()])

    # When the first attempt fails and the sender retries
    with pytest.raises(WebhookError, match="metadata") as raised:
        sender(endpoint, fake_time, resolver=lambda host, port: next(answers)).send(URL, SECRET, event)

    # Then the second attempt was refused before connecting, for good
    assert not raised.value.retryable
    assert len(endpoint.requests) == 1


def test_attempts_are_bounded(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([answered(503)])
    with pytest.raises(WebhookError, match="gave up after 3 attempts") as raised:
        sender(endpoint, fake_time, max_attempts=3).send(URL, SECRET, event)
    assert raised.value.retryable is True
    assert raised.value.attempts == 3
    assert raised.value.status == 503
    assert len(endpoint.requests) == 3


def test_the_time_budget_is_respected(fake_time: FakeTime, event: WebhookEvent) -> None:
    # Given an endpoint that is down and answers each request after 4 s (or the timeout, if shorter)
    endpoint = FakeEndpoint([answered(503)])

    def slow(checked: CheckedURL, body: bytes, headers: Mapping[str, str], timeout: float) -> Any:
        fake_time.now += min(4, timeout)
        return endpoint(checked, body, headers, timeout)

    # When the budget is 20 s
    with pytest.raises(WebhookError, match="time budget") as raised:
        sender(endpoint, fake_time, transport=slow, budget_seconds=20, max_attempts=100).send(URL, SECRET, event)

    # Then the sender stopped before going over it, and says when to try again
    assert fake_time.now - NOW <= 20
    assert raised.value.retryable is True
    assert raised.value.retry_after is not None
    # 4 + wait 1 + 4 + wait 2 + 4 + wait 4 = 19 s, then an attempt with the 1 s left; a 8 s wait would pass 20
    assert [r[3] for r in endpoint.requests] == [10, 10, 9, 1]
    assert fake_time.slept == [1.0, 2.0, 4.0]


def test_an_attempt_never_gets_more_time_than_the_budget_has_left(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([answered(503), ok()])
    sender(endpoint, fake_time, timeout=10, budget_seconds=5).send(URL, SECRET, event)
    assert [r[3] for r in endpoint.requests] == [5, 4]


def test_retry_after_is_honoured_up_to_max_delay(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([answered(503, retry_after="20"), ok()])
    assert sender(endpoint, fake_time, max_delay=30).send(URL, SECRET, event) == 2
    assert fake_time.slept == [20.0]


def test_a_longer_retry_after_is_handed_back_to_the_caller(fake_time: FakeTime, event: WebhookEvent) -> None:
    # Given an endpoint that asks for an hour's pause
    endpoint = FakeEndpoint([answered(429, retry_after="3600"), ok()])

    # When the event is sent
    with pytest.raises(WebhookError) as raised:
        sender(endpoint, fake_time).send(URL, SECRET, event)

    # Then the sender neither slept nor called early: the caller re-queues, no later than the queue allows
    assert raised.value.retryable is True
    assert raised.value.retry_after == webhooks.MAX_REQUEUE_DELAY
    assert fake_time.slept == []
    assert len(endpoint.requests) == 1


def test_a_certificate_error_is_permanent(fake_time: FakeTime, event: WebhookEvent) -> None:
    import ssl

    endpoint = FakeEndpoint([ssl.SSLCertVerificationError("bad cert"), ok()])
    with pytest.raises(WebhookError, match="certificate") as raised:
        sender(endpoint, fake_time).send(URL, SECRET, event)
    assert not raised.value.retryable


def test_a_rotation_signs_with_both_secrets(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([ok()])
    sender(endpoint, fake_time).send(URL, SECRET, event, previous_secret="whsec_old")
    header = endpoint.requests[0][2][SIGNATURE_HEADER]
    assert header.count("v1=") == 2
    assert verify(SECRET, header, event.body(), now=NOW)
    assert verify("whsec_old", header, event.body(), now=NOW)


def test_an_empty_secret_is_refused_before_any_request(fake_time: FakeTime, event: WebhookEvent) -> None:
    endpoint = FakeEndpoint([ok()])
    with pytest.raises(ValueError, match="empty"):
        sender(endpoint, fake_time).send(URL, "", event)
    assert endpoint.requests == []


def test_neither_the_query_nor_the_secret_is_logged_or_reported(
    fake_time: FakeTime, event: WebhookEvent, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an endpoint that fails every way, then refuses
    endpoint = FakeEndpoint([answered(503), ConnectionResetError(), TimeoutError(), answered(403)])

    # When the event is sent and fails for good
    with pytest.raises(WebhookError) as raised:
        sender(endpoint, fake_time).send(URL, SECRET, event)

    # Then every log record (extras included) and the reason name the endpoint without its query, never the secret
    logged = repr([record.__dict__ for record in caplog.records])
    assert len(caplog.records) == 4
    assert "https://hooks.example.com/courier" in logged
    assert "hooks.example.com/courier" in raised.value.reason
    for text in (logged, raised.value.reason, str(raised.value), repr(raised.value)):
        assert "CANARY" not in text
        assert SECRET not in text


def test_logs_name_the_attempt_and_the_outcome(
    fake_time: FakeTime, event: WebhookEvent, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = FakeEndpoint([answered(503), ok()])
    sender(endpoint, fake_time).send(URL, SECRET, event)
    failed, delivered = (record.__dict__ for record in caplog.records)
    assert (failed["msg"], failed["attempt"], failed["status"], failed["final"]) == (
        "Webhook attempt failed",
        1,
        503,
        False,
    )
    assert (delivered["msg"], delivered["attempts"], delivered["event_id"]) == ("Webhook delivered", 2, event.id)


@pytest.mark.parametrize(
    "options", [{"max_attempts": 0}, {"timeout": 0}, {"budget_seconds": 0}, {"budget_seconds": -1}]
)
def test_nonsense_settings_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="positive"):
        WebhookSender(**options)
