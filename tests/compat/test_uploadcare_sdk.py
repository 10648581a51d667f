"""Uploadcare's own Python SDK (pyuploadcare 6.3.0), unchanged but for its base URL and keys, copying rendered files
into a workspace's storage through the local stack: both auth schemes, 201 then 200, and the refusals."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
import requests
from pyuploadcare import File, Uploadcare
from pyuploadcare.api.auth import UploadcareSimpleAuth
from pyuploadcare.exceptions import AuthenticationError, InvalidRequestError

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process

KEY = "rc_compat_uploadcare_" + "u" * 32
BUCKET = "uploadcare-target"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"ucare:{KEY}"]
    with stack_process("courier_tools.local", args, dict(os.environ)) as running:
        ready = running.ready
        aws_client(ready["aws"], "s3").create_bucket(Bucket=BUCKET)
        storage = {
            "provider": "s3",
            "bucket": BUCKET,
            "prefix": "copies",
            "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEUCARE0001", "secretAccessKey": "ucare-secret"},
        }
        assert call(ready, "PUT", "/v1/storage/samplefs", storage)[0] == 200
        yield ready


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


@pytest.fixture(scope="module")
def pair(stack: dict[str, str]) -> dict[str, str]:
    status, created = call(stack, "POST", "/v1/compat/uploadcare/keys")
    assert status == 201, created
    return dict(created)


def rendered_file(stack: dict[str, str], headline: str) -> str:
    """A new render's file UUID (in its content URL: …/<file uuid>/<name>?…)."""
    status, answer = call(
        stack, "POST", "/v1/renders", {"templateId": "social-card", "modifications": {"headline": headline}}
    )
    assert status == 200, answer
    return str(answer["data"]["content"].split("?")[0].split("/")[-2])


def client(stack: dict[str, str], public: str, secret: str, **options: Any) -> Uploadcare:
    # The one change a user makes: the base URL (and the keys their workspace made)
    return Uploadcare(public_key=public, secret_key=secret, api_base=stack["api"] + "/", **options)


@pytest.mark.parametrize("auth", ["signed", "simple"])
def test_files_api_remote_copy_writes_once_then_answers_200(
    stack: dict[str, str], pair: dict[str, str], auth: str
) -> None:
    # Given a rendered file and the SDK with the workspace's key pair, in either of its auth schemes
    options = {"auth_class": UploadcareSimpleAuth} if auth == "simple" else {}
    uploadcare = client(stack, pair["publicKey"], pair["secretKey"], **options)
    uuid = rendered_file(stack, f"copy {auth}")
    # When the SDK copies it to the storage
    copied = uploadcare.files_api.remote_copy(uuid, "samplefs", make_public=False, pattern="${uuid}/${filename}${ext}")
    # Then it answers Uploadcare's shape, and the object is where it says
    assert copied.type == "url" and copied.result == f"s3://{BUCKET}/copies/{uuid}/social-card.png"
    s3 = aws_client(stack["aws"], "s3")
    assert s3.head_object(Bucket=BUCKET, Key=f"copies/{uuid}/social-card.png")["ContentLength"] > 0
    # When it copies it again under the same name, then the SDK gets the same answer (a 200: nothing written)
    again = uploadcare.files_api.remote_copy(uuid, "samplefs", make_public=False, pattern="${uuid}/${filename}${ext}")
    assert again.result == copied.result


def test_file_create_remote_copy_sends_its_cdn_path(stack: dict[str, str], pair: dict[str, str]) -> None:
    # Given File, whose create_remote_copy sends the source as "<uuid>/"
    uploadcare = client(stack, pair["publicKey"], pair["secretKey"])
    uuid = rendered_file(stack, "cdn path")
    file = File(uuid, uploadcare)
    # When it copies with the storage's default pattern
    result = file.create_remote_copy(target="samplefs", make_public=False)
    # Then the file is in the bucket under the default ${uuid}/${auto_filename}
    assert result == f"s3://{BUCKET}/copies/{UUID(uuid)}/social-card.png"


