"""API keys: resolved to the workspace they belong to; revoked and rotated-out keys are refused."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from courier.accounts.apikey import generate_api_key, hash_api_key
from courier.accounts.keys import KeyRepository
from courier.errors import UnauthorizedError

__all__ = ["ApiKeyAuthenticator", "generate_api_key", "hash_api_key", "provision_workspace"]

MAX_KEY_LENGTH = 256
INVALID = "missing or invalid API key: send Authorization: Bearer <api key>"
EXPIRED = "this API key was replaced and its grace period has ended: use the new key"
REVOKED = "this API key has been revoked: ask your workspace admin for a new one"


def provision_workspace(keys: KeyRepository, name: str, key: str | None = None) -> tuple[str, str]:
    """Create a workspace with one API key; returns (workspace id, the key — shown once, stored hashed). The key has
    an id and can be listed, revoked and rotated with ``courier_tools.admin``. ``key`` seeds a known one (local
    stack)."""
    workspace, issued = keys.create_workspace(name, key)
    return workspace.workspace_id, issued.secret.get_secret_value()


class _Cached(NamedTuple):
    workspace_id: str
    until: float  # on the monotonic clock
    expires_at: datetime | None  # a rotated-out key's end, on the wall clock


class ApiKeyAuthenticator:
    """Resolves ``Authorization: Bearer <key>`` to a workspace id, with a short per-container cache.

    A revoked key keeps working in a warm container until its cache entry ends (``cache_seconds``); a rotated-out
    key is refused from its ``expires_at`` on, cached or not. Raises ``UnauthorizedError``.
    """

    def __init__(
        self,
        keys: KeyRepository,
        cache_seconds: int,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._keys = keys
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._now = now
        self._cache: dict[str, _Cached] = {}

    def authenticate(self, authorization: str | None) -> str:
        key = _bearer(authorization)
        if key is None:
            raise UnauthorizedError(INVALID)
        digest = hash_api_key(key)
        cached = self._cache.get(digest)
        if cached and cached.until > self._clock():
            _check_expiry(cached.expires_at, self._now())
            return cached.workspace_id
        self._cache.pop(digest, None)
        record = self._keys.get_api_key(digest)
        # The lookup is by hash; the constant-time compare keeps timing independent of how much of it matched.
        if record is None or not hmac.compare_digest(record.key_hash, digest):
            raise UnauthorizedError(INVALID)
        if record.revoked_at is not None:  # revoking deletes the item; this covers a half-applied change
            raise UnauthorizedError(REVOKED)
        _check_expiry(record.expires_at, self._now())
        self._cache[digest] = _Cached(record.workspace_id, self._clock() + self._cache_seconds, record.expires_at)
        return record.workspace_id


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and now >= expires_at:
        raise UnauthorizedError(EXPIRED)


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or len(key) > MAX_KEY_LENGTH:
        return None
    return key
