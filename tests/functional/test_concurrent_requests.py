"""Requests resolved at the same time in one process, as the local stack's render sandboxes run them: each is
answered as its own. Powertools keeps the request being resolved on the resolver (the event on its class; the route,
its arguments and the caller's workspace in one context dict), which fits a Lambda sandbox (one request at a time),
not threads."""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.functional.conftest import S3_STORAGE, Api


@pytest.fixture
def often_switching_threads() -> Iterator[None]:
    """Threads switch every microsecond instead of every 5 ms: what two requests could do in some interleaving,
    they do in this test's run."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_requests_of_two_workspaces_and_the_console_at_once_are_each_answered_as_their_own(
    api: Api, often_switching_threads: None
) -> None:
    # Given acme with a storage, globex with none
    assert api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))[0] == 200
    asks: list[tuple[str, str | None, Any]] = [
        ("/v1/storage", "acme", ["main"]),
        ("/v1/storage", "globex", []),
        ("/console/style.css", None, "style"),
        ("/console/app.js", None, "script"),
    ]

    def ask(index: int) -> str:
        path, key, expected = asks[index % len(asks)]
        if key is None:
            status, got = console(api, path)
        else:
            status, answer = api.call("GET", path, key=key)
            got = [storage["name"] for storage in answer["storages"]] if status == 200 else answer
        return "" if status == 200 and got == expected else f"{path} as {key}: {status} {str(got)[:300]}"

    # When four threads ask for them at once, over and over
    with ThreadPoolExecutor(4) as pool:
        wrong = [found for found in pool.map(ask, range(200)) if found]
    # Then every answer is the one its own request asked for
    assert not wrong, wrong[:5]


def console(api: Api, path: str) -> tuple[int, str]:
    """A console file, told apart by its type: the style sheet or the script."""
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    answer = render_handler.lambda_handler(
        api_gateway_event("GET", path, {}, b"", "203.0.113.10"), FakeContext("RenderFunction", 30)
    )
    kind = {"text/css": "style", "text/javascript": "script"}
    content_type = str(answer["headers"].get("Content-Type", "")).split(";")[0]
    return int(answer["statusCode"]), kind.get(content_type, content_type)
