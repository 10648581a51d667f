"""Least-privilege and wiring checks on template.yaml, read as data (no AWS, no SAM CLI)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
SAMCONFIG = REPO / "samconfig.toml"

STAGING_BUCKET_NAME = "${AWS::StackName}-staging-${AWS::AccountId}-${AWS::Region}"
STAGING_OBJECTS = f"arn:${{AWS::Partition}}:s3:::{STAGING_BUCKET_NAME}/staging/*"
CLIP_JOBS = f"arn:${{AWS::Partition}}:s3:::{STAGING_BUCKET_NAME}/jobs/*"
CUSTOMER_OBJECTS = "arn:${AWS::Partition}:s3:::*/*"
CUSTOMER_ROLES = "arn:${AWS::Partition}:iam::*:role/*"
WRITER_ROLE = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-delivery-writer"
NOT_OUR_ACCOUNT = {"StringNotEquals": {"aws:ResourceAccount": {"Ref": "AWS::AccountId"}}}
COURIER_SECRETS = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:courier/*"
FUNCTIONS = {
    "RenderFunction": ("functions/render/", "render_handler.lambda_handler"),
    "DeliverFunction": ("functions/deliver/", "deliver_handler.lambda_handler"),
    "VideoFunction": ("functions/video/", "video_handler.lambda_handler"),
}
BROAD_POLICY_NAMES = ("S3CrudPolicy", "S3FullAccessPolicy", "AmazonS3FullAccess", "FullAccess", "PowerUser")


class _CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short tags (!Ref, !Sub, !GetAtt, ...) as their long form."""


def _construct_short_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node for !{tag_suffix}", node.start_mark)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "Condition":
        return {"Condition": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _construct_short_tag)


@cache
def _template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506
    return loaded


@pytest.fixture
def template() -> dict[str, Any]:
    return _template()


