"""Secrets that arrive inside a render request (presigned URLs, inline bucket keys): sealed with KMS under an
encryption context of workspace and render, kept only on the delivery item, dropped once it is final."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from courier.errors import UnprocessableError

if TYPE_CHECKING:
    from types_boto3_kms.client import KMSClient

MAX_SEALED_BYTES = 4096  # KMS Encrypt's plaintext limit


class Sealer:
    def __init__(self, client: KMSClient, key_id: str | None) -> None:
        self._client = client
        self._key_id = key_id

    def seal(self, secret: dict[str, Any], workspace_id: str, render_id: str, field_path: str) -> str:
        if not self._key_id:
            raise UnprocessableError.at(field_path, "inline secrets are not enabled on this deployment")
        plaintext = json.dumps(secret, separators=(",", ":")).encode()
        if len(plaintext) > MAX_SEALED_BYTES:
            raise UnprocessableError.at(field_path, f"over {MAX_SEALED_BYTES} bytes with its headers")
        answer = self._client.encrypt(
            KeyId=self._key_id,
            Plaintext=plaintext,
            EncryptionContext={"workspace": workspace_id, "render": render_id},
        )
        return base64.b64encode(answer["CiphertextBlob"]).decode()

    def unseal(self, sealed: str, workspace_id: str, render_id: str) -> dict[str, Any]:
        """Raises PermissionError when the context does not match (a sealed value moved to another render)."""
        try:
            answer = self._client.decrypt(
                CiphertextBlob=base64.b64decode(sealed),
                EncryptionContext={"workspace": workspace_id, "render": render_id},
            )
        except ClientError as exc:
            raise PermissionError("the sealed secret could not be opened") from exc
        value = json.loads(answer["Plaintext"])
        if not isinstance(value, dict):
            raise PermissionError("the sealed secret is not an object")
        return value
