"""The GCS destination against gcp-storage-emulator over real HTTP, signing in with a service-account key through a
local OAuth token endpoint (the real JWT-bearer path of google-auth): both in tests/fakes/gcs_emulator.py, where the
emulator is made to honour ifGenerationMatch and session cancels, and to record each request's bearer token.

Files up to a chunk go in one multipart request, larger ones in a resumable session (256 KiB chunks here)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import quote

import pytest
import requests
from google.api_core import exceptions as api

from courier.destinations.base import (
    AlreadyExistsError,
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from courier.destinations.gcs import OWN_MARK, GcsDestination
from courier.destinations.gcs_client import SCOPE, build_gcs_client
from courier.destinations.gcs_errors import map_error
from tests.builders import staged
from tests.conftest import free_port
from tests.fakes.gcs_emulator import GcsEmulator, TokenServer, gcs_harness
from tests.integration.test_destination_contract import HOSTILE

CHUNK = 256 * 1024
PNG = DeliveryOptions("image/png")
SIZES = {"zero": 0, "one": 1, "chunk-1": CHUNK - 1, "chunk": CHUNK, "2chunk+1": 2 * CHUNK + 1}


@pytest.fixture
def gcs(gcs_server: GcsEmulator) -> GcsEmulator:
    return gcs_server  # tests/conftest.py's, shared by the session


@pytest.fixture
def tokens(gcs_tokens: TokenServer) -> TokenServer:
    return gcs_tokens


@pytest.fixture
def key(tokens: TokenServer) -> dict[str, Any]:
    return tokens.new_key()


@pytest.fixture
def bucket(gcs: GcsEmulator) -> str:
    name = f"customer-{os.urandom(4).hex()}"
    gcs.create_bucket(name)
    return name


def client(gcs: GcsEmulator, key: dict[str, Any] | None, **options: Any) -> Any:
    settings: dict[str, Any] = {"endpoint": gcs.endpoint, "connect_timeout": 5, "read_timeout": 30, "allow_local": True}
    return build_gcs_client(credentials_info=key, **{**settings, **options})


@pytest.fixture
def destination(gcs: GcsEmulator, key: dict[str, Any], bucket: str) -> GcsDestination:
    return GcsDestination(client(gcs, key), bucket, chunk_size=CHUNK)


def uploads(gcs: GcsEmulator, bucket: str) -> list[dict[str, Any]]:
    return [r for r in gcs.requests() if r["path"] == f"/upload/storage/v1/b/{bucket}/o"]


def lose_the_race(destination: GcsDestination, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next lookup before a write finds nothing, as if another writer took the name right after it: only the
    write's ifGenerationMatch=0 can tell. Later lookups (after the refused write) see the bucket as it is."""
    lookup, looked = destination._existing, []

    def existing(key: str) -> Any:
        looked.append(key)
        return None if len(looked) == 1 else lookup(key)

    monkeypatch.setattr(destination, "_existing", existing)


# ------------------------------------------------------------ the contract: sizes, names, idempotence, no partials


@pytest.mark.parametrize("size", list(SIZES))
def test_every_size_reads_back_equal(gcs: GcsEmulator, bucket: str, destination: GcsDestination, size: str) -> None:
    # Given a staged file of a boundary size for 256 KiB chunks
    body = os.urandom(SIZES[size])
    # When it is delivered
    receipt = destination.deliver(staged(body), "renders/x/a.png", PNG)
    # Then the bucket holds exactly those bytes, and the receipt names the object's generation
    assert gcs.read(bucket, "renders/x/a.png") == body
    stored = gcs.object(bucket, "renders/x/a.png")
    assert stored is not None
    assert receipt == Delivered(
        f"gs://{bucket}/renders/x/a.png", len(body), staged(body).checksum, stored["generation"]
    )
    # And up to a chunk it took one multipart request; above, a resumable session of three chunks
    sent = [(r["method"], r["query"].get("uploadType")) for r in uploads(gcs, bucket)]
    if len(body) <= CHUNK:
        assert sent == [("POST", ["multipart"])]
    else:
        assert sent == [("POST", ["resumable"])] + [("PUT", ["resumable"])] * 3


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(gcs: GcsEmulator, bucket: str, destination: GcsDestination, name: str) -> None:
    body = f"file named {name}".encode()
    receipt = destination.deliver(staged(body), f"hostile/{name}", PNG)
    assert gcs.read(bucket, f"hostile/{name}") == body
    assert receipt.location == f"gs://{bucket}/hostile/{name}"


