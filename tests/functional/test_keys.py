"""Workspaces and API keys on the table (mock_aws), and the authenticator honouring revocation and rotation with
its per-container cache. Both clocks are injected: the monotonic one of the cache, the wall one of expiries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from courier import wiring
from courier.accounts.apikey import ApiKey
from courier.accounts.auth import EXPIRED, ApiKeyAuthenticator, hash_api_key, provision_workspace
from courier.accounts.keys import KeyNotFoundError, KeyRepository, KeyStateError
from courier.errors import UnauthorizedError
from tests.functional.conftest import TABLE, Api

CACHE_SECONDS = 60


@dataclass
class Clock:
    """One source of time for the repository (wall clock) and the authenticator's cache (monotonic)."""

    seconds: float = 0.0
    start: datetime = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keys(table: Any, clock: Clock) -> KeyRepository:
    return KeyRepository(table, now=clock.now)


def container(keys: KeyRepository, clock: Clock) -> ApiKeyAuthenticator:
    """One warm API container's authenticator."""
    return ApiKeyAuthenticator(keys, CACHE_SECONDS, clock=clock.monotonic, now=clock.now)


def bearer(secret: str) -> str:
    return f"Bearer {secret}"


def all_items(table: Any) -> Iterator[dict[str, Any]]:
    yield from table.scan()["Items"]


# ---------------------------------------------------------------- storage


def test_a_key_is_stored_hashed_and_listed_by_prefix(keys: KeyRepository, table: Any) -> None:
    # When a workspace is created with its first key
    workspace, issued = keys.create_workspace("Acme")
    secret = issued.secret.get_secret_value()
    # Then the key itself is nowhere in the table, only its SHA-256
    stored = repr(list(all_items(table)))
    assert secret not in stored and secret[7:] not in stored
    assert hash_api_key(secret) in stored
    # And it is listed under its workspace (a Query) by prefix and id
    [listed] = keys.list_keys(workspace.workspace_id)
    assert listed.key_id == issued.key.key_id and listed.name == "default"
    assert listed.prefix == secret[:7] and listed.display_prefix == f"{secret[:7]}…"
    assert listed.status(datetime.now(UTC)) == "active"
    # And the workspace is in the directory
    assert [w.name for w in keys.list_workspaces()] == ["Acme"]


def test_keys_are_listed_per_workspace_oldest_first(keys: KeyRepository, clock: Clock) -> None:
    acme, _ = keys.create_workspace("Acme")
    globex, _ = keys.create_workspace("Globex")
    clock.advance(1)
    ci = keys.create_key(acme.workspace_id, "ci")
    assert [k.name for k in keys.list_keys(acme.workspace_id)] == ["default", "ci"]
    assert [k.key_id for k in keys.list_keys(globex.workspace_id)] != [ci.key.key_id]
    assert len(keys.list_keys(globex.workspace_id)) == 1


def test_unknown_ids_are_not_found(keys: KeyRepository) -> None:
    with pytest.raises(KeyNotFoundError, match="no workspace nope"):
        keys.create_key("nope")
    with pytest.raises(KeyNotFoundError, match="no key key_nope"):
        keys.revoke_key("key_nope")
    with pytest.raises(KeyNotFoundError):
        keys.rotate_key("key_nope")


def test_a_key_provisioned_before_keys_had_ids_still_authenticates(table: Any, keys: KeyRepository) -> None:
    # Given a key provisioned the older way: only its lookup item, with no key id (tables from before the admin CLI)
    secret = "rc_legacy_" + "x" * 32
    table.put_item(
        Item={
            "pk": f"APIKEY#{hash_api_key(secret)}",
            "sk": "APIKEY",
            "key_hash": hash_api_key(secret),
            "workspace_id": "ws_legacy",
            "prefix": secret[:7],
            "created_at": "2026-11-01T00:00:00+00:00",
        }
    )
    # Then the authenticator accepts it
    assert ApiKeyAuthenticator(keys, CACHE_SECONDS).authenticate(bearer(secret)) == "ws_legacy"


def test_provisioning_through_the_repository_makes_a_managed_key(keys: KeyRepository) -> None:
    workspace_id, secret = provision_workspace(keys, "seeded", "rc_local_seeded_key")
    assert secret == "rc_local_seeded_key"
    [key] = keys.list_keys(workspace_id)
    assert key.prefix == "rc_loca"


# ---------------------------------------------------------------- revocation


def test_a_revoked_key_works_until_the_cache_entry_ends_then_stops(keys: KeyRepository, clock: Clock) -> None:
    # Given a key that a warm container has just used
    workspace, issued = keys.create_workspace("Acme")
    secret = issued.secret.get_secret_value()
    warm = container(keys, clock)
    assert warm.authenticate(bearer(secret)) == workspace.workspace_id
    # When it is revoked
    key, changed = keys.revoke_key(issued.key.key_id)
    assert changed and key.revoked_at == clock.now()
    # Then a new container refuses it at once
    with pytest.raises(UnauthorizedError):
        container(keys, clock).authenticate(bearer(secret))
    # And the warm container still accepts it inside its cache TTL …
    clock.advance(CACHE_SECONDS - 1)
    assert warm.authenticate(bearer(secret)) == workspace.workspace_id
    # … and refuses it once the entry has ended
    clock.advance(1)
    with pytest.raises(UnauthorizedError):
        warm.authenticate(bearer(secret))
    # And the list keeps it, marked revoked
    [listed] = keys.list_keys(workspace.workspace_id)
    assert listed.status(clock.now()) == "revoked"


