"""The presigned-URL destination against real HTTP: boto3 presigned PUTs into a moto server (the object lands), and a
strict fake that checks SigV4 signatures, expiry and signed headers like S3 (moto accepts any of them)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import boto3
import pytest
from botocore.config import Config

from courier.destinations.base import (
    DeliveryOptions,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
)
from courier.destinations.presigned import PresignedUrlDestination
from tests.builders import staged
from tests.conftest import aws_client
from tests.fakes.strict_presigned import StrictPresignedServer, error_xml

MiB = 1024 * 1024
ACCESS_KEY = "AKIDSTRICTFAKE000001"
SECRET = "strict-fake-secret-CANARY"
PNG = DeliveryOptions("image/png")


def _sha(body: bytes) -> str:
    return f"sha256:{hashlib.sha256(body).hexdigest()}"


def s3v4_client(endpoint: str, access_key: str = ACCESS_KEY, secret: str = SECRET) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def presign(
    endpoint: str, key: str, *, secret: str = SECRET, expires: int = 600, bucket: str = "customer", **params: Any
) -> str:
    return str(
        s3v4_client(endpoint, secret=secret).generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": key, **params}, ExpiresIn=expires
        )
    )


@pytest.fixture
def moto_bucket(moto_server: str) -> tuple[Any, str]:
    s3 = aws_client(moto_server, "s3")
    bucket = f"customer-{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=bucket)
    return s3, bucket


def assert_no_secret(error: Exception, url: str) -> None:
    signature = url.rsplit("X-Amz-Signature=", 1)[-1]
    assert signature not in str(error) and "X-Amz-" not in str(error) and SECRET not in str(error)


@pytest.fixture
def strict() -> Iterator[StrictPresignedServer]:
    with StrictPresignedServer({ACCESS_KEY: SECRET}) as server:
        yield server


# --- moto: real objects land ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 5 * MiB + 3])
def test_moto_presigned_put_lands_the_object(moto_server: str, moto_bucket: tuple[Any, str], size: int) -> None:
    # Given a bucket and a boto3 presigned PUT URL (SigV4) signed with a Content-Type
    s3, bucket = moto_bucket
    url = presign(moto_server, "out/a.png", bucket=bucket, ContentType="image/png")
    body = os.urandom(size)
    # When the staged file is delivered to it
    receipt = PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True).deliver(
        staged(body), "ignored/key.png", PNG
    )
    # Then the bucket holds the same bytes, and the receipt names the object without the query
    stored = s3.get_object(Bucket=bucket, Key="out/a.png")
    assert stored["Body"].read() == body and stored["ContentType"] == "image/png"
    assert receipt.location == f"{moto_server}/{bucket}/out/a.png"
    assert receipt.size == size and receipt.checksum == _sha(body)
    assert receipt.etag == hashlib.md5(body, usedforsecurity=False).hexdigest()


def test_moto_content_type_comes_from_the_options_when_not_declared(
    moto_server: str, moto_bucket: tuple[Any, str]
) -> None:
    s3, bucket = moto_bucket
    url = presign(moto_server, "a.pdf", bucket=bucket)
    PresignedUrlDestination(url, {}, allow_local=True).deliver(staged(b"%PDF"), "k", DeliveryOptions("application/pdf"))
    assert s3.head_object(Bucket=bucket, Key="a.pdf")["ContentType"] == "application/pdf"


# --- the strict fake: what S3 refuses --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 3 * MiB + 1])
def test_strict_accepts_a_correct_presigned_put(strict: StrictPresignedServer, size: int) -> None:
    url = presign(strict.endpoint, "out/é ü #1.png", ContentType="image/png")
    body = os.urandom(size)
    receipt = PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True).deliver(
        staged(body), "k", PNG
    )
    stored = strict.objects["/customer/out/é ü #1.png"]
    assert stored.body == body and stored.content_type == "image/png"
    # An explicit Content-Length, never a chunked body (S3 refuses chunked presigned PUTs)
    request = strict.requests[-1]
    assert request.headers["content-length"] == str(size) and "transfer-encoding" not in request.headers
    assert "?" not in receipt.location and receipt.size == size


def test_strict_same_put_twice_gives_the_same_result(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png", ContentType="image/png")
    destination = PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True)
    first = destination.deliver(staged(b"same"), "k", PNG)
    second = destination.deliver(staged(b"same"), "k", PNG)
    assert first == second and list(strict.objects) == ["/customer/a.png"]


def test_wrong_secret_is_permanent(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png", secret="not-the-secret", ContentType="image/png")
    with pytest.raises(PermanentDeliveryError, match="SignatureDoesNotMatch") as caught:
        PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert_no_secret(caught.value, url)
    assert not strict.objects


def test_unknown_access_key_is_permanent(strict: StrictPresignedServer) -> None:
    url = str(
        s3v4_client(strict.endpoint, access_key="AKIDSOMEONEELSE00001").generate_presigned_url(
            "put_object", Params={"Bucket": "customer", "Key": "a.png"}, ExpiresIn=600
        )
    )
    with pytest.raises(PermanentDeliveryError, match="unknown access key"):
        PresignedUrlDestination(url, {}, allow_local=True).deliver(staged(b"x"), "k", PNG)


def test_expired_url_is_permanent(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png", expires=60, ContentType="image/png")
    strict.clock_offset = 120  # two minutes later
    with pytest.raises(PermanentDeliveryError, match="expired") as caught:
        PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert_no_secret(caught.value, url)
    assert strict.requests[-1].code == "AccessDenied" and not strict.objects


@pytest.mark.parametrize(
    ("declared", "options"),
    [
        ({"Content-Type": "image/jpeg"}, PNG),  # declared differently from what was signed
        ({}, DeliveryOptions("image/webp")),  # not declared: the format's type is sent, and it is not the signed one
    ],
)
def test_a_signed_header_sent_differently_is_permanent(
    strict: StrictPresignedServer, declared: dict[str, str], options: DeliveryOptions
) -> None:
    url = presign(strict.endpoint, "a.png", ContentType="image/png")
    with pytest.raises(PermanentDeliveryError, match="signed header"):
        PresignedUrlDestination(url, declared, allow_local=True).deliver(staged(b"x"), "k", options)
    assert strict.requests[-1].code == "SignatureDoesNotMatch" and not strict.objects


def test_signed_extra_headers_are_sent_exactly(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png", ContentType="image/png", CacheControl="max-age=60", Metadata={"a": "b"})
    headers = {"Content-Type": "image/png", "Cache-Control": "max-age=60", "x-amz-meta-a": "b"}
    PresignedUrlDestination(url, headers, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert strict.objects["/customer/a.png"].headers["x-amz-meta-a"] == "b"


class BrokenStream(io.RawIOBase):
    """Gives ``good`` bytes, then fails the way ``how`` says."""

    def __init__(self, good: bytes, how: str) -> None:
        self._data = io.BytesIO(good)
        self._how = how

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        if not chunk and self._how == "raise":
            raise OSError("staging read failed")
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("how", ["short", "raise", "corrupt"])
def test_a_source_failing_halfway_stores_nothing(strict: StrictPresignedServer, how: str) -> None:
    # Given a 3 MiB staged file whose stream fails after 1.5 MiB (or whose last byte is flipped)
    size = 3 * MiB
    good = os.urandom(size)
    sent = good[:-1] + bytes([good[-1] ^ 1]) if how == "corrupt" else good[: size // 2]
    source = StagedFile("k", size, _sha(good), "image/png", lambda: io.BufferedReader(BrokenStream(sent, how)))
    url = presign(strict.endpoint, "a.png", ContentType="image/png")
    # When it is delivered
    with pytest.raises(RetryableDeliveryError, match="staging"):
        PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True).deliver(source, "k", PNG)
    # Then the connection was reset before the whole body arrived (the reset may even discard what the server had
    # not read yet), and nothing was stored
    (request,) = strict.wait_for_requests(1)
    assert not request.complete and request.received < size
    assert not strict.objects


def test_staging_that_cannot_be_opened_is_retryable(strict: StrictPresignedServer) -> None:
    def unavailable() -> Any:
        raise OSError("staging is unavailable")

    source = StagedFile("k", 1, _sha(b"x"), "image/png", unavailable)
    with pytest.raises(RetryableDeliveryError, match="staging could not be read"):
        PresignedUrlDestination(presign(strict.endpoint, "a.png"), {}, allow_local=True).deliver(source, "k", PNG)
    assert not strict.requests


def test_503_with_retry_after_is_retryable(strict: StrictPresignedServer) -> None:
    strict.answer_next(503, {"Retry-After": "7"}, error_xml("SlowDown", "Please reduce your request rate."))
    url = presign(strict.endpoint, "a.png")
    with pytest.raises(RetryableDeliveryError, match="503 SlowDown") as caught:
        PresignedUrlDestination(url, {}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert caught.value.retry_after == 7


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (500, error_xml("InternalError", "We encountered an internal error."), RetryableDeliveryError),
        (429, b"", RetryableDeliveryError),
        (400, error_xml("RequestTimeout", "Your socket connection was not read from"), RetryableDeliveryError),
        (400, error_xml("InvalidArgument", "bad"), PermanentDeliveryError),
        (404, error_xml("NoSuchBucket", "The specified bucket does not exist"), PermanentDeliveryError),
    ],
)
def test_answers_map_to_retryable_or_permanent(
    strict: StrictPresignedServer, status: int, body: bytes, kind: type[Exception]
) -> None:
    strict.answer_next(status, {}, body)
    with pytest.raises(kind):
        PresignedUrlDestination(presign(strict.endpoint, "a.png"), {}, allow_local=True).deliver(staged(b"x"), "k", PNG)


@pytest.mark.parametrize("spelling", ["raw", "lower-case-escapes", "decoded", "xml-escaped", "in-the-code"])
def test_a_refusal_quoting_the_request_never_carries_its_secrets(strict: StrictPresignedServer, spelling: str) -> None:
    # Given a presigned URL (its credential percent-encoded), and a declared header carrying another secret
    url = presign(strict.endpoint, "a.png")
    token_header = "sse-c-key-CANARY-0123456789"
    query = url.split("?", 1)[1]
    echoed = {
        "raw": f"/customer/a.png?{query}",
        "lower-case-escapes": query.replace("%2F", "%2f"),
        "decoded": " ".join(value for _, value in parse_qsl(query)),
        "xml-escaped": query.replace("&", "&amp;"),
        "in-the-code": query,
    }[spelling]
    code, message = ("Weird" + echoed, "denied") if spelling == "in-the-code" else ("WeirdDenied", echoed)
    # When the storage refuses the PUT quoting the request (and the header) in its error document
    strict.answer_next(
        403, {}, f"<Error><Code>{code}</Code><Message>{message} {token_header}</Message></Error>".encode()
    )
    destination = PresignedUrlDestination(url, {"x-amz-meta-key": token_header}, allow_local=True)
    with pytest.raises(PermanentDeliveryError) as caught:
        destination.deliver(staged(b"x"), "k", PNG)
    # Then the reason keeps the storage's words but none of the URL's or the headers' secrets, however spelled
    reason = caught.value.reason
    assert "403" in reason and "Weird" in reason
    assert_no_secret(caught.value, url)
    for secret in ("AKIDSTRICTFAKE000001", token_header, url.rsplit("=", 1)[-1]):
        assert secret.lower() not in reason.lower(), reason


@pytest.mark.parametrize(
    "quoted",
    ["signature-prefix", "signature-middle", "header-fragment", "access-key-id", "credential-scope", "other-key-id"],
)
def test_a_refusal_quoting_part_of_a_secret_never_carries_it(strict: StrictPresignedServer, quoted: str) -> None:
    # Given a presigned URL and a declared header carrying a secret
    url = presign(strict.endpoint, "a.png")
    token_header = "sse-c-key-CANARY-0123456789"
    signature = url.rsplit("X-Amz-Signature=", 1)[1]
    fragment = {
        "signature-prefix": signature[:24],
        "signature-middle": signature[30:42].upper(),
        "header-fragment": token_header[4:16],
        "access-key-id": ACCESS_KEY,
        "credential-scope": f"Credential={ACCESS_KEY}/",
        "other-key-id": "AKIAIOSFODNN7EXAMPLE",  # not this URL's: masked because it is shaped like one
    }[quoted]
    # When the storage refuses the PUT with an S3 error document whose Message quotes part of one of them
    strict.answer_next(403, {}, error_xml("WeirdDenied", f"The request with {fragment} was refused"))
    destination = PresignedUrlDestination(url, {"x-amz-meta-key": token_header}, allow_local=True)
    with pytest.raises(PermanentDeliveryError) as caught:
        destination.deliver(staged(b"x"), "k", PNG)
    # Then the reason keeps the storage's words, and the quoted part is masked
    reason = caught.value.reason
    assert reason.startswith("the storage refused the write: 403 WeirdDenied The request with ")
    assert reason.endswith(" was refused"), reason
    assert fragment.lower().removeprefix("credential=").rstrip("/") not in reason.lower(), reason
    assert ACCESS_KEY not in reason


def test_a_retryable_answer_quoting_a_secret_in_its_code_never_carries_it(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png")
    signature = url.rsplit("X-Amz-Signature=", 1)[1]
    strict.answer_next(503, {}, error_xml(f"Busy{signature[:16]}", "try later"))
    with pytest.raises(RetryableDeliveryError) as caught:
        PresignedUrlDestination(url, {}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert caught.value.reason == "the storage answered 503 Busy…"


def test_a_redirect_is_not_followed(strict: StrictPresignedServer) -> None:
    strict.answer_next(307, {"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(PermanentDeliveryError, match="307"):
        PresignedUrlDestination(presign(strict.endpoint, "a.png"), {}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert len(strict.requests) == 1


# --- what the fake itself refuses (so a chunked or length-less client would fail here as on S3) ---------------------


def test_the_fake_refuses_chunked_and_length_less_bodies(strict: StrictPresignedServer) -> None:
    import http.client
    from urllib.parse import urlsplit

    url = presign(strict.endpoint, "a.png")
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port)
    conn.putrequest("PUT", f"{parts.path}?{parts.query}")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()  # S3 answers before the body is sent
    assert conn.getresponse().status == 501
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port)
    conn.putrequest("PUT", f"{parts.path}?{parts.query}")
    conn.endheaders()
    assert conn.getresponse().status == 411
    assert not strict.objects


# --- the outbound policy and request rules ---------------------------------------------------------------------------


def test_local_urls_are_refused_without_allow_local(strict: StrictPresignedServer) -> None:
    url = presign(strict.endpoint, "a.png")
    with pytest.raises(PermanentDeliveryError, match="https") as caught:
        PresignedUrlDestination(url, {}).deliver(staged(b"x"), "k", PNG)
    assert_no_secret(caught.value, url)
    assert not strict.requests


@pytest.mark.parametrize(
    ("url", "answers"),
    [
        ("https://10.0.0.5/bucket/a.png?X-Amz-Signature=abcdef0123456789", None),
        ("https://169.254.169.254/latest/a.png?sig=abcdef0123456789", None),
        ("https://customer.example.com/a.png?X-Amz-Signature=abcdef0123456789", ["203.0.113.7", "192.168.1.20"]),
    ],
)
def test_private_destinations_are_refused(url: str, answers: list[str] | None) -> None:
    destination = PresignedUrlDestination(url, {}, resolver=lambda host, port: list(answers or []))
    with pytest.raises(PermanentDeliveryError, match="may not be reached") as caught:
        destination.deliver(staged(b"x"), "k", PNG)
    assert "abcdef0123456789" not in str(caught.value)
    with pytest.raises(PermanentDeliveryError, match="may not be reached"):
        destination.probe()


def test_azure_sas_gets_a_block_blob_type(strict: StrictPresignedServer) -> None:
    # An Azure-looking host, pinned to the local fake (which refuses it: no SigV4) — what matters is what was sent.
    port = strict.endpoint.rsplit(":", 1)[1]
    url = f"http://acct.blob.core.windows.net:{port}/c/a.png?sv=2022-11-02&sp=cw&sr=b&sig=c2lnbmF0dXJlLXZhbHVl"
    with pytest.raises(PermanentDeliveryError):
        PresignedUrlDestination(url, {}, allow_local=True, resolver=lambda h, p: ["127.0.0.1"]).deliver(
            staged(b"x"), "k", PNG
        )
    sent = strict.requests[-1].headers
    assert sent["x-ms-blob-type"] == "BlockBlob" and sent["content-type"] == "image/png"
    assert sent["host"] == f"acct.blob.core.windows.net:{port}"


def test_signature_v2_urls_get_no_added_content_type(strict: StrictPresignedServer) -> None:
    # V2 signatures sign Content-Type even when empty: adding one would break them.
    url = f"{strict.endpoint}/customer/a.png?AWSAccessKeyId=AKID&Expires=1700000000&Signature=c2lnbmF0dXJl"
    with pytest.raises(PermanentDeliveryError):
        PresignedUrlDestination(url, {}, allow_local=True).deliver(staged(b"x"), "k", PNG)
    assert "content-type" not in strict.requests[-1].headers


@pytest.mark.parametrize(
    ("headers", "match"),
    [
        ({"Content-Length": "99"}, "signed for 99 bytes"),
        ({"Transfer-Encoding": "chunked"}, "transport"),
        ({"Host": "elsewhere.example.com"}, "another host"),
        ({"X-Bad": "a\r\nInjected: 1"}, "not a valid HTTP header"),
    ],
)
def test_declared_headers_that_cannot_be_sent_are_permanent(
    strict: StrictPresignedServer, headers: dict[str, str], match: str
) -> None:
    with pytest.raises(PermanentDeliveryError, match=match):
        PresignedUrlDestination(presign(strict.endpoint, "a.png"), headers, allow_local=True).deliver(
            staged(b"x"), "k", PNG
        )
    assert not strict.requests


def test_over_5_gib_is_refused_before_any_byte(strict: StrictPresignedServer) -> None:
    def never() -> Any:
        raise AssertionError("staging must not be opened")

    big = StagedFile("k", 5 * 1024 * MiB + 1, "sha256:00", "video/mp4", never)
    with pytest.raises(PermanentDeliveryError, match="use an S3 storage for files over 5 GB"):
        PresignedUrlDestination(presign(strict.endpoint, "a.mp4"), {}, allow_local=True).deliver(big, "k", PNG)
    assert not strict.requests


def test_probe_writes_nothing(strict: StrictPresignedServer) -> None:
    destination = PresignedUrlDestination(presign(strict.endpoint, "a.png"), {}, allow_local=True)
    destination.probe()  # nothing to write: a presigned URL names one object, often for one use
    assert not strict.requests
    assert "X-Amz" not in repr(destination)
