"""Azure client: the ContainerClient an AzureBlobDestination writes through, with exactly one form of credentials.

An account key or a SAS token (each with the account name) or a connection string (which names its own endpoint);
the SDK's own retries are kept short (our delivery loop decides about retrying) and its single-put limit is set
here. A settings problem is a PermanentDeliveryError whose reason never quotes a credential.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from azure.storage.blob import ContainerClient

from courier.destinations.base import PermanentDeliveryError

MiB = 1024 * 1024
SINGLE_PUT_LIMIT = 64 * MiB  # the SDK's max_single_put_size (set by build_azure_client): above it, upload_blob chunks
ACCOUNT = re.compile(r"[a-z0-9]{3,24}")


def build_azure_client(
    *,
    account_name: str | None,
    account_key: str | None,
    sas_token: str | None,
    connection_string: str | None,
    endpoint: str | None,
    container: str,
    connect_timeout: float,
    read_timeout: float,
    sdk_attempts: int,
) -> ContainerClient:
    """A client for one container, with exactly one form of credentials: an account key, a SAS token (each with the
    account name) or a connection string (which names its own endpoint). The SDK's own retries stay short (our
    delivery loop decides about retrying; its default first backoff is 15 s). Raises PermanentDeliveryError when the
    settings cannot make a client; a reason never quotes a credential."""
    given = [form for form, value in (("key", account_key), ("sas", sas_token), ("cs", connection_string)) if value]
    if len(given) != 1:
        raise PermanentDeliveryError("give exactly one of an account key, a SAS token or a connection string")
    options: dict[str, Any] = {"connection_timeout": connect_timeout, "read_timeout": read_timeout}
    options |= {"retry_total": max(sdk_attempts - 1, 0), "initial_backoff": 1, "increment_base": 2}  # 0-2 s, 2-4 s…
    options |= {"random_jitter_range": 1, "max_single_put_size": SINGLE_PUT_LIMIT, "user_agent": "RenderCourier/1.0"}
    try:
        if connection_string:
            if account_name or endpoint:
                raise PermanentDeliveryError("a connection string names its own account and endpoint: give only it")
            return ContainerClient.from_connection_string(connection_string, container, **options)
        if not account_name or not ACCOUNT.fullmatch(account_name):
            raise PermanentDeliveryError("the account name must be 3 to 24 lowercase letters and digits")
        url = (endpoint or f"https://{account_name}.blob.core.windows.net").rstrip("/")
        if account_key:
            credential: Any = {"account_name": account_name, "account_key": account_key}
        else:
            credential = (sas_token or "").lstrip("?")
            if "sig" not in parse_qs(credential):
                raise PermanentDeliveryError("the SAS token has no signature (sig=): give the whole token")
        return ContainerClient(url, container, credential=credential, **options)
    except ValueError as exc:  # the SDK's: malformed connection string or endpoint (its message may quote them)
        raise PermanentDeliveryError("the storage's endpoint or connection string is not valid") from exc
