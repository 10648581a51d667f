"""API keys and workspaces as values: how a key is generated and hashed, and what is stored of it.

The full key exists only at the moment it is issued (``IssuedKey``); the table keeps its SHA-256 and a short prefix,
enough to tell keys apart and far too little to guess one. Storing, listing, revoking and rotating keys is
``keys.py``'s.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from courier.records import ApiKeyRecord

KEY_PREFIX = "rc_"
PREFIX_LENGTH = 7  # "rc_" and four random characters: enough to tell keys apart, far too little to guess one

KeyStatus = Literal["active", "rotating", "expired", "revoked"]


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_workspace_id() -> str:
    return secrets.token_hex(8)


def new_key_id() -> str:
    return "key_" + secrets.token_hex(8)


class ApiKey(ApiKeyRecord):
    """A stored key: everything but the key itself. ``key_hash`` never leaves the service (never printed)."""

    key_id: str
    name: str = "default"
    expires_at: datetime | None = None  # set by a rotation: the key works until then
    replaced_by: str | None = None  # the key id that replaced it
    revoked_at: datetime | None = None

    def status(self, now: datetime) -> KeyStatus:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None:
            return "rotating" if now < self.expires_at else "expired"
        return "active"

    @property
    def display_prefix(self) -> str:
        return f"{self.prefix}…"


class Workspace(BaseModel):
    model_config = ConfigDict(extra="ignore")

    workspace_id: str
    name: str
    created_at: datetime


class IssuedKey(BaseModel):
    """A key just created: the only moment the full key exists outside the caller's hands."""

    key: ApiKey
    secret: SecretStr
