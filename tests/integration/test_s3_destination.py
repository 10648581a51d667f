"""The S3 destination against a moto server over real HTTP: its three ways of writing (a small file in one buffered
PUT, a larger one in one PUT streamed from staging, multipart above MULTIPART_ABOVE), object options, integrity
checks and the mapping of failures."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from courier.destinations import s3 as s3_adapter
from courier.destinations.base import (
    AlreadyExistsError,
    DeliveryOptions,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
)
from courier.destinations.registry import DestinationFactory
from courier.destinations.s3 import S3Flavour
from courier.destinations.s3_body import StreamedBody
from courier.providers.s3 import COMPATIBLE_S3, CUSTOMER_S3, R2_S3
from courier.records import DeliveryTarget
from tests.builders import staged
from tests.conftest import aws_client, free_port
from tests.fakes.fault_proxy import FaultProxy, s3_error
from tests.fakes.tls import pki, tls_server_context

MiB = 1024 * 1024
PART = 5 * MiB  # S3Destination's default part size: up to it, one buffered PUT
MULTIPART_ABOVE = 10 * MiB  # here (100 MiB deployed): up to it, one streamed PUT; above, multipart
S3Destination = functools.partial(s3_adapter.S3Destination, single_put_max=MULTIPART_ABOVE)


def client(endpoint: str, config: Config = R2_S3, **extra: Any) -> Any:
    """An S3 client as the registry builds it (R2's configuration by default: unsigned payloads, so a streamed
    body is read once, while it is sent)."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
        **extra,
    )


def counted(body: bytes) -> tuple[StagedFile, list[int]]:
    """A staged file that counts how often it is opened."""
    opened: list[int] = []

    def opener() -> io.BytesIO:
        opened.append(1)
        return io.BytesIO(body)

    return StagedFile("k", len(body), staged(body).checksum, "image/png", opener), opened


@pytest.fixture
def bucket(moto_server: str) -> tuple[Any, str]:
    s3 = client(moto_server)
    name = f"customer-{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=name)
    return s3, name


@pytest.mark.parametrize(
    "size", [0, 1, 5 * MiB, PART, PART + 1, MULTIPART_ABOVE, MULTIPART_ABOVE + 1, 16 * MiB, 40 * MiB + 7]
)
def test_streams_every_size_and_reads_back_equal(bucket: tuple[Any, str], size: int) -> None:
    # Given a staged file of a boundary size (zero, tiny, at and past a part, at and past the multipart threshold)
    s3, name = bucket
    body = os.urandom(size)
    # When it is delivered
    receipt = S3Destination(s3, name).deliver(staged(body), "renders/x/a.png", DeliveryOptions("image/png"))
    # Then the destination holds the same bytes, and the receipt says so
    assert s3.get_object(Bucket=name, Key="renders/x/a.png")["Body"].read() == body
    assert receipt.size == size and receipt.checksum == staged(body).checksum
    assert receipt.location == f"s3://{name}/renders/x/a.png"
    assert receipt.etag is not None
    if size > MULTIPART_ABOVE:
        assert receipt.etag.endswith(f"-{-(-size // PART)}")  # multipart ETag
    else:
        assert "-" not in receipt.etag  # one PUT


def test_object_options_are_applied(bucket: tuple[Any, str]) -> None:
    s3, name = bucket
    options = DeliveryOptions(
        content_type="image/png",
        content_disposition="attachment; filename*=UTF-8''caf%C3%A9.png",
        cache_control="max-age=60",
        metadata={"campaign": "spring"},
    )
    S3Destination(s3, name).deliver(staged(b"png"), "k/é ü.png", options)
    head = s3.head_object(Bucket=name, Key="k/é ü.png")
    assert head["ContentType"] == "image/png" and head["CacheControl"] == "max-age=60"
    assert head["ContentDisposition"].startswith("attachment") and head["Metadata"] == {"campaign": "spring"}


def test_same_key_twice_is_an_idempotent_overwrite(bucket: tuple[Any, str]) -> None:
    s3, name = bucket
    destination = S3Destination(s3, name)
    destination.deliver(staged(b"one"), "k.png", DeliveryOptions("image/png"))
    destination.deliver(staged(b"one"), "k.png", DeliveryOptions("image/png"))
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 1


