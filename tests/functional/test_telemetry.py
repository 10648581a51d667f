"""Metrics as CloudWatch reads them (EMF lines on stdout) and the render id as the logs' correlation id."""

from __future__ import annotations

import json
from typing import Any

import pytest

from courier.platform import telemetry
from tests.functional.conftest import Api


def _emf(text: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line and "CloudWatchMetrics" in line["_aws"]]


def test_a_render_emits_its_metrics_once_and_a_read_emits_none(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    # When a render is made
    status, answer = api.call("POST", "/v1/renders", {"templateId": "carousel", "connections": []})
    assert status == 200, answer
    [emf] = _emf(capsys.readouterr().out)
    # Then one EMF document carries Renders, RenderedPages (3 pages) and RenderDuration, by service only
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "RenderCourier" and directive["Dimensions"] == [["service"]]
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "Renders": "Count",
        "RenderedPages": "Count",
        "RenderDuration": "Milliseconds",
    }
    assert emf["Renders"] == [1.0] and emf["RenderedPages"] == [3.0] and emf["RenderDuration"][0] > 0
    # When the render is read, then no metrics (and no "no metrics" warning) are written
    assert api.call("GET", f"/v1/renders/{answer['id']}")[0] == 200
    assert _emf(capsys.readouterr().out) == []


def test_the_render_id_is_the_correlation_id_of_the_render_logs(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    from render_handler import logger

    status, answer = api.call("POST", "/v1/renders", {"templateId": "social-card", "connections": []})
    assert status == 200
    assert logger.get_correlation_id() == answer["id"]


def test_a_delivery_outcome_is_counted_by_service_and_by_provider(capsys: pytest.CaptureFixture[str]) -> None:
    # When a presigned delivery fails and an R2 one succeeds
    telemetry.delivery_finished("url", "error", None, 120)
    telemetry.delivery_finished("r2", "success", 2048, 80)
    telemetry.metrics.flush_metrics()
    documents = _emf(capsys.readouterr().out)
    # Then the per-provider documents name provider and outcome
    by_provider = [d for d in documents if "provider" in d]
    assert [(d["provider"], d["outcome"], d["Deliveries"]) for d in by_provider] == [
        ("presigned", "error", [1.0]),
        ("r2", "success", [1.0]),
    ]
    # And the service-level document counts one failure, one success and the success's bytes
    [totals] = [d for d in documents if "provider" not in d]
    assert totals["DeliveryFailed"] == [1.0] and totals["DeliverySucceeded"] == [1.0]
    assert totals["DeliveredBytes"] == [2048.0] and totals["DeliveryDuration"] == [120.0, 80.0]


# The X-Ray SDK opens a UDP socket to its daemon's address when it is imported (nothing is sent: tracing is off).
@pytest.mark.enable_socket
def test_per_call_tracing_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(event: Any, context: Any) -> str:
        return "ok"

    monkeypatch.delenv("COURIER_TRACE_CALLS", raising=False)
    assert telemetry.traced(handler) is handler
    monkeypatch.setenv("COURIER_TRACE_CALLS", "true")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    wrapped = telemetry.traced(handler)
    assert wrapped is not handler and wrapped({}, None) == "ok"


def test_disabled_metrics_write_nothing_not_even_by_provider(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given metrics turned off, as the local stack does
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    telemetry.metrics.clear_metrics()
    # When a delivery finishes and metrics are flushed, Then no EMF line is written (Powertools' single_metric
    # alone would still print the per-provider one)
    telemetry.delivery_finished("s3", "success", 10, 5)
    telemetry.metrics.flush_metrics()
    assert _emf(capsys.readouterr().out) == []
