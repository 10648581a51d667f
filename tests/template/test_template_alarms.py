"""Monitoring in template.yaml, read as data: the alarms and the metrics contract they rely on, the alarm topic, the
dashboard, DeliverFunction's reserved concurrency, the log level parameter and the remote copy route."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.template.test_template import _as_list, _function_properties, _resource, _template

OPERATIONS = ROOT / "docs" / "OPERATIONS.md"
NAMESPACE = "RenderCourier"
SERVICE = [{"Name": "service", "Value": "render-courier"}]
TOPIC = [{"Ref": "AlarmTopic"}]
# The custom metrics the code emits (EMF through Powertools Metrics), all with the `service` dimension.
CONTRACT = {
    "DeliverySucceeded",
    "DeliveryFailed",
    "DeliveryRetried",
    "DeliveredBytes",
    "DeliveryDuration",
    "Deliveries",
    "Renders",
    "RenderDuration",
    "RenderedPages",
}
ALARMS = {
    "DeliveryDLQDepthAlarm",
    "DeliveryFailureRateAlarm",
    "DeliverFunctionErrorsAlarm",
    "DeliverFunctionAsyncEventsDroppedAlarm",
    "RenderFunctionThrottlesAlarm",
    "DeliverFunctionThrottlesAlarm",
    "HttpApi5xxAlarm",
}


def _alarm(logical_id: str) -> dict[str, Any]:
    resource = _resource(_template(), logical_id)
    assert resource["Type"] == "AWS::CloudWatch::Alarm"
    properties: dict[str, Any] = resource["Properties"]
    return properties


def _queries(alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {query["Id"]: query for query in alarm["Metrics"]}


def _stat(query: dict[str, Any]) -> tuple[str, str, Any, str, int]:
    metric = query["MetricStat"]["Metric"]
    stat = query["MetricStat"]
    return metric["Namespace"], metric["MetricName"], metric["Dimensions"], stat["Stat"], stat["Period"]


def _function_dimension(logical_id: str) -> list[dict[str, Any]]:
    return [{"Name": "FunctionName", "Value": {"Ref": logical_id}}]


# ---------------------------------------------------------------------------------------------- every alarm


def test_the_stack_has_exactly_the_documented_alarms() -> None:
    # Given every alarm of the template
    alarms = {name for name, r in _template()["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}

    # Then the documented set, no more and no less
    assert alarms == ALARMS


@pytest.mark.parametrize("logical_id", sorted(ALARMS))
def test_each_alarm_notifies_the_topic_and_ignores_missing_data(logical_id: str) -> None:
    # Given
    alarm = _alarm(logical_id)

    # Then it notifies on ALARM and on recovery, and silence (no traffic) is not an incident
    assert alarm["AlarmActions"] == TOPIC
    assert alarm["OKActions"] == TOPIC
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    # And its name starts with the stack name, which the topic policy's SourceArn condition relies on
    assert alarm["AlarmName"]["Fn::Sub"].startswith("${AWS::StackName}-")


@pytest.mark.parametrize("logical_id", sorted(ALARMS))
def test_each_alarm_points_at_a_runbook_section_that_exists(logical_id: str) -> None:
    # Given the section an alarm's description names
    description = _alarm(logical_id)["AlarmDescription"]
    [section] = re.findall(r'docs/OPERATIONS\.md "([^"]+)"', description)

    # When
    headings = [line.lstrip("#").strip() for line in OPERATIONS.read_text(encoding="utf-8").splitlines()]

    # Then docs/OPERATIONS.md has a heading of that name
    assert any(heading.startswith(section) for heading in headings), section


# ---------------------------------------------------------------------------------------------- each alarm


def test_dlq_depth_alarm_fires_on_the_first_message() -> None:
    # Given
    alarm = _alarm("DeliveryDLQDepthAlarm")

    # Then
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["DeliveryDLQ", "QueueName"]}}]
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Maximum", 300, 1)
    assert alarm["Threshold"] == 0


def test_delivery_failure_rate_alarm_is_failed_over_all_outcomes_with_a_volume_guard() -> None:
    # Given
    alarm = _alarm("DeliveryFailureRateAlarm")
    queries = _queries(alarm)

    # Then the two custom metrics, summed per 5 minutes, with the service dimension only
    assert _stat(queries["succeeded"]) == (NAMESPACE, "DeliverySucceeded", SERVICE, "Sum", 300)
    assert _stat(queries["failed"]) == (NAMESPACE, "DeliveryFailed", SERVICE, "Sum", 300)
    # And the alarm evaluates the percentage failed, 0 below 20 outcomes, > 5 % in 3 consecutive periods
    returned = [q for q in alarm["Metrics"] if q.get("ReturnData", True)]
    assert [q["Id"] for q in returned] == ["failedpercent"]
    assert queries["total"]["Expression"] == "FILL(succeeded, 0) + FILL(failed, 0)"
    assert queries["failedpercent"]["Expression"] == "IF(total >= 20, 100 * FILL(failed, 0) / total, 0)"
    assert alarm["Threshold"] == 5
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)


def test_deliver_errors_alarm_is_a_rate_of_invocations() -> None:
    # Given
    alarm = _alarm("DeliverFunctionErrorsAlarm")
    queries = _queries(alarm)

    # Then
    deliver = _function_dimension("DeliverFunction")
    assert _stat(queries["errors"]) == ("AWS/Lambda", "Errors", deliver, "Sum", 300)
    assert _stat(queries["invocations"]) == ("AWS/Lambda", "Invocations", deliver, "Sum", 300)
    assert queries["errorpercent"]["Expression"] == "IF(invocations >= 10, 100 * FILL(errors, 0) / invocations, 0)"
    assert [q["Id"] for q in alarm["Metrics"] if q.get("ReturnData", True)] == ["errorpercent"]
    assert alarm["Threshold"] == 10
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 3)


def test_async_events_dropped_alarm_fires_on_any_drop() -> None:
    # Given
    alarm = _alarm("DeliverFunctionAsyncEventsDroppedAlarm")

    # Then
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "AsyncEventsDropped")
    assert alarm["Dimensions"] == _function_dimension("DeliverFunction")
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"]) == ("Sum", 300, 1, 0)


@pytest.mark.parametrize(
    ("logical_id", "function", "periods"),
    [("RenderFunctionThrottlesAlarm", "RenderFunction", 1), ("DeliverFunctionThrottlesAlarm", "DeliverFunction", 3)],
)
def test_throttles_alarms(logical_id: str, function: str, periods: int) -> None:
    # Given
    alarm = _alarm(logical_id)

    # Then a throttled render is a failed API call (at once); a throttled delivery waits in the async queue, so only
    # sustained throttling (15 minutes) is an incident
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Throttles")
    assert alarm["Dimensions"] == _function_dimension(function)
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 0)
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (periods, periods)


def test_api_5xx_alarm_is_a_rate_of_requests_of_this_http_api() -> None:
    # Given
    alarm = _alarm("HttpApi5xxAlarm")
    queries = _queries(alarm)

    # Then HTTP API metric names (5xx, Count; REST APIs say 5XXError) on this API
    api = [{"Name": "ApiId", "Value": {"Ref": "HttpApi"}}]
    assert _stat(queries["errors"]) == ("AWS/ApiGateway", "5xx", api, "Sum", 300)
    assert _stat(queries["requests"]) == ("AWS/ApiGateway", "Count", api, "Sum", 300)
    assert queries["errorpercent"]["Expression"] == "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)"
    assert alarm["Threshold"] == 5
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (3, 2)


def test_custom_metric_alarms_use_the_namespace_and_service_the_functions_are_given() -> None:
    # Given the Powertools settings both functions get (Metrics adds `service` as the default dimension)
    variables = _function_properties(_template(), "DeliverFunction")["Environment"]["Variables"]
    custom = [
        q["MetricStat"]["Metric"]
        for logical_id in ALARMS
        for q in _alarm(logical_id).get("Metrics", [])
        if "MetricStat" in q and q["MetricStat"]["Metric"]["Namespace"] not in ("AWS/Lambda", "AWS/ApiGateway")
    ]

    # Then every custom metric an alarm reads is in that namespace with exactly that dimension
    assert custom
    for metric in custom:
        assert metric["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"] == NAMESPACE
        assert metric["Dimensions"] == [{"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}]
        assert metric["MetricName"] in CONTRACT


# ---------------------------------------------------------------------------------------------- topic


def test_alarm_topic_accepts_only_this_stacks_alarms() -> None:
    # Given
    template = _template()
    [policy] = [r for r in template["Resources"].values() if r["Type"] == "AWS::SNS::TopicPolicy"]
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]

    # Then CloudWatch may publish, for alarms of this account whose name starts with the stack's
    assert _resource(template, "AlarmTopic")["Type"] == "AWS::SNS::Topic"
    assert policy["Properties"]["Topics"] == TOPIC
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert _as_list(statement["Action"]) == ["sns:Publish"]
    assert statement["Resource"] == {"Ref": "AlarmTopic"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source_arn = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
    assert source_arn.endswith(":alarm:${AWS::StackName}-*")


def test_email_subscription_exists_only_when_an_address_is_given() -> None:
    # Given
    template = _template()
    subscription = _resource(template, "AlarmEmailSubscription")
    parameter = template["Parameters"]["AlarmEmail"]

    # Then
    assert parameter["Default"] == ""
    assert re.fullmatch(parameter["AllowedPattern"], "")
    assert re.fullmatch(parameter["AllowedPattern"], "ops@example.com")
    assert not re.fullmatch(parameter["AllowedPattern"], "ops@example.com, me@example.com")
    assert subscription["Condition"] == "HasAlarmEmail"
    assert template["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }


# ---------------------------------------------------------------------------------------------- dashboard


def _dashboard() -> dict[str, Any]:
    body = _resource(_template(), "Dashboard")["Properties"]["DashboardBody"]["Fn::Sub"]
    # What CloudFormation substitutes is a name, an id or an ARN: any quoted placeholder stands in for it
    return json.loads(re.sub(r"\$\{[^}]+\}", "x", body))  # type: ignore[no-any-return]


def test_dashboard_body_is_json_and_shows_every_metric_of_the_contract() -> None:
    # Given
    dashboard = _dashboard()
    text = json.dumps(dashboard)

    # When
    shown = {metric for metric in CONTRACT if f'"{metric}"' in text or f'\\"{metric}\\"' in text}

    # Then
    assert shown == CONTRACT
    [alarms] = [w for w in dashboard["widgets"] if w["type"] == "alarm"]
    assert len(alarms["properties"]["alarms"]) == len(ALARMS)
    for widget in dashboard["widgets"]:
        assert widget["x"] + widget["width"] <= 24


# ---------------------------------------------------------------------------------------------- functions


def test_deliver_reserved_concurrency_is_a_parameter_that_can_be_turned_off() -> None:
    # Given
    template = _template()
    parameter = template["Parameters"]["DeliverReservedConcurrency"]
    reserved = _resource(template, "DeliverFunction")["Properties"]["ReservedConcurrentExecutions"]

    # Then 50 by default; 0 leaves the function unreserved (accounts with a small concurrency quota)
    assert (parameter["Type"], parameter["Default"], parameter["MinValue"]) == ("Number", 50, 0)
    assert reserved == {
        "Fn::If": ["ReservesDeliverConcurrency", {"Ref": "DeliverReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert template["Conditions"]["ReservesDeliverConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "DeliverReservedConcurrency"}, 0]}]
    }
    assert "ReservedConcurrentExecutions" not in _resource(template, "RenderFunction")["Properties"]


def test_log_level_is_a_parameter_defaulting_to_info() -> None:
    # Given
    template = _template()
    parameter = template["Parameters"]["LogLevel"]

    # Then both functions get it; the default is INFO and only the Powertools levels are accepted
    assert parameter["Default"] == "INFO"
    assert set(parameter["AllowedValues"]) == {"DEBUG", "INFO", "WARNING", "ERROR"}
    for function in ("RenderFunction", "DeliverFunction"):
        variables = _function_properties(template, function)["Environment"]["Variables"]
        assert variables["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
        assert _function_properties(template, function)["Tracing"] == "Active"


# ---------------------------------------------------------------------------------------------- remote copy


def test_remote_copy_route_is_served_by_render_function_like_every_keyed_route() -> None:
    # Given
    events = _resource(_template(), "RenderFunction")["Properties"]["Events"]

    # When
    [route] = [
        e for e in events.values() if e["Type"] == "HttpApi" and e["Properties"]["Path"] == "/v1/files/remote_copy"
    ]

    # Then POST on this API, with no gateway authorizer of its own (the function checks the API key)
    assert route["Properties"] == {"ApiId": {"Ref": "HttpApi"}, "Path": "/v1/files/remote_copy", "Method": "POST"}
