"""Security pass — template.yaml, read as data and checked against the running handler: every route the HTTP API
serves refuses a caller without a key (the callback aside), the render role can never read customer credentials
back, and nothing grants `*`. What tests/template/test_template.py already checks is not repeated here."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.security.conftest import Api, RawCall
from tests.template.test_template import _as_list, _is_key_admin, _resource, _statements, _template, _walk

CALLBACK = ("GET", "/v1/oauth/dropbox/callback")
# Open on purpose: the browser back from Dropbox (its single-use state is the proof) and the published contract.
CONSOLE = {("GET", "/console"), ("GET", "/console/{asset}")}  # static files: the page holds no secret
PUBLIC = {CALLBACK, ("GET", "/v1/openapi.json"), ("GET", "/v1/docs"), *CONSOLE}
# What a role able to read customer credentials would need (stored secrets, or sealed inline secrets).
CREDENTIAL_READS = {
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "secretsmanager:*",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncrypt*",
    "kms:*",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "iam:PassRole",
    "lambda:InvokeFunction",
    "lambda:UpdateFunctionCode",
}
API_KEY = re.compile(r"\$(context|request)\.(header|querystring|multivalueheader|authorizer|body)", re.IGNORECASE)


def _http_routes() -> list[tuple[str, str]]:
    events = _resource(_template(), "RenderFunction")["Properties"]["Events"]
    return sorted(
        (e["Properties"]["Method"].upper(), e["Properties"]["Path"]) for e in events.values() if e["Type"] == "HttpApi"
    )


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "default", path.replace("{asset}", "index.html"))


def _allow_actions(logical_id: str) -> set[str]:
    return {
        action
        for statement in _statements(_template(), logical_id)
        if statement["Effect"] == "Allow"
        for action in _as_list(statement["Action"])
    }


@pytest.mark.parametrize("route", _http_routes(), ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("key", [None, "rc_not-a-key", "Basic"])
def test_every_route_of_the_template_refuses_a_caller_without_a_key(
    api: Api, raw: RawCall, route: tuple[str, str], key: str | None
) -> None:
    # Given a route template.yaml serves through RenderFunction, and no valid key
    method, path = route
    headers = {"content-type": "application/json"}
    if key == "Basic":
        headers["authorization"] = f"Basic {api.keys['acme']}"
        key = None
    body = b'{"templateId": "social-card"}' if method in ("POST", "PUT", "PATCH") else b""
    # When it is called in-process as API Gateway would call it
    answer = raw(method, _concrete(path), body, key=key, headers=headers)
    # Then it is a 401 (the Dropbox callback is open: its single-use state is the proof, and without one it is a
    # 404 page that names nothing; the OpenAPI document and Swagger UI are public and hold no workspace data)
    if route == CALLBACK:
        assert answer.status == 404 and "text/html" in answer.headers["Content-Type"]
    elif route in PUBLIC:
        assert answer.status == (302 if path == "/console" else 200)
        assert api.workspaces["acme"] not in answer.text and api.keys["acme"] not in answer.text
    elif path.startswith("/files/"):  # Uploadcare's own route answers in Uploadcare's error shape
        assert answer.status == 401, (route, answer.text)
        assert set(json.loads(answer.text)) == {"detail"}
    else:
        assert answer.status == 401, (route, answer.text)
        assert json.loads(answer.text)["error"]["code"] == "unauthorized"


def test_only_the_callback_and_the_contract_answer_without_a_key(api: Api, raw: RawCall) -> None:
    # Given every route of the template, called with acme's valid key
    opened = []
    for method, path in _http_routes():
        answer = raw(method, _concrete(path), b"{}" if method in ("POST", "PUT", "PATCH") else b"", key=None)
        if answer.status != 401:
            opened.append((method, path))
    # Then only the callback and the published contract answered without a key
    assert set(opened) == PUBLIC


def test_routes_the_template_does_not_declare_are_not_served_without_a_key(api: Api, raw: RawCall) -> None:
    # Given paths near the declared ones (the function sees whatever API Gateway sends, e.g. a future $default route)
    for method, path in [
        ("POST", "/v1/openapi.json"),
        ("DELETE", "/v1/docs"),
        ("POST", "/v1/files/remote_copy"),
        ("GET", "/v1/docs/"),
        ("GET", "/v1/openapi.json/../storage"),
        ("GET", "/v1/storage?x=/v1/docs"),
        ("GET", "/v1/oauth/dropbox/callback/"),
        ("GET", "/v1/oauth/dropbox/callback%2F..%2Fstorage"),
        ("GET", "/v1/oauth/dropbox/Callback"),
        ("GET", "/"),
        ("GET", "/console/../v1/storage"),
        ("GET", "/console/%2e%2e%2fv1%2fstorage"),
        ("POST", "/console/index.html"),
    ]:
        # When called without a key
        answer = raw(method, path, key=None)
        # Then 401, or a 404 that names nothing, or a 405 for a public path asked with another method
        assert answer.status in (401, 404, 405), (method, path, answer.status)
        assert "storage" not in answer.text.lower() or answer.status == 401


def test_the_render_role_cannot_read_customer_credentials() -> None:
    # Given the render function's allowed actions, and the one Decrypt it holds: Uploadcare key pairs we issued,
    # sealed under their own purpose (a sealed customer secret carries no purpose, so it cannot be opened with it)
    statements = [s for s in _statements(_template(), "RenderFunction") if s["Effect"] == "Allow"]
    [uploadcare] = [s for s in statements if "kms:Decrypt" in _as_list(s["Action"])]
    assert _as_list(uploadcare["Action"]) == ["kms:Decrypt"]
    assert uploadcare["Condition"] == {"StringEquals": {"kms:EncryptionContext:purpose": "uploadcare-key"}}
    actions = {a for s in statements if s is not uploadcare for a in _as_list(s["Action"])}
    # Then nothing else that reads a stored secret, opens a sealed one, or borrows a role or function that can
    assert actions & CREDENTIAL_READS == set()
    assert not any(a.endswith("*") for a in actions)
    # And it may seal (Encrypt) but the deliver role, which opens, may not write secrets
    assert "kms:Encrypt" in actions
    deliver = _allow_actions("DeliverFunction")
    assert deliver & {"secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "kms:Encrypt"} == set()


def test_the_key_policy_grants_no_function_or_anyone_decrypt_directly() -> None:
    # Given the inline-secrets key's policy
    key = _resource(_template(), "InlineSecretsKey")["Properties"]["KeyPolicy"]["Statement"]
    # Then its only Allow is the account's own administration (IAM policies decide who decrypts), no Principal "*"
    allows = [s for s in key if s["Effect"] == "Allow"]
    assert all(_is_key_admin(s) for s in allows), allows
    assert all(s.get("Principal") != "*" and s.get("Principal") != {"AWS": "*"} for s in key)


def test_no_allow_statement_anywhere_has_a_star_action_or_a_star_principal() -> None:
    # Given every Allow statement of every resource (bucket, key, queue policies included)
    allows = [n for n in _walk(_template()["Resources"]) if isinstance(n, dict) and n.get("Effect") == "Allow"]
    # Then no "*" action (the key's own account administration aside) and no "*" principal
    for statement in allows:
        if not _is_key_admin(statement):
            assert not any(a == "*" or a.endswith(":*") for a in _as_list(statement.get("Action", []))), statement
        assert statement.get("Principal") not in ("*", {"AWS": "*"}), statement
        assert "NotAction" not in statement and "NotResource" not in statement, statement


def test_the_tls_deny_covers_the_bucket_and_every_object() -> None:
    # Given the staging bucket's DenyInsecureTransport statement
    policy = _resource(_template(), "StagingBucketPolicy")["Properties"]["PolicyDocument"]["Statement"]
    [deny] = [s for s in policy if s["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(s)]
    # Then it covers the bucket itself and its objects, for every principal and action
    resources = json.dumps(deny["Resource"])
    assert "StagingBucket.Arn" in resources or "StagingBucket" in resources
    assert any("/*" in json.dumps(r) for r in _as_list(deny["Resource"]))
    assert any("/*" not in json.dumps(r) for r in _as_list(deny["Resource"]))
    assert deny["Principal"] == "*" and _as_list(deny["Action"]) == ["s3:*"]


def test_access_logs_record_no_header_query_or_body() -> None:
    # Given the HTTP API's access log format (API keys travel in the Authorization header)
    log_format = _resource(_template(), "HttpApi")["Properties"]["AccessLogSettings"]["Format"]
    # Then it names no header, query string, body or authorizer value
    assert API_KEY.search(log_format) is None


def test_no_function_is_configured_to_log_its_events_or_debug() -> None:
    # Given every function's environment (Globals merged)
    template = _template()
    global_vars = template["Globals"]["Function"]["Environment"]["Variables"]
    for logical_id in ("RenderFunction", "DeliverFunction"):
        own = _resource(template, logical_id)["Properties"].get("Environment", {}).get("Variables", {})
        variables = global_vars | own
        # Then no event logging (it would log API keys and request secrets) and no DEBUG level by default
        assert str(variables.get("POWERTOOLS_LOGGER_LOG_EVENT", "false")).lower() == "false"
        assert str(variables.get("POWERTOOLS_LOG_LEVEL", "INFO")).upper() != "DEBUG"
        assert str(variables.get("POWERTOOLS_DEBUG", "false")).lower() == "false"
        logging_config = _resource(template, logical_id)["Properties"].get("LoggingConfig", {})
        assert str(logging_config.get("ApplicationLogLevel", "INFO")).upper() not in ("DEBUG", "TRACE")
        # And no variable holds a secret value (names only: secrets are resolved at use)
        for name, value in variables.items():
            assert not re.search(r"(SECRET|TOKEN|PASSWORD)(?!_PREFIX)", name) or isinstance(value, dict), name


def test_no_route_declares_an_authorizer_that_could_bypass_the_function_check() -> None:
    # Given the HTTP API and its routes: the function is the only gate, so none may claim another one
    template = _template()
    api: dict[str, Any] = _resource(template, "HttpApi")["Properties"]
    events = _resource(template, "RenderFunction")["Properties"]["Events"]
    # Then no authorizer, no CORS wildcard with credentials, and every route points at this API
    assert "Auth" not in api or not api["Auth"].get("Authorizers")
    cors = api.get("CorsConfiguration")
    if isinstance(cors, dict):
        assert not (cors.get("AllowCredentials") and "*" in _as_list(cors.get("AllowOrigins", [])))
    assert all(e["Properties"].get("ApiId") == {"Ref": "HttpApi"} for e in events.values() if e["Type"] == "HttpApi")