@pytest.mark.parametrize("size", [1000, 2 * CHUNK + 1])
def test_the_same_put_twice_gives_the_same_result(
    gcs: GcsEmulator, bucket: str, destination: GcsDestination, size: int
) -> None:
    body = os.urandom(size)
    first = destination.deliver(staged(body), "twice/same.png", PNG)
    second = destination.deliver(staged(body), "twice/same.png", PNG)
    assert gcs.read(bucket, "twice/same.png") == body and gcs.names(bucket) == ["twice/same.png"]
    assert (first.size, first.checksum, first.location) == (second.size, second.checksum, second.location)


@pytest.mark.parametrize("damage", ["short", "corrupt", "raises", "long"])
@pytest.mark.parametrize("size", ["small", "resumable"])
def test_a_source_failing_halfway_leaves_no_object(
    gcs: GcsEmulator, bucket: str, destination: GcsDestination, damage: str, size: str
) -> None:
    # Given a staged stream that ends early, is corrupt at the end, breaks while read, or runs long
    body = os.urandom(10 if size == "small" else 2 * CHUNK + 1)

    class Breaking(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            if self.tell() > len(body) // 2:
                raise ConnectionResetError("staging read failed")
            return super().read(n)

    openers: dict[str, Callable[[], BinaryIO]] = {
        "short": lambda: io.BytesIO(body[: len(body) // 2]),
        "corrupt": lambda: io.BytesIO(body[:-1] + bytes([body[-1] ^ 0xFF])),
        "raises": lambda: Breaking(body),
        "long": lambda: io.BytesIO(body + b"!"),
    }
    # When it is delivered
    with pytest.raises(RetryableDeliveryError) as caught:
        destination.deliver(staged(body, openers[damage]), "broken/x.png", PNG)
    # Then the reason blames staging, not the storage
    assert caught.value.reason.startswith("staging" if damage == "raises" else ("the bytes read", "staging holds more"))
    # Then nothing is at the name
    assert gcs.read(bucket, "broken/x.png") is None and gcs.names(bucket) == []
    sent = uploads(gcs, bucket)
    if size == "small":
        assert sent == []  # read and verified whole before any request
    else:
        # And the resumable session was cancelled, never finalised: it is gone
        assert sent[0]["method"] == "POST" and sent[-1]["method"] == "DELETE"
        upload_id = sent[-1]["query"]["upload_id"][0]
        session = f"{gcs.endpoint}/upload/storage/v1/b/{bucket}/o?uploadType=resumable&upload_id={quote(upload_id)}"
        assert gcs.session_status(session) == 404


@pytest.mark.parametrize("size", [10, 2 * CHUNK + 1])
def test_object_options_are_applied(gcs: GcsEmulator, bucket: str, destination: GcsDestination, size: int) -> None:
    options = DeliveryOptions(
        content_type="image/webp",
        content_disposition="attachment; filename*=UTF-8''caf%C3%A9.webp",
        cache_control="public, max-age=60",
        metadata={"campaign": "spring", "owner": "é"},
        storage_class="NEARLINE",
    )
    destination.deliver(staged(os.urandom(size)), "k/é ü.webp", options)
    stored = gcs.object(bucket, "k/é ü.webp")
    assert stored is not None
    assert stored["contentType"] == "image/webp" and stored["cacheControl"] == "public, max-age=60"
    assert stored["contentDisposition"] == "attachment; filename*=UTF-8''caf%C3%A9.webp"
    assert stored["metadata"] == {"campaign": "spring", "owner": "é"} and stored["storageClass"] == "NEARLINE"


# ------------------------------------------------------------ if_exists and write tokens


@pytest.mark.parametrize("if_exists", ["skip", "fail", "overwrite"])
@pytest.mark.parametrize("size", [10, 2 * CHUNK + 1])
@pytest.mark.parametrize("check", ["looked up first", "precondition only"])
def test_if_exists_on_a_taken_name(
    gcs: GcsEmulator,
    bucket: str,
    destination: GcsDestination,
    monkeypatch: pytest.MonkeyPatch,
    if_exists: Any,
    size: int,
    check: str,
) -> None:
    # Given a name another writer took
    old, new = os.urandom(size), os.urandom(size)
    destination.deliver(staged(old), "taken.png", PNG)
    if check == "precondition only":
        lose_the_race(destination, monkeypatch)
    # When a delivery asks to skip, fail or overwrite
    options = DeliveryOptions("image/png", if_exists=if_exists)
    if if_exists == "fail":
        with pytest.raises(AlreadyExistsError, match="already exists"):
            destination.deliver(staged(new), "taken.png", options)
    else:
        receipt = destination.deliver(staged(new), "taken.png", options)
        assert receipt.already_existed == (if_exists == "skip")
    # Then only overwrite replaced the object
    assert gcs.read(bucket, "taken.png") == (new if if_exists == "overwrite" else old)
    if if_exists != "overwrite":
        conditional = [r for r in uploads(gcs, bucket) if r["method"] == "POST"][1:]
        assert all(r["query"].get("ifGenerationMatch") == ["0"] for r in conditional)
        assert len(conditional) == (1 if check == "precondition only" else 0)


@pytest.mark.parametrize("if_exists", ["skip", "fail"])
@pytest.mark.parametrize("check", ["looked up first", "precondition only"])
def test_a_retry_after_a_lost_answer_recognises_its_own_write(
    gcs: GcsEmulator,
    bucket: str,
    destination: GcsDestination,
    monkeypatch: pytest.MonkeyPatch,
    if_exists: Any,
    check: str,
) -> None:
    # Given a delivery whose write landed but whose answer was lost
    body = os.urandom(2 * CHUNK + 1)
    options = DeliveryOptions("image/png", if_exists=if_exists, write_token="render-1/file-0/conn-9")
    first = destination.deliver(staged(body), "own.png", options)
    stored = gcs.object(bucket, "own.png")
    assert stored is not None and stored["metadata"] == {OWN_MARK: "render-1/file-0/conn-9"}
    if check == "precondition only":
        lose_the_race(destination, monkeypatch)
    # When it is retried with the same write token
    again = destination.deliver(staged(body), "own.png", options)
    # Then the object is recognised as this delivery's: done, not skipped nor refused
    assert again == first and not again.already_existed
    # While another delivery finds the name taken
    other = DeliveryOptions("image/png", if_exists=if_exists, write_token="render-2/file-0/conn-9")
    if if_exists == "fail":
        with pytest.raises(AlreadyExistsError):
            destination.deliver(staged(body), "own.png", other)
    else:
        assert destination.deliver(staged(body), "own.png", other).already_existed
    assert gcs.read(bucket, "own.png") == body


# ------------------------------------------------------------ signing in


def test_signs_in_with_the_service_account_key(gcs: GcsEmulator, tokens: TokenServer, bucket: str) -> None:
    # Given a service-account key whose token_uri is the local token endpoint
    key = tokens.new_key()
    destination = GcsDestination(client(gcs, key), bucket, chunk_size=CHUNK)
    # When files are delivered (one multipart, one resumable)
    destination.deliver(staged(b"small"), "a.png", PNG)
    destination.deliver(staged(os.urandom(2 * CHUNK + 1)), "b.png", PNG)
    # Then one JWT-bearer grant signed with the key asked for read-write access to objects only
    calls = tokens.calls_for(key["client_email"])
    assert len(calls) == 1 and calls[0].signature_valid and calls[0].claims["scope"] == SCOPE
    # And every request to the storage carried the token it got
    seen = {r["authorization"] for r in gcs.requests() if f"/b/{bucket}/" in r["path"]}
    assert seen == {f"Bearer {calls[0].token}"}


@pytest.mark.parametrize(
    "token_uri, allow_local",
    [
        ("local", False),  # a loopback token endpoint outside tests
        ("https://evil.example/token", True),
        ("http://169.254.169.254/computeMetadata/v1/token", True),
        ("https://oauth2.googleapis.com.evil.example/token", True),
        ("http://oauth2.googleapis.com/token", True),
    ],
)
def test_a_token_uri_that_is_not_googles_is_refused(
    gcs: GcsEmulator, tokens: TokenServer, key: dict[str, Any], token_uri: str, allow_local: bool
) -> None:
    calls = len(tokens.calls)
    info = {**key, "token_uri": tokens.token_uri if token_uri == "local" else token_uri}
    with pytest.raises(PermanentDeliveryError, match=r"token_uri is not Google's \(https://oauth2.googleapis.com"):
        client(gcs, info, allow_local=allow_local)
    assert len(tokens.calls) == calls


def test_googles_token_uris_are_accepted(key: dict[str, Any]) -> None:
    for uri in ("https://oauth2.googleapis.com/token", "https://accounts.google.com/o/oauth2/token"):
        built = build_gcs_client(credentials_info={**key, "token_uri": uri}, endpoint=None)
        assert built.api_endpoint == "https://storage.googleapis.com"  # and nothing was sent yet


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"type": "authorized_user"}, 'its "type" must be "service_account"'),
        ({"type": "external_account"}, 'its "type" must be "service_account"'),
        ({"private_key": ""}, "lacks private_key"),
        ({"client_email": None, "token_uri": 7}, "lacks client_email, token_uri"),
        ({"private_key": "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"}, "not a valid PEM"),
        ({"universe_domain": "s3nsapis.fr"}, "googleapis.com universe"),
    ],
)
def test_a_broken_key_is_refused_with_its_reason(
    gcs: GcsEmulator, key: dict[str, Any], change: dict[str, Any], reason: str
) -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        client(gcs, {**key, **change})
    assert reason in caught.value.reason


