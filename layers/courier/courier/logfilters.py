"""Log records that would carry request secrets are never emitted, whatever level a logger is set to.

At DEBUG (Lambda's ApplicationLogLevel, or a developer's root logger), botocore logs its wire traffic: request
parameters (a SecretString being stored), signed headers (a customer's access key id), canonical requests and
response bodies (a secret being read); urllib3 logs request targets (a presigned URL's signature); Powertools'
event handler logs every route's arguments (a render request's presigned URL and headers, an OAuth code).
Levels can be changed by anyone; a filter on the emitting logger holds regardless. The SDKs' other debug
records (hooks, retries, endpoints resolved) still flow.
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
    "urllib3.connectionpool",
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
