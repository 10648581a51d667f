"""Security-pass fixtures: the unit suite's in-process API (mock_aws, two workspaces), plus a raw caller that keeps
the answer's text and headers (an error body must be checked as text: no stack trace, no secret)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.functional.conftest import S3_STORAGE, STAGING, TABLE, Api, api, aws_env  # noqa: F401

__all__ = ["S3_STORAGE", "STAGING", "TABLE", "Answer", "Api"]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


RawCall = Callable[..., Answer]


@pytest.fixture
def raw(api: Api) -> RawCall:  # noqa: F811
    """Send an API Gateway v2 event with exactly these headers and body bytes; returns the answer as text."""
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    def call(
        method: str,
        path: str,
        body: bytes = b"",
        *,
        key: str | None = "acme",
        headers: dict[str, str] | None = None,
        event_changes: Callable[[dict[str, Any]], None] | None = None,
    ) -> Answer:
        sent = {"content-type": "application/json"} if headers is None else dict(headers)
        if key is not None:
            sent["authorization"] = f"Bearer {api.keys.get(key, key)}"
        event = api_gateway_event(method, path, sent, body, "203.0.113.10")
        if event_changes is not None:
            event_changes(event)
        result = render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))
        return Answer(int(result["statusCode"]), dict(result.get("headers") or {}), str(result.get("body") or ""))

    return call


# ---------------------------------------------------------------- logs at DEBUG, every logger

# The AWS SDK's own wire logging (request bodies, signed headers). Judged on its own: it is the SDK, not our code,
# that writes those lines, and only when the root logger is at DEBUG (Lambda's ApplicationLogLevel DEBUG).
SDK_LOGGERS = ("botocore", "boto3", "s3transfer")
# Test machinery that does not exist in Lambda.
TEST_ONLY_LOGGERS = ("moto", "werkzeug", "responses")


@dataclass
class CapturedLogs:
    records: list[logging.LogRecord]
    capfd: pytest.CaptureFixture[str]
    printed: list[str]

    def text(self, *, sdk: bool) -> str:
        """Every captured line: ours (plus Powertools' JSON on stdout) when ``sdk`` is False, the SDK's when True."""
        out, err = self.capfd.readouterr()
        self.printed.append(out + err)
        lines = []
        for record in self.records:
            name = record.name
            if name.startswith(TEST_ONLY_LOGGERS):
                continue
            if name.startswith(SDK_LOGGERS) == sdk:
                lines.append(f"{name}: {record.getMessage()} {record.exc_text or ''}")
        if not sdk:
            lines.extend(self.printed)
        return "\n".join(lines)


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self._records = records

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        self._records.append(record)


@pytest.fixture
def debug_logs(capfd: pytest.CaptureFixture[str]) -> Iterator[CapturedLogs]:
    """Every logger at DEBUG (root included, and any logger that set its own level), every record kept, and the
    process's stdout/stderr (Powertools Logger prints JSON lines there)."""
    records: list[logging.LogRecord] = []
    handler = _Keep(records)
    root = logging.getLogger()
    saved = {name: lg.level for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    saved_root = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in saved:
        logger = logging.getLogger(name)
        if logger.level > logging.DEBUG:
            logger.setLevel(logging.DEBUG)
        if not logger.propagate:
            logger.addHandler(handler)
    try:
        yield CapturedLogs(records, capfd, [])
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_root)
        for name, level in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            if handler in logger.handlers:
                logger.removeHandler(handler)
