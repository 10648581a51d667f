"""boto3 clients for our own AWS resources, created lazily and reused across warm invocations."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from courier.platform import logfilters

# Standard retry mode adds jittered backoff for throttling and 5xx on our own table, bucket and secrets.
OWN_RESOURCES = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5, read_timeout=30)
# Presigned staging URLs must be SigV4 (SigV2 is refused in newer regions and by many S3-compatible stores).
S3 = OWN_RESOURCES.merge(Config(signature_version="s3v4"))


logfilters.install()  # before any client exists: SDK wire logs would carry secrets at DEBUG


@cache
def session() -> boto3.session.Session:
    """One session per process: each new one reloads botocore's data files (tens of milliseconds)."""
    return boto3.session.Session()


_CREATING = threading.Lock()  # botocore's client creation from one session is not thread-safe


def new_client(service: str, **settings: Any) -> Any:
    """A client with settings of its own (a customer's credentials, endpoint, timeouts), from the shared session."""
    with _CREATING:
        return session().client(service, **settings)


@cache
def client(service: str) -> Any:
    config = S3 if service == "s3" else OWN_RESOURCES
    return session().client(service, config=config)


@cache
def table(name: str) -> Any:
    return session().resource("dynamodb", config=OWN_RESOURCES).Table(name)


class LazyClient:
    """A client of ours made on first use, so a cold start pays only for the clients its path calls
    (each costs tens of milliseconds to build)."""

    def __init__(self, service: str) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(client(self._service), name)


def lazy_client(service: str) -> Any:
    return LazyClient(service)
