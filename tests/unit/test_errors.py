"""Error mapping: provider errors → retryable or permanent; staging keys from S3 event keys."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from courier.destinations.base import PermanentDeliveryError, RetryableDeliveryError
from courier.destinations.s3_errors import map_error
from courier.renders.staging import StagingKey


def client_error(code: str, status: int, headers: dict[str, str] | None = None) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": f"{code} message"},
            "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": headers or {}},
        },
        "PutObject",
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("NoSuchBucket", 404),
        ("AccessDenied", 403),
        ("InvalidAccessKeyId", 403),
        ("SignatureDoesNotMatch", 403),
        ("AccessControlListNotSupported", 400),
        ("InvalidArgument", 400),
    ],
)
def test_permanent_errors(code: str, status: int) -> None:
    error = map_error(client_error(code, status))
    assert isinstance(error, PermanentDeliveryError) and not error.retryable
    assert error.reason.startswith(code)


@pytest.mark.parametrize(("code", "status"), [("InternalError", 500), ("SlowDown", 503), ("TooManyRequests", 429)])
def test_retryable_errors(code: str, status: int) -> None:
    error = map_error(client_error(code, status, {"retry-after": "7"}))
    assert isinstance(error, RetryableDeliveryError) and error.retryable
    assert error.retry_after == 7.0


def test_network_errors_are_retryable() -> None:
    assert map_error(EndpointConnectionError(endpoint_url="https://x")).retryable
    assert map_error(ReadTimeoutError(endpoint_url="https://x")).retryable
    assert map_error(RuntimeError("boom")).retryable


def test_staging_key_from_event_key() -> None:
    key = StagingKey.from_event_key("staging/ws1/r1/f1/Caf%C3%A9+Men%C3%BC.png")
    assert (key.workspace_id, key.render_id, key.file_uuid, key.filename) == ("ws1", "r1", "f1", "Café Menü.png")
    assert str(key) == "staging/ws1/r1/f1/Café Menü.png"
    # moto encodes the slashes too; unquote_plus handles both forms
    assert StagingKey.from_event_key("staging%2Fws1%2Fr1%2Ff1%2Fa.png").filename == "a.png"


@pytest.mark.parametrize(
    "key", ["other/ws/r/f/x.png", "staging/ws/r/x.png", "staging/ws//f/x.png", "staging/a/b/c/d/e"]
)
def test_foreign_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError):
        StagingKey.parse(key)