@pytest.mark.parametrize("endpoint", ["http://storage.googleapis.com", "https://storage.example.com", "ftp://x"])
def test_an_endpoint_that_is_not_googles_is_refused(key: dict[str, Any], endpoint: str) -> None:
    info = {**key, "token_uri": "https://oauth2.googleapis.com/token"}
    with pytest.raises(PermanentDeliveryError, match="endpoint must be"):
        build_gcs_client(credentials_info=info, endpoint=endpoint)


def test_a_refused_key_is_permanent_and_never_quoted(gcs: GcsEmulator, tokens: TokenServer, bucket: str) -> None:
    # Given a key the token endpoint refuses (deleted or disabled), quoting the key back in its answer
    key = tokens.new_key()
    lines = key["private_key"].splitlines()[1:-1]
    tokens.refuse(key["client_email"], echo=" ".join(lines[:3]))
    destination = GcsDestination(client(gcs, key), bucket, chunk_size=CHUNK)
    # When it delivers or probes
    for attempt in (lambda: destination.deliver(staged(b"x"), "k.png", PNG), destination.probe):
        with pytest.raises(PermanentDeliveryError) as caught:
            attempt()
        # Then the reason says the key was refused, and holds no run of it
        reason = caught.value.reason
        assert reason.startswith("the service account key was refused (invalid_grant: Invalid JWT Signature.")
        assert not any(line[i : i + 8] in reason for line in lines for i in range(len(line) - 8))
    assert gcs.names(bucket) == []