def _resource(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    assert logical_id in template["Resources"], f"template.yaml has no resource {logical_id}"
    resource: dict[str, Any] = template["Resources"][logical_id]
    return resource


def _function_properties(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """A function's properties with the SAM Globals merged in (function values win, maps are merged)."""
    globals_ = template.get("Globals", {}).get("Function", {})
    own = _resource(template, logical_id)["Properties"]
    merged = {**globals_, **own}
    global_variables = globals_.get("Environment", {}).get("Variables", {})
    own_variables = own.get("Environment", {}).get("Variables", {})
    merged["Environment"] = {"Variables": {**global_variables, **own_variables}}
    # SAM adds a function's list to the Globals' one (VideoFunction: CourierLayer, then VideoLayer)
    merged["Layers"] = [*globals_.get("Layers", []), *own.get("Layers", [])]
    return merged


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(template: dict[str, Any], logical_id: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for policy in _resource(template, logical_id)["Properties"].get("Policies", []):
        assert isinstance(policy, dict) and set(policy) == {"Statement"}, (
            f"{logical_id}: only inline statements are allowed, got {policy!r}"
        )
        statements.extend(policy["Statement"])
    return statements


def _arn(resource: Any) -> str:
    """A statement resource as comparable text: the !Sub string, or `GetAtt:X.Arn`, or the literal."""
    if isinstance(resource, str):
        return resource
    if "Fn::Sub" in resource:
        sub = resource["Fn::Sub"]
        return str(sub if isinstance(sub, str) else sub[0])
    if "Fn::GetAtt" in resource:
        return "GetAtt:" + ".".join(resource["Fn::GetAtt"])
    if "Ref" in resource:
        return "Ref:" + str(resource["Ref"])
    return repr(resource)


def _grants(template: dict[str, Any], logical_id: str) -> list[tuple[str, str]]:
    """Every (action, resource) pair a function's inline policies allow."""
    return [
        (action, _arn(resource))
        for statement in _statements(template, logical_id)
        if statement["Effect"] == "Allow"
        for action in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
    ]


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _references(node: Any) -> set[str]:
    """Logical ids that a piece of template refers to through Ref, GetAtt or ${...} in Sub."""
    found: set[str] = set()
    for item in _walk(node):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("Ref"), str):
            found.add(item["Ref"])
        if "Fn::GetAtt" in item:
            found.add(item["Fn::GetAtt"][0])
        if "Fn::Sub" in item:
            sub = item["Fn::Sub"]
            text = sub if isinstance(sub, str) else sub[0]
            found.update(name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text))
    return found


# ---------------------------------------------------------------------------------------------- functions


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_function_runs_python312_with_its_handler_and_the_layer(template: dict[str, Any], logical_id: str) -> None:
    # Given
    code_uri, handler = FUNCTIONS[logical_id]

    # When
    properties = _function_properties(template, logical_id)

    # Then
    assert _resource(template, logical_id)["Type"] == "AWS::Serverless::Function"
    assert properties["CodeUri"] == code_uri
    assert properties["Handler"] == handler
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["arm64"]
    assert properties["MemorySize"] == (3008 if logical_id == "VideoFunction" else 1024)  # x264 likes its vCPUs
    assert properties["Tracing"] == "Active"
    assert {"Ref": "CourierLayer"} in properties["Layers"]


def test_function_timeouts_fit_their_work(template: dict[str, Any]) -> None:
    # Given / When
    render = _function_properties(template, "RenderFunction")
    deliver = _function_properties(template, "DeliverFunction")

    # Then the render outlives the 25 s `wait`, and delivery gets Lambda's maximum
    assert render["Timeout"] == 30
    assert deliver["Timeout"] == 900


def test_layer_is_built_by_its_makefile(template: dict[str, Any]) -> None:
    # Given
    layer = _resource(template, "CourierLayer")

    # When
    properties, metadata = layer["Properties"], layer.get("Metadata", {})

    # Then
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert properties["ContentUri"] == "layers/courier/"
    assert properties["CompatibleRuntimes"] == ["python3.12"]
    assert metadata["BuildMethod"] == "makefile"
    makefile = (REPO / "layers" / "courier" / "Makefile").read_text(encoding="utf-8")
    assert "build-CourierLayer:" in makefile
    assert "--invalidation-mode unchecked-hash" in makefile


@pytest.mark.parametrize(
    ("logical_id", "expected"),
    [
        (
            "RenderFunction",
            {"COURIER_URL_EXPIRY_SECONDS": "3600"},
        ),
        (
            "DeliverFunction",
            {"COURIER_MAX_DELIVERY_ATTEMPTS": "3", "COURIER_DLQ_URL": {"Ref": "DeliveryDLQ"}},
        ),
    ],
)
def test_function_environment_names_our_resources(
    template: dict[str, Any], logical_id: str, expected: dict[str, Any]
) -> None:
    # Given
    common = {
        "COURIER_TABLE_NAME": {"Ref": "Table"},
        "COURIER_STAGING_BUCKET": {"Fn::Sub": STAGING_BUCKET_NAME},
        "COURIER_SECRET_PREFIX": "courier/",
        "POWERTOOLS_SERVICE_NAME": "render-courier",
        "POWERTOOLS_LOG_LEVEL": {"Ref": "LogLevel"},
        "POWERTOOLS_METRICS_NAMESPACE": "RenderCourier",
    }

    wanted = common | expected
    assert template["Parameters"]["LogLevel"]["Default"] == "INFO"

    # When
    variables = _function_properties(template, logical_id)["Environment"]["Variables"]

    # Then
    assert {name: variables.get(name) for name in wanted} == wanted


# ---------------------------------------------------------------------------------------------- HTTP API


def _app_routes() -> set[tuple[str, str]]:
    """Every route the render function's resolver serves, its path parameters as `{}`."""
    import render_handler

    app = render_handler.app
    return {(route.method, re.sub(r"<[^>]+>", "{}", route.path)) for route in app._static_routes + app._dynamic_routes}


def test_http_api_serves_every_route_through_render_function(template: dict[str, Any]) -> None:
    # Given: the routes the function serves (a route missing from the gateway would answer 404 once deployed)
    events = _resource(template, "RenderFunction")["Properties"]["Events"]

    # When
    routes = {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for event in events.values()
        if event["Type"] == "HttpApi" and event["Properties"].get("ApiId") == {"Ref": "HttpApi"}
    }

    # Then: the gateway sends the function exactly those
    assert {(method, re.sub(r"\{[^}]+\}", "{}", path)) for method, path in routes} == _app_routes()
    assert ("POST", "/v1/generate/images/{}") in _app_routes()  # the resolver's routes were read at all
    assert _resource(template, "HttpApi")["Type"] == "AWS::Serverless::HttpApi"


def test_http_api_logs_access_and_throttles_routes(template: dict[str, Any]) -> None:
    # Given
    api = _resource(template, "HttpApi")["Properties"]

    # When
    log_group_id = api["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]

    # Then
    assert _resource(template, log_group_id)["Properties"]["RetentionInDays"]
    assert "$context.requestId" in api["AccessLogSettings"]["Format"]
    assert {"ThrottlingRateLimit", "ThrottlingBurstLimit"} <= set(api["DefaultRouteSettings"])


# ---------------------------------------------------------------------------------------------- IAM


def test_no_statement_allows_a_wildcard_action(template: dict[str, Any]) -> None:
    # Given every Allow statement anywhere (the bucket's TLS *Deny* on s3:* is one place `*` belongs; a KMS key
    # policy's statement for the account itself, which AWS requires so the key stays manageable, is the other)
    allows = [
        node
        for node in _walk(template["Resources"])
        if isinstance(node, dict) and node.get("Effect") == "Allow" and "Action" in node and not _is_key_admin(node)
    ]

    # When
    wildcard_actions = [action for statement in allows for action in _as_list(statement["Action"]) if "*" in action]

    # Then
    assert allows, "no Allow statement found: did the template layout change?"
    assert wildcard_actions == []


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_functions_use_inline_statements_only(template: dict[str, Any], logical_id: str) -> None:
    # Given
    properties = _resource(template, logical_id)["Properties"]

    # When
    policies = properties.get("Policies", [])

    # Then no SAM policy template or managed policy (S3CrudPolicy alone grants delete, ACL and lifecycle writes)
    assert policies, f"{logical_id} has no policy"
    assert all(isinstance(policy, dict) and set(policy) == {"Statement"} for policy in policies)
    assert "Role" not in properties


def test_template_names_no_broad_managed_policy() -> None:
    # Given
    text = TEMPLATE.read_text(encoding="utf-8")

    # When
    named = [name for name in BROAD_POLICY_NAMES if name in text]

    # Then
    assert named == []
    assert "ManagedPolicyArns" not in text


def test_render_never_reads_secrets_nor_deletes_objects(template: dict[str, Any]) -> None:
    # Given
    actions = {action for action, _ in _grants(template, "RenderFunction")}

    # When
    forbidden = {action for action in actions if action in {"secretsmanager:GetSecretValue", "s3:DeleteObject"}}

    # Then
    assert forbidden == set()
    assert {"secretsmanager:CreateSecret", "secretsmanager:PutSecretValue"} <= actions


def test_render_touches_staging_objects_only(template: dict[str, Any]) -> None:
    # Given
    grants = _grants(template, "RenderFunction")

    # When
    s3_grants = {(action, resource) for action, resource in grants if action.startswith("s3:")}

    # Then: PutObject to stage, GetObject only to sign the presigned GET URL it answers; a clip's request kept
    assert s3_grants == {
        ("s3:PutObject", STAGING_OBJECTS),
        ("s3:GetObject", STAGING_OBJECTS),
        ("s3:PutObject", CLIP_JOBS),
    }


def test_render_writes_secrets_under_the_courier_prefix_only(template: dict[str, Any]) -> None:
    # Given
    grants = _grants(template, "RenderFunction")

    # When
    secret_resources = {resource for action, resource in grants if action.startswith("secretsmanager:")}

    # Then
    assert secret_resources == {COURIER_SECRETS}


def test_deliver_reads_staging_objects_only(template: dict[str, Any]) -> None:
    # Given
    grants = _grants(template, "DeliverFunction")

    # When
    reads = {resource for action, resource in grants if action == "s3:GetObject"}

    # Then
    assert reads == {STAGING_OBJECTS}


def test_deliver_grants(template: dict[str, Any]) -> None:
    # Given
    grants = set(_grants(template, "DeliverFunction"))

    # When
    expected = {
        ("dynamodb:GetItem", "GetAtt:Table.Arn"),
        ("dynamodb:Query", "GetAtt:Table.Arn"),
        ("dynamodb:UpdateItem", "GetAtt:Table.Arn"),
        ("s3:GetObject", STAGING_OBJECTS),
        ("secretsmanager:GetSecretValue", COURIER_SECRETS),
        ("sts:AssumeRole", WRITER_ROLE),
        ("sts:TagSession", WRITER_ROLE),
        ("sqs:SendMessage", "GetAtt:DeliveryDLQ.Arn"),
        ("kms:Decrypt", "GetAtt:InlineSecretsKey.Arn"),
        ("dynamodb:Query", "${Table.Arn}/index/Pending"),
        ("sts:AssumeRole", CUSTOMER_ROLES),
    }

    # Then
    assert grants == expected


def _role_statements(template: dict[str, Any], logical_id: str) -> list[dict[str, Any]]:
    """The statements of an AWS::IAM::Role's inline policies."""
    policies = _resource(template, logical_id)["Properties"]["Policies"]
    return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]


def test_deliver_role_itself_writes_into_no_customer_bucket(template: dict[str, Any]) -> None:
    # Given every S3 write the deliver function's own role holds
    writes = [(a, r) for a, r in _grants(template, "DeliverFunction") if a.startswith("s3:") and a != "s3:GetObject"]

    # Then none: writes into foreign buckets happen only in DeliveryWriterRole's workspace-tagged sessions
    assert writes == []


def test_writer_role_is_assumed_by_the_deliver_role_only_with_the_workspace_tag(template: dict[str, Any]) -> None:
    # Given
    role = _resource(template, "DeliveryWriterRole")["Properties"]

    # When
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]

    # Then only the deliver function's role, only tagging the session, and always with the workspace tag alone
    assert role["RoleName"] == {"Fn::Sub": "${AWS::StackName}-delivery-writer"}
    assert trust["Principal"] == {"AWS": {"Fn::GetAtt": ["DeliverFunctionRole", "Arn"]}}
    assert sorted(trust["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"] == {
        "StringLike": {"aws:RequestTag/courier-workspace": "?*"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["courier-workspace"]},
    }
    assert role["MaxSessionDuration"] == 3600


def test_writer_role_writes_foreign_buckets_and_reads_only_its_workspaces_staged_files(
    template: dict[str, Any],
) -> None:
    # Given
    statements = _role_statements(template, "DeliveryWriterRole")

    # When
    grants = {(action, _arn(statement["Resource"])) for statement in statements for action in statement["Action"]}

    # Then
    staged_of_the_session = (
        f"arn:${{AWS::Partition}}:s3:::{STAGING_BUCKET_NAME}/staging/${{!aws:PrincipalTag/courier-workspace}}/*"
    )
    assert grants == {
        ("s3:PutObject", CUSTOMER_OBJECTS),
        ("s3:AbortMultipartUpload", CUSTOMER_OBJECTS),
        ("s3:ListMultipartUploadParts", CUSTOMER_OBJECTS),
        ("s3:GetObject", staged_of_the_session),
    }
    writes = next(s for s in statements if _arn(s["Resource"]) == CUSTOMER_OBJECTS)
    assert writes["Condition"] == NOT_OUR_ACCOUNT


def test_both_functions_know_the_writer_role(template: dict[str, Any]) -> None:
    for logical_id in ("RenderFunction", "DeliverFunction"):
        variables = _resource(template, logical_id)["Properties"]["Environment"]["Variables"]
        assert variables["COURIER_WRITER_ROLE_ARN"] == {"Fn::GetAtt": ["DeliveryWriterRole", "Arn"]}


def _is_key_admin(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal", {})
    return (
        isinstance(principal, dict)
        and "root" in str(principal.get("AWS", ""))
        and statement.get("Sid", "").startswith("AccountAdministers")
    )


def _is_wildcard_resource(arn: str) -> bool:
    """`*`, or an ARN whose resource part is a wildcard (`*/*`, `table/*`, `secret:*`...)."""
    resource_part = re.sub(r"\$\{[^}]*\}", "x", arn).split(":", 5)[-1]
    return re.match(r"(?:[A-Za-z-]+[:/])?\*", resource_part) is not None


def test_only_wildcard_resources_are_customer_buckets_and_roles_of_other_accounts(template: dict[str, Any]) -> None:
    # Given every Allow statement anywhere in the template, the KMS key's own account statement aside
    allows = [
        node
        for node in _walk(template["Resources"])
        if isinstance(node, dict) and node.get("Effect") == "Allow" and "Resource" in node and not _is_key_admin(node)
    ]

    # When
    wildcard_statements = [
        statement
        for statement in allows
        if any(_is_wildcard_resource(_arn(r)) for r in _as_list(statement["Resource"]))
    ]

    # Then customer buckets and roles are unknown at deploy time: only those, only in other accounts
    by_resource = {_arn(_as_list(s["Resource"])[0]): s for s in wildcard_statements}
    assert set(by_resource) == {CUSTOMER_OBJECTS, CUSTOMER_ROLES}
    writes = by_resource[CUSTOMER_OBJECTS]
    assert writes in _role_statements(template, "DeliveryWriterRole")
    assert sorted(_as_list(writes["Action"])) == [
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
    ]
    roles = [s for s in wildcard_statements if _arn(_as_list(s["Resource"])[0]) == CUSTOMER_ROLES]
    assert all(_as_list(s["Action"]) == ["sts:AssumeRole"] for s in roles)
    for statement in wildcard_statements:
        assert statement["Condition"] == NOT_OUR_ACCOUNT


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_functions_never_reference_the_staging_bucket_resource(template: dict[str, Any], logical_id: str) -> None:
    # Given the S3 trigger makes the bucket depend on DeliverFunction (notification + permission)
    properties = dict(_resource(template, logical_id)["Properties"])

    # When
    properties.pop("Events", None)
    referenced = _references(properties) | _references(template.get("Globals", {}))

    # Then any Ref/GetAtt back to the bucket would be a circular dependency that `sam validate` misses
    assert "StagingBucket" not in referenced


def test_staging_names_agree_between_bucket_and_policies(template: dict[str, Any]) -> None:
    # Given
    bucket_name = _resource(template, "StagingBucket")["Properties"]["BucketName"]

    # When
    staging_resources = {
        resource
        for logical_id in FUNCTIONS
        for action, resource in _grants(template, logical_id)
        if action.startswith("s3:") and resource != CUSTOMER_OBJECTS
    }

    # Then
    assert bucket_name == {"Fn::Sub": STAGING_BUCKET_NAME}
    assert staging_resources == {STAGING_OBJECTS, CLIP_JOBS}


# ---------------------------------------------------------------------------------------------- delivery wiring


def test_deliver_is_triggered_by_staged_objects_only(template: dict[str, Any]) -> None:
    # Given
    events = _resource(template, "DeliverFunction")["Properties"]["Events"]

    # When
    s3_events = [event["Properties"] for event in events.values() if event["Type"] == "S3"]

    # Then
    assert len(s3_events) == 1
    trigger = s3_events[0]
    assert trigger["Bucket"] == {"Ref": "StagingBucket"}
    assert _as_list(trigger["Events"]) == ["s3:ObjectCreated:*"]
    assert trigger["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "staging/"}]


def test_deliver_retries_twice_then_lands_in_the_dlq(template: dict[str, Any]) -> None:
    # Given
    config = _resource(template, "DeliverFunction")["Properties"]["EventInvokeConfig"]

    # When
    on_failure = config["DestinationConfig"]["OnFailure"]

    # Then
    assert config["MaximumRetryAttempts"] == 2
    assert config["MaximumEventAgeInSeconds"] == 3600
    assert on_failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["DeliveryDLQ", "Arn"]}}


def test_dlq_is_encrypted_and_keeps_messages_14_days(template: dict[str, Any]) -> None:
    # Given
    queue = _resource(template, "DeliveryDLQ")

    # When
    properties = queue["Properties"]

    # Then
    assert queue["Type"] == "AWS::SQS::Queue"
    assert properties["SqsManagedSseEnabled"] is True
    assert properties["MessageRetentionPeriod"] == 14 * 24 * 3600


# ---------------------------------------------------------------------------------------------- storage


def test_staging_bucket_is_private_owner_enforced_and_encrypted(template: dict[str, Any]) -> None:
    # Given
    properties = _resource(template, "StagingBucket")["Properties"]

    # When
    public_access = properties["PublicAccessBlockConfiguration"]
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]

    # Then
    assert public_access == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}


