"""The SeaweedFS fake checks what moto does not: signatures, a second account's keys, presigned signed headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from tests.fakes.seaweedfs import Identity, SeaweedFS, seaweedfs

READER = Identity("AKIASEAWEEDREADER001", "reader-secret-0001", actions=("Read", "List"), name="reader")


@pytest.fixture(scope="module")
def server() -> Iterator[SeaweedFS]:
    with seaweedfs(identities=(READER,)) as started:
        yield started


@pytest.fixture(scope="module")
def bucket(server: SeaweedFS) -> str:
    server.client().create_bucket(Bucket="customer-bucket")
    return "customer-bucket"


def error_of(exc: ClientError) -> tuple[str, int]:
    return str(exc.response["Error"].get("Code")), int(exc.response["ResponseMetadata"]["HTTPStatusCode"])


def test_binds_only_loopback_and_starts_fast(server: SeaweedFS) -> None:
    assert server.endpoint.startswith("http://127.0.0.1:")
    assert server.startup_seconds < 15


def test_right_keys_create_a_bucket_and_put_and_get(server: SeaweedFS, bucket: str) -> None:
    # Given the admin identity's keys
    s3 = server.client()
    # When an object is written and read back
    s3.put_object(Bucket=bucket, Key="renders/a b/ü.png", Body=b"\x89PNG rendered", ContentType="image/png")
    got = s3.get_object(Bucket=bucket, Key="renders/a b/ü.png")
    # Then the bytes and the content type are the ones written
    assert got["Body"].read() == b"\x89PNG rendered"
    assert got["ContentType"] == "image/png"
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_a_wrong_secret_is_refused(server: SeaweedFS, bucket: str) -> None:
    # Given the right access key with a wrong secret
    s3 = server.client(secret_key="not-the-secret", retries={"max_attempts": 1})
    # When it writes, Then the server refuses the signature
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=bucket, Key="x.txt", Body=b"x")
    code, status = error_of(raised.value)
    assert code == "SignatureDoesNotMatch" or status == 403


def test_an_unknown_access_key_is_refused(server: SeaweedFS, bucket: str) -> None:
    s3 = server.client(access_key="AKIANOBODY0000000000", secret_key="whatever", retries={"max_attempts": 1})
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket=bucket, Key="x.txt")
    assert error_of(raised.value)[1] == 403


def test_a_read_only_identity_cannot_write(server: SeaweedFS, bucket: str) -> None:
    server.client().put_object(Bucket=bucket, Key="readable.txt", Body=b"ok")
    reader = server.client(READER.access_key, READER.secret_key, retries={"max_attempts": 1})
    assert reader.get_object(Bucket=bucket, Key="readable.txt")["Body"].read() == b"ok"
    with pytest.raises(ClientError) as raised:
        reader.put_object(Bucket=bucket, Key="written.txt", Body=b"no")
    assert error_of(raised.value) == ("AccessDenied", 403)


def presigned_put(s3: Any, bucket: str, key: str, content_type: str) -> str:
    return str(
        s3.generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": key, "ContentType": content_type}, ExpiresIn=300
        )
    )


def test_a_presigned_put_with_another_content_type_is_refused(server: SeaweedFS, bucket: str) -> None:
    # Given a PUT URL signed for image/png
    url = presigned_put(server.client(), bucket, "presigned/a.png", "image/png")
    http = requests.Session()
    http.trust_env = False  # plain http to 127.0.0.1: no proxy, no CA bundle from the environment
    # When the upload says text/plain, Then it is refused and nothing is written
    refused = http.put(url, data=b"png bytes", headers={"Content-Type": "text/plain"}, timeout=10)
    assert refused.status_code == 403
    assert "SignatureDoesNotMatch" in refused.text
    with pytest.raises(ClientError):
        server.client().head_object(Bucket=bucket, Key="presigned/a.png")
    # And with the signed content type it is accepted
    accepted = http.put(url, data=b"png bytes", headers={"Content-Type": "image/png"}, timeout=10)
    assert accepted.status_code == 200
    assert server.client().get_object(Bucket=bucket, Key="presigned/a.png")["Body"].read() == b"png bytes"


def test_a_second_instance_is_a_second_account(server: SeaweedFS, bucket: str) -> None:
    # Given a second server with its own keys and ports
    with SeaweedFS(access_key="AKIASEAWEEDOTHER0001", secret_key="other-secret") as other:
        assert other.endpoint != server.endpoint
        assert set(other.ports.values()).isdisjoint(server.ports.values())
        # Then each refuses the other's keys
        with pytest.raises(ClientError) as raised:
            other.client(server.access_key, server.secret_key, retries={"max_attempts": 1}).list_buckets()
        assert error_of(raised.value)[1] == 403
        # And its buckets are its own
        other.client().create_bucket(Bucket="other-bucket")
        assert "other-bucket" not in [b["Name"] for b in server.client().list_buckets()["Buckets"]]
    # And stopping it removes its process and its data
    assert other.process is None and other.data_dir is None