def test_missing_bucket_is_permanent(moto_server: str) -> None:
    with pytest.raises(PermanentDeliveryError, match=r"^NoSuchBucket"):
        S3Destination(aws_client(moto_server, "s3"), "no-such-bucket-here").deliver(
            staged(b"x"), "k.png", DeliveryOptions("image/png")
        )


def test_unreachable_endpoint_is_retryable() -> None:
    import boto3
    from botocore.config import Config

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(RetryableDeliveryError):
        S3Destination(s3, "bucket").deliver(staged(b"x"), "k.png", DeliveryOptions("image/png"))


# R2-shaped keys (not AKIA…): only the adapter knowing the client's credentials can recognise them.
QUOTED_KEY_ID = "9f0e8d7c6b5a49382716f5e4d3c2b1a0"
QUOTED_SECRET = "5e8f3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f"
QUOTED_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD-session-token"


@pytest.mark.parametrize(
    ("status", "code", "message", "quoted"),
    [
        (403, "WeirdDenied", f"The access key {QUOTED_KEY_ID} may not write here", QUOTED_KEY_ID),
        (403, "WeirdDenied", f"Signed with {QUOTED_SECRET[8:40]}, refused", QUOTED_SECRET[8:40]),
        (400, "WeirdDenied", f"token {QUOTED_TOKEN[:30]} refused", QUOTED_TOKEN[:30]),
        (403, "WeirdDenied", "The AWS Access Key Id AKIAIOSFODNN7EXAMPLE is not allowed", "AKIAIOSFODNN7EXAMPLE"),
        (503, f"Busy{QUOTED_KEY_ID[:12]}", "later", QUOTED_KEY_ID[:12]),
    ],
    ids=["key-id", "secret-fragment", "token-prefix", "someones-key-id", "key-id-in-the-code"],
)
def test_a_server_quoting_the_credentials_never_gets_them_shown(
    moto_server: str, status: int, code: str, message: str, quoted: str
) -> None:
    # Given an S3-compatible endpoint that refuses every PUT with an error quoting the client's credentials (or
    # someone's access key id) in its Message, or its Code
    with FaultProxy("127.0.0.1", int(moto_server.rsplit(":", 1)[1])) as proxy:
        proxy.schedule([s3_error(status, code, message)], method="PUT", forever=True)
        sender = boto3.client(
            "s3",
            endpoint_url=proxy.endpoint,
            region_name="auto",
            aws_access_key_id=QUOTED_KEY_ID,
            aws_secret_access_key=QUOTED_SECRET,
            aws_session_token=QUOTED_TOKEN,
            config=R2_S3.merge(Config(retries={"mode": "standard", "total_max_attempts": 1})),
        )
        # When a file is delivered there
        with pytest.raises((PermanentDeliveryError, RetryableDeliveryError)) as raised:
            S3Destination(sender, "bucket").deliver(staged(b"x"), "k.png", DeliveryOptions("image/png"))
    # Then the reason keeps the storage's words, and none of what it quoted
    reason = raised.value.reason
    assert reason.startswith(("WeirdDenied: ", "Busy")) and "…" in reason, reason
    assert quoted.lower() not in reason.lower()
    assert raised.value.retryable == (status == 503)


