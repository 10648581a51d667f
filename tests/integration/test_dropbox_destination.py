"""The Dropbox destination, driven through the real `dropbox` SDK against a fake Dropbox API over HTTPS: single
uploads and upload sessions at chunk boundaries, write modes, non-ASCII paths, token refresh, rate limits, failures
halfway and the probe."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, BinaryIO

import pytest

from courier.destinations.base import (
    AlreadyExistsError,
    DeliveryOptions,
    PermanentDeliveryError,
    RetryableDeliveryError,
    StagedFile,
)
from courier.destinations.dropbox import DropboxDestination
from courier.destinations.dropbox_client import build_dropbox_client
from tests.builders import staged
from tests.conftest import ROOT
from tests.fakes.dropbox_api import FakeDropbox, content_hash

# The SDK computes token expiry with datetime.utcnow().
pytestmark = pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")

MiB = 1024 * 1024
CHUNK = 4 * MiB  # the smallest chunk Dropbox's block size allows
LIMIT = 5 * MiB  # files above this use an upload session in these tests
PNG = DeliveryOptions("image/png")


@pytest.fixture
def fake(fake_dropbox: FakeDropbox) -> FakeDropbox:
    fake_dropbox.reset()
    return fake_dropbox


def client_for(fake: FakeDropbox, **overrides: Any) -> Any:
    settings: dict[str, Any] = {
        "refresh_token": fake.refresh_token,
        "app_key": fake.app_key,
        "app_secret": fake.app_secret,
        "ca_bundle": fake.ca_file,
    }
    return build_dropbox_client(**(settings | overrides))


def destination_for(fake: FakeDropbox, client: Any = None, **overrides: Any) -> DropboxDestination:
    settings: dict[str, Any] = {"single_upload_limit": LIMIT, "chunk_size": CHUNK, "probe_folder": "/Renders"}
    return DropboxDestination(client or client_for(fake), **(settings | overrides))


def download(fake: FakeDropbox, path: str) -> bytes:
    """Re-read through the SDK (files/download), not through the fake's own state."""
    _, response = client_for(fake).files_download(path)
    with response:
        return bytes(response.content)


