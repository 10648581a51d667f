"""The destination contract (rclone's fstests lesson): every adapter, against a real or strict server, passes the
same cases — zero bytes, chunk boundaries, hostile names, re-read and compare after every put, no partial object
after a source fails halfway, the same put twice gives the same result."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pytest

from courier.destinations.base import DeliveryOptions, Destination, DestinationError
from courier.destinations.registry import DestinationFactory
from courier.records import DeliveryTarget
from tests.builders import staged
from tests.conftest import aws_client

MiB = 1024 * 1024
PNG = DeliveryOptions("image/png")
# rclone's kind of hostile names: spaces, URL metacharacters, quotes, accents, CJK, emoji, nested folders.
HOSTILE = [
    "sp ace.png",
    "q?uestion.png",
    "h#ash.png",
    "per%25cent%.png",
    "pl+us.png",
    "quo'te\".png",
    "accénts-ü.png",
    "中文名.png",
    "emoji-😀.png",
    "dir/sub dir/x.png",
]


@dataclass
class Harness:
    """One adapter under test: how to get a destination for a name, how to read back what it holds."""

    name: str
    chunk: int  # the adapter's part/chunk size in this harness
    destination: Callable[[str], tuple[Destination, str]]
    read: Callable[[str], bytes | None]


def s3_reader(client: Any, bucket: str) -> Callable[[str], bytes | None]:
    def read(key: str) -> bytes | None:
        try:
            return bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
        except client.exceptions.NoSuchKey:
            return None

    return read


def factory() -> DestinationFactory:
    return DestinationFactory(credentials=None, allow_local_urls=True)  # type: ignore[arg-type]


@pytest.fixture(
    params=[
        "s3-moto",
        "s3-seaweedfs",
        "r2-seaweedfs",
        "dropbox-fake",
        "presigned-moto",
        "azure-azurite",
        "gcs-emulator",
    ]
)
def harness(request: pytest.FixtureRequest, moto_server: str) -> Iterator[Harness]:
    bucket = f"contract-{os.urandom(4).hex()}"
    kind = request.param
    if kind == "s3-moto" or kind == "presigned-moto":
        client = aws_client(moto_server, "s3")
        client.create_bucket(Bucket=bucket)
        if kind == "s3-moto":
            target = DeliveryTarget(provider="s3", bucket=bucket, endpoint=moto_server, auth_type="keys")
            destination = factory().build(target, secret={"access_key_id": "testing", "secret_access_key": "testing"})
            destination._part_size = 5 * MiB  # type: ignore[attr-defined]  # S3's smallest part
            yield Harness(kind, 5 * MiB, lambda key: (destination, key), s3_reader(client, bucket))
        else:

            def presigned(key: str) -> tuple[Destination, str]:
                url = client.generate_presigned_url(
                    "put_object", Params={"Bucket": bucket, "Key": key, "ContentType": "image/png"}, ExpiresIn=600
                )
                from courier.destinations.presigned import PresignedUrlDestination

                return PresignedUrlDestination(url, {"Content-Type": "image/png"}, allow_local=True), key

            yield Harness(kind, 5 * MiB, presigned, s3_reader(client, bucket))
        return
    if kind in ("s3-seaweedfs", "r2-seaweedfs"):
        server = request.getfixturevalue("seaweed")
        client = server.client()
        client.create_bucket(Bucket=bucket)
        provider = "s3" if kind == "s3-seaweedfs" else "r2"
        target = DeliveryTarget(provider=provider, bucket=bucket, endpoint=server.endpoint, auth_type="keys")
        secret = {"access_key_id": server.access_key, "secret_access_key": server.secret_key}
        destination = factory().build(target, secret=secret)
        destination._part_size = 5 * MiB  # type: ignore[attr-defined]
        yield Harness(kind, 5 * MiB, lambda key: (destination, key), s3_reader(client, bucket))
        return
    if kind == "gcs-emulator":
        from tests.fakes.gcs_emulator import gcs_harness

        chunk = 256 * 1024
        gcs, read = gcs_harness(
            request.getfixturevalue("gcs_server"), request.getfixturevalue("gcs_tokens"), chunk=chunk
        )
        yield Harness(kind, chunk, lambda key: (gcs, key), read)
        return
    if kind == "azure-azurite":
        from tests.integration.test_azure_destination import azure_harness

        yield Harness(kind, *azure_harness(request.getfixturevalue("azure_server")))
        return
    fake = request.getfixturevalue("fake_dropbox")
    fake.reset()
    from courier.destinations.dropbox import DropboxDestination
    from courier.destinations.dropbox_client import build_dropbox_client

    client = build_dropbox_client(
        refresh_token=fake.refresh_token, app_key=fake.app_key, app_secret=fake.app_secret, ca_bundle=fake.ca_file
    )
    dropbox = DropboxDestination(client, single_upload_limit=4 * MiB, chunk_size=4 * MiB)
    yield Harness(kind, 4 * MiB, lambda key: (dropbox, f"/contract/{key}"), fake.read)


@pytest.mark.parametrize("size", ["zero", "one", "chunk-1", "chunk", "2chunk+1"])
def test_every_size_reads_back_equal(harness: Harness, size: str) -> None:
    # Given a file of a boundary size for this adapter
    n = {"zero": 0, "one": 1, "chunk-1": harness.chunk - 1, "chunk": harness.chunk, "2chunk+1": 2 * harness.chunk + 1}
    body = os.urandom(n[size])
    destination, key = harness.destination(f"sizes/{size}.png")
    # When it is delivered
    receipt = destination.deliver(staged(body), key, PNG)
    # Then the destination holds exactly those bytes, and the receipt says so
    assert harness.read(key) == body
    assert receipt.size == len(body) and receipt.checksum == staged(body).checksum
    assert not receipt.already_existed


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(harness: Harness, name: str) -> None:
    body = f"file named {name}".encode()
    destination, key = harness.destination(f"hostile/{name}")
    destination.deliver(staged(body), key, PNG)
    assert harness.read(key) == body


def test_the_same_put_twice_gives_the_same_result(harness: Harness) -> None:
    body = os.urandom(1000)
    destination, key = harness.destination("twice/same.png")
    first = destination.deliver(staged(body), key, PNG)
    destination, key = harness.destination("twice/same.png")
    second = destination.deliver(staged(body), key, PNG)
    assert harness.read(key) == body
    assert (first.size, first.checksum, first.location) == (second.size, second.checksum, second.location)


@pytest.mark.parametrize("damage", ["short", "corrupt", "raises"])
@pytest.mark.parametrize("size", ["small", "multipart"])
def test_a_source_failing_halfway_leaves_no_object(harness: Harness, damage: str, size: str) -> None:
    # Given a staged stream that ends early, is corrupt at the end, or breaks while being read
    body = os.urandom(10 if size == "small" else 2 * harness.chunk + 1)

    class Breaking(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            if self.tell() > len(body) // 2:
                raise ConnectionResetError("staging read failed")
            return super().read(n)

    openers: dict[str, Callable[[], BinaryIO]] = {
        "short": lambda: io.BytesIO(body[: len(body) // 2]),
        "corrupt": lambda: io.BytesIO(body[:-1] + bytes([body[-1] ^ 0xFF])),
        "raises": lambda: Breaking(body),
    }
    destination, key = harness.destination(f"broken/{damage}-{size}.png")
    # When it is delivered
    with pytest.raises((DestinationError, ConnectionResetError)):
        destination.deliver(staged(body, openers[damage]), key, PNG)
    # Then nothing is at the name
    assert harness.read(key) is None


@pytest.mark.parametrize("provider", ["s3", "r2"])
@pytest.mark.parametrize("wrong", ["secret", "key"])
def test_a_real_s3_server_refuses_wrong_credentials(seaweed: Any, provider: str, wrong: str) -> None:
    # Given SeaweedFS, which checks SigV4 signatures (moto accepts anything), and a wrong secret or key id
    seaweed.client().create_bucket(Bucket=f"creds-{provider}-{wrong}")
    secret = {"access_key_id": seaweed.access_key, "secret_access_key": seaweed.secret_key}
    secret["secret_access_key" if wrong == "secret" else "access_key_id"] = "WRONGWRONGWRONGWRONG"
    target = DeliveryTarget(
        provider=provider, bucket=f"creds-{provider}-{wrong}", endpoint=seaweed.endpoint, auth_type="keys"
    )
    destination = factory().build(target, secret=secret)
    # Then the probe and a delivery both fail for good, with the provider's reason
    with pytest.raises(DestinationError) as probe:
        destination.probe()
    with pytest.raises(DestinationError) as delivery:
        destination.deliver(staged(b"x"), "k.png", PNG)
    for caught in (probe.value, delivery.value):
        assert not caught.retryable
        assert caught.reason.startswith(("SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied"))