def test_revoking_twice_is_harmless(keys: KeyRepository) -> None:
    _, issued = keys.create_workspace("Acme")
    first, changed = keys.revoke_key(issued.key.key_id)
    again, changed_again = keys.revoke_key(issued.key.key_id)
    assert changed and not changed_again and again.revoked_at == first.revoked_at


def test_a_half_applied_revocation_is_still_refused(keys: KeyRepository, table: Any, clock: Clock) -> None:
    # Given a lookup item marked revoked but not deleted (written by hand, or by a future tool)
    _, issued = keys.create_workspace("Acme")
    table.update_item(
        Key={"pk": f"APIKEY#{issued.key.key_hash}", "sk": "APIKEY"},
        UpdateExpression="SET revoked_at = :now",
        ExpressionAttributeValues={":now": clock.now().isoformat()},
    )
    with pytest.raises(UnauthorizedError, match="revoked"):
        container(keys, clock).authenticate(bearer(issued.secret.get_secret_value()))


# ---------------------------------------------------------------- rotation


def test_rotation_keeps_both_keys_valid_for_the_grace_period(keys: KeyRepository, clock: Clock) -> None:
    # Given a key in use by a warm container
    workspace, issued = keys.create_workspace("Acme")
    old_secret = issued.secret.get_secret_value()
    warm = container(keys, clock)
    warm.authenticate(bearer(old_secret))
    # When it is rotated with a one-hour grace period
    old, new = keys.rotate_key(issued.key.key_id, timedelta(hours=1))
    new_secret = new.secret.get_secret_value()
    assert old.expires_at == clock.now() + timedelta(hours=1) and old.replaced_by == new.key.key_id
    # Then both keys work, in warm and new containers
    for auth in (warm, container(keys, clock)):
        assert auth.authenticate(bearer(old_secret)) == workspace.workspace_id
        assert auth.authenticate(bearer(new_secret)) == workspace.workspace_id
    statuses = {k.key_id: k.status(clock.now()) for k in keys.list_keys(workspace.workspace_id)}
    assert statuses == {old.key_id: "rotating", new.key.key_id: "active"}
    # And after the grace period the old key is refused, even from a fresh cache entry
    clock.advance(3600 - 30)
    assert warm.authenticate(bearer(old_secret)) == workspace.workspace_id  # cached 30 s ago, still in grace
    clock.advance(30)
    for auth in (warm, container(keys, clock)):
        with pytest.raises(UnauthorizedError) as refused:
            auth.authenticate(bearer(old_secret))
        assert refused.value.message == EXPIRED
        assert auth.authenticate(bearer(new_secret)) == workspace.workspace_id
    assert keys.get_key(old.key_id).status(clock.now()) == "expired"


def test_the_rotated_lookup_item_expires_by_ttl(keys: KeyRepository, table: Any) -> None:
    _, issued = keys.create_workspace("Acme")
    old, _ = keys.rotate_key(issued.key.key_id, timedelta(hours=24))
    item = table.get_item(Key={"pk": f"APIKEY#{old.key_hash}", "sk": "APIKEY"})["Item"]
    assert old.expires_at is not None
    assert int(item["expiresAt"]) > old.expires_at.timestamp()


def test_only_an_active_key_can_be_rotated(keys: KeyRepository) -> None:
    _, first = keys.create_workspace("Acme")
    _, second = keys.rotate_key(first.key.key_id)
    with pytest.raises(KeyStateError, match=f"already replaced by {second.key.key_id}"):
        keys.rotate_key(first.key.key_id)
    keys.revoke_key(second.key.key_id)
    with pytest.raises(KeyStateError, match="is revoked"):
        keys.rotate_key(second.key.key_id)


def test_a_grace_period_is_bounded(keys: KeyRepository) -> None:
    _, issued = keys.create_workspace("Acme")
    with pytest.raises(ValueError, match="grace"):
        keys.rotate_key(issued.key.key_id, timedelta(days=31))


def test_rotating_with_no_grace_stops_the_old_key_now(keys: KeyRepository, clock: Clock) -> None:
    _, issued = keys.create_workspace("Acme")
    keys.rotate_key(issued.key.key_id, timedelta(0))
    with pytest.raises(UnauthorizedError):
        container(keys, clock).authenticate(bearer(issued.secret.get_secret_value()))


def test_no_model_shown_to_operators_carries_the_secret(keys: KeyRepository) -> None:
    _, issued = keys.create_workspace("Acme")
    assert issued.secret.get_secret_value() not in repr(issued)
    assert set(ApiKey.model_fields) >= {"key_id", "prefix", "revoked_at", "expires_at"}


# ---------------------------------------------------------------- through the HTTP API


def test_the_api_refuses_a_revoked_key_in_a_new_container(api: Api) -> None:
    # Given a managed key that has been used against the API
    keys = KeyRepository(boto3.resource("dynamodb").Table(TABLE))
    _, issued = keys.create_workspace("Initech")
    secret = issued.secret.get_secret_value()
    assert api.call("GET", "/v1/storage", key=secret)[0] == 200
    # When it is revoked, the warm container still serves it from its cache (within the TTL) …
    keys.revoke_key(issued.key.key_id)
    assert api.call("GET", "/v1/storage", key=secret)[0] == 200
    # … and a new container refuses it
    wiring.api_services.cache_clear()
    status, answer = api.call("GET", "/v1/storage", key=secret)
    assert status == 401 and answer["error"]["code"] == "unauthorized"