def test_an_unreachable_token_endpoint_is_retryable(gcs: GcsEmulator, key: dict[str, Any], bucket: str) -> None:
    info = {**key, "token_uri": f"http://127.0.0.1:{free_port()}/token"}  # nothing listens there
    destination = GcsDestination(client(gcs, info, connect_timeout=1, read_timeout=5), bucket)
    with pytest.raises(RetryableDeliveryError):
        destination.deliver(staged(b"x"), "k.png", PNG)


# ------------------------------------------------------------ failures and the probe


@pytest.mark.parametrize("size", [10, 2 * CHUNK + 1])
def test_missing_bucket_is_permanent(gcs: GcsEmulator, key: dict[str, Any], size: int) -> None:
    destination = GcsDestination(client(gcs, key), "no-such-bucket-here", chunk_size=CHUNK)
    for attempt in (lambda: destination.deliver(staged(os.urandom(size)), "k.png", PNG), destination.probe):
        with pytest.raises(PermanentDeliveryError, match=r"^NotFound: the bucket does not exist"):
            attempt()


@pytest.mark.parametrize("name", ["", "x", "-bucket", "Bucket", "b/../../o", "b?x=1", "b" * 223])
def test_an_invalid_bucket_name_is_permanent(gcs: GcsEmulator, key: dict[str, Any], name: str) -> None:
    with pytest.raises(PermanentDeliveryError, match="bucket name is not valid"):
        GcsDestination(client(gcs, key), name)