@pytest.mark.parametrize("size", [10, 7 * MiB, 40 * MiB])
@pytest.mark.parametrize("damage", ["short", "corrupt", "long"])
def test_a_bad_staged_stream_leaves_no_object(bucket: tuple[Any, str], size: int, damage: str) -> None:
    # Given a staged stream that ends early, has a flipped byte or runs long (buffered, streamed and multipart sizes)
    s3, name = bucket
    good = os.urandom(size)
    bad = {"short": good[: size // 2], "corrupt": good[:-1] + bytes([good[-1] ^ 1]), "long": good + b"x"}[damage]
    source = StagedFile("k", size, staged(good).checksum, "image/png", lambda: io.BytesIO(bad))
    # When it is delivered
    with pytest.raises(RetryableDeliveryError, match="staging"):
        S3Destination(s3, name).deliver(source, "k.png", DeliveryOptions("image/png"))
    # Then nothing is left at the key, and no multipart upload dangles
    assert s3.list_objects_v2(Bucket=name).get("KeyCount", 0) == 0
    assert not s3.list_multipart_uploads(Bucket=name).get("Uploads")


@pytest.mark.parametrize("size", [3, 7 * MiB, 20 * MiB])
def test_if_exists_skip_and_fail_leave_the_existing_object(bucket: tuple[Any, str], size: int) -> None:
    # Given an object already at the key
    s3, name = bucket
    s3.put_object(Bucket=name, Key="taken.png", Body=b"original")
    destination = S3Destination(s3, name)
    body = os.urandom(size)
    # When skip is asked: nothing is written and the receipt says so
    receipt = destination.deliver(staged(body), "taken.png", DeliveryOptions("image/png", if_exists="skip"))
    assert receipt.already_existed
    # When fail is asked: an AlreadyExistsError, nothing written
    with pytest.raises(AlreadyExistsError):
        destination.deliver(staged(body), "taken.png", DeliveryOptions("image/png", if_exists="fail"))
    assert s3.get_object(Bucket=name, Key="taken.png")["Body"].read() == b"original"
    # And a free name is written normally under skip
    assert not destination.deliver(
        staged(body), "free.png", DeliveryOptions("image/png", if_exists="skip")
    ).already_existed
    assert s3.get_object(Bucket=name, Key="free.png")["Body"].read() == body


@pytest.mark.parametrize("if_exists", ["skip", "fail"])
@pytest.mark.parametrize("size", [3, 7 * MiB, 20 * MiB])
def test_a_retry_after_a_lost_answer_recognises_its_own_write(
    bucket: tuple[Any, str], size: int, if_exists: Any
) -> None:
    # Given a delivery with skip/fail whose write landed but whose answer was lost (a timeout after S3 stored it)
    s3, name = bucket
    body = os.urandom(size)
    destination = S3Destination(s3, name)
    mine = DeliveryOptions("image/png", if_exists=if_exists, write_token="render-1/file-1/000")
    destination.deliver(staged(body), "mine.png", mine)
    # When the same delivery (same write token) is tried again
    receipt = destination.deliver(staged(body), "mine.png", mine)
    # Then it is a success, not "already exists": the object there is this delivery's own write
    assert not receipt.already_existed and receipt.size == size and receipt.checksum == staged(body).checksum
    # But for another delivery (another token, or none) the name is taken, even by the very same bytes
    for token in ("render-2/file-1/000", None):
        other = DeliveryOptions("image/png", if_exists=if_exists, write_token=token)
        if if_exists == "fail":
            with pytest.raises(AlreadyExistsError):
                destination.deliver(staged(body), "mine.png", other)
        else:
            assert destination.deliver(staged(body), "mine.png", other).already_existed
    assert s3.get_object(Bucket=name, Key="mine.png")["Body"].read() == body


@pytest.mark.parametrize("size", [3, 7 * MiB, 20 * MiB])
def test_conditional_write_loses_a_race_cleanly(bucket: tuple[Any, str], size: int) -> None:
    # Given a key taken after our existence check but before our write completes
    s3, name = bucket
    destination = S3Destination(s3, name)
    destination._head = lambda key: None  # type: ignore[method-assign]
    s3.put_object(Bucket=name, Key="raced.png", Body=b"winner")
    # When the conditional write lands
    receipt = destination.deliver(staged(os.urandom(size)), "raced.png", DeliveryOptions("image/png", if_exists="skip"))
    # Then S3's If-None-Match refused it: the winner stays and no upload dangles
    assert receipt.already_existed
    assert s3.get_object(Bucket=name, Key="raced.png")["Body"].read() == b"winner"
    assert not s3.list_multipart_uploads(Bucket=name).get("Uploads")


def test_tags_storage_class_and_encryption(bucket: tuple[Any, str]) -> None:
    s3, name = bucket
    options = DeliveryOptions(
        "image/png", tags={"team": "growth", "a b": "c=d+e"}, storage_class="STANDARD_IA", sse="AES256"
    )
    S3Destination(s3, name).deliver(staged(b"x"), "t.png", options)
    head = s3.head_object(Bucket=name, Key="t.png")
    assert head["StorageClass"] == "STANDARD_IA" and head["ServerSideEncryption"] == "AES256"
    tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=name, Key="t.png")["TagSet"]}
    assert tags == {"team": "growth", "a b": "c=d+e"}


