"""The Azure Blob destination against Azurite, a real blob service that checks Shared Key and SAS signatures: its two
ways of writing (one Put Blob up to a block, staged blocks and one commit above), blob options, if_exists with write
tokens, the three forms of credentials, the probe, and the mapping of failures without ever quoting a secret.

``azure_harness(server)`` gives what the shared contract suite needs: Harness("azure-azurite", *azure_harness(s)).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import unquote

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.blob import ContainerClient

from courier.destinations.azure import OWN_MARK, AzureBlobDestination
from courier.destinations.azure_client import build_azure_client
from courier.destinations.azure_errors import client_secrets
from courier.destinations.base import (
    AlreadyExistsError,
    DeliveryOptions,
    Destination,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from tests.builders import staged
from tests.conftest import free_port
from tests.fakes.azurite import Azurite
from tests.fakes.fault_proxy import Fault, FaultProxy, lose
from tests.integration.test_destination_contract import HOSTILE

MiB = 1024 * 1024
BLOCK = 4 * MiB  # the adapter's default block size, and its largest single Put Blob
PNG = DeliveryOptions("image/png")


@pytest.fixture
def container(azure_server: Azurite) -> ContainerClient:
    return azure_server.create_container(f"customer-{os.urandom(4).hex()}")


def client(server: Azurite, container: str, **auth: Any) -> ContainerClient:
    """A client as the registry builds it: the account key unless ``auth`` says otherwise, short timeouts."""
    settings: dict[str, Any] = {
        "account_name": server.account_name,
        "account_key": server.account_key,
        "sas_token": None,
        "connection_string": None,
        "endpoint": server.endpoint,
        "container": container,
        "connect_timeout": 2,
        "read_timeout": 10,
        "sdk_attempts": 2,
    }
    settings.update(auth)
    return build_azure_client(**settings)


def destination(server: Azurite, container: str, *, tuning: dict[str, Any] | None = None, **auth: Any) -> Any:
    return AzureBlobDestination(client(server, container, **auth), **(tuning or {}))


def read(container: ContainerClient, key: str) -> bytes | None:
    try:
        return bytes(container.download_blob(key).readall())
    except ResourceNotFoundError:
        return None


def azure_harness(
    server: Azurite, *, block_size: int = BLOCK
) -> tuple[int, Callable[[str], tuple[Destination, str]], Callable[[str], bytes | None]]:
    """(chunk, destination for a key, reader) over a new container: what the contract suite's Harness takes."""
    name = f"contract-{os.urandom(4).hex()}"
    blobs = server.create_container(name)
    adapter = destination(server, name, tuning={"block_size": block_size, "single_put_max": block_size})
    return block_size, lambda key: (adapter, key), lambda key: read(blobs, key)


def assert_no_secret(reason: str, *secrets: str) -> None:
    """No 8 characters in a row of any secret (as given or percent-decoded), in any case."""
    for secret in {spelling for s in secrets for spelling in (s, unquote(s))}:
        for i in range(len(secret) - 7):
            assert secret[i : i + 8].lower() not in reason.lower(), reason


# ------------------------------------------------------------ the contract's cases


@pytest.mark.parametrize("size", ["zero", "one", "block-1", "block", "2block+1"])
def test_every_size_reads_back_equal(azure_server: Azurite, size: str) -> None:
    # Given a file of a boundary size for the adapter's 4 MiB blocks
    chunk, deliver_to, read_back = azure_harness(azure_server)
    n = {"zero": 0, "one": 1, "block-1": chunk - 1, "block": chunk, "2block+1": 2 * chunk + 1}[size]
    body = os.urandom(n)
    adapter, key = deliver_to(f"sizes/{size}.png")
    # When it is delivered
    receipt = adapter.deliver(staged(body), key, PNG)
    # Then the container holds exactly those bytes, and the receipt says so
    assert read_back(key) == body
    assert receipt.size == n and receipt.checksum == staged(body).checksum and not receipt.already_existed
    assert receipt.location.startswith("azure://contract-") and receipt.location.endswith(f"/sizes/{size}.png")