def test_an_unreachable_storage_is_retryable(key: dict[str, Any]) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    built = build_gcs_client(credentials_info=None, endpoint=endpoint, connect_timeout=1, allow_local=True)
    destination = GcsDestination(built, "bucket")
    assert destination._timeout == (1, 60)  # the client's timeouts, unless given
    with pytest.raises(RetryableDeliveryError, match="could not be reached"):
        destination.deliver(staged(b"x"), "k.png", PNG)


def test_probe_writes_reads_and_deletes(gcs: GcsEmulator, key: dict[str, Any], bucket: str) -> None:
    GcsDestination(client(gcs, key), bucket, probe_prefix="/deliveries/").probe()
    assert gcs.names(bucket) == []
    deleted = [r["path"] for r in gcs.requests() if r["method"] == "DELETE" and f"/b/{bucket}/" in r["path"]]
    assert len(deleted) == 1 and deleted[0].startswith(f"/storage/v1/b/{bucket}/o/deliveries%2F.render-courier-probe")


def test_probe_of_a_storage_that_changes_bytes_fails(
    gcs: GcsEmulator, key: dict[str, Any], bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from google.cloud.storage import Blob

    monkeypatch.setattr(Blob, "download_as_bytes", lambda self, **kwargs: b"something else")
    with pytest.raises(PermanentDeliveryError, match="different bytes"):
        GcsDestination(client(gcs, key), bucket).probe()


def test_the_harness_for_the_contract_suite(gcs: GcsEmulator, tokens: TokenServer) -> None:
    destination, read = gcs_harness(gcs, tokens, chunk=CHUNK)
    destination.deliver(staged(b"contract"), "c/k.png", PNG)
    assert read("c/k.png") == b"contract" and read("c/none.png") is None


def _response(status: int, body: str, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body.encode()
    response.headers.update(headers or {})
    response.request = requests.Request("PUT", "https://storage.googleapis.com/upload?upload_id=SESSION").prepare()
    return response


@pytest.mark.parametrize(
    "status, message, retryable, shown",
    [
        (429, "slow down", True, "TooManyRequests: the storage answered 429: slow down"),
        (503, "backend error", True, "ServiceUnavailable: the storage answered 503: backend error"),
        (403, "rateLimitExceeded", True, "Forbidden: the storage answered 403: rateLimitExceeded"),
        (400, "Provided CRC32C 'a' doesn't match calculated CRC32C 'b'.", True, "BadRequest: the storage answered"),
        (403, "sa@p.iam does not have storage.objects.create access", False, "Forbidden: access denied: the service"),
        (401, None, False, "Unauthorized: Google refused the access token: check the service account key"),
        (400, "Invalid storage class: COLD", False, "BadRequest: the storage refused the request as invalid (Invalid"),
        (405, None, False, "MethodNotAllowed: the storage refused the write (405)"),
    ],
)
def test_errors_are_mapped_by_status(status: int, message: str | None, retryable: bool, shown: str) -> None:
    errors = [{"reason": message}] if message == "rateLimitExceeded" else []
    body = json.dumps({"error": {"message": message, "errors": errors}}) if message else "not json"
    error = map_error(api.from_http_response(_response(status, body, {"Retry-After": "7"})))
    assert error.retryable is retryable and error.reason.startswith(shown)
    assert error.retry_after == (7 if retryable else None)
    assert "upload_id" not in error.reason and "https://" not in error.reason  # the request's URL is never shown


def test_reasons_are_scrubbed_of_the_keys_secrets() -> None:
    secret = "ya29.a0AfB_byC-secret-access-token-value"
    body = '{"error": {"message": "token ya29.a0AfB_byC-secret-access-token-value is not valid"}}'
    error = map_error(api.from_http_response(_response(400, body)), [secret])
    assert isinstance(error, DestinationError) and "secret-access" not in error.reason
