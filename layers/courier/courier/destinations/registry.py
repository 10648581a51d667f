"""Builds the adapter for a delivery target; SDKs are imported only when a provider is used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from courier.credentials import CredentialReader
from courier.destinations.base import Destination, PermanentDeliveryError
from courier.models import DeliveryTarget

# The SDK's own retries stay short: our delivery loop decides about retrying, and a Lambda retry follows.
CUSTOMER_S3 = Config(
    signature_version="s3v4",
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=10,
    read_timeout=60,
    max_pool_connections=16,
)


class DestinationFactory:
    def __init__(self, credentials: CredentialReader, session_factory: Callable[..., Any] = boto3.session.Session):
        self._credentials = credentials
        self._session = session_factory

    def build(self, target: DeliveryTarget) -> Destination:
        if target.provider == "s3":
            from courier.destinations.s3 import S3Destination

            return S3Destination(self._s3_client(target), target.bucket)
        raise PermanentDeliveryError(f"provider {target.provider} is not supported")

    def _s3_client(self, target: DeliveryTarget) -> Any:
        if target.auth_type == "policy":
            # The bucket grants our delivery role: the function's own credentials.
            return self._session(region_name=target.region).client("s3", config=CUSTOMER_S3)
        if not target.secret_id:
            raise PermanentDeliveryError("the storage has no credentials: save the storage again")
        try:
            secret = self._credentials.load(target.secret_id)
        except Exception as exc:  # a missing or unreadable secret: the storage must be saved again
            raise PermanentDeliveryError(
                f"the storage's credentials could not be read ({type(exc).__name__}): save the storage again"
            ) from exc
        return self._session(
            aws_access_key_id=secret["access_key_id"].get_secret_value(),
            aws_secret_access_key=secret["secret_access_key"].get_secret_value(),
            region_name=target.region,
        ).client("s3", config=CUSTOMER_S3)
