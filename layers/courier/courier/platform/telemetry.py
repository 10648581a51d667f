"""Metrics and traces, in one place. The alarms and the dashboard in template.yaml read these names.

Metrics are CloudWatch embedded-metric-format lines (Powertools Metrics), namespace ``RenderCourier``, with the
single dimension ``service`` (low cardinality: the failure-rate alarm reads exactly that metric):
  deliver: DeliverySucceeded, DeliveryFailed (final outcomes only), DeliveryRetried (Count), DeliveredBytes
           (Bytes), DeliveryDuration (Milliseconds); and Deliveries (Count) by ``provider`` and ``outcome``
           WebhookSent, WebhookFailed (final), WebhookRetried (Count), WebhookAttempts (Count: POSTs per outcome)
  render:  Renders (Count), RenderDuration (Milliseconds), RenderedPages (Count)
Each handler flushes them once per invocation (``flushed``), and only when there are some.

Traces: Lambda's active tracing records every invocation. Subsegments for each AWS and HTTP call (the
Powertools Tracer, which patches boto3 and requests) cost ~150 ms of cold start to import the X-Ray SDK, so they
are on only with ``COURIER_TRACE_CALLS=true`` (template parameter ``TraceCalls``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, Literal

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "RenderCourier")
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "render-courier")

metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def delivery_finished(provider: str, status: str, size: int | None, duration_ms: int | None) -> None:
    """A delivery reached a final status: success, already_exists (nothing written, not a failure) or error."""
    outcome: Literal["success", "error"] = "error" if status == "error" else "success"
    final = "DeliveryFailed" if outcome == "error" else "DeliverySucceeded"
    metrics.add_metric(name=final, unit=MetricUnit.Count, value=1)
    if outcome == "success" and size:
        metrics.add_metric(name="DeliveredBytes", unit=MetricUnit.Bytes, value=size)
    if duration_ms is not None:
        metrics.add_metric(name="DeliveryDuration", unit=MetricUnit.Milliseconds, value=duration_ms)
    if is_metrics_disabled():
        return  # Powertools' single_metric prints even then (the local stack and `make demo` turn metrics off)
    with single_metric(
        name="Deliveries", unit=MetricUnit.Count, value=1, namespace=NAMESPACE, default_dimensions={"service": SERVICE}
    ) as metric:
        metric.add_dimension(name="provider", value=_label(provider))
        metric.add_dimension(name="outcome", value=outcome)


def delivery_retried() -> None:
    metrics.add_metric(name="DeliveryRetried", unit=MetricUnit.Count, value=1)


def webhook_finished(outcome: Literal["sent", "failed", "retrying"], attempts: int) -> None:
    """A render's webhook was sent, failed for good, or failed for now (Lambda or the reconciler tries again)."""
    name = {"sent": "WebhookSent", "failed": "WebhookFailed", "retrying": "WebhookRetried"}[outcome]
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="WebhookAttempts", unit=MetricUnit.Count, value=attempts)


def render_finished(pages: int, duration_ms: float) -> None:
    metrics.add_metric(name="Renders", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="RenderedPages", unit=MetricUnit.Count, value=pages)
    metrics.add_metric(name="RenderDuration", unit=MetricUnit.Milliseconds, value=duration_ms)


@cache
def _tracer() -> Any:
    from aws_lambda_powertools import Tracer  # the X-Ray SDK: imported only when per-call traces are on

    return Tracer(service=SERVICE)


def traced(handler: Callable[..., Any]) -> Callable[..., Any]:
    """The Powertools Tracer around a Lambda handler when COURIER_TRACE_CALLS is true; else the handler as is."""
    if os.environ.get("COURIER_TRACE_CALLS", "false").lower() != "true":
        return handler
    return _tracer().capture_lambda_handler(handler)  # type: ignore[no-any-return]


def flushed(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Write the invocation's metrics when the handler returns or raises. Not Powertools' ``log_metrics``: it warns
    on every invocation that added none (most reads), which is noise in the logs."""

    @wraps(handler)
    def run(event: Any, context: Any) -> Any:
        try:
            return handler(event, context)
        finally:
            if metrics.metric_set:
                metrics.flush_metrics()

    return run


def _label(provider: str) -> str:
    """The provider as the dashboards show it (its registration's metric label)."""
    from courier.providers import PROVIDERS

    registered = PROVIDERS.get(provider)
    return registered.metric if registered is not None else "other"
