"""Security pass — canary secrets: a recognisable secret in every credential field, sent through every route and
failure path reachable in-process, must never come back in an answer, a log line (every logger at DEBUG, and
Powertools' JSON on stdout) or the DynamoDB table in clear. Secrets Manager is where stored secrets belong, and
KMS ciphertext is not clear text."""

from __future__ import annotations

import copy
import html
import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from tests.security.conftest import S3_STORAGE, STAGING, TABLE, Answer, Api, CapturedLogs, RawCall

CANARY = "CANARY-7f3a9c1e5b"
ACCESS_KEY_ID = f"AKIA{CANARY}KEYID"  # 16..128 characters, like a real one
SECRET_KEY = f"{CANARY}-secret-access-key"
REFRESH_TOKEN = f"{CANARY}-refresh-token"
APP_SECRET = f"{CANARY}-app-secret"
ACCESS_TOKEN = f"sl.{CANARY}-access-token"
SIGNATURE = f"{CANARY}0123456789abcdef"
PUBLIC_ADDRESS = "93.184.216.34"  # what the patched resolver answers: a public address, never connected to
RENDER = {"templateId": "social-card", "modifications": {"headline": "Hello"}}


def s3_keys(**changes: Any) -> dict[str, Any]:
    storage = copy.deepcopy(S3_STORAGE) | changes
    storage["auth"] = {"type": "keys", "accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_KEY}
    return storage


def presigned(host: str = "uploads.example.com", scheme: str = "https", key_id: str = "AKIAIOSFODNN7EXAMPLE") -> str:
    return (
        f"{scheme}://{host}/bucket/file.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential={key_id}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
        f"&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={SIGNATURE}"
    )


def inline(**changes: Any) -> dict[str, Any]:
    return {
        "provider": "s3",
        "bucket": "inline-canary-bucket",
        "aws_access_key_id": ACCESS_KEY_ID,
        "aws_secret_access_key": SECRET_KEY,
    } | changes


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every host name resolves to one public address: the SSRF guard passes, nothing is connected to in-process."""
    from courier.net import policy

    monkeypatch.setattr(policy, "system_resolver", lambda host, port: [PUBLIC_ADDRESS])


@pytest.fixture
def fake_dropbox_with_canaries(fake_dropbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The session's fake Dropbox, made to accept the canary refresh token, app secret and access token."""
    fake_dropbox.reset()
    monkeypatch.setenv("COURIER_DROPBOX_CA_BUNDLE", fake_dropbox.ca_file)
    saved = (fake_dropbox.refresh_token, fake_dropbox.app_secret)
    fake_dropbox.refresh_token, fake_dropbox.app_secret = REFRESH_TOKEN, APP_SECRET
    with fake_dropbox._lock:
        fake_dropbox.tokens[ACCESS_TOKEN] = float("inf")
    yield fake_dropbox
    fake_dropbox.refresh_token, fake_dropbox.app_secret = saved
    fake_dropbox.reset()


def dropbox_storage(fake: Any, **changes: Any) -> dict[str, Any]:
    return {
        "provider": "dropbox",
        "folder": "/Renders",
        "refreshToken": REFRESH_TOKEN,
        "appKey": fake.app_key,
        "appSecret": APP_SECRET,
    } | changes


# ---------------------------------------------------------------- scenarios: each returns every answer it got

Scenario = Callable[[Api, RawCall, pytest.FixtureRequest], list[Answer]]


def _json(call: RawCall, method: str, path: str, body: Any, key: str = "acme") -> Answer:
    return call(method, path, json.dumps(body).encode(), key=key)


def s3_storage_saved_read_listed_and_rotated(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    answers = [_json(raw, "PUT", "/v1/storage/default", s3_keys())]
    assert answers[0].status == 200, answers[0].text
    answers += [raw("GET", "/v1/storage/default"), raw("GET", "/v1/storage")]
    rotated = {"auth": {"type": "keys", "accessKeyId": ACCESS_KEY_ID + "2", "secretAccessKey": SECRET_KEY + "2"}}
    answers.append(_json(raw, "PATCH", "/v1/storage/default", rotated))
    assert answers[-1].status == 200, answers[-1].text
    answers.append(raw("DELETE", "/v1/storage/default"))
    return answers


def s3_storage_whose_probe_fails(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    answer = _json(raw, "PUT", "/v1/storage/nope", s3_keys(bucket="no-such-canary-bucket"))
    assert answer.status == 422, answer.text
    patch = _json(raw, "PATCH", "/v1/storage/nope", {"auth": s3_keys()["auth"]})
    assert patch.status == 404
    return [answer, patch]


def s3_storage_with_a_blocked_endpoint(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    answers = [
        _json(raw, "PUT", "/v1/storage/minio", s3_keys(endpoint="https://10.0.0.8:9000")),
        _json(raw, "PUT", "/v1/storage/minio", s3_keys(endpoint="http://minio.example.com")),
    ]
    r2 = {"provider": "r2", "bucket": "r2-bucket", "accountId": "a" * 32, "auth": s3_keys()["auth"]}
    answers.append(_json(raw, "PUT", "/v1/storage/r2", r2 | {"endpoint": "https://169.254.169.254"}))
    assert all(a.status == 422 for a in answers), [a.text for a in answers]
    return answers


def credentials_of_the_wrong_shape(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    bad_auths = [
        {"type": "keys", "accessKeyId": CANARY[:10], "secretAccessKey": 7},  # too short, wrong type
        {"type": "keys", "accessKeyId": [ACCESS_KEY_ID], "secretAccessKey": {"v": SECRET_KEY}},
        {"type": "keys", "accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_KEY * 20},  # too long
        {"type": "keys", "accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_KEY, "sessionToken": CANARY},
        {"type": "kerberos", "accessKeyId": ACCESS_KEY_ID, "secretAccessKey": SECRET_KEY},
    ]
    answers = [_json(raw, "PUT", "/v1/storage/x", copy.deepcopy(S3_STORAGE) | {"auth": auth}) for auth in bad_auths]
    answers += [
        _json(raw, "PUT", "/v1/storage/x", {"provider": "dropbox", "refreshToken": REFRESH_TOKEN}),  # no app key
        _json(raw, "PUT", "/v1/storage/x", {"provider": "dropbox", "accessToken": [ACCESS_TOKEN], "appKey": 1}),
        _json(
            raw,
            "PUT",
            "/v1/storage/x",
            {"provider": "dropbox", "refreshToken": "t", "appKey": "k", "clientSecret": APP_SECRET},
        ),
        _json(raw, "PATCH", "/v1/storage/x", {"refreshToken": 5, "appSecret": [APP_SECRET]}),
        # Not JSON, and JSON sent as a form: the body (with its secret) is never repeated.
        raw("PUT", "/v1/storage/x", f'{{"auth": {{"secretAccessKey": "{SECRET_KEY}"'.encode()),
        raw("PUT", "/v1/storage/x", json.dumps(s3_keys()).encode(), headers={"content-type": "text/plain"}),
    ]
    assert all(400 <= a.status < 500 for a in answers), [a.text for a in answers]
    return answers


def renders_with_secrets_inside(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    request.getfixturevalue("public_dns")
    header = {"x-amz-server-side-encryption-customer-key": f"{CANARY}-sse-c-key"}
    body = RENDER | {
        "connections": [{"provider": "url", "presignedUrl": presigned(), "headers": header}, inline()],
    }
    accepted = _json(raw, "POST", "/v1/renders", body)
    assert accepted.status == 200, accepted.text
    render_id = accepted.json["id"]
    return [accepted, raw("GET", f"/v1/renders/{render_id}"), raw("GET", f"/v1/renders/{render_id}", key="globex")]


def renders_refused_with_secrets_inside(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    request.getfixturevalue("public_dns")
    refused = [
        {"provider": "url", "presignedUrl": presigned(scheme="http")},  # not https
        {"provider": "url", "presignedUrl": presigned(host="10.1.2.3")},  # private address
        {"provider": "url", "presignedUrl": presigned(host="169.254.169.254")},  # metadata service
        {"provider": "url", "presignedUrl": presigned(host=f"user:{CANARY}@example.com")},  # userinfo
        {"provider": "url", "presignedUrl": presigned() + " \r\n"},  # control characters
        {"provider": "url", "presignedUrl": presigned(), "folder": "x"},  # inconsistent fields
        {"provider": "url", "presignedUrl": presigned() + "x" * 9000},  # too long
        {"provider": "url", "presignedUrl": presigned(), "headers": {"Bad Header": SECRET_KEY}},
        {"provider": "url", "presignedUrl": presigned(), "headers": {"x-token": f"{CANARY}\r\nInjected: 1"}},
        {"provider": "url", "presignedUrl": presigned(), "headers": {"x-token": [SECRET_KEY]}},
        inline(aws_secret_access_key=None),  # keys must come in pairs
        inline(aws_access_key_id=CANARY[:8]),  # too short
        inline(aws_secret_access_key=12345),  # wrong type
        inline(aws_secret_access_key=[SECRET_KEY]),  # wrong type
        inline(s3host="http://10.0.0.1:9000"),  # blocked endpoint
        inline(provider="r2"),  # inline is S3 only
        inline(storage="default"),  # both
        inline(bucket="Not_A_Bucket"),
        inline(secretAccessKey=SECRET_KEY),  # camelCase of a field that has no camelCase alias
    ]
    answers = [_json(raw, "POST", "/v1/renders", RENDER | {"connections": [c]}) for c in refused]
    problems = [(c, a.status, a.text) for c, a in zip(refused, answers, strict=True) if not 400 <= a.status < 500]
    assert problems == []
    # Two connections to one URL, and a presigned URL with a template that does not exist.
    twice = [{"provider": "url", "presignedUrl": presigned()}] * 2
    answers.append(_json(raw, "POST", "/v1/renders", RENDER | {"connections": twice}))
    missing = {"templateId": "no-such-template", "connections": [inline()]}
    answers.append(_json(raw, "POST", "/v1/renders", missing))
    return answers


def dropbox_storage_saved_patched_and_refused(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    fake = request.getfixturevalue("fake_dropbox_with_canaries")
    answers = [_json(raw, "PUT", "/v1/storage/box", dropbox_storage(fake))]
    assert answers[0].status == 200, answers[0].text
    answers.append(raw("GET", "/v1/storage/box"))
    patch = {"refreshToken": REFRESH_TOKEN, "appKey": fake.app_key, "appSecret": APP_SECRET}
    answers.append(_json(raw, "PATCH", "/v1/storage/box", patch))
    assert answers[-1].status == 200, answers[-1].text
    token_only = {"provider": "dropbox", "folder": "/Renders", "accessToken": ACCESS_TOKEN}
    answers.append(_json(raw, "PUT", "/v1/storage/token", token_only))
    assert answers[-1].status == 200, answers[-1].text
    # Refused by Dropbox: a wrong app secret (invalid_client) and a revoked refresh token (invalid_grant).
    answers.append(_json(raw, "PUT", "/v1/storage/bad", dropbox_storage(fake, appSecret=APP_SECRET + "-wrong")))
    fake.revoke()
    answers.append(_json(raw, "PUT", "/v1/storage/bad", dropbox_storage(fake)))
    answers.append(_json(raw, "PUT", "/v1/storage/bad", token_only | {"accessToken": ACCESS_TOKEN + "-revoked"}))
    assert [a.status for a in answers[-3:]] == [422, 422, 422], [a.text for a in answers[-3:]]
    return answers


def dropbox_callback_with_a_canary_code(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    path = f"/v1/oauth/dropbox/callback?code={CANARY}-code&state={CANARY}-state"
    answers = [raw("GET", path, key=None), raw("GET", f"/v1/oauth/dropbox/callback?error={CANARY}", key=None)]
    assert [a.status for a in answers] == [404, 200]  # a state we never issued; the user declined
    return answers


def an_api_key_that_is_wrong(api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    answers = [
        raw("GET", "/v1/storage", key=f"rc_{CANARY}"),
        raw("GET", "/v1/storage", key=None, headers={"authorization": f"Basic {CANARY}"}),
        raw("GET", "/v1/storage", key=f"{CANARY}" * 30),
    ]
    assert [a.status for a in answers] == [401, 401, 401]
    return answers


SCENARIOS: dict[str, Scenario] = {
    "s3-storage-saved-read-listed-rotated-deleted": s3_storage_saved_read_listed_and_rotated,
    "s3-storage-probe-fails": s3_storage_whose_probe_fails,
    "s3-r2-storage-endpoint-blocked": s3_storage_with_a_blocked_endpoint,
    "credentials-of-the-wrong-shape": credentials_of_the_wrong_shape,
    "render-with-presigned-url-and-inline-keys": renders_with_secrets_inside,
    "render-refused-with-secrets-inside": renders_refused_with_secrets_inside,
    "dropbox-storage-saved-patched-refused": dropbox_storage_saved_patched_and_refused,
    "dropbox-callback": dropbox_callback_with_a_canary_code,
    "wrong-api-key": an_api_key_that_is_wrong,
}


def _run(name: str, api: Api, raw: RawCall, request: pytest.FixtureRequest) -> list[Answer]:
    return SCENARIOS[name](api, raw, request)


def _table_text() -> str:
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    return json.dumps(items)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_canary_never_in_an_answer_nor_in_the_table(
    api: Api, raw: RawCall, request: pytest.FixtureRequest, name: str
) -> None:
    # Given a canary in every credential field of the scenario's requests
    # When they go through the routes (saves, probes, validation failures, renders, reads)
    answers = _run(name, api, raw, request)

    # Then no answer (body or header) and no table item carries it
    assert answers
    for answer in answers:
        assert CANARY not in answer.text, answer.text
        assert CANARY not in json.dumps(answer.headers)
        assert "Traceback" not in answer.text
    assert CANARY not in _table_text()


@pytest.mark.parametrize(
    "name",
    sorted(SCENARIOS),
)
def test_canary_never_in_our_logs(
    api: Api, raw: RawCall, request: pytest.FixtureRequest, debug_logs: CapturedLogs, name: str
) -> None:
    # Given every logger at DEBUG (ours, Powertools', the Dropbox SDK's, requests'), and stdout/stderr captured
    # When the scenario runs
    _run(name, api, raw, request)

    # Then no log line and nothing printed carries the canary
    logs = debug_logs.text(sdk=False)
    assert logs, "nothing was logged: is the capture working?"
    leaked = [line for line in logs.splitlines() if CANARY in line]
    assert leaked == []


def test_canary_never_in_the_aws_sdk_debug_logs(
    api: Api, raw: RawCall, request: pytest.FixtureRequest, debug_logs: CapturedLogs
) -> None:
    # Given every logger at DEBUG
    # When a storage with canary keys is saved (probe with the keys, then Secrets Manager CreateSecret)
    s3_storage_saved_read_listed_and_rotated(api, raw, request)

    # Then botocore's wire logging does not carry the canary either
    logs = debug_logs.text(sdk=True)
    assert "botocore" in logs
    assert [line[:200] for line in logs.splitlines() if CANARY in line] == []


# ---------------------------------------------------------------- deliveries that fail, in-process


class _EchoingStorage(BaseHTTPRequestHandler):
    """A storage that refuses every PUT with an S3-style error document quoting the request target (signature
    included), as some S3-compatible servers do."""

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        body = (
            f"<Error><Code>WeirdDenied</Code><Message>{self.headers.get('x-token', '')} denied for "
            f"{self.path}</Message></Error>"
        ).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def echoing_storage() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingStorage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read at the first call (settings are cached per cold start, cleared by aws_env).
    monkeypatch.setenv("COURIER_ALLOW_LOCAL_URLS", "true")


def _deliver(api: Api, raw: RawCall, logs: CapturedLogs, connection: dict[str, Any]) -> Answer:
    """Render to one connection, run the deliver function on the staged file in-process, answer GET render."""
    from courier.wiring import delivery_service

    accepted = _json(raw, "POST", "/v1/renders", RENDER | {"connections": [connection]})
    assert accepted.status == 200, accepted.text
    render_id = accepted.json["id"]
    contents = boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"]
    staged = [o["Key"] for o in contents if render_id in o["Key"]]
    # What the POST itself logged is test_canary_never_in_our_logs's business: from here on, delivery only.
    logs.records.clear()
    logs.capfd.readouterr()
    report = delivery_service().deliver_keys(staged)
    assert report.failed == 1, report
    return raw("GET", f"/v1/renders/{render_id}")


def _assert_no_canary(status: Answer, logs: CapturedLogs) -> None:
    assert status.json["connections"][0]["status"] == "error"
    assert CANARY not in status.text, status.text
    assert CANARY not in _table_text()
    assert [line[:300] for line in logs.text(sdk=False).splitlines() if CANARY in line] == []


def test_a_refused_inline_bucket_delivery_never_shows_the_keys(
    api: Api, raw: RawCall, debug_logs: CapturedLogs
) -> None:
    # Given a render to an inline bucket that does not exist, with canary keys given inline
    # When the deliver function runs (NoSuchBucket: final)
    status = _deliver(api, raw, debug_logs, inline())
    # Then the error is reported without the keys, and the sealed keys are gone from the table
    assert "NoSuchBucket" in status.json["connections"][0]["error"]
    _assert_no_canary(status, debug_logs)


def test_a_server_echoing_the_signature_never_gets_it_shown(
    local_urls: None, api: Api, raw: RawCall, echoing_storage: str, debug_logs: CapturedLogs
) -> None:
    # Given a presigned URL whose server refuses the PUT quoting the request target (signature included)
    url = presigned(host=echoing_storage, scheme="http")
    # When the deliver function runs
    status = _deliver(api, raw, debug_logs, {"provider": "url", "presignedUrl": url})
    # Then the refusal is reported with the signature taken out
    assert "WeirdDenied" in status.json["connections"][0]["error"]
    _assert_no_canary(status, debug_logs)


@pytest.mark.parametrize("where", ["percent-encoded-credential", "declared-header"])
def test_a_server_echoing_the_request_never_gets_its_secrets_shown(
    local_urls: None, api: Api, raw: RawCall, echoing_storage: str, debug_logs: CapturedLogs, where: str
) -> None:
    # Given a presigned URL whose credential, or whose declared (signed) header, carries the canary
    connection: dict[str, Any] = {"provider": "url"}
    if where == "declared-header":
        connection |= {
            "presignedUrl": presigned(host=echoing_storage, scheme="http"),
            "headers": {"x-token": SECRET_KEY},
        }
    else:
        connection |= {"presignedUrl": presigned(host=echoing_storage, scheme="http", key_id=ACCESS_KEY_ID)}
    # When the deliver function runs against a server that quotes the request in its refusal
    status = _deliver(api, raw, debug_logs, connection)
    # Then the canary is not in the error
    _assert_no_canary(status, debug_logs)


# ---------------------------------------------------------------- the AWS SDK at DEBUG: table writes and transfers


def test_canary_in_table_writes_and_transfers_never_in_the_sdk_debug_logs(api: Api, debug_logs: CapturedLogs) -> None:
    # Given every logger at DEBUG, and items and objects carrying a canary the way ours carry key hashes, sealed
    # secrets and webhook tokens (written through the same Table resource and S3 client the services use)
    from courier.platform import aws

    table = aws.table(TABLE)
    item = {"pk": "CANARYTEST#1", "sk": "ITEM", "sealed": f"{CANARY}-sealed", "webhook_url": f"https://h/?t={CANARY}"}
    debug_logs.records.clear()
    # When they are put, read, updated, queried, batch-written and deleted, and an object is sent with S3's
    # transfer manager (ExtraArgs stand for an SSE-C key or metadata)
    table.put_item(Item=item)
    table.get_item(Key={"pk": item["pk"], "sk": "ITEM"})
    table.update_item(
        Key={"pk": item["pk"], "sk": "ITEM"},
        UpdateExpression="SET key_hash = :h",
        ExpressionAttributeValues={":h": f"{CANARY}-key-hash"},
    )
    table.query(KeyConditionExpression=Key("pk").eq(item["pk"]))
    with table.batch_writer() as batch:
        batch.put_item(Item=item | {"sk": "OTHER"})
    table.delete_item(Key={"pk": item["pk"], "sk": "ITEM"})
    s3 = aws.client("s3")
    s3.upload_fileobj(io.BytesIO(b"x" * 16), STAGING, "canary.bin", ExtraArgs={"Metadata": {"token": CANARY}})
    s3.download_fileobj(STAGING, "canary.bin", io.BytesIO())

    # Then the SDK logged (its other debug records still flow), and not one line carries the canary
    logs = debug_logs.text(sdk=True)
    assert "dynamodb.PutItem" in logs and "dynamodb.BatchWriteItem" in logs and "s3transfer" in logs
    assert [line[:200] for line in logs.splitlines() if CANARY in line] == []


# ---------------------------------------------------------------- deliveries refused with part of a secret quoted


class _QuotingStorage(BaseHTTPRequestHandler):
    """Refuses every PUT with an S3-style error document whose message quotes part of the request, as the server's
    ``quote`` says (a function of the request handler), plus someone's access key id."""

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        quoted = html.escape(self.server.quote(self))  # type: ignore[attr-defined]
        body = (
            f"<Error><Code>WeirdDenied</Code><Message>refused {quoted} (see {OTHER_KEY_ID})</Message></Error>"
        ).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


OTHER_KEY_ID = "ASIAY34FZKBOKMUTVV7A"  # not any of ours: masked because it looks like a key id
QUOTES: dict[str, Callable[[BaseHTTPRequestHandler], str]] = {
    # the signature's first 24 characters
    "signature-prefix": lambda req: parse_qs(urlsplit(req.path).query)["X-Amz-Signature"][0][:24],
    # a fragment of a declared header's value
    "header-fragment": lambda req: req.headers["x-token"][:20],
    # the access key id of the credential, on its own
    "access-key-id": lambda req: parse_qs(urlsplit(req.path).query)["X-Amz-Credential"][0].split("/")[0],
    # an S3 endpoint's Message quoting the access key id it refused (SigV4 Authorization header)
    "s3-message-access-key-id": lambda req: re.findall(r"Credential=([^/]+)/", req.headers["Authorization"])[0],
}


@pytest.fixture
def quoting_storage() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _QuotingStorage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("quote", sorted(QUOTES))
def test_a_refusal_quoting_part_of_a_secret_never_gets_it_shown(
    local_urls: None,
    api: Api,
    raw: RawCall,
    quoting_storage: ThreadingHTTPServer,
    debug_logs: CapturedLogs,
    quote: str,
) -> None:
    # Given a storage that refuses the write quoting part of a secret of the request, and someone's key id
    quoting_storage.quote = QUOTES[quote]  # type: ignore[attr-defined]
    host = f"127.0.0.1:{quoting_storage.server_address[1]}"
    if quote == "s3-message-access-key-id":  # an inline S3 bucket on that endpoint, with canary keys
        connection = inline(s3host=f"http://{host}")
    else:  # a presigned URL with the canary in its signature and credential, and a canary header
        connection = {
            "provider": "url",
            "presignedUrl": presigned(host=host, scheme="http", key_id=ACCESS_KEY_ID),
            "headers": {"x-token": SECRET_KEY},
        }
    # When the deliver function runs
    status = _deliver(api, raw, debug_logs, connection)
    # Then the refusal is recorded in the storage's words, with neither the part quoted nor the key id
    error = status.json["connections"][0]["error"]
    assert "WeirdDenied" in error and "refused" in error, error
    assert OTHER_KEY_ID not in status.text and OTHER_KEY_ID not in _table_text()
    _assert_no_canary(status, debug_logs)