def test_r2_flavour_sends_no_acl_tags_or_kms(bucket: tuple[Any, str]) -> None:
    s3, name = bucket
    options = DeliveryOptions("image/png", make_public=True, tags={"t": "v"}, sse="aws:kms", storage_class="GLACIER")
    receipt = S3Destination(s3, name, flavour=S3Flavour("r2")).deliver(staged(b"x"), "r.png", options)
    assert receipt.location == f"r2://{name}/r.png"
    head = s3.head_object(Bucket=name, Key="r.png")
    assert "ServerSideEncryption" not in head and head.get("StorageClass", "STANDARD") == "STANDARD"
    assert s3.get_object_tagging(Bucket=name, Key="r.png")["TagSet"] == []


def test_probe_writes_reads_and_deletes(bucket: tuple[Any, str], moto_server: str) -> None:
    s3, name = bucket
    S3Destination(s3, name, probe_prefix="renders/").probe()
    assert s3.list_objects_v2(Bucket=name).get("KeyCount", 0) == 0
    with pytest.raises(PermanentDeliveryError, match=r"^NoSuchBucket"):
        S3Destination(aws_client(moto_server, "s3"), "missing-bucket-probe").probe()


@pytest.mark.parametrize("size", [3, 7 * MiB, 20 * MiB])
def test_server_side_copy_moves_no_bytes_through_us(bucket: tuple[Any, str], size: int) -> None:
    # Given a staged object our client may read (the "policy" case: our own role reads staging and writes there)
    s3, name = bucket
    s3.create_bucket(Bucket=f"{name}-staging")
    body = os.urandom(size)
    s3.put_object(Bucket=f"{name}-staging", Key="staging/ws/r/f/a.png", Body=body)

    def never() -> Any:
        raise AssertionError("the stream was opened: the copy was not server-side")

    source = StagedFile(
        "staging/ws/r/f/a.png", size, staged(body).checksum, "image/png", never, bucket=f"{name}-staging"
    )
    # When it is delivered by a destination allowed to copy server-side
    receipt = S3Destination(s3, name, server_side_copy=True).deliver(
        source, "copied/a.png", DeliveryOptions("image/png", cache_control="max-age=5", metadata={"k": "v"})
    )
    # Then the object is there with our options, without the bytes passing through this process
    assert s3.get_object(Bucket=name, Key="copied/a.png")["Body"].read() == body
    head = s3.head_object(Bucket=name, Key="copied/a.png")
    assert head["ContentType"] == "image/png" and head["CacheControl"] == "max-age=5" and head["Metadata"] == {"k": "v"}
    assert receipt.size == size and receipt.checksum == source.checksum


def test_a_copy_whose_checksum_differs_is_not_a_success(bucket: tuple[Any, str]) -> None:
    s3, name = bucket
    s3.create_bucket(Bucket=f"{name}-staging")
    s3.put_object(Bucket=f"{name}-staging", Key="k", Body=b"what staging really holds")
    source = StagedFile(
        "k", 25, staged(b"what was rendered, not that").checksum, "image/png", io.BytesIO, bucket=f"{name}-staging"
    )
    with pytest.raises(RetryableDeliveryError, match="checksum"):
        S3Destination(s3, name, server_side_copy=True).deliver(source, "x.png", DeliveryOptions("image/png"))


def test_an_upload_left_open_by_a_killed_worker_is_aborted_once_delivered(bucket: tuple[Any, str]) -> None:
    # Given the multipart upload of an earlier try at the same key, left open with a part by a worker that was killed
    # mid-upload (it could not abort it), and an open upload of another key
    s3, name = bucket
    orphan = s3.create_multipart_upload(Bucket=name, Key="renders/big.bin")["UploadId"]
    s3.upload_part(Bucket=name, Key="renders/big.bin", UploadId=orphan, PartNumber=1, Body=b"x" * (5 * MiB))
    other = s3.create_multipart_upload(Bucket=name, Key="renders/big.bin.other")["UploadId"]
    body = os.urandom(2 * PART + 1)
    # When the delivery is tried again and completes
    S3Destination(s3, name).deliver(staged(body), "renders/big.bin", DeliveryOptions("image/png"))
    # Then the object is whole, the orphaned upload is gone, and nobody else's upload was touched
    assert s3.get_object(Bucket=name, Key="renders/big.bin")["Body"].read() == body
    uploads = s3.list_multipart_uploads(Bucket=name).get("Uploads", [])
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("renders/big.bin.other", other)]


