"""boto3 clients for our own AWS resources, created lazily and reused across warm invocations.

The clients are typed with the types-boto3 stubs (a dev dependency, absent from the Lambda layer): they are imported
only for the type checker, and each accessor's overloads map a service's name to its client's type."""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, cast, overload

import boto3
from botocore.config import Config

from courier.platform import logfilters

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from types_boto3_dynamodb.client import DynamoDBClient
    from types_boto3_dynamodb.service_resource import Table
    from types_boto3_kms.client import KMSClient
    from types_boto3_s3.client import S3Client
    from types_boto3_secretsmanager.client import SecretsManagerClient
    from types_boto3_sqs.client import SQSClient
    from types_boto3_sts.client import STSClient

# The services the package calls (the extras of types-boto3 in requirements-dev.in).
Service = Literal["dynamodb", "kms", "s3", "secretsmanager", "sqs", "sts"]

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


def new_client(service: Literal["s3"], **settings: Any) -> S3Client:
    """A client with settings of its own (a customer's credentials, endpoint, timeouts), from the shared session.
    Only S3 is made so today (a customer's bucket); another service would add an overload here."""
    with _CREATING:
        return session().client(service, **settings)


@overload
def client(service: Literal["dynamodb"]) -> DynamoDBClient: ...
@overload
def client(service: Literal["kms"]) -> KMSClient: ...
@overload
def client(service: Literal["s3"]) -> S3Client: ...
@overload
def client(service: Literal["secretsmanager"]) -> SecretsManagerClient: ...
@overload
def client(service: Literal["sqs"]) -> SQSClient: ...
@overload
def client(service: Literal["sts"]) -> STSClient: ...
@cache
def client(service: Service) -> BaseClient:
    config = S3 if service == "s3" else OWN_RESOURCES
    return session().client(service, config=config)


class PerThreadTable:
    """A table resource for each thread that uses it. boto3's resources are not thread-safe: a Table's calls share one
    condition-expression builder, so two queries at once can swap their placeholders. A Lambda sandbox has one
    thread; the local stack runs several invocations on threads, and a query then failed or read another's key."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._threads = threading.local()

    def __getattr__(self, name: str) -> Any:
        table = getattr(self._threads, "table", None)
        if table is None:
            with _CREATING:
                table = self._threads.table = session().resource("dynamodb", config=OWN_RESOURCES).Table(self._name)
        return getattr(table, name)


@cache
def table(name: str) -> Table:
    # The proxy forwards every attribute to its thread's Table, so it is typed as one.
    return cast("Table", PerThreadTable(name))


class LazyClient:
    """A client of ours made on first use, so a cold start pays only for the clients its path calls
    (each costs tens of milliseconds to build)."""

    def __init__(self, service: Service) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(client(self._service), name)


@overload
def lazy_client(service: Literal["dynamodb"]) -> DynamoDBClient: ...
@overload
def lazy_client(service: Literal["kms"]) -> KMSClient: ...
@overload
def lazy_client(service: Literal["s3"]) -> S3Client: ...
@overload
def lazy_client(service: Literal["secretsmanager"]) -> SecretsManagerClient: ...
@overload
def lazy_client(service: Literal["sqs"]) -> SQSClient: ...
@overload
def lazy_client(service: Literal["sts"]) -> STSClient: ...
def lazy_client(service: Service) -> BaseClient:
    # The proxy forwards every attribute to the client it stands for, so it is typed as that client.
    return cast("BaseClient", LazyClient(service))
