"""End to end on the local stack, started as a user starts it (`python -m courier_tools.local`): HTTP request in,
object in the customer's bucket out, through moto's real S3 events and the deliver handler."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from tests.conftest import ROOT, aws_client, load_event
from tests.e2e.stack_process import stack_process
from tests.records import one_file_render

KEYS = {"acme": "rc_e2e_acme_" + "a" * 32, "globex": "rc_e2e_globex_" + "b" * 32}


@dataclass
class Stack:
    api: str
    aws: str

    def call(self, method: str, path: str, body: Any = None, key: str | None = "acme") -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {KEYS.get(key, key)}"} if key else {}
        answer = requests.request(method, self.api + path, json=body, headers=headers, timeout=40)
        return answer.status_code, answer.json() if answer.content else None

    def client(self, service: str) -> Any:
        return aws_client(self.aws, service)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    args = ["--port", "0", "--aws-port", "0"]
    for name, key in KEYS.items():
        args += ["--workspace", f"{name}:{key}"]
    # SIGTERM at the end stops everything it started, cleanly (stack_process asserts exit code 0)
    with stack_process("courier_tools.local", args) as running:
        # Asked for any free ports, it reports the ones it bound, on 127.0.0.1 only
        api, aws = urlsplit(running.ready["api"]), urlsplit(running.ready["aws"])
        assert set(running.ready) == {"api", "aws"}
        assert (api.scheme, api.hostname, aws.scheme, aws.hostname) == ("http", "127.0.0.1", "http", "127.0.0.1")
        assert api.port and aws.port and api.port != aws.port
        yield Stack(running.ready["api"], running.ready["aws"])


def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll until check() returns something truthy, against a deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def new_bucket(stack: Stack) -> str:
    name = f"customer-{os.urandom(4).hex()}"
    stack.client("s3").create_bucket(Bucket=name)
    return name


def put_storage(stack: Stack, name: str, bucket: str, key: str = "acme", **changes: Any) -> None:
    storage = {
        "provider": "s3",
        "bucket": bucket,
        "region": "us-east-1",
        "prefix": "renders",
        "autoCopy": False,
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEE2E000001", "secretAccessKey": "e2e-secret"},
    } | changes
    status, answer = stack.call("PUT", f"/v1/storage/{name}", storage, key=key)
    assert status == 200, answer


def test_render_with_wait_delivers_a_png_at_the_reported_path(stack: Stack) -> None:
    # Given a customer bucket connected as a storage
    bucket = new_bucket(stack)
    put_storage(stack, "main", bucket)
    # When a render asks for it and waits
    body = {
        "templateId": "social-card",
        "modifications": {"headline": "Hello World"},
        "response": {"type": "url", "format": "png", "fileName": "marketing-banner-001"},
        "connections": [{"type": "storage", "provider": "s3", "storage": "main", "folder": "marketing/banners/2024"}],
        "wait": 15,
    }
    status, answer = stack.call("POST", "/v1/renders", body)
    # Then the answer reports success at a path following the naming rules
    assert status == 200, answer
    [connection] = answer["connections"]
    assert connection["status"] == "success", answer
    assert answer["status"] == "completed" and answer["warnings"] == []
    assert connection["path"].startswith("marketing/banners/2024/")
    assert connection["path"].endswith("/marketing-banner-001.png")
    # And the object is in the customer bucket: a 1200×630 PNG with the reported size and checksum
    data = stack.client("s3").get_object(Bucket=bucket, Key=connection["path"])["Body"].read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630)
    [file] = connection["files"]
    assert file["size"] == len(data) and file["checksum"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    # And the answer's URL serves the same file
    assert requests.get(answer["data"]["content"], timeout=10).content == data


def test_polling_the_render_status_until_delivered(stack: Stack) -> None:
    bucket = new_bucket(stack)
    put_storage(stack, "poll", bucket)
    status, answer = stack.call(
        "POST",
        "/v1/renders",
        {
            "templateId": "social-card",
            "response": {"format": "jpg"},
            "connections": [{"provider": "s3", "storage": "poll"}],
        },
    )
    assert status == 200 and answer["status"] == "delivering"
    assert answer["connections"][0]["status"] == "pending"

    def delivered() -> Any:
        read = stack.call("GET", f"/v1/renders/{answer['id']}")[1]
        return read if read["connections"][0]["status"] != "pending" else None

    read = eventually(delivered)
    assert read is not None, "still pending after 20 s"
    connection = read["connections"][0]
    assert connection["status"] == "success" and read["status"] == "completed"
    assert connection["files"][0]["attempts"] == 1 and connection["files"][0]["deliveredAt"]
    data = stack.client("s3").get_object(Bucket=bucket, Key=connection["path"])["Body"].read()
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_missing_bucket_still_answers_the_render_then_reports_the_error(stack: Stack) -> None:
    # Given a storage whose bucket was deleted after it was saved (saving probes the bucket)
    bucket = new_bucket(stack)
    put_storage(stack, "broken", bucket)
    stack.client("s3").delete_bucket(Bucket=bucket)
    # When a render goes to it
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "broken"}], "wait": 15}
    status, answer = stack.call("POST", "/v1/renders", body)
    # Then the render still answers 200 with its content
    assert status == 200
    assert requests.get(answer["data"]["content"], timeout=10).status_code == 200
    # And the connection says error with the provider's reason, and a warning says so
    [connection] = answer["connections"]
    assert connection["status"] == "error" and connection["path"] is None
    assert connection["error"].startswith("NoSuchBucket")
    assert answer["warnings"][0]["title"].startswith("Failed to upload to S3: NoSuchBucket")
    assert stack.call("GET", f"/v1/renders/{answer['id']}")[1]["connections"][0]["status"] == "error"


def test_paused_storage_is_skipped_and_auto_upload_reaches_the_rest(stack: Stack) -> None:
    # Given (in a workspace of its own) one auto-copy storage and one paused
    bucket = new_bucket(stack)
    put_storage(stack, "auto", bucket, key="globex", autoCopy=True)
    put_storage(stack, "resting", bucket, key="globex", autoCopy=True, paused=True)
    # When a render names no connections
    status, answer = stack.call("POST", "/v1/renders", {"templateId": "social-card", "wait": 15}, key="globex")
    # Then the paused one is skipped and the other delivered
    assert status == 200
    statuses = {c["storage"]: c["status"] for c in answer["connections"]}
    assert statuses == {"auto": "success", "resting": "skipped"}
    keys = [o["Key"] for o in stack.client("s3").list_objects_v2(Bucket=bucket)["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("renders/")


@pytest.mark.parametrize("key", [None, "rc_wrong_key"])
def test_no_or_wrong_api_key_is_401(stack: Stack, key: str | None) -> None:
    assert stack.call("POST", "/v1/renders", {"templateId": "social-card"}, key=key)[0] == 401
    assert stack.call("GET", "/v1/storage", key=key)[0] == 401


def test_another_workspaces_render_is_404(stack: Stack) -> None:
    status, answer = stack.call("POST", "/v1/renders", {"templateId": "social-card", "connections": []})
    assert status == 200
    assert stack.call("GET", f"/v1/renders/{answer['id']}", key="globex")[0] == 404
    assert stack.call("GET", f"/v1/renders/{answer['id']}")[0] == 200


@pytest.mark.parametrize(
    ("connection", "field"),
    [
        ({"folder": "reports/../../etc"}, "connections.0.folder"),
        ({"pattern": "${uuid}/${nope}"}, "connections.0.pattern"),
    ],
)
def test_bad_folder_or_pattern_is_422_naming_the_field(stack: Stack, connection: dict[str, str], field: str) -> None:
    bucket = new_bucket(stack)
    put_storage(stack, "naming", bucket)
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "naming", **connection}]}
    status, answer = stack.call("POST", "/v1/renders", body)
    assert status == 422
    assert answer["error"]["details"][0]["field"] == field


def test_encoded_event_key_delivers_the_right_object_once(stack: Stack) -> None:
    """A staged key with a space and non-ASCII characters: moto's S3 event encodes it, the deliver handler
    must decode it to find the object and its render; a repeated event must not deliver again."""
    from courier.persistence.store import Store
    from courier.renders.staging import StagingKey

    # Given the render record and staged file of the event in events/ (key "…/Café Menü.png")
    event_key = load_event("deliver.s3.encoded-key.json")["Records"][0]["s3"]["object"]["key"]
    staging_key = StagingKey.from_event_key(event_key)
    staging_key = StagingKey("0123456789abcdef", staging_key.render_id, staging_key.file_uuid, staging_key.filename)
    body = b"rendered bytes with a name that needs encoding"
    bucket = new_bucket(stack)
    render, delivery = one_file_render(staging_key, body, bucket=bucket, delivered_key="menus/Café Menü.png")
    store = Store(stack_table(stack))
    store.create_render(render, [delivery])
    s3 = stack.client("s3")
    # When the staged object is written (moto sends the URL-encoded S3 event to the deliver handler)
    s3.put_object(Bucket="render-courier-staging-local", Key=str(staging_key), Body=body, ContentType="image/png")

    # Then the right object lands in the customer bucket
    def done() -> Any:
        [record] = store.list_deliveries(render.id, staging_key.file_uuid)
        return record if record.status != "pending" else None

    record = eventually(done)
    assert record is not None and record.status == "success", record
    assert s3.get_object(Bucket=bucket, Key="menus/Café Menü.png")["Body"].read() == body
    first_write = s3.head_object(Bucket=bucket, Key="menus/Café Menü.png")["LastModified"]

    # When the same object event arrives again
    s3.put_object(Bucket="render-courier-staging-local", Key=str(staging_key), Body=body, ContentType="image/png")
    time.sleep(2.5)  # the notifier polls every second; give the duplicate time to be handled
    # Then nothing was delivered twice
    [again] = store.list_deliveries(render.id, staging_key.file_uuid)
    assert again.attempts == 1 and again.delivered_at == record.delivered_at
    assert s3.head_object(Bucket=bucket, Key="menus/Café Menü.png")["LastModified"] == first_write


def stack_table(stack: Stack) -> Any:
    import boto3

    from courier_tools.local.stack import TABLE

    return boto3.resource(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(TABLE)


def test_storage_secrets_never_come_back(stack: Stack) -> None:
    bucket = new_bucket(stack)
    put_storage(stack, "secretive", bucket)
    for path in ("/v1/storage/secretive", "/v1/storage"):
        text = str(stack.call("GET", path)[1])
        assert "e2e-secret" not in text and "AKIAEXAMPLEE2E" not in text


def _rendered_file(stack: Stack, key: str = "acme") -> tuple[str, dict[str, Any]]:
    """A render with no connections (so nothing is delivered yet): its id, and its file's URL, UUID and bytes."""
    body = {"templateId": "social-card", "modifications": {"headline": "Copy me"}, "connections": []}
    status, answer = stack.call("POST", "/v1/renders", body, key=key)
    assert status == 200, answer
    url = answer["data"]["content"]
    # The URL of a staged file: …/staging/<workspace>/<render>/<file uuid>/<name>?<signature>
    file_uuid = url.split("?")[0].split("/")[-2]
    data = requests.get(url, timeout=10).content
    return answer["id"], {"url": url, "uuid": file_uuid, "checksum": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def test_remote_copy_by_uuid_writes_once_then_answers_200_for_the_taken_name(stack: Stack) -> None:
    # Given a rendered file and a storage in another bucket
    bucket = new_bucket(stack)
    put_storage(stack, "archive", bucket)
    render_id, file = _rendered_file(stack)
    s3 = stack.client("s3")
    # When it is copied there by its UUID
    request = {"source": file["uuid"], "target": "archive"}
    status, answer = stack.call("POST", "/v1/files/remote_copy", request)
    # Then 201 with where it is, Uploadcare's default name under the storage's folder
    assert status == 201, answer
    key = f"renders/{file['uuid']}/social-card.png"
    assert answer == {"type": "url", "result": f"s3://{bucket}/{key}"}
    data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert f"sha256:{hashlib.sha256(data).hexdigest()}" == file["checksum"]
    written = s3.head_object(Bucket=bucket, Key=key)["LastModified"]
    # And the render's status shows the copy as one more connection, delivered
    status, render = stack.call("GET", f"/v1/renders/{render_id}")
    assert [(c["storage"], c["status"], c["path"]) for c in render["connections"]] == [("archive", "success", key)]
    # When the same copy is asked again, then 200: the name exists and nothing was written
    time.sleep(1.1)  # LastModified has a one-second resolution
    status, again = stack.call("POST", "/v1/files/remote_copy", request)
    assert status == 200, again
    assert again == answer
    assert s3.head_object(Bucket=bucket, Key=key)["LastModified"] == written


def test_remote_copy_by_url_with_a_pattern_and_make_public(stack: Stack) -> None:
    # Given a rendered file's URL (from the render's answer)
    bucket = new_bucket(stack)
    put_storage(stack, "public", bucket, prefix="")
    _, file = _rendered_file(stack)
    # When it is copied by URL with a pattern, made public
    request = {"source": file["url"], "target": "public", "pattern": "cards/${filename}${ext}", "make_public": True}
    status, answer = stack.call("POST", "/v1/files/remote_copy", request)
    # Then it lands at the pattern's name, public-read
    assert status == 201, answer
    assert answer["result"] == f"s3://{bucket}/cards/social-card.png"
    grants = stack.client("s3").get_object_acl(Bucket=bucket, Key="cards/social-card.png")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") and g["Permission"] == "READ" for g in grants)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"source": "00000000-0000-4000-8000-000000000000"}, "source"),
        ({"source": "https://example.com/not-a-file"}, "source"),
        ({"target": "nowhere"}, "target"),
        ({"pattern": "${uuid}/../x"}, "pattern"),
        ({"pattern": "${nope}"}, "pattern"),
    ],
)
def test_remote_copy_refuses_unknown_source_target_or_a_bad_pattern_with_400(
    stack: Stack, change: dict[str, str], reason: str
) -> None:
    bucket = new_bucket(stack)
    put_storage(stack, "refusing", bucket)
    _, file = _rendered_file(stack)
    status, answer = stack.call(
        "POST", "/v1/files/remote_copy", {"source": file["uuid"], "target": "refusing"} | change
    )
    assert status == 400, answer
    assert answer["error"]["message"].startswith(f"{reason}:")
    assert stack.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_remote_copy_of_another_workspaces_file_is_an_unknown_source(stack: Stack) -> None:
    # Given globex's file and a storage of acme's
    bucket = new_bucket(stack)
    put_storage(stack, "mine", bucket)
    _, theirs = _rendered_file(stack, key="globex")
    # When acme names it by UUID or by URL, then it is unknown, as a missing file is
    for source in (theirs["uuid"], theirs["url"]):
        status, refused = stack.call("POST", "/v1/files/remote_copy", {"source": source, "target": "mine"})
        assert status == 400, refused
        assert refused["error"]["message"].startswith("source: no such file")
    assert stack.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_demo_runs(tmp_path: Any) -> None:
    """`make demo`'s program: starts its own stack, delivers, prints the key and timings, exits 0."""
    run = subprocess.run(
        [sys.executable, "-m", "courier_tools.local.demo"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "connection status               success" in run.stdout
    assert "delivered key                   s3://acme-renders/marketing/banners/2026/" in run.stdout
