"""Legitimate input that used to end in a 500 or a loop (issue #12, item 2): JSON media types in any spelling, what
the event handler itself raises, and an S3-compatible endpoint that answers with redirects."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.security.conftest import Api, RawCall

POLICY_STORAGE = {"provider": "s3", "bucket": "acme-renders", "prefix": "renders", "auth": {"type": "policy"}}


@pytest.mark.parametrize(
    "content_type",
    [
        "APPLICATION/JSON",
        "Application/Json",
        "application/json; charset=UTF-8",
        "Application/JSON;charset=utf-8",
        "application/vnd.api+json",
    ],
)
def test_json_in_any_spelling_is_json(raw: RawCall, content_type: str) -> None:
    # Given a JSON body sent with a media type RFC 9110 says is the same, or a +json type
    body = json.dumps(POLICY_STORAGE).encode()
    # When it is PUT
    answer = raw("PUT", "/v1/storage/spelled", body, headers={"content-type": content_type})
    # Then it is read as JSON, never a 500
    assert answer.status == 200, answer.text
    assert answer.json["bucket"] == "acme-renders"


def test_merge_patch_json_on_patch(raw: RawCall) -> None:
    assert raw("PUT", "/v1/storage/patched", json.dumps(POLICY_STORAGE).encode()).status == 200
    answer = raw(
        "PATCH",
        "/v1/storage/patched",
        json.dumps({"paused": True}).encode(),
        headers={"content-type": "application/merge-patch+json"},
    )
    assert answer.status == 200, answer.text
    assert answer.json["paused"] is True


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_other_media_types_are_a_415_of_the_error_shape(raw: RawCall, content_type: str) -> None:
    answer = raw("PUT", "/v1/storage/x", json.dumps(POLICY_STORAGE).encode(), headers={"content-type": content_type})
    assert answer.status == 415, answer.text
    assert answer.json["error"]["code"] == "unsupported_media_type"


def test_what_the_event_handler_raises_is_answered_in_the_error_shape(api: Api) -> None:
    # Given Powertools' own content-type check reached directly (a body it does not parse as JSON)
    from aws_lambda_powertools.event_handler.exceptions import NotFoundError as PowertoolsNotFound
    from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType

    import render_handler

    # When the handlers for its exceptions answer
    unsupported = render_handler.handle_unsupported_content_type(RequestUnsupportedContentType("x", errors=[]))
    not_found = render_handler.handle_event_handler_error(PowertoolsNotFound("x"))
    # Then with the contract's shape and a 4xx
    assert unsupported.status_code == 415
    assert json.loads(str(unsupported.body))["error"]["code"] == "unsupported_media_type"
    assert not_found.status_code == 404
    assert json.loads(str(not_found.body)) == {"error": {"code": "not_found", "message": "not found", "details": []}}


def test_the_catch_all_500_keeps_the_error_shape_with_details(raw: RawCall, monkeypatch: pytest.MonkeyPatch) -> None:
    from courier.wiring import api_services

    def broken(*_: Any) -> None:
        raise RuntimeError("a bug, with a secret-ish text that must not be echoed")

    monkeypatch.setattr(api_services().templates, "list", broken)
    answer = raw("GET", "/v1/templates")
    assert answer.status == 500
    assert answer.json == {"error": {"code": "internal", "message": "internal error", "details": []}}


class _Redirecting(BaseHTTPRequestHandler):
    """An S3-compatible endpoint that redirects every request to itself."""

    requests = 0

    def _redirect(self) -> None:
        type(self).requests += 1
        self.send_response(307)
        self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}{self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _redirect

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def redirecting_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURIER_ALLOW_LOCAL_URLS", "true")


def test_an_endpoint_answering_307_is_a_quick_422(local_urls: None, raw: RawCall, redirecting_endpoint: str) -> None:
    # Given an S3-compatible endpoint that answers every request with a redirect
    storage = POLICY_STORAGE | {
        "endpoint": redirecting_endpoint,
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLE000000001", "secretAccessKey": "secret"},
    }
    _Redirecting.requests = 0
    # When the storage is saved (its probe writes a test object)
    started = time.monotonic()
    answer = raw("PUT", "/v1/storage/redirected", json.dumps(storage).encode())
    elapsed = time.monotonic() - started
    # Then a clean 422 on the endpoint, within a second or two, after a handful of requests (not ~80 and a crash)
    assert answer.status == 422, answer.text
    [detail] = answer.json["error"]["details"]
    assert detail["field"] == "endpoint" and "redirect" in detail["message"]
    assert elapsed < 3, elapsed
    assert _Redirecting.requests <= 3


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/templates", "GET, POST"),
        ("POST", "/v1/webhook", "GET, PUT"),
        ("DELETE", "/v1/renders", "GET, POST"),
    ],
)
def test_a_method_a_path_does_not_have_is_a_405_naming_those_it_has(
    raw: RawCall, method: str, path: str, allowed: str
) -> None:
    answer = raw(method, path, b"{}" if method != "DELETE" else b"")
    assert answer.status == 405, answer.text
    assert answer.headers["Allow"] == allowed
    assert answer.json["error"]["code"] == "method_not_allowed"
    assert raw("GET", "/v1/nothing-here").status == 404


def test_swagger_ui_shows_the_contract_as_documented_with_no_third_party_request(raw: RawCall) -> None:
    import render_handler

    page = raw("GET", "/v1/docs", key=None)
    assert page.status == 200 and "swagger-ui" in page.text.lower()
    # The corrected document (operationIds from courier.api.openapi), not Powertools' own, and no CDN
    assert render_handler.openapi_document().replace("</", "<\\/")[:300] in page.text
    assert "cdn.jsdelivr" not in page.text and "unpkg.com" not in page.text
    as_json = raw("GET", "/v1/docs?format=json", key=None)
    assert json.loads(as_json.text)["paths"]["/v1/renders"]["post"]["operationId"] == "createRender"
