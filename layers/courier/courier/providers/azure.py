"""Azure Blob Storage: block blobs in a container of a storage account, with the account key, a SAS token, or a
connection string. ``endpoint`` serves Azurite and sovereign clouds (default ``https://<account>.blob.core.windows.net``).
Azure keeps Content-Type, Content-Disposition, Cache-Control and metadata, and writes conditionally (If-None-Match);
blob index tags, access tiers, SSE-KMS and public ACLs are not offered here, so asking for them is refused."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr, StringConstraints

from courier.destinations.base import Destination, DestinationError, PermanentDeliveryError
from courier.errors import UnprocessableError
from courier.models import RequestModel
from courier.providers.base import Build, Capabilities, Provider, SaveContext, Saved
from courier.providers.models import StorageSettings
from courier.records import DeliveryTarget, StorageRecord

if TYPE_CHECKING:
    from courier.destinations.registry import DestinationFactory

AccountName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{3,24}$")]
Secret = Annotated[SecretStr, Field(min_length=1, max_length=4096)]


NAMES_ACCOUNT = re.compile("(^|;)(BlobEndpoint|AccountName)=[^;]")


def _names_its_account(value: SecretStr) -> SecretStr:
    if not NAMES_ACCOUNT.search(value.get_secret_value()):
        raise ValueError("a connection string names its AccountName or its BlobEndpoint")
    return value


class AzureKeyAuth(RequestModel):
    type: Literal["key"]
    account_name: AccountName
    account_key: Secret


class AzureSasAuth(RequestModel):
    """A SAS token (account or container SAS) allowing create, write, read and delete: the probe does all four."""

    type: Literal["sas"]
    account_name: AccountName
    sas_token: Secret


class AzureConnectionStringAuth(RequestModel):
    type: Literal["connectionString"]
    # It names its account (AccountName=…) or its blob endpoint (BlobEndpoint=…), among other `key=value;` pairs.
    connection_string: Annotated[
        SecretStr,
        Field(min_length=1, max_length=4096, json_schema_extra={"pattern": NAMES_ACCOUNT.pattern}),
        AfterValidator(_names_its_account),
    ]


class AzureStorageRequest(StorageSettings):
    provider: Literal["azure"]
    container: Annotated[str, StringConstraints(min_length=3, max_length=63, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    endpoint: Annotated[str, StringConstraints(max_length=255)] | None = None
    auth: Annotated[AzureKeyAuth | AzureSasAuth | AzureConnectionStringAuth, Field(discriminator="type")]


def connection_endpoint(connection_string: str) -> str | None:
    """The blob endpoint a connection string points at (BlobEndpoint, or its account and endpoint suffix)."""
    parts = dict(p.split("=", 1) for p in connection_string.split(";") if "=" in p)
    if parts.get("BlobEndpoint"):
        return parts["BlobEndpoint"]
    if parts.get("AccountName"):
        scheme = parts.get("DefaultEndpointsProtocol", "https")
        return f"{scheme}://{parts['AccountName']}.blob.{parts.get('EndpointSuffix', 'core.windows.net')}"
    return None


def _save(request: AzureStorageRequest, context: SaveContext) -> Saved:
    auth = request.auth
    if isinstance(auth, AzureConnectionStringAuth):
        if request.endpoint is not None:
            raise UnprocessableError.at("endpoint", "a connection string names its own endpoint: give only it")
        endpoint = connection_endpoint(auth.connection_string.get_secret_value())
        if endpoint is None:
            raise UnprocessableError.at("auth.connectionString", "it names no BlobEndpoint nor AccountName")
        context.check_endpoint(endpoint)
        return Saved(
            fields={"bucket": request.container},
            auth_type=auth.type,
            secret={"connection_string": auth.connection_string.get_secret_value()},
        )
    if request.endpoint is not None:
        context.check_endpoint(request.endpoint)
    secret = {"account_name": auth.account_name}
    if isinstance(auth, AzureKeyAuth):
        secret["account_key"] = auth.account_key.get_secret_value()
    else:
        secret["sas_token"] = auth.sas_token.get_secret_value()
    return Saved(
        fields={"bucket": request.container, "endpoint": request.endpoint, "account_id": auth.account_name},
        auth_type=auth.type,
        secret=secret,
    )


def _show(record: StorageRecord) -> dict[str, str | None]:
    return {"container": record.bucket, "account_name": record.account_id, "endpoint": record.endpoint}


def _probe_field(error: DestinationError, secret: dict[str, str] | None) -> str:
    return "container" if error.reason.startswith(("ContainerNotFound", "InvalidResourceName")) else "auth"


def adapter(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
    from courier.destinations.azure import AzureBlobDestination
    from courier.destinations.azure_client import build_azure_client

    if target.bucket is None:
        raise PermanentDeliveryError("the storage has no container")
    secret = factory.secret(target, build.secret)
    connection_string = secret.get("connection_string")
    endpoint = connection_endpoint(connection_string) if connection_string else target.endpoint
    if endpoint is not None:
        factory.check_endpoint(endpoint)
    t = factory.transport
    client = build_azure_client(
        account_name=secret.get("account_name"),
        account_key=secret.get("account_key"),
        sas_token=secret.get("sas_token"),
        connection_string=connection_string,
        endpoint=None if connection_string else target.endpoint,
        container=target.bucket,
        connect_timeout=t.connect_timeout,
        read_timeout=t.read_timeout,
        sdk_attempts=t.sdk_attempts,
    )
    return AzureBlobDestination(client, probe_prefix=build.probe_prefix)


PROVIDER = Provider(
    name="azure",
    display="Azure Blob Storage",
    metric="azure",
    capabilities=Capabilities(headers=True, metadata=True, conditional_writes=True),
    adapter=adapter,
    request=AzureStorageRequest,
    shown=("container", "account_name", "endpoint"),
    saver=_save,
    shower=_show,
    probe_field=_probe_field,
    metadata_rule=lambda metadata: _metadata_problem(metadata),
    metadata_names="^[A-Za-z_][A-Za-z0-9_]*$",  # C# identifiers
)


def _metadata_problem(metadata: dict[str, str]) -> str | None:
    from courier.destinations.azure import metadata_problem  # Azure's names are C# identifiers: no "-"

    return metadata_problem(metadata)
