"""Functional tests: services and handlers in-process on moto's mock_aws, wired exactly as the functions see them
(env settings, the table from template.yaml). No network socket (pytest-socket): mock_aws needs none, and a test
that needs a server belongs in tests/integration."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import boto3
import moto.kms.models
import pytest
from moto import mock_aws

from courier import wiring
from courier.accounts.auth import provision_workspace
from courier.accounts.keys import KeyRepository
from courier.persistence.store import Store
from courier.platform import aws, settings
from courier_tools.local.stack import FakeContext, api_gateway_event, table_definition
from tests.conftest import ROOT
from tests.sockets import no_network

__all__ = ["no_network"]

TABLE = "courier-test"
STAGING = "courier-staging-test"


@dataclass
class Api:
    keys: dict[str, str]  # workspace name -> API key
    workspaces: dict[str, str]  # workspace name -> id
    store: Store
    call: Callable[..., tuple[int, Any]]


def _clear_caches() -> None:
    # The boto3 session and the package's own clients are kept from test to test: each new session parses every
    # service model again, and each client costs ~11 ms to make. Every test has the same fake credentials, region and
    # no endpoint (_aws_environment), and moto serves a client made before its mock_aws began.
    for cached in (settings.render_settings, settings.deliver_settings):
        cached.cache_clear()
    wiring.api_services.cache_clear()
    wiring.delivery_service.cache_clear()
    wiring.clip_renderer.cache_clear()


def _aws_environment(monkeypatch: pytest.MonkeyPatch, **more: str) -> None:
    """Fake credentials in one region, the table's name, nothing from the developer's own AWS setup."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "COURIER_TABLE_NAME": TABLE,
        **more,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _private_key(key_spec: str) -> Any:
    """moto makes an RSA-2048 private key for every KMS key, symmetric ones too (~40 ms each, a third of some tests'
    time), though it signs only with asymmetric keys. The stack's keys are symmetric: they get none."""
    return None if key_spec == "SYMMETRIC_DEFAULT" else _moto_private_key(key_spec)


_moto_private_key = moto.kms.models.generate_private_key


@contextmanager
def _mocked() -> Iterator[None]:
    """mock_aws, with boto3's default session (which moto sets aside) replaced by the kept one: each new session
    parses the service models again, ~40 ms for each `boto3.client()` a test makes."""
    with mock_aws(), patch("moto.kms.models.generate_private_key", _private_key):
        boto3.DEFAULT_SESSION = aws.session()  # mock_aws puts its own value back when it stops
        yield


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Only the stack's table (from template.yaml) under mock_aws: lighter than the full ``aws_env``."""
    _aws_environment(monkeypatch)
    with _mocked():
        aws.client("dynamodb").create_table(TableName=TABLE, **table_definition(ROOT))
        yield aws.table(TABLE)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """mock_aws with the stack's resources and the environment template.yaml gives the functions."""
    _aws_environment(
        monkeypatch, COURIER_STAGING_BUCKET=STAGING, POWERTOOLS_TRACE_DISABLED="true", POWERTOOLS_LOG_LEVEL="DEBUG"
    )
    _clear_caches()
    with _mocked():
        aws.client("dynamodb").create_table(TableName=TABLE, **table_definition(ROOT))
        aws.client("s3").create_bucket(Bucket=STAGING)
        aws.client("s3").create_bucket(Bucket="acme-renders")  # the customer bucket storages probe
        key = aws.client("kms").create_key(Description="inline secrets")["KeyMetadata"]["KeyId"]
        monkeypatch.setenv("COURIER_INLINE_KEY_ID", key)
        yield
    _clear_caches()


@pytest.fixture
def api(aws_env: None) -> Api:
    """The render function's HTTP API, called in-process with API Gateway v2 events; two workspaces."""
    import render_handler

    store = Store(aws.table(TABLE))
    keys, workspaces = {}, {}
    for name in ("acme", "globex"):
        workspaces[name], keys[name] = provision_workspace(KeyRepository(aws.table(TABLE)), name)

    def call(
        method: str, path: str, body: Any = None, key: str | None = "acme", raw: bytes | None = None
    ) -> tuple[int, Any]:
        headers = {"content-type": "application/json"}
        if key is not None:
            headers["authorization"] = f"Bearer {keys.get(key, key)}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        event = api_gateway_event(method, path, headers, data, "203.0.113.10")
        answer = render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))
        text = answer.get("body") or ""
        return int(answer["statusCode"]), json.loads(text) if text else None

    return Api(keys=keys, workspaces=workspaces, store=store, call=call)


S3_STORAGE = {
    "provider": "s3",
    "bucket": "acme-renders",
    "region": "us-east-1",
    "prefix": "renders",
    "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLE000000001", "secretAccessKey": "s3cr3t-CANARY-value"},
}