def test_cleaning_up_earlier_uploads_is_best_effort(bucket: tuple[Any, str]) -> None:
    # Given a bucket policy that does not let us list multipart uploads
    s3, name = bucket

    class NoListing:
        def __getattr__(self, attribute: str) -> Any:
            return getattr(s3, attribute)

        def list_multipart_uploads(self, **_: Any) -> Any:
            raise s3.exceptions.ClientError(
                {"Error": {"Code": "AccessDenied", "Message": "denied"}}, "ListMultipartUploads"
            )

    body = os.urandom(MULTIPART_ABOVE + 1)
    # When a multipart delivery completes, Then it succeeds all the same
    receipt = S3Destination(NoListing(), name).deliver(staged(body), "k.bin", DeliveryOptions("image/png"))
    assert receipt.size == len(body) and s3.get_object(Bucket=name, Key="k.bin")["Body"].read() == body


def test_memory_stays_at_concurrency_plus_one_part_buffers(bucket: tuple[Any, str]) -> None:
    # Given a file of many parts
    s3, name = bucket
    buffers: set[int] = set()

    class Recording:
        def __getattr__(self, attribute: str) -> Any:
            return getattr(s3, attribute)

        def upload_part(self, **kwargs: Any) -> Any:
            buffers.add(id(kwargs["Body"]))
            return s3.upload_part(**kwargs)

    body = os.urandom(12 * 5 * MiB + 3)
    # When it is delivered with 5 MiB parts, 2 in flight
    S3Destination(Recording(), name, part_size=5 * MiB, concurrency=2).deliver(
        staged(body), "many.bin", DeliveryOptions("image/png")
    )
    # Then the 13 parts went out in at most 3 buffers, reused part after part (memory does not grow with the size)
    assert 1 < len(buffers) <= 3
    assert s3.get_object(Bucket=name, Key="many.bin")["Body"].read() == body


def test_a_streamed_put_reads_staging_once_and_a_signing_client_twice(
    bucket: tuple[Any, str], moto_server: str
) -> None:
    s3, name = bucket
    body = os.urandom(7 * MiB)
    # Given an unsigned-payload client (R2's), When a 7 MiB file is delivered, Then staging was read once
    source, opened = counted(body)
    S3Destination(s3, name).deliver(source, "once.bin", DeliveryOptions("image/png"))
    assert len(opened) == 1 and s3.get_object(Bucket=name, Key="once.bin")["Body"].read() == body
    # Given a client that signs payloads (another S3-compatible store), Then the SDK read it ahead to sign it, rewound
    # it (a second open), and sent it whole
    source, opened = counted(body)
    S3Destination(client(moto_server, COMPATIBLE_S3), name).deliver(source, "twice.bin", DeliveryOptions("image/png"))
    assert len(opened) == 2 and s3.get_object(Bucket=name, Key="twice.bin")["Body"].read() == body


@pytest.mark.parametrize("tls", [False, True], ids=["r2-config-http", "aws-config-https"])
def test_a_streamed_put_retried_by_the_sdk_reads_staging_again(moto_server: str, tmp_path: Path, tls: bool) -> None:
    # Given a bucket behind a proxy that answers the first PUT with a 500 after taking its whole body, and an SDK
    # client that retries on its own: R2's configuration over http, or AWS's over https (CRC32 trailer, aws-chunked)
    s3 = client(moto_server)
    name = f"customer-{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=name)
    body = os.urandom(7 * MiB)
    source, opened = counted(body)
    ca, cert, key = pki(tmp_path)("localhost")
    server_tls = tls_server_context(cert, key) if tls else None
    retries = Config(retries={"mode": "standard", "total_max_attempts": 3})
    with FaultProxy("127.0.0.1", int(moto_server.rsplit(":", 1)[1]), tls=server_tls) as proxy:
        rule = proxy.schedule([s3_error(500, "InternalError", "try again")], method="PUT", path=f"/{name}/big.bin$")
        if tls:
            endpoint = proxy.endpoint.replace("127.0.0.1", "localhost")
            sender = client(endpoint, CUSTOMER_S3.merge(retries), verify=str(ca))
        else:
            sender = client(proxy.endpoint, R2_S3.merge(retries))
        # When the file is delivered in one streamed PUT
        receipt = S3Destination(sender, name).deliver(source, "big.bin", DeliveryOptions("image/png"))
        [first, _] = [r for r in proxy.seen if r.method == "PUT" and r.path.endswith("/big.bin")]
    # Then the SDK's retry rewound the body by opening the staged file again, and the object is whole
    assert rule.used == 1 and len(opened) == 2
    assert receipt.size == len(body) and s3.get_object(Bucket=name, Key="big.bin")["Body"].read() == body
    if tls:  # the AWS path streams with a CRC32 trailer, unsigned
        assert first.headers.get("x-amz-content-sha256") == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    else:
        assert first.headers.get("x-amz-content-sha256") == "UNSIGNED-PAYLOAD"