def test_refusals_are_uploadcare_errors(stack: dict[str, str], pair: dict[str, str]) -> None:
    uploadcare = client(stack, pair["publicKey"], pair["secretKey"])
    uuid = rendered_file(stack, "refusals")
    # An unknown target or source is InvalidRequestError (a 400 {"detail": …})
    with pytest.raises(InvalidRequestError, match="storage"):
        uploadcare.files_api.remote_copy(uuid, "no-such-storage")
    with pytest.raises(InvalidRequestError, match="source"):
        uploadcare.files_api.remote_copy("00000000-0000-4000-8000-000000000000", "samplefs")
    # A wrong secret, for either scheme, is AuthenticationError (401)
    for options in ({}, {"auth_class": UploadcareSimpleAuth}):
        wrong = client(stack, pair["publicKey"], "0" * 40, **options)
        with pytest.raises(AuthenticationError):
            wrong.files_api.remote_copy(uuid, "samplefs")


def test_an_old_date_and_a_revoked_pair_are_refused(stack: dict[str, str]) -> None:
    status, made = call(stack, "POST", "/v1/compat/uploadcare/keys")
    assert status == 201
    uploadcare = client(stack, made["publicKey"], made["secretKey"])
    uuid = rendered_file(stack, "revoked")

    # A signature over a Date 16 minutes old is refused
    class StaleAuth(uploadcare.rest_client.auth.__class__):  # type: ignore[misc,name-defined]
        def _formated_date_time(self) -> str:
            from datetime import UTC, datetime, timedelta

            return (datetime.now(UTC) - timedelta(minutes=16)).strftime("%a, %d %b %Y, %H:%M:%S GMT")

    stale = client(stack, made["publicKey"], made["secretKey"], auth_class=StaleAuth)
    with pytest.raises(AuthenticationError):
        stale.files_api.remote_copy(uuid, "samplefs")

    # The pair is listed, then revoked: it stops at once
    assert made["publicKey"] in [k["publicKey"] for k in call(stack, "GET", "/v1/compat/uploadcare/keys")[1]["keys"]]
    assert uploadcare.files_api.remote_copy(uuid, "samplefs").type == "url"
    assert call(stack, "DELETE", f"/v1/compat/uploadcare/keys/{made['publicKey']}")[0] == 204
    with pytest.raises(AuthenticationError):
        uploadcare.files_api.remote_copy(uuid, "samplefs")
    assert call(stack, "DELETE", f"/v1/compat/uploadcare/keys/{made['publicKey']}")[0] == 404


def test_cdn_effects_are_refused_with_a_reason(stack: dict[str, str], pair: dict[str, str]) -> None:
    uploadcare = client(stack, pair["publicKey"], pair["secretKey"])
    file = File(rendered_file(stack, "effects"), uploadcare)
    with pytest.raises(InvalidRequestError, match="effects"):
        file.create_remote_copy(target="samplefs", effects="resize/200x/")


@pytest.mark.parametrize("path", ["/v1/files/remote_copy", "/files/remote_copy/"])
def test_a_retried_remote_copy_with_its_idempotency_key_answers_the_first_copy(
    stack: dict[str, str], path: str
) -> None:
    # Given a rendered file, copied with an Idempotency-Key
    uuid = rendered_file(stack, f"idempotent {path}")
    body = {"source": uuid, "target": "samplefs", "pattern": "idem/${uuid}${ext}"}
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": f"copy-{uuid}"}
    first = requests.post(stack["api"] + path, json=body, headers=headers, timeout=60)
    assert first.status_code == 201, first.text
    # When the client retries it with the same key, then it gets the first answer again, marked as such
    again = requests.post(stack["api"] + path, json=body, headers=headers, timeout=60)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    # And without the key the same copy is a new request: the name is taken, nothing is written (200)
    fresh = requests.post(stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
    assert fresh.status_code == 200 and "Idempotent-Replayed" not in fresh.headers
