"""Customer credentials: kept in Secrets Manager, referenced by ARN from the table, never stored in clear."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider
from botocore.exceptions import ClientError
from pydantic import SecretStr

if TYPE_CHECKING:
    from types_boto3_secretsmanager.client import SecretsManagerClient


class CredentialStore:
    """Write side (render function): create, replace and delete a storage's secret. It never reads one back."""

    def __init__(self, client: SecretsManagerClient, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def save(self, workspace_id: str, storage: str, secret: dict[str, SecretStr]) -> str:
        """Store the secret under a deterministic name and return its ARN."""
        name = f"{self._prefix}{workspace_id}/storage/{storage}"
        payload = json.dumps({field: value.get_secret_value() for field, value in secret.items()})
        try:
            return str(self._client.put_secret_value(SecretId=name, SecretString=payload)["ARN"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
        answer = self._client.create_secret(
            Name=name,
            SecretString=payload,
            Description="Render Courier storage credentials",
            Tags=[{"Key": "courier:workspace", "Value": workspace_id}, {"Key": "courier:storage", "Value": storage}],
        )
        return str(answer["ARN"])

    def delete(self, secret_id: str) -> None:
        # Without a recovery window: a storage saved again under the same name must be able to create it anew.
        try:
            self._client.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise


class CredentialReader:
    """Read side (deliver function), cached per warm container so a render's pages share one lookup."""

    def __init__(self, client: SecretsManagerClient, max_age_seconds: int = 60) -> None:
        self._provider = SecretsProvider(boto3_client=client)
        # Powertools caches by name alone: the version before the current one needs a cache of its own.
        self._previous = SecretsProvider(boto3_client=client)
        self._max_age = max_age_seconds

    def load(self, secret_id: str) -> dict[str, SecretStr]:
        return _fields(self._provider.get(secret_id, max_age=self._max_age, transform="json"))

    def load_previous(self, secret_id: str) -> dict[str, SecretStr]:
        """The version the last PutSecretValue replaced (Secrets Manager's AWSPREVIOUS): what a rotation made by a
        writer that may not read (the render function) leaves for the overlap."""
        raw = self._previous.get(secret_id, max_age=self._max_age, transform="json", VersionStage="AWSPREVIOUS")
        return _fields(raw)


def _fields(raw: Any) -> dict[str, SecretStr]:
    if not isinstance(raw, dict):
        raise ValueError("stored credentials are not a JSON object")
    return {field: SecretStr(str(value)) for field, value in raw.items()}
