"""Webhook signing secrets: each workspace's ``whsec_`` secret in Secrets Manager, and what an event is signed with.

The secret lives at ``<prefix><workspace>/webhook`` as JSON ``{"current", "previous", "previousUntil"}``. The deliver
side only reads it (cached per warm container); operators and the workspace itself create and rotate it, write-only.
During a rotation's grace period events are signed with the old secret as well as the new one; past it, or when the
old one cannot be read, with the current secret alone. No value is ever logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from pydantic import SecretStr

from courier.secrets.credentials import CredentialReader
from courier.webhooks.signing import generate_secret

if TYPE_CHECKING:
    from types_boto3_secretsmanager.client import SecretsManagerClient


class WebhookSecretError(Exception):
    """The workspace's signing secret could not be had. ``retryable``: Secrets Manager failed for now; otherwise the
    workspace has no secret (an operator runs ``python -m courier_tools.admin webhook set``)."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class SigningSecrets:
    """What an event is signed with: the current secret, and during a rotation's grace period the previous one."""

    current: SecretStr
    previous: SecretStr | None = None


class WebhookSecrets:
    """A workspace's webhook secret in Secrets Manager, at ``<prefix><workspace>/webhook`` (under the prefix the
    deliver function may read), as JSON ``{"current", "previous", "previousUntil"}``.

    The deliver side reads through ``reader`` (cached per warm container, so a rotation reaches it within the cache
    age); the admin side writes with ``client``. Neither ever logs a value.
    """

    def __init__(
        self, prefix: str, *, client: SecretsManagerClient | None = None, reader: CredentialReader | None = None
    ) -> None:
        self._prefix = prefix
        self._client = client
        self._reader = reader

    def name(self, workspace_id: str) -> str:
        return f"{self._prefix}{workspace_id}/webhook"

    def _writer(self) -> SecretsManagerClient:
        if self._client is None:
            raise RuntimeError("WebhookSecrets was built without a client")
        return self._client

    def signing(self, workspace_id: str, now: datetime) -> SigningSecrets:
        """The secrets to sign with now. Raises WebhookSecretError."""
        if self._reader is None:
            raise RuntimeError("WebhookSecrets was built without a reader")
        try:
            stored = self._reader.load(self.name(workspace_id))
        except Exception as exc:  # Powertools wraps every SDK error in GetParameterError: look at its text
            if "ResourceNotFound" in repr(exc) or "not found" in str(exc).lower():
                raise WebhookSecretError(
                    "the workspace has no webhook secret: an operator runs `python -m courier_tools.admin webhook set`",
                    retryable=False,
                ) from None
            raise WebhookSecretError(
                f"the webhook secret could not be read ({type(exc).__name__})", retryable=True
            ) from None
        current = stored.get("current")
        if current is None or not current.get_secret_value():
            raise WebhookSecretError("the stored webhook secret is malformed: rotate it", retryable=False)
        until = stored.get("previousUntil")
        try:
            overlapping = until is not None and now < datetime.fromisoformat(until.get_secret_value())
        except ValueError:
            overlapping = False
        if not overlapping:
            return SigningSecrets(current)
        # The rotated-out secret: inline when the rotation read it (older items), else the version it replaced.
        previous = stored.get("previous")
        if previous is None:
            try:
                previous = self._reader.load_previous(self.name(workspace_id)).get("current")
            except Exception:
                previous = None  # gone or unreadable: sign with the current secret alone rather than not at all
        return SigningSecrets(current, previous)

    def create(self, workspace_id: str) -> tuple[SecretStr, str]:
        """A new secret for a workspace that has none (or none anyone was shown): (the secret, its name)."""
        secret = SecretStr(generate_secret())
        name = self.name(workspace_id)
        payload = json.dumps({"current": secret.get_secret_value()})
        client = self._writer()
        try:
            client.create_secret(
                Name=name,
                SecretString=payload,
                Description="Render Courier webhook signing secret",
                Tags=[{"Key": "courier:workspace", "Value": workspace_id}, {"Key": "courier:kind", "Value": "webhook"}],
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceExistsException":
                raise
            # Left by a `webhook set` that stopped before recording it: nobody was shown it, so replace it.
            client.put_secret_value(SecretId=name, SecretString=payload)
        return secret, name

    def rotate(self, workspace_id: str, previous_until: datetime | None) -> SecretStr:
        """Replace the current secret; the old one keeps signing until ``previous_until`` (None: not at all).

        Write-only, so the render function (which never reads a secret) can rotate: the new version says until when
        the overlap lasts, and the old secret stays readable by the deliver side as the AWSPREVIOUS version."""
        secret = SecretStr(generate_secret())
        value: dict[str, str] = {"current": secret.get_secret_value()}
        if previous_until is not None:
            value["previousUntil"] = previous_until.isoformat()
        self._writer().put_secret_value(SecretId=self.name(workspace_id), SecretString=json.dumps(value))
        return secret
