"""Log records that would carry request secrets are never emitted, whatever level a logger is set to.

At DEBUG (Lambda's ApplicationLogLevel, or a developer's root logger), botocore logs its wire traffic: request
parameters (a SecretString being stored), signed headers (a customer's access key id), canonical requests and
response bodies (a secret being read); boto3's resource layer logs every table call's parameters and answer
(whole items: API key hashes, sealed secrets, webhook URLs with their tokens); s3transfer logs each task's arguments
(ExtraArgs: metadata, an SSE-C key); urllib3 logs request targets (a presigned URL's signature); Powertools' event
handler logs every route's arguments (a render request's presigned URL and headers, an OAuth code).
Levels can be changed by anyone; a filter on the emitting logger holds regardless (a filter acts on records logged
to its own logger, not to its children, so every emitting logger is named). The SDKs' other debug records (hooks,
retries, endpoints resolved, credentials found) still flow: tests/security/test_canary.py runs every logger at DEBUG
through table writes, S3 transfers and failed deliveries and finds no canary in them.
"""

from __future__ import annotations

import logging

# Loggers whose DEBUG records quote requests, responses or signatures.
WIRE_LOGGERS = (
    "botocore.endpoint",
    "botocore.auth",
    "botocore.parsers",
    "botocore.httpsession",
    "botocore.awsrequest",
    "botocore.handlers",  # the body of an S3 error answered with a 200 (CopyObject, CompleteMultipartUpload)
    "boto3.resources.action",  # "Calling dynamodb:put_item with {...}" and the response: whole items
    "boto3.resources.collection",  # the parameters of a paginated resource call
    "boto3.dynamodb.table",  # batch_writer with overwrite_by_pkeys: the dropped item
    "s3transfer",  # the legacy S3Transfer: exceptions of a failed part (a server's message)
    "s3transfer.tasks",  # "Executing task ... with kwargs": bucket, key, ExtraArgs
    "s3transfer.futures",  # task reprs (their kwargs) and the exceptions set on them
    "urllib3.connectionpool",
    "urllib3.util.retry",  # "Incremented Retry for (url=...)": the request target, query included
    "dropbox",
)
# Powertools' route dispatch logs the parsed arguments of the route being called.
ROUTE_LOGGER = "aws_lambda_powertools.event_handler.api_gateway"
ROUTE_ARGUMENTS = "Calling API Route Handler"


class _NoWireRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


class _NoRouteArguments(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(ROUTE_ARGUMENTS)


_WIRE = _NoWireRecords()
_ROUTE = _NoRouteArguments()


def install() -> None:
    """Idempotent; called where the AWS clients are made and where the HTTP routes are."""
    for name in WIRE_LOGGERS:
        _add(logging.getLogger(name), _WIRE)
    _add(logging.getLogger(ROUTE_LOGGER), _ROUTE)


def _add(logger: logging.Logger, log_filter: logging.Filter) -> None:
    if log_filter not in logger.filters:
        logger.addFilter(log_filter)