@pytest.mark.parametrize("damage", ["corrupt", "long"])
def test_a_bad_stream_mid_send_is_not_retried_by_the_sdk_and_says_why(moto_server: str, damage: str) -> None:
    # Given a 7 MiB staged file (a multiple of the HTTP stack's 16 KiB blocks) whose stream is corrupt or runs long,
    # and an SDK client that would retry a failed send
    s3 = client(moto_server)
    name = f"customer-{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=name)
    good = os.urandom(7 * MiB)
    bad = {"corrupt": good[:-1] + bytes([good[-1] ^ 1]), "long": good + b"x"}[damage]
    opened: list[int] = []

    def opener() -> io.BytesIO:
        opened.append(1)
        return io.BytesIO(bad)

    source = StagedFile("k", len(good), staged(good).checksum, "image/png", opener)
    sender = client(moto_server, R2_S3.merge(Config(retries={"mode": "standard", "total_max_attempts": 3})))
    # When it is delivered, Then the staging failure is reported as such, staging was read once, nothing is stored
    with pytest.raises(RetryableDeliveryError, match="staging"):
        S3Destination(sender, name).deliver(source, "k.bin", DeliveryOptions("image/png"))
    assert len(opened) == 1
    assert s3.list_objects_v2(Bucket=name).get("KeyCount", 0) == 0


def test_a_streamed_body_rewinds_only_to_its_start() -> None:
    body = os.urandom(3 * MiB + 5)
    source, opened = counted(body)
    with StreamedBody(source) as streamed:
        assert len(streamed) == len(body) and streamed.seek(0) == 0 and len(opened) == 1  # nothing read: no reopen
        assert streamed.read(MiB) == body[:MiB] and streamed.tell() == MiB
        assert streamed.seek(0) == 0 and len(opened) == 2 and streamed.tell() == 0
        assert streamed.read() == body and streamed.reader.checksum == staged(body).checksum
        for offset, whence in ((1, io.SEEK_SET), (0, io.SEEK_END), (0, io.SEEK_CUR)):
            with pytest.raises(io.UnsupportedOperation):
                streamed.seek(offset, whence)


@pytest.mark.parametrize(("provider", "parts"), [("r2", 1), ("s3", 2)])
def test_the_factory_streams_one_put_where_uploads_go_unsigned(moto_server: str, provider: str, parts: int) -> None:
    # Given a storage with an endpoint: R2 (unsigned payloads) or another S3-compatible store (signed payloads)
    s3 = client(moto_server)
    name = f"customer-{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=name)
    target = DeliveryTarget(provider=provider, bucket=name, endpoint=moto_server, auth_type="keys")
    keys = {"access_key_id": "testing", "secret_access_key": "testing"}
    destination = DestinationFactory(credentials=None, allow_local_urls=True).build(target, secret=keys)  # type: ignore[arg-type]
    body = os.urandom(7 * MiB)
    source, opened = counted(body)
    # When a 7 MiB file is delivered
    receipt = destination.deliver(source, "seven.bin", DeliveryOptions("image/png"))
    # Then R2 got one PUT streamed from staging (read once); the signing store two parts (staging read once too)
    assert len(opened) == 1 and s3.get_object(Bucket=name, Key="seven.bin")["Body"].read() == body
    assert receipt.etag is not None and receipt.etag.endswith("-2") == (parts == 2)