# -- writes ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK - 1, CHUNK, LIMIT, LIMIT + 1, 2 * CHUNK, 2 * CHUNK + 1, 3 * CHUNK], ids=lambda s: f"{s}B"
)
def test_streams_every_size_and_reads_back_equal(fake: FakeDropbox, size: int) -> None:
    # Given a staged file of a chunk-boundary size (single upload up to the limit, an upload session beyond)
    body = os.urandom(size)
    # When it is delivered
    receipt = destination_for(fake).deliver(staged(body), "/Marketing/2024/banner.png", PNG)
    # Then Dropbox holds the same bytes, and the receipt says so with Dropbox's own content_hash
    assert download(fake, "/Marketing/2024/banner.png") == body
    assert receipt.location == "dropbox:///Marketing/2024/banner.png"
    assert receipt.size == size and receipt.checksum == staged(body).checksum
    assert receipt.etag == content_hash(body) and not receipt.already_existed
    # And the route fits the size: one files/upload, or start + appends + finish in whole chunks
    chunks = -(-size // CHUNK)
    if size <= LIMIT:
        assert (fake.count("files/upload"), fake.count("files/upload_session/start")) == (1, 0)
    else:
        assert fake.count("files/upload") == 0
        assert fake.count("files/upload_session/start") == fake.count("files/upload_session/finish") == 1
        assert fake.count("files/upload_session/append_v2") == chunks - 2
    assert fake.paths() == ["/Marketing/2024/banner.png"] and not fake.sessions


@pytest.mark.parametrize("size", [1, CHUNK - 1, CHUNK, 2 * CHUNK + 1], ids=lambda s: f"{s}B")
def test_sessions_alone_handle_every_boundary(fake: FakeDropbox, size: int) -> None:
    # Given a destination that sends everything through upload sessions (even a file within one chunk)
    body = os.urandom(size)
    destination = destination_for(fake, single_upload_limit=0)
    # When it is delivered
    receipt = destination.deliver(staged(body), "/s/file.bin", PNG)
    # Then the offsets line up and the file is whole
    assert download(fake, "/s/file.bin") == body and receipt.etag == content_hash(body)
    assert fake.count("files/upload") == 0 and fake.count("files/upload_session/finish") == 1


def test_default_sizes_send_a_large_file_in_8_mib_chunks(fake: FakeDropbox) -> None:
    body = os.urandom(2 * 8 * MiB + 3)
    destination = DropboxDestination(client_for(fake), single_upload_limit=8 * MiB)
    destination.deliver(staged(body), "/big.bin", PNG)
    assert fake.read("/big.bin") == body
    assert fake.count("files/upload_session/append_v2") == 1


def test_by_default_no_request_carries_more_than_one_8_mib_chunk(fake: FakeDropbox) -> None:
    # Given the default sizes (memory stays at about two chunks whatever the file's size)
    body = os.urandom(8 * MiB + 1)
    # When a file just over one chunk is delivered
    DropboxDestination(client_for(fake)).deliver(staged(body), "/just-over.bin", PNG)
    # Then it went through an upload session (files/upload would have held all of it), and is whole
    assert fake.read("/just-over.bin") == body
    assert fake.count("files/upload") == 0 and fake.count("files/upload_session/finish") == 1


def test_same_path_twice_is_one_file_never_an_autorenamed_copy(fake: FakeDropbox) -> None:
    # Given a delivered file
    destination = destination_for(fake)
    destination.deliver(staged(b"one"), "/Renders/a.png", PNG)
    # When the same event repeats, then a new render lands on the same path (another case: Dropbox ignores case)
    destination.deliver(staged(b"one"), "/Renders/a.png", PNG)
    destination.deliver(staged(b"two"), "/renders/A.PNG", PNG)
    # Then there is one file, with the newest bytes, under its first name, and no "a (1).png"
    assert fake.paths() == ["/Renders/a.png"]
    assert fake.read("/Renders/a.png") == b"two"
    assert fake.writes == 2  # an identical file is not written again


def test_same_path_twice_through_sessions_is_one_file(fake: FakeDropbox) -> None:
    destination = destination_for(fake)
    first, second = os.urandom(LIMIT + 1), os.urandom(LIMIT + 2)
    destination.deliver(staged(first), "/Renders/big.png", PNG)
    destination.deliver(staged(second), "/Renders/big.png", PNG)
    assert fake.paths() == ["/Renders/big.png"] and fake.read("/Renders/big.png") == second


@pytest.mark.parametrize(
    "path",
    [
        "/Marketing/été/café.png",
        "/市场/2024/横幅.png",
        "/🎉 launch/🚀.png",
        "/Ünïcödé/naïve résumé.png",
        "/hostile/a b?c#d%e+f'g\"h&i.png",
        "/hostile/ leading space and (parens) [brackets] {braces} ~tilde.png",
    ],
)
def test_non_ascii_and_hostile_paths(fake: FakeDropbox, path: str) -> None:
    # Given a path with accents, CJK, emoji or URL-special characters (the SDK \u-escapes the Dropbox-API-Arg header)
    body = os.urandom(1000)
    # When it is delivered, small and through a session
    receipt = destination_for(fake).deliver(staged(body), path, PNG)
    big = os.urandom(LIMIT + 1)
    destination_for(fake).deliver(staged(big), path + ".big", PNG)
    # Then both read back under that exact name
    assert receipt.location == f"dropbox://{path}"
    assert download(fake, path) == body and download(fake, path + ".big") == big
    assert fake.paths() == sorted([path, path + ".big"])


def test_a_key_without_leading_slash_is_rooted(fake: FakeDropbox) -> None:
    receipt = destination_for(fake).deliver(staged(b"x"), "Folder/x.png", PNG)
    assert receipt.location == "dropbox:///Folder/x.png" and fake.read("/Folder/x.png") == b"x"


# -- if_exists ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [b"theirs", b"ours"], ids=["different", "identical"])
def test_skip_leaves_an_existing_file_and_says_so(fake: FakeDropbox, existing: bytes) -> None:
    # Given a file already at the path (Dropbox itself would call an identical one "no conflict")
    fake.put("/Out/a.png", existing)
    # When a delivery with if_exists=skip comes
    receipt = destination_for(fake).deliver(
        staged(b"ours"), "/out/A.png", DeliveryOptions("image/png", if_exists="skip")
    )
    # Then nothing is uploaded and the receipt says the name was taken
    assert receipt.already_existed and receipt.etag == content_hash(existing)
    assert fake.read("/Out/a.png") == existing and fake.count("files/upload") == 0


@pytest.mark.parametrize("existing", [b"theirs", b"ours"], ids=["different", "identical"])
def test_fail_refuses_an_existing_file(fake: FakeDropbox, existing: bytes) -> None:
    fake.put("/Out/a.png", existing)
    with pytest.raises(AlreadyExistsError, match="already exists"):
        destination_for(fake).deliver(staged(b"ours"), "/Out/a.png", DeliveryOptions("image/png", if_exists="fail"))
    assert fake.read("/Out/a.png") == existing and fake.paths() == ["/Out/a.png"]


@pytest.mark.parametrize("if_exists", ["skip", "fail"])
def test_skip_and_fail_write_when_the_name_is_free(fake: FakeDropbox, if_exists: Any) -> None:
    receipt = destination_for(fake).deliver(
        staged(b"new"), "/Out/new.png", DeliveryOptions("image/png", if_exists=if_exists)
    )
    assert not receipt.already_existed and fake.read("/Out/new.png") == b"new"


@pytest.mark.parametrize("size", [10, LIMIT + 1], ids=["upload", "session"])
@pytest.mark.parametrize("if_exists", ["skip", "fail"])
def test_a_file_appearing_during_the_upload_is_a_conflict_not_a_copy(
    fake: FakeDropbox, if_exists: Any, size: int
) -> None:
    # Given a file that appears between the check and the commit (WriteMode.add without autorename catches it)
    body = os.urandom(size)

    def open_after_someone_wrote() -> BinaryIO:
        fake.put("/Out/race.png", b"someone else's")
        return io.BytesIO(body)

    destination = destination_for(fake)
    options = DeliveryOptions("image/png", if_exists=if_exists)
    # When the delivery commits
    if if_exists == "skip":
        assert destination.deliver(staged(body, open_after_someone_wrote), "/Out/race.png", options).already_existed
    else:
        with pytest.raises(AlreadyExistsError, match="conflict/file"):
            destination.deliver(staged(body, open_after_someone_wrote), "/Out/race.png", options)
    # Then the other file stays, and no "race (1).png" appears
    assert fake.paths() == ["/Out/race.png"] and fake.read("/Out/race.png") == b"someone else's"


@pytest.mark.parametrize("if_exists", ["overwrite", "skip", "fail"])
def test_a_folder_with_the_name_is_permanent(fake: FakeDropbox, if_exists: Any) -> None:
    fake.put("/Out/a.png/inside.txt", b"x")
    with pytest.raises(PermanentDeliveryError, match="a folder already has this name"):
        destination_for(fake).deliver(staged(b"x"), "/Out/a.png", DeliveryOptions("image/png", if_exists=if_exists))


# -- path errors ----------------------------------------------------------------------------------------------


def test_path_errors_are_permanent_with_a_readable_reason(fake: FakeDropbox) -> None:
    destination = destination_for(fake)
    cases = {
        "/Out/desktop.ini": "does not allow this file or folder name",
        "/Out//double.png": "malformed",
        "/Blocker/below.png": "a file is in the way",
        "/ReadOnly/x.png": "may not write to this folder",
    }
    fake.put("/Blocker", b"a file where a folder should be")
    fake.read_only.add("/readonly")
    for path, reason in cases.items():
        with pytest.raises(PermanentDeliveryError, match=reason) as raised:
            destination.deliver(staged(b"x"), path, PNG)
        assert not raised.value.retryable
    # Sessions report path errors the same way (their WriteError is not wrapped like files/upload's)
    with pytest.raises(PermanentDeliveryError, match=r"^path/disallowed_name"):
        destination.deliver(staged(os.urandom(LIMIT + 1)), "/Out/Thumbs.db", PNG)
    assert fake.paths() == ["/Blocker"]


def test_a_full_dropbox_is_permanent(fake: FakeDropbox) -> None:
    fake.quota = 100
    with pytest.raises(PermanentDeliveryError, match="out of space"):
        destination_for(fake).deliver(staged(os.urandom(101)), "/x.png", PNG)
    assert fake.paths() == []


# -- tokens ---------------------------------------------------------------------------------------------------


def test_an_expired_access_token_is_refreshed_before_the_first_call(fake: FakeDropbox) -> None:
    # Given stored settings with an access token that already expired, and the refresh token
    expired = fake.issue_token(lifetime=0)
    client = client_for(fake, access_token=expired)
    # When a file is delivered
    destination_for(fake, client).deliver(staged(b"x"), "/x.png", PNG)
    # Then the SDK fetched a fresh token once, and the write went through
    assert fake.grants == 1 and fake.read("/x.png") == b"x"


def test_a_token_expiring_between_calls_is_refreshed_on_401(fake: FakeDropbox) -> None:
    # Given a client whose token the server expires while the client still thinks it is valid
    destination = destination_for(fake)
    destination.deliver(staged(b"one"), "/x.png", PNG)
    fake.expire_tokens()
    # When the next delivery (a session this time) runs
    body = os.urandom(LIMIT + 1)
    destination.deliver(staged(body), "/x.png", PNG)
    # Then the SDK met expired_access_token, refreshed and repeated the call
    assert fake.grants == 2 and fake.read("/x.png") == body
    assert fake.count("files/upload_session/start") == 2  # the rejected request and its repetition


@pytest.mark.parametrize("case", ["revoked", "wrong refresh token", "expired access token only"])
def test_lost_authorisation_is_permanent_and_says_reconnect(fake: FakeDropbox, case: str) -> None:
    if case == "revoked":
        fake.revoke()
        client = client_for(fake)
    elif case == "wrong refresh token":
        client = client_for(fake, refresh_token="not-the-right-one")
    else:
        client = client_for(fake, refresh_token=None, app_key=None, app_secret=None, access_token=fake.issue_token(0))
    with pytest.raises(PermanentDeliveryError, match="reconnect Dropbox") as raised:
        destination_for(fake, client).deliver(staged(b"x"), "/x.png", PNG)
    assert fake.refresh_token not in raised.value.reason and "not-the-right-one" not in raised.value.reason
    assert fake.paths() == []


def test_a_wrong_app_secret_is_permanent(fake: FakeDropbox) -> None:
    with pytest.raises(PermanentDeliveryError, match="app key or secret") as raised:
        destination_for(fake, client_for(fake, app_secret="wrong-secret")).deliver(staged(b"x"), "/x.png", PNG)
    assert "wrong-secret" not in raised.value.reason


def test_no_credentials_is_permanent() -> None:
    with pytest.raises(PermanentDeliveryError, match="reconnect Dropbox"):
        build_dropbox_client(refresh_token=None, app_key=None, app_secret=None)
    with pytest.raises(PermanentDeliveryError, match="reconnect Dropbox"):
        build_dropbox_client(refresh_token="r", app_key=None, app_secret="s")


def test_tokens_never_reach_the_logs(fake: FakeDropbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.expire_tokens()
    destination = destination_for(fake)
    destination.deliver(staged(os.urandom(LIMIT + 1)), "/x.png", PNG)
    issued = list(fake.tokens)
    assert issued and caplog.text
    for secret in [fake.refresh_token, fake.app_secret, *issued]:
        assert secret not in caplog.text


SCOPE_SHAPED_TOKEN = "sl.scopeshaped_secret_0123456789"


@pytest.mark.parametrize(
    ("scope", "shown"),
    [
        ("refresh-token", "a permission"),
        ("access-token", "a permission"),
        ("app-secret", "a permission"),
        ("not-a-scope", "a permission"),
        ("scope-shaped-token", "the … permission"),
    ],
)
def test_a_missing_scope_never_quotes_a_secret_or_free_text(fake: FakeDropbox, scope: str, shown: str) -> None:
    # Given a Dropbox answering missing_scope with a required_scope (its one free-text field) that quotes a secret
    from dropbox import auth, exceptions

    if scope == "scope-shaped-token":  # a token that looks like a scope name: only scrubbing can tell
        client = client_for(fake, refresh_token=None, app_key=None, app_secret=None, access_token=SCOPE_SHAPED_TOKEN)
    else:
        client = client_for(fake)
        client.files_upload(b"", "/warm.png")  # an access token is issued and held by the client
    quoted = {
        "refresh-token": f"files.content.write {fake.refresh_token}",
        "access-token": f"{client._oauth2_access_token[:20]}",
        "app-secret": f"files.content.write ({fake.app_secret[2:14]})",
        "not-a-scope": "<b>please email admin@example.com</b>",
        "scope-shaped-token": SCOPE_SHAPED_TOKEN,
    }[scope]

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise exceptions.AuthError("req-1", auth.AuthError.missing_scope(auth.TokenScopeError(quoted)))

    client.files_upload = refuse
    # When a delivery meets it
    with pytest.raises(PermanentDeliveryError) as raised:
        destination_for(fake, client).deliver(staged(b"x"), "/x.png", PNG)
    # Then the reason says a permission is missing, without what Dropbox wrote
    assert raised.value.reason == f"missing_scope: the Dropbox app lacks {shown}: reconnect Dropbox"


def test_a_missing_scope_names_the_scope(fake: FakeDropbox) -> None:
    from dropbox import auth, exceptions

    client = client_for(fake)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise exceptions.AuthError("req-1", auth.AuthError.missing_scope(auth.TokenScopeError("files.content.write")))

    client.files_upload = refuse
    with pytest.raises(PermanentDeliveryError, match=r"lacks the files\.content\.write permission"):
        destination_for(fake, client).deliver(staged(b"x"), "/x.png", PNG)


# -- throttling and transport failures -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["too_many_requests", "too_many_write_operations"])
def test_429_twice_is_retryable_with_retry_after(fake: FakeDropbox, reason: str) -> None:
    # Given Dropbox answering 429 with Retry-After: 1 to the next two uploads
    fake.fail("files/upload", 429, count=2, retry_after=1, reason=reason)
    # When a file is delivered (the adapter waits out one short Retry-After in place)
    with pytest.raises(RetryableDeliveryError, match=reason) as raised:
        destination_for(fake).deliver(staged(b"x"), "/x.png", PNG)
    # Then the caller learns when to try again, and nothing was written
    assert raised.value.retry_after == 1
    assert fake.count("files/upload") == 2 and fake.paths() == []


def test_one_429_is_waited_out_in_place(fake: FakeDropbox) -> None:
    fake.fail("files/upload_session/append_v2", 429, retry_after=1, reason="too_many_write_operations")
    body = os.urandom(2 * CHUNK + 1)
    started = time.monotonic()
    destination_for(fake).deliver(staged(body), "/x.png", PNG)
    assert time.monotonic() - started >= 1
    assert fake.read("/x.png") == body and fake.count("files/upload_session/append_v2") == 2


def test_a_long_retry_after_goes_back_to_the_caller_at_once(fake: FakeDropbox) -> None:
    fake.fail("files/upload", 429, retry_after=300)
    started = time.monotonic()
    with pytest.raises(RetryableDeliveryError) as raised:
        destination_for(fake).deliver(staged(b"x"), "/x.png", PNG)
    assert raised.value.retry_after == 300 and time.monotonic() - started < 5


def test_a_429_mid_session_leaves_no_file(fake: FakeDropbox) -> None:
    fake.fail("files/upload_session/append_v2", 429, count=2, retry_after=1)
    with pytest.raises(RetryableDeliveryError):
        destination_for(fake).deliver(staged(os.urandom(3 * CHUNK)), "/x.png", PNG)
    assert fake.paths() == [] and fake.count("files/upload_session/finish") == 0


def test_a_passing_5xx_is_retried_by_the_sdk(fake: FakeDropbox) -> None:
    fake.fail("files/upload", 500)
    destination_for(fake).deliver(staged(b"x"), "/x.png", PNG)
    assert fake.read("/x.png") == b"x" and fake.count("files/upload") == 2


@pytest.mark.parametrize(
    ("route", "status", "reason"),
    [
        ("files/upload", 503, "HTTP 503"),
        ("oauth2/token", 500, "HTTP 500"),
        ("files/upload_session/finish", 502, "HTTP 502"),
        ("files/upload", 0, "could not be reached"),
    ],
)
def test_server_errors_and_dropped_connections_are_retryable(
    fake: FakeDropbox, route: str, status: int, reason: str
) -> None:
    fake.fail(route, status, count=5)
    destination = destination_for(fake, client_for(fake, max_retries_on_error=0))
    with pytest.raises(RetryableDeliveryError, match=reason):
        destination.deliver(staged(os.urandom(LIMIT + 1 if "session" in route else 10)), "/x.png", PNG)
    assert fake.paths() == []


def test_a_timeout_is_retryable(fake: FakeDropbox) -> None:
    fake.fail("files/upload", 200, delay=1.5)  # a late answer (status irrelevant: the client gave up)
    destination = destination_for(fake, client_for(fake, timeout=0.5))
    with pytest.raises(RetryableDeliveryError, match="did not answer in time"):
        destination.deliver(staged(b"x"), "/x.png", PNG)


def test_bytes_stored_differently_are_retryable(fake: FakeDropbox) -> None:
    # Given a Dropbox that stores something other than what it received (its content_hash tells)
    fake.corrupt_writes = 1
    with pytest.raises(RetryableDeliveryError, match="content_hash"):
        destination_for(fake).deliver(staged(b"precious"), "/x.png", PNG)
    # Then the next try overwrites it with the right bytes
    destination_for(fake).deliver(staged(b"precious"), "/x.png", PNG)
    assert fake.read("/x.png") == b"precious"


# -- a bad source ---------------------------------------------------------------------------------------------


class BreaksAfter(io.BytesIO):
    """A staged stream whose connection drops after ``limit`` bytes."""

    def __init__(self, body: bytes, limit: int) -> None:
        super().__init__(body)
        self.limit = limit

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.limit:
            raise OSError("connection reset while reading staging")
        want = self.limit - self.tell() if size is None or size < 0 else min(size, self.limit - self.tell())
        return super().read(want)


@pytest.mark.parametrize("size", [100, LIMIT + 1, 3 * CHUNK], ids=["upload", "session-1", "session-2"])
def test_a_source_failing_halfway_leaves_no_file(fake: FakeDropbox, size: int) -> None:
    body = os.urandom(size)
    source = staged(body, lambda: BreaksAfter(body, size - 1))
    with pytest.raises(RetryableDeliveryError):
        destination_for(fake).deliver(source, "/x.png", PNG)
    assert fake.paths() == [] and fake.writes == 0
    assert fake.count("files/upload") == 0 and fake.count("files/upload_session/finish") == 0


@pytest.mark.parametrize("size", [10, LIMIT + 1, 2 * CHUNK], ids=["upload", "session", "session-whole-chunks"])
@pytest.mark.parametrize("damage", ["short", "corrupt", "long"])
def test_a_staged_stream_that_does_not_verify_leaves_no_file(fake: FakeDropbox, size: int, damage: str) -> None:
    # Given a staged stream that ends early, has a flipped byte or runs long
    good = os.urandom(size)
    bad = {"short": good[: size // 2], "corrupt": good[:-1] + bytes([good[-1] ^ 1]), "long": good + b"x"}[damage]
    source = StagedFile("k", size, staged(good).checksum, "image/png", lambda: io.BytesIO(bad))
    # When it is delivered
    with pytest.raises(RetryableDeliveryError, match="staging"):
        destination_for(fake).deliver(source, "/x.png", PNG)
    # Then no file exists (a session may stay open: Dropbox drops unfinished sessions)
    assert fake.paths() == [] and fake.writes == 0


def test_a_failed_delivery_keeps_the_previous_file(fake: FakeDropbox) -> None:
    fake.put("/x.png", b"previous")
    body = os.urandom(LIMIT + 1)
    with pytest.raises(RetryableDeliveryError):
        destination_for(fake).deliver(staged(body, lambda: BreaksAfter(body, CHUNK + 10)), "/x.png", PNG)
    assert fake.read("/x.png") == b"previous"


# -- probe ----------------------------------------------------------------------------------------------------


def test_probe_writes_reads_and_deletes(fake: FakeDropbox) -> None:
    destination_for(fake).probe()
    assert [fake.count(r) for r in ("files/upload", "files/download", "files/delete_v2")] == [1, 1, 1]
    assert fake.paths() == [] and fake.writes == 2


@pytest.mark.parametrize(
    ("setup", "error", "reason"),
    [
        (lambda f: f.revoke(), PermanentDeliveryError, "reconnect Dropbox"),
        (lambda f: f.read_only.add("/renders"), PermanentDeliveryError, "may not write"),
        (lambda f: f.fail("files/download", 503, count=5), RetryableDeliveryError, "HTTP 503"),
    ],
    ids=["revoked", "read-only", "download-fails"],
)
def test_probe_fails_cleanly(fake: FakeDropbox, setup: Callable[[FakeDropbox], None], error: type, reason: str) -> None:
    setup(fake)
    with pytest.raises(error, match=reason):
        destination_for(fake, client_for(fake, max_retries_on_error=0)).probe()
    assert fake.paths() == []  # the probe file is deleted even when reading it back failed


# -- the client's TLS and the SDK's import ---------------------------------------------------------------------


def test_ca_bundle_comes_from_the_environment_and_requests_ca_bundle_is_ignored(
    fake: FakeDropbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # REQUESTS_CA_BUNDLE alone must not make the fake trusted: the session ignores the environment
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_file)
    monkeypatch.delenv("COURIER_DROPBOX_CA_BUNDLE", raising=False)
    with pytest.raises(RetryableDeliveryError, match="TLS"):
        destination_for(fake, client_for(fake, ca_bundle=None)).deliver(staged(b"x"), "/x.png", PNG)
    # COURIER_DROPBOX_CA_BUNDLE does
    monkeypatch.setenv("COURIER_DROPBOX_CA_BUNDLE", fake.ca_file)
    destination_for(fake, client_for(fake, ca_bundle=None)).deliver(staged(b"x"), "/x.png", PNG)
    assert fake.read("/x.png") == b"x"


def test_importing_the_adapter_does_not_import_the_sdk() -> None:
    code = "import sys, courier.destinations.dropbox; assert 'dropbox' not in sys.modules, 'dropbox imported'"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "courier")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("chunk", [0, 3 * MiB, 5 * MiB, 152 * MiB])
def test_chunks_must_be_whole_4_mib_blocks(chunk: int) -> None:
    with pytest.raises(ValueError, match="multiple of 4 MiB"):
        DropboxDestination(object(), chunk_size=chunk)
