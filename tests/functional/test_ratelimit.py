"""The per-workspace rate limit: a fixed window counted in the table (mock_aws), with an injected wall clock."""

from __future__ import annotations

from typing import Any

import pytest

from courier.accounts.ratelimit import RateLimitedError, RateLimiter
from courier.api.http import error_result

WINDOW = 60
START = 1_800_000_000.0  # a window boundary (divisible by 60)


class Clock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def limiter(table: Any, clock: Clock, requests: int = 3) -> RateLimiter:
    return RateLimiter(table, requests=requests, window_seconds=WINDOW, clock=clock)


def test_n_requests_pass_the_next_is_refused_until_the_next_window(table: Any) -> None:
    # Given a limit of 3 requests a minute, 20 s into a window
    clock = Clock(START + 20)
    limit = limiter(table, clock)
    # When 3 requests come in, they pass
    for _ in range(3):
        limit.hit("acme")
    # Then the 4th is refused, told to come back when the window ends
    with pytest.raises(RateLimitedError) as refused:
        limit.hit("acme")
    assert refused.value.retry_after == 40
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    # And a request in the next window passes
    clock.now = START + WINDOW
    limit.hit("acme")


def test_workspaces_are_counted_apart(table: Any) -> None:
    clock = Clock()
    limit = limiter(table, clock, requests=1)
    limit.hit("acme")
    limit.hit("globex")
    with pytest.raises(RateLimitedError):
        limit.hit("acme")


def test_the_count_is_shared_by_containers(table: Any) -> None:
    clock = Clock()
    limiter(table, clock, requests=2).hit("acme")
    limiter(table, clock, requests=2).hit("acme")
    with pytest.raises(RateLimitedError):
        limiter(table, clock, requests=2).hit("acme")


def test_refused_requests_do_not_inflate_the_count_and_the_item_expires(table: Any) -> None:
    clock = Clock(START + 5)
    limit = limiter(table, clock, requests=2)
    limit.hit("acme")
    limit.hit("acme")
    for _ in range(5):
        with pytest.raises(RateLimitedError):
            limit.hit("acme")
    item = table.get_item(Key={"pk": f"RATE#acme#{int(START)}", "sk": "RATE"})["Item"]
    assert item["hits"] == 2
    # Removed by DynamoDB's TTL one window after the window ends
    assert item["expiresAt"] == START + 2 * WINDOW


def test_retry_after_is_at_least_one_second(table: Any) -> None:
    clock = Clock(START + WINDOW - 0.2)
    limit = limiter(table, clock, requests=1)
    limit.hit("acme")
    with pytest.raises(RateLimitedError) as refused:
        limit.hit("acme")
    assert refused.value.retry_after == 1


def test_a_per_second_limit(table: Any) -> None:
    clock = Clock(START + 0.5)
    limit = RateLimiter(table, requests=2, window_seconds=1, clock=clock)
    limit.hit("acme")
    limit.hit("acme")
    with pytest.raises(RateLimitedError) as refused:
        limit.hit("acme")
    assert refused.value.retry_after == 1
    clock.now += 0.5
    limit.hit("acme")


def test_a_zero_limit_turns_it_off_without_writing(table: Any) -> None:
    limit = limiter(table, Clock(), requests=0)
    for _ in range(10):
        limit.hit("acme")
    assert table.scan()["Items"] == []


def test_a_window_shorter_than_a_second_is_refused(table: Any) -> None:
    with pytest.raises(ValueError, match="window_seconds"):
        RateLimiter(table, requests=1, window_seconds=0)


def test_the_error_answers_429_with_retry_after() -> None:
    error = RateLimitedError(7)
    assert error.headers == {"Retry-After": "7"}
    assert "retry after 7 s" in str(error)
    answer = error_result(error)
    assert answer["statusCode"] == 429
    assert '"code":"rate_limited"' in answer["body"]


def test_the_api_answers_429_with_retry_after_past_the_workspace_limit(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import render_handler
    from courier import wiring
    from courier.platform import settings
    from courier_tools.local.stack import FakeContext, api_gateway_event

    # Given a limit of 3 requests a minute per workspace
    monkeypatch.setenv("COURIER_RATE_LIMIT_REQUESTS", "3")
    settings.render_settings.cache_clear()
    wiring.api_services.cache_clear()

    def get(workspace: str) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {api.keys[workspace]}"}
        event = api_gateway_event("GET", "/v1/templates", headers, b"", "203.0.113.10")
        return dict(render_handler.lambda_handler(event, FakeContext("RenderFunction", 30)))

    # When acme sends 4 requests
    answers = [get("acme") for _ in range(4)]

    # Then the first 3 pass and the 4th is a 429 in the contract's shape, with Retry-After
    assert [a["statusCode"] for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused["headers"]["Retry-After"]) <= 60
    assert '"code":"rate_limited"' in refused["body"]
    # And another workspace is not limited by acme's requests
    assert get("globex")["statusCode"] == 200


def test_a_bad_key_is_refused_before_it_counts_against_any_limit(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from courier import wiring
    from courier.platform import settings

    # Given a limit of 1 request a minute
    monkeypatch.setenv("COURIER_RATE_LIMIT_REQUESTS", "1")
    settings.render_settings.cache_clear()
    wiring.api_services.cache_clear()
    # When requests with a wrong key come first
    assert api.call("GET", "/v1/templates", key="rc_wrong_key")[0] == 401
    # Then the workspace still has its one request
    assert api.call("GET", "/v1/templates")[0] == 200
    assert api.call("GET", "/v1/templates")[0] == 429