@pytest.mark.parametrize("size", [1, MiB, MiB + 1, 7 * MiB + 3])
def test_small_blocks_commit_in_order_with_the_files_md5(
    azure_server: Azurite, container: ContainerClient, size: int
) -> None:
    # Given 1 MiB blocks, two in flight
    tuning = {"block_size": MiB, "concurrency": 2, "single_put_max": MiB}
    body = os.urandom(size)
    # When a file of one or of many blocks is delivered
    receipt = destination(azure_server, container.container_name, tuning=tuning).deliver(staged(body), "b.bin", PNG)
    # Then it is whole, in order, with the file's MD5, in one Put Blob or as many blocks as it takes
    blob = container.get_blob_client("b.bin")
    properties = blob.get_blob_properties()
    assert read(container, "b.bin") == body
    assert bytes(properties.content_settings.content_md5 or b"") == hashlib.md5(body).digest()  # noqa: S324
    assert receipt.etag == properties.etag.strip('"')
    committed, _ = blob.get_block_list("committed")
    assert [b.size for b in committed] == ([] if size <= MiB else [MiB] * (size // MiB) + [size % MiB])


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(azure_server: Azurite, name: str) -> None:
    _, deliver_to, read_back = azure_harness(azure_server)
    body = f"file named {name}".encode()
    adapter, key = deliver_to(f"hostile/{name}")
    receipt = adapter.deliver(staged(body), key, PNG)
    assert read_back(key) == body and receipt.location.endswith(f"/hostile/{name}")


def test_the_same_put_twice_gives_the_same_result(azure_server: Azurite, container: ContainerClient) -> None:
    adapter = destination(azure_server, container.container_name)
    body = os.urandom(1000)
    first = adapter.deliver(staged(body), "twice/same.png", PNG)
    second = adapter.deliver(staged(body), "twice/same.png", PNG)
    assert read(container, "twice/same.png") == body
    assert (first.size, first.checksum, first.location) == (second.size, second.checksum, second.location)
    assert list(container.list_blob_names()) == ["twice/same.png"]


class Breaking(io.BytesIO):
    """A staged stream that breaks once past its middle."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self._half = len(body) // 2

    def read(self, n: int | None = -1) -> bytes:
        if self.tell() > self._half:
            raise ConnectionResetError("staging read failed")
        return super().read(n)


@pytest.mark.parametrize("damage", ["short", "corrupt", "long", "raises"])
@pytest.mark.parametrize("size", ["small", "blocks"])
def test_a_source_failing_halfway_leaves_no_blob(
    azure_server: Azurite, container: ContainerClient, damage: str, size: str
) -> None:
    # Given a staged stream that ends early, is corrupt at the end, runs long or breaks while being read
    body = os.urandom(10 if size == "small" else 2 * MiB + 1)
    openers: dict[str, Callable[[], BinaryIO]] = {
        "short": lambda: io.BytesIO(body[: len(body) // 2]),
        "corrupt": lambda: io.BytesIO(body[:-1] + bytes([body[-1] ^ 0xFF])),
        "long": lambda: io.BytesIO(body + b"x"),
        "raises": lambda: Breaking(body),
    }
    tuning = {"block_size": MiB, "single_put_max": MiB}
    # When it is delivered
    with pytest.raises(RetryableDeliveryError) as raised:
        destination(azure_server, container.container_name, tuning=tuning).deliver(
            staged(body, openers[damage]), "broken.png", PNG
        )
    # Then nothing is at the name (staged blocks, if any, stay uncommitted: invisible)
    assert ("staging" in raised.value.reason) == (damage != "raises")
    assert read(container, "broken.png") is None and not list(container.list_blob_names())


def test_a_failed_overwrite_leaves_the_earlier_blob(azure_server: Azurite, container: ContainerClient) -> None:
    container.upload_blob("kept.png", b"earlier delivery")
    body = os.urandom(3 * MiB)
    source = staged(body, lambda: io.BytesIO(body[: 2 * MiB]))
    with pytest.raises(RetryableDeliveryError):
        destination(azure_server, container.container_name, tuning={"block_size": MiB}).deliver(source, "kept.png", PNG)
    assert read(container, "kept.png") == b"earlier delivery"


# ------------------------------------------------------------ blob options and if_exists


@pytest.mark.parametrize("size", [3, BLOCK + 1])
def test_blob_options_are_applied(azure_server: Azurite, container: ContainerClient, size: int) -> None:
    options = DeliveryOptions(
        content_type="image/png",
        content_disposition="attachment; filename*=UTF-8''caf%C3%A9.png",
        cache_control="max-age=60",
        metadata={"campaign": "spring", "Run_2": "a b/c=d"},
    )
    destination(azure_server, container.container_name).deliver(staged(os.urandom(size)), "k/é ü.png", options)
    properties = container.get_blob_client("k/é ü.png").get_blob_properties()
    settings = properties.content_settings
    assert settings.content_type == "image/png" and settings.cache_control == "max-age=60"
    assert settings.content_disposition == options.content_disposition
    assert properties.metadata == {"campaign": "spring", "Run_2": "a b/c=d"}
    assert OWN_MARK not in properties.metadata  # marks only skip/fail writes with a token


@pytest.mark.parametrize(
    ("metadata", "why"),
    [
        ({"campaign-id": "x"}, "letters, digits and _"),
        ({"2nd": "x"}, "letters, digits and _"),
        ({"Key": "a", "key": "b"}, "twice"),
        ({"k": "café"}, "ASCII"),
    ],
)
def test_metadata_azure_cannot_hold_is_refused_before_anything_is_sent(
    azure_server: Azurite, container: ContainerClient, metadata: dict[str, str], why: str
) -> None:
    with pytest.raises(PermanentDeliveryError, match=why):
        destination(azure_server, container.container_name).deliver(
            staged(b"x"), "m.png", DeliveryOptions("image/png", metadata=metadata)
        )
    assert not list(container.list_blob_names())


@pytest.mark.parametrize("size", [3, BLOCK + 1])
def test_if_exists_skip_fail_and_overwrite(azure_server: Azurite, container: ContainerClient, size: int) -> None:
    # Given a blob already at the key
    container.upload_blob("taken.png", b"original")
    adapter = destination(azure_server, container.container_name)
    body = os.urandom(size)
    # When skip is asked: nothing is written and the receipt says so
    receipt = adapter.deliver(staged(body), "taken.png", DeliveryOptions("image/png", if_exists="skip"))
    assert receipt.already_existed and receipt.location.endswith("/taken.png")
    # When fail is asked: an AlreadyExistsError, nothing written
    with pytest.raises(AlreadyExistsError, match="already exists"):
        adapter.deliver(staged(body), "taken.png", DeliveryOptions("image/png", if_exists="fail"))
    assert read(container, "taken.png") == b"original"
    # And a free name is written normally under skip; overwrite replaces
    assert not adapter.deliver(staged(body), "free.png", DeliveryOptions("image/png", if_exists="skip")).already_existed
    assert read(container, "free.png") == body
    adapter.deliver(staged(body), "taken.png", DeliveryOptions("image/png", if_exists="overwrite"))
    assert read(container, "taken.png") == body


@pytest.mark.parametrize("if_exists", ["skip", "fail"])
@pytest.mark.parametrize("size", [3, BLOCK + 1])
def test_a_retry_recognises_its_own_write(
    azure_server: Azurite, container: ContainerClient, size: int, if_exists: Any
) -> None:
    # Given a delivery with skip/fail whose blob landed (its answer may have been lost)
    body = os.urandom(size)
    adapter = destination(azure_server, container.container_name)
    mine = DeliveryOptions("image/png", if_exists=if_exists, write_token="render-1/file-1/000", metadata={"m": "v"})
    adapter.deliver(staged(body), "mine.png", mine)
    assert container.get_blob_client("mine.png").get_blob_properties().metadata == {
        "m": "v",
        OWN_MARK: "render-1/file-1/000",
    }
    # When the same delivery (same write token) is tried again
    receipt = adapter.deliver(staged(body), "mine.png", mine)
    # Then it is a success, not "already exists": the blob there is this delivery's own write
    assert not receipt.already_existed and receipt.size == size and receipt.checksum == staged(body).checksum
    assert receipt.etag
    # But for another delivery (another token, or none) the name is taken, even by the very same bytes
    for token in ("render-2/file-1/000", None):
        other = DeliveryOptions("image/png", if_exists=if_exists, write_token=token)
        if if_exists == "fail":
            with pytest.raises(AlreadyExistsError):
                adapter.deliver(staged(body), "mine.png", other)
        else:
            assert adapter.deliver(staged(body), "mine.png", other).already_existed
    assert read(container, "mine.png") == body


@pytest.mark.parametrize(("size", "request_path"), [(3, r"/mine\.png$"), (BLOCK + 1, r"/mine\.png\?comp=blocklist")])
def test_an_answer_lost_after_the_write_landed_is_a_success(
    azure_server: Azurite, container: ContainerClient, size: int, request_path: str
) -> None:
    # Given a proxy that drops the answer to the write that creates the blob (Put Blob, or Put Block List)
    body = os.urandom(size)
    port = int(azure_server.endpoint.split(":")[2].split("/")[0])
    with FaultProxy("127.0.0.1", port) as proxy:
        rule = proxy.schedule([lose()], method="PUT", path=request_path)
        endpoint = f"{proxy.endpoint}/{azure_server.account_name}"
        adapter = destination(azure_server, container.container_name, endpoint=endpoint, read_timeout=1)
        options = DeliveryOptions("image/png", if_exists="fail", write_token="render-9/file-1/000")
        # When the delivery is made: the SDK times out, tries again, and finds the name taken
        receipt = adapter.deliver(staged(body), "mine.png", options)
        assert rule.used == 1
    # Then it recognised its own write: a success, not "already exists"
    assert not receipt.already_existed and receipt.size == size
    assert read(container, "mine.png") == body


@pytest.mark.parametrize("size", [3, BLOCK + 1])
@pytest.mark.parametrize("if_exists", ["skip", "fail"])
def test_a_conditional_write_loses_a_race_cleanly(
    azure_server: Azurite, container: ContainerClient, size: int, if_exists: Any
) -> None:
    # Given a name that is free when checked but taken before our write lands (while staging is opened)
    body = os.urandom(size)

    def opener() -> BinaryIO:
        container.upload_blob("raced.png", b"winner")
        return io.BytesIO(body)

    adapter = destination(azure_server, container.container_name)
    options = DeliveryOptions("image/png", if_exists=if_exists, write_token="render-1/file-1/000")
    # When the conditional write lands, Then If-None-Match refused it and the winner stays
    if if_exists == "fail":
        with pytest.raises(AlreadyExistsError):
            adapter.deliver(staged(body, opener), "raced.png", options)
    else:
        assert adapter.deliver(staged(body, opener), "raced.png", options).already_existed
    assert read(container, "raced.png") == b"winner"


# ------------------------------------------------------------ credentials, the probe, refusals


def test_a_sas_token_delivers_and_probes(azure_server: Azurite, container: ContainerClient) -> None:
    sas = azure_server.sas_token(container.container_name, "racwdl")
    adapter = destination(azure_server, container.container_name, account_key=None, sas_token=f"?{sas}")
    adapter.probe()
    adapter.deliver(staged(b"via sas"), "sas.png", DeliveryOptions("image/png", if_exists="fail"))
    assert read(container, "sas.png") == b"via sas" and list(container.list_blob_names()) == ["sas.png"]


def test_a_sas_token_without_write_permission_is_refused(azure_server: Azurite, container: ContainerClient) -> None:
    # Given a SAS that may read and list, not write
    blobs = client(
        azure_server,
        container.container_name,
        account_key=None,
        sas_token=azure_server.sas_token(container.container_name, "rl"),
    )
    adapter = AzureBlobDestination(blobs)
    # When the storage is checked and a file delivered, Then both fail for good, naming the missing permission
    with pytest.raises(PermanentDeliveryError) as probe:
        adapter.probe()
    with pytest.raises(PermanentDeliveryError) as delivery:
        adapter.deliver(staged(b"x"), "k.png", PNG)
    for caught in (probe.value, delivery.value):
        assert caught.reason.startswith("AuthorizationPermissionMismatch: the credentials lack a permission")
        assert_no_secret(caught.reason, *client_secrets(blobs))
    assert not list(container.list_blob_names())


def test_a_sas_token_that_may_only_create_cannot_overwrite_or_pass_the_probe(
    azure_server: Azurite, container: ContainerClient
) -> None:
    # Given a SAS with read, add, create and list, but neither write nor delete
    container.upload_blob("existing.png", b"earlier")
    adapter = destination(
        azure_server,
        container.container_name,
        account_key=None,
        sas_token=azure_server.sas_token(container.container_name, "racl"),
    )
    # Then a new name can be written, an existing one not, and the probe (which deletes) fails for good
    adapter.deliver(staged(b"new"), "new.png", PNG)
    with pytest.raises(PermanentDeliveryError, match=r"^AuthorizationPermissionMismatch"):
        adapter.deliver(staged(b"x"), "existing.png", PNG)
    with pytest.raises(PermanentDeliveryError, match=r"^AuthorizationPermissionMismatch"):
        adapter.probe()
    assert read(container, "new.png") == b"new" and read(container, "existing.png") == b"earlier"


def test_a_tampered_sas_signature_is_refused(azure_server: Azurite, container: ContainerClient) -> None:
    sas = azure_server.sas_token(container.container_name).replace("sig=", "sig=AAAA")
    adapter = destination(azure_server, container.container_name, account_key=None, sas_token=sas)
    with pytest.raises(PermanentDeliveryError) as raised:
        adapter.deliver(staged(b"x"), "k.png", PNG)
    assert raised.value.reason.startswith(("AuthenticationFailed", "AuthorizationFailure")), raised.value.reason
    assert_no_secret(raised.value.reason, sas.split("sig=")[1])
    assert not list(container.list_blob_names())


def test_a_wrong_account_key_is_refused_without_quoting_it(azure_server: Azurite, container: ContainerClient) -> None:
    # Given a valid-looking key that is not the account's
    wrong = azure_server.account_key[:-8] + "AAAAAAA="
    adapter = destination(azure_server, container.container_name, account_key=wrong)
    # When the storage is checked and a file delivered, Then both fail for good, saying the credentials were refused
    # (Azure says AuthenticationFailed; Azurite says AuthorizationFailure), quoting no part of the key
    with pytest.raises(PermanentDeliveryError) as probe:
        adapter.probe()
    with pytest.raises(PermanentDeliveryError) as delivery:
        adapter.deliver(staged(b"x"), "k.png", DeliveryOptions("image/png", if_exists="skip"))
    for caught in (probe.value, delivery.value):
        assert caught.reason.startswith(("AuthenticationFailed", "AuthorizationFailure")), caught.reason
        assert "credentials" in caught.reason and "account key" in caught.reason
        assert_no_secret(caught.reason, wrong, azure_server.account_key)


def test_an_account_key_that_is_not_base64_is_refused(azure_server: Azurite, container: ContainerClient) -> None:
    adapter = destination(azure_server, container.container_name, account_key="not base64 at all!")
    with pytest.raises(PermanentDeliveryError, match="account key is not valid"):
        adapter.deliver(staged(b"x"), "k.png", PNG)


@pytest.mark.parametrize("if_exists", ["overwrite", "skip"])
@pytest.mark.parametrize("size", [3, BLOCK + 1])
def test_a_missing_container_is_permanent(azure_server: Azurite, if_exists: Any, size: int) -> None:
    adapter = destination(azure_server, "no-such-container")
    with pytest.raises(PermanentDeliveryError, match=r"^ContainerNotFound: the container does not exist"):
        adapter.deliver(staged(os.urandom(size)), "k.png", DeliveryOptions("image/png", if_exists=if_exists))


@pytest.mark.parametrize("form", ["key", "sas"])
def test_a_connection_string_delivers(azure_server: Azurite, container: ContainerClient, form: str) -> None:
    if form == "key":
        connection_string = azure_server.connection_string
    else:
        sas = azure_server.sas_token(container.container_name)
        connection_string = f"BlobEndpoint={azure_server.endpoint};SharedAccessSignature={sas}"
    blobs = client(
        azure_server,
        container.container_name,
        account_name=None,
        account_key=None,
        endpoint=None,
        connection_string=connection_string,
    )
    adapter = AzureBlobDestination(blobs)
    adapter.probe()
    adapter.deliver(staged(b"via connection string"), "cs.png", PNG)
    assert read(container, "cs.png") == b"via connection string"
    secret = azure_server.account_key if form == "key" else unquote(sas.split("sig=")[1])
    assert secret in client_secrets(blobs)


def test_the_probe_writes_reads_and_deletes(azure_server: Azurite, container: ContainerClient) -> None:
    destination(azure_server, container.container_name, tuning={"probe_prefix": "/renders/"}).probe()
    assert not list(container.list_blob_names())
    with pytest.raises(PermanentDeliveryError, match=r"^ContainerNotFound"):
        destination(azure_server, "missing-probe").probe()


@pytest.mark.parametrize(
    "settings",
    [
        {"account_key": "k", "sas_token": "sig=x"},
        {"account_key": None},
        {"account_name": "Not_Valid"},
        {"account_key": None, "sas_token": "sv=2024-01-01&sp=r"},
        {"account_name": None, "account_key": None, "endpoint": None, "connection_string": "AccountKey=s3cretvalue;;x"},
        {"connection_string": "BlobEndpoint=http://127.0.0.1:1/a;SharedAccessSignature=sig=x"},  # and a key
    ],
)
def test_settings_that_cannot_make_a_client_are_refused(azure_server: Azurite, settings: dict[str, Any]) -> None:
    with pytest.raises(PermanentDeliveryError) as raised:
        client(azure_server, "c", **settings)
    assert "s3cretvalue" not in raised.value.reason


# ------------------------------------------------------------ transport failures and what servers say


def test_an_unreachable_endpoint_is_retryable_and_quotes_no_sas(azure_server: Azurite) -> None:
    # Given a SAS client for an endpoint where nothing listens (transport errors quote the URL, SAS included)
    sas = azure_server.sas_token("c-unreachable")
    endpoint = f"http://127.0.0.1:{free_port()}/{azure_server.account_name}"
    adapter = destination(
        azure_server, "c-unreachable", account_key=None, sas_token=sas, endpoint=endpoint, sdk_attempts=1
    )
    for attempt in (lambda: adapter.deliver(staged(b"x"), "k.png", PNG), adapter.probe):
        with pytest.raises(RetryableDeliveryError) as raised:
            attempt()
        assert "could not be reached" in raised.value.reason
        assert_no_secret(raised.value.reason, sas.split("sig=")[1])


def azure_error(status: int, code: str, message: str, retry_after: int | None = None) -> Fault:
    body = f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    headers = [("Content-Type", "application/xml"), ("x-ms-error-code", code)]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    return Fault("answer", status=status, headers=tuple(headers), body=body.encode())


@pytest.mark.parametrize("auth", ["key", "sas"])
@pytest.mark.parametrize("status", [400, 503])
def test_a_server_quoting_the_credentials_never_gets_them_shown(
    azure_server: Azurite, container: ContainerClient, auth: str, status: int
) -> None:
    # Given a storage that refuses every PUT quoting the SAS signature or the account key, percent-encoded or not
    sas = azure_server.sas_token(container.container_name)
    signature = sas.split("sig=")[1]
    quoted = signature if auth == "sas" else azure_server.account_key
    code = "ServerBusy" if status == 503 else "WeirdRefusal"
    message = f"Refused {quoted[:20]} and {quoted[10:40]}; see {quoted}"
    port = int(azure_server.endpoint.split(":")[2].split("/")[0])
    with FaultProxy("127.0.0.1", port) as proxy:
        proxy.schedule([azure_error(status, code, message, retry_after=7)], method="PUT", forever=True)
        credentials: dict[str, Any] = {"account_key": None, "sas_token": sas} if auth == "sas" else {}
        endpoint = f"{proxy.endpoint}/{azure_server.account_name}"
        adapter = destination(azure_server, container.container_name, endpoint=endpoint, sdk_attempts=1, **credentials)
        # When a file is delivered there
        with pytest.raises(DestinationError) as raised:
            adapter.deliver(staged(b"x"), "k.png", PNG)
    # Then the reason keeps the storage's code (and words), none of what it quoted; 503 is worth another try, later
    reason = raised.value.reason
    assert reason.startswith(f"{code}: ") and raised.value.retryable == (status == 503), reason
    assert_no_secret(reason, quoted, unquote(signature))
    if status == 503:
        assert raised.value.retry_after == 7
    else:
        assert reason.startswith("WeirdRefusal: Refused") and "…" in reason
