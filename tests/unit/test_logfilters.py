"""The wire-logger filter: the SDK loggers that quote requests drop their DEBUG records, whatever the levels, and
keep everything above. (What the SDKs really log at DEBUG is checked with canaries in tests/security/test_canary.py.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from courier.platform import logfilters


@pytest.fixture
def kept() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.parametrize("name", logfilters.WIRE_LOGGERS)
def test_wire_loggers_drop_debug_records_and_keep_the_rest(kept: list[logging.LogRecord], name: str) -> None:
    # Given the filter installed (twice: it is idempotent) and a wire logger at DEBUG
    logfilters.install()
    logfilters.install()
    logger = logging.getLogger(name)
    saved = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        # When it logs a request at DEBUG, then a warning
        logger.debug("Calling dynamodb:put_item with %r", {"Item": {"secret": "CANARY"}})
        logger.warning("Connection pool is full")
    finally:
        logger.setLevel(saved)
    # Then only the warning is kept, and the filter was added once
    assert [(r.name, r.levelno) for r in kept] == [(name, logging.WARNING)]
    assert sum(isinstance(f, type(logfilters._WIRE)) for f in logger.filters) == 1
