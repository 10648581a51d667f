"""boto3 clients for our own AWS resources, created lazily and reused across warm invocations."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Standard retry mode adds jittered backoff for throttling and 5xx on our own table, bucket and secrets.
OWN_RESOURCES = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5, read_timeout=30)
# Presigned staging URLs must be SigV4 (SigV2 is refused in newer regions and by many S3-compatible stores).
S3 = OWN_RESOURCES.merge(Config(signature_version="s3v4"))


@cache
def client(service: str) -> Any:
    config = S3 if service == "s3" else OWN_RESOURCES
    return boto3.session.Session().client(service, config=config)


@cache
def table(name: str) -> Any:
    return boto3.session.Session().resource("dynamodb", config=OWN_RESOURCES).Table(name)
