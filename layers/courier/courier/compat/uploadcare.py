"""Uploadcare's REST API edge for remote copy: its key pairs, both of its auth schemes, and its answer shapes.

A workspace makes key pairs with ``POST /v1/compat/uploadcare/keys`` (Bearer auth). The public key finds the pair;
the secret is kept two ways: a SHA-256 digest for ``Uploadcare.Simple <public>:<secret>``, and sealed with KMS (an
encryption context the render role alone may open, ``purpose=uploadcare-key``) for the signed scheme
``Uploadcare <public>:<hex HMAC-SHA1(secret, "<METHOD>\\n<md5 of body>\\n<Content-Type>\\n<Date>\\n<path?query>")>``,
whose HMAC needs the secret itself. A revoked pair is deleted and stops at once (no cache).

Items: ``UCKEY#<public>`` / ``UCKEY`` (the pair), and ``WS#<workspace>`` / ``UCKEY#<public>`` (the listing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from pydantic import Field

from courier.errors import NotFoundError, UnauthorizedError
from courier.models import ApiModel
from courier.persistence.table import text

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table
    from types_boto3_kms.client import KMSClient

PATHS = frozenset({"/files/remote_copy/", "/files/remote_copy"})
PURPOSE = "uploadcare-key"
DATE_TOLERANCE = timedelta(minutes=15)
# The SDK writes `%a, %d %b %Y, %H:%M:%S GMT` (a comma after the year); RFC 7231's form is accepted too.
SDK_DATE = "%a, %d %b %Y, %H:%M:%S GMT"
INVALID = "Incorrect authentication credentials."


class UploadcareKeyCreated(ApiModel):
    """A new key pair. The secret key is answered this once: it cannot be shown again."""

    public_key: str = Field(description="Uploadcare's `public_key` (UPLOADCARE_PUBLIC_KEY)")
    secret_key: str = Field(description="Uploadcare's `secret_key` (UPLOADCARE_SECRET_KEY): shown once")


class UploadcareKeyInfo(ApiModel):
    public_key: str
    created_at: datetime


class UploadcareKeyList(ApiModel):
    keys: list[UploadcareKeyInfo]


@dataclass(frozen=True)
class UploadcareKeyPair:
    public_key: str
    workspace_id: str
    created_at: datetime


class UploadcareKeys:
    """Key pairs in the table; secrets sealed with the deployment's KMS key (``key_id``)."""

    def __init__(
        self, table: Table, kms: KMSClient, key_id: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ):
        self._table = table
        self._kms = kms
        self._key_id = key_id
        self._now = now

    def create(self, workspace_id: str) -> tuple[UploadcareKeyPair, str]:
        """A new pair: (the pair, its secret key — answered once)."""
        if not self._key_id:
            raise NotFoundError("Uploadcare key pairs are not enabled on this deployment")
        public, secret = secrets.token_hex(10), secrets.token_hex(20)
        sealed = self._kms.encrypt(KeyId=self._key_id, Plaintext=secret.encode(), EncryptionContext=_context(public))[
            "CiphertextBlob"
        ]
        pair = UploadcareKeyPair(public, workspace_id, self._now())
        fields = {"workspace_id": workspace_id, "created_at": pair.created_at.isoformat()}
        client = self._table.meta.client
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self._table.name,
                        "Item": {
                            "pk": f"UCKEY#{public}",
                            "sk": "UCKEY",
                            **fields,
                            "secret_hash": _digest(secret),
                            "secret_sealed": base64.b64encode(sealed).decode(),
                        },
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table.name,
                        "Item": {"pk": f"WS#{workspace_id}", "sk": f"UCKEY#{public}", **fields},
                    }
                },
            ]
        )
        return pair, secret

    def list(self, workspace_id: str) -> list[UploadcareKeyPair]:
        answer = self._table.query(
            KeyConditionExpression=Key("pk").eq(f"WS#{workspace_id}") & Key("sk").begins_with("UCKEY#")
        )
        return [
            UploadcareKeyPair(
                text(item, "sk").removeprefix("UCKEY#"), workspace_id, datetime.fromisoformat(text(item, "created_at"))
            )
            for item in answer.get("Items", [])
        ]

    def revoke(self, workspace_id: str, public_key: str) -> None:
        item = self._pair(public_key)
        if item is None or item["workspace_id"] != workspace_id:
            raise NotFoundError("no such Uploadcare key pair in this workspace")
        client = self._table.meta.client
        client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": self._table.name, "Key": {"pk": f"UCKEY#{public_key}", "sk": "UCKEY"}}},
                {
                    "Delete": {
                        "TableName": self._table.name,
                        "Key": {"pk": f"WS#{workspace_id}", "sk": f"UCKEY#{public_key}"},
                    }
                },
            ]
        )

    def _pair(self, public_key: str) -> dict[str, Any] | None:
        if not public_key or len(public_key) > 64:
            return None
        item = self._table.get_item(Key={"pk": f"UCKEY#{public_key}", "sk": "UCKEY"}, ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def workspace_for_secret(self, public_key: str, secret: str) -> str:
        """``Uploadcare.Simple``: the pair's workspace when ``secret`` is its secret. Raises UnauthorizedError."""
        item = self._pair(public_key)
        if item is None or not hmac.compare_digest(str(item["secret_hash"]), _digest(secret)):
            raise UnauthorizedError(INVALID)
        return str(item["workspace_id"])

    def workspace_for_signature(self, public_key: str, signature: str, signed: bytes) -> str:
        """The signed scheme: the pair's workspace when ``signature`` is the HMAC-SHA1 of ``signed`` under its
        secret. Raises UnauthorizedError."""
        item = self._pair(public_key)
        if item is None:
            raise UnauthorizedError(INVALID)
        try:
            secret = self._kms.decrypt(
                CiphertextBlob=base64.b64decode(str(item["secret_sealed"])), EncryptionContext=_context(public_key)
            )["Plaintext"]
        except Exception:
            raise UnauthorizedError(INVALID) from None
        expected = hmac.new(secret, signed, hashlib.sha1).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
            raise UnauthorizedError(INVALID)
        return str(item["workspace_id"])


class UploadcareAuthenticator:
    """Resolves a request carrying Uploadcare's Authorization header to a workspace id. Raises UnauthorizedError."""

    def __init__(self, keys: UploadcareKeys, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._keys = keys
        self._now = now

    def authenticate(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> str:
        """``path`` is the request's raw path with its query string, as the client signed it; ``headers`` have
        lowercase names."""
        scheme, _, credentials = (headers.get("authorization") or "").partition(" ")
        public_key, sep, proof = credentials.strip().partition(":")
        if not sep or not public_key or not proof:
            raise UnauthorizedError(INVALID)
        if scheme == "Uploadcare.Simple":
            return self._keys.workspace_for_secret(public_key, proof)
        if scheme != "Uploadcare":
            raise UnauthorizedError(INVALID)
        date = headers.get("date") or ""
        self._check_date(date)
        signed = "\n".join(
            [method.upper(), hashlib.md5(body).hexdigest(), headers.get("content-type") or "", date, path]  # noqa: S324 - Uploadcare's canonical string
        )
        return self._keys.workspace_for_signature(public_key, proof, signed.encode())

    def _check_date(self, value: str) -> None:
        try:
            sent = datetime.strptime(value, SDK_DATE).replace(tzinfo=UTC)
        except ValueError:
            try:
                sent = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                raise UnauthorizedError("the Date header is missing or malformed") from None
        if sent.tzinfo is None or abs(self._now() - sent) > DATE_TOLERANCE:
            raise UnauthorizedError("the Date header is more than 15 minutes from our clock")


def is_uploadcare_path(path: str) -> bool:
    return path in PATHS


def uploadcare_authorization(headers: Mapping[str, str]) -> bool:
    return (headers.get("authorization") or "").startswith(("Uploadcare ", "Uploadcare.Simple "))


def _context(public_key: str) -> dict[str, str]:
    return {"purpose": PURPOSE, "public_key": public_key}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def to_uploadcare(result: dict[str, Any]) -> dict[str, Any]:
    """An API Gateway result of the remote copy route in Uploadcare's error shape: ``{"detail": "…"}``, and a 400
    for a request it refuses as invalid (Uploadcare has no 422). Successful answers are already its shape."""
    status = int(result.get("statusCode", 200))
    if status < 400:
        return result
    try:
        message = str(json.loads(result.get("body") or "{}")["error"]["message"])
    except (ValueError, KeyError, TypeError):
        message = "the request failed"
    headers = {name: value for name, value in (result.get("headers") or {}).items() if name.lower() != "content-type"}
    return result | {
        "statusCode": 400 if status == 422 else status,
        "headers": headers | {"Content-Type": "application/json"},
        "body": json.dumps({"detail": message}),
        "isBase64Encoded": False,
    }
