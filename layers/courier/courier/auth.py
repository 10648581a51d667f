"""API keys: generated once, stored only as SHA-256 hashes, resolved to the workspace they belong to."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from courier.errors import UnauthorizedError
from courier.models import ApiKeyRecord
from courier.store import Store

KEY_PREFIX = "rc_"
MAX_KEY_LENGTH = 256


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def provision_workspace(store: Store, name: str, key: str | None = None) -> tuple[str, str]:
    """Create a workspace with one API key; returns (workspace id, the key — shown once, stored hashed)."""
    workspace_id = uuid.uuid4().hex[:16]
    key = key or generate_api_key()
    store.put_workspace(workspace_id, name)
    store.put_api_key(
        ApiKeyRecord(
            key_hash=hash_api_key(key), workspace_id=workspace_id, prefix=key[:7], created_at=datetime.now(UTC)
        )
    )
    return workspace_id, key


class ApiKeyAuthenticator:
    """Resolves ``Authorization: Bearer <key>`` to a workspace id, with a short per-container cache."""

    def __init__(self, store: Store, cache_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[str, float]] = {}

    def authenticate(self, authorization: str | None) -> str:
        key = _bearer(authorization)
        if key is None:
            raise UnauthorizedError("missing or invalid API key: send Authorization: Bearer <api key>")
        digest = hash_api_key(key)
        cached = self._cache.get(digest)
        if cached and cached[1] > self._clock():
            return cached[0]
        record = self._store.get_api_key(digest)
        # The lookup is by hash; the constant-time compare keeps timing independent of how much of it matched.
        if record is None or not hmac.compare_digest(record.key_hash, digest):
            raise UnauthorizedError("missing or invalid API key: send Authorization: Bearer <api key>")
        self._cache[digest] = (record.workspace_id, self._clock() + self._cache_seconds)
        return record.workspace_id


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or len(key) > MAX_KEY_LENGTH:
        return None
    return key