def test_staging_bucket_expires_staged_files_and_abandoned_uploads(template: dict[str, Any]) -> None:
    # Given
    rules = _resource(template, "StagingBucket")["Properties"]["LifecycleConfiguration"]["Rules"]

    # When
    enabled = [rule for rule in rules if rule["Status"] == "Enabled"]

    # Then
    assert any(rule.get("Prefix") == "staging/" and rule.get("ExpirationInDays") == 7 for rule in enabled)
    assert any(rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") == 1 for rule in enabled)


def test_staging_bucket_policy_denies_insecure_transport(template: dict[str, Any]) -> None:
    # Given
    policies = [
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::S3::BucketPolicy" and resource["Properties"]["Bucket"] == {"Ref": "StagingBucket"}
    ]

    # When
    statements = [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]

    # Then
    assert any(
        statement["Effect"] == "Deny"
        and statement["Principal"] == "*"
        and statement["Action"] in ("s3:*", ["s3:*"])
        and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in statements
    )


def test_table_is_on_demand_with_plain_pk_sk(template: dict[str, Any]) -> None:
    # Given
    table = _resource(template, "Table")

    # When
    properties = table["Properties"]

    # Then
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert properties["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
        {"AttributeName": "pending", "AttributeType": "S"},
        {"AttributeName": "pending_since", "AttributeType": "S"},
    ]
    # The reconciler's sparse index of deliveries still pending, keys only
    [index] = properties["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "Pending" and index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["SSESpecification"]["SSEEnabled"] is True


# ---------------------------------------------------------------------------------------------- outputs, config


def test_outputs_give_what_operators_and_customers_need(template: dict[str, Any]) -> None:
    # Given
    outputs = template["Outputs"]

    # When
    names = set(outputs)

    # Then
    assert {"ApiUrl", "StagingBucketName", "TableName", "DeliveryDLQUrl", "DeliveryWriterRoleArn"} <= names
    assert outputs["ApiUrl"]["Value"] == {"Fn::Sub": "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"}
    assert outputs["DeliveryWriterRoleArn"]["Value"] == {"Fn::GetAtt": ["DeliveryWriterRole", "Arn"]}


def test_samconfig_has_default_and_prod_profiles_without_account_ids() -> None:
    # Given
    text = SAMCONFIG.read_text(encoding="utf-8")

    # When
    config = tomllib.loads(text)

    # Then
    assert config["version"] == 0.1
    assert config["default"]["global"]["parameters"]["stack_name"] == "render-courier"
    assert config["default"]["validate"]["parameters"]["lint"] is True
    assert config["prod"]["global"]["parameters"]["stack_name"] == "render-courier-prod"
    for env in ("default", "prod"):
        deploy = config[env]["deploy"]["parameters"]
        assert deploy["confirm_changeset"] is True
        assert deploy["capabilities"] == "CAPABILITY_IAM"
        assert deploy["resolve_s3"] is True
    assert re.search(r"\b\d{12}\b", text) is None, "no account ids in samconfig.toml"


# ---------------------------------------------------------------------------------------------- clips


def test_only_the_video_function_carries_the_video_layer(template: dict[str, Any]) -> None:
    # Still renders keep their cold start: PyAV is in VideoLayer, on VideoFunction alone
    globals_layers = template["Globals"]["Function"]["Layers"]
    assert {"Ref": "VideoLayer"} not in globals_layers
    for name in ("RenderFunction", "DeliverFunction"):
        assert {"Ref": "VideoLayer"} not in _resource(template, name)["Properties"].get("Layers", [])
    video = _resource(template, "VideoFunction")["Properties"]
    assert video["Layers"] == [{"Ref": "VideoLayer"}] and video["Timeout"] == 900
    assert (REPO / "layers" / "video" / "requirements.txt").read_text().count("av==") == 1


def test_clip_jobs_flow_from_render_to_video_through_a_dead_lettered_queue(template: dict[str, Any]) -> None:
    queue = _resource(template, "ClipQueue")["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["ClipDLQ", "Arn"]}
    assert queue["VisibilityTimeout"] >= 6 * _resource(template, "VideoFunction")["Properties"]["Timeout"]
    trigger = _resource(template, "VideoFunction")["Properties"]["Events"]["ClipJobs"]
    assert trigger["Type"] == "SQS" and trigger["Properties"]["BatchSize"] == 1
    assert trigger["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert ("sqs:SendMessage", "GetAtt:ClipQueue.Arn") in _grants(template, "RenderFunction")
    env = _resource(template, "RenderFunction")["Properties"]["Environment"]["Variables"]
    assert env["COURIER_CLIP_QUEUE_URL"] == {"Ref": "ClipQueue"}


def test_the_video_function_writes_staged_files_and_reads_only_clip_requests(template: dict[str, Any]) -> None:
    s3 = {(action, resource) for action, resource in _grants(template, "VideoFunction") if action.startswith("s3:")}
    assert s3 == {
        ("s3:PutObject", STAGING_OBJECTS),
        ("s3:AbortMultipartUpload", STAGING_OBJECTS),
        ("s3:GetObject", CLIP_JOBS),
        ("s3:DeleteObject", CLIP_JOBS),
    }
