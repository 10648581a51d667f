"""Google Cloud Storage, with a service account's key (the JSON API through google-cloud-storage: resumable uploads in
chunks, ``ifGenerationMatch=0`` for ifExists) or HMAC keys (GCS's S3-compatible XML API, through the S3 adapter:
HMAC keys sign only XML API requests). ``endpoint`` serves emulators and private endpoints. GCS keeps Content-Type,
Content-Disposition, Cache-Control and metadata; its storage classes, CMEK and ACLs are not offered here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from courier.destinations.base import Destination, DestinationError, PermanentDeliveryError
from courier.errors import UnprocessableError
from courier.models import AccessKeyId, RequestModel
from courier.providers import s3
from courier.providers.base import Build, Capabilities, Provider, SaveContext, Saved
from courier.providers.models import StorageSettings
from courier.records import DeliveryTarget

if TYPE_CHECKING:
    from courier.destinations.registry import DestinationFactory

XML_API = "https://storage.googleapis.com"  # where HMAC keys sign (S3-compatible)
MAX_KEY_FILE = 16 * 1024


class ServiceAccountKey(BaseModel):
    """A service account's key file, as Google Cloud's console downloads it (its other fields are kept as given)."""

    model_config = ConfigDict(extra="allow", strict=True)

    type: Literal["service_account"]
    client_email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    private_key: Annotated[str, StringConstraints(min_length=1, max_length=8192)] = Field(repr=False)
    token_uri: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(
        description="Google's token endpoint (https://oauth2.googleapis.com/token)"
    )


class GcsServiceAccountAuth(RequestModel):
    """The service account's key file, as downloaded (JSON). It needs storage.objects.create, get and delete."""

    type: Literal["serviceAccount"]
    credentials: ServiceAccountKey


class GcsHmacAuth(RequestModel):
    type: Literal["hmac"]
    access_key_id: AccessKeyId
    secret_access_key: Annotated[SecretStr, Field(min_length=1, max_length=256)]


class GcsStorageRequest(StorageSettings):
    provider: Literal["gcs"]
    bucket: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")]
    endpoint: Annotated[str, StringConstraints(max_length=255)] | None = None
    auth: Annotated[GcsServiceAccountAuth | GcsHmacAuth, Field(discriminator="type")]


def _save(request: GcsStorageRequest, context: SaveContext) -> Saved:
    s3.check_own_bucket(request.bucket, context)
    if request.endpoint is not None:
        context.check_endpoint(request.endpoint)
    auth = request.auth
    if isinstance(auth, GcsHmacAuth):
        if request.if_exists in ("skip", "fail"):
            raise UnprocessableError.at(
                "ifExists", "with HMAC keys (GCS's XML API) only overwrite: a conditional write needs a service account"
            )
        secret = {
            "access_key_id": auth.access_key_id.get_secret_value(),
            "secret_access_key": auth.secret_access_key.get_secret_value(),
        }
    else:
        key_file = json.dumps(auth.credentials.model_dump())
        if len(key_file) > MAX_KEY_FILE:
            raise UnprocessableError.at("auth.credentials", "a service account key file is a few KB, not this")
        secret = {"credentials": key_file}
    return Saved(fields={"bucket": request.bucket, "endpoint": request.endpoint}, auth_type=auth.type, secret=secret)


def _probe_field(error: DestinationError, secret: dict[str, str] | None) -> str:
    return "bucket" if error.reason.startswith(("NoSuchBucket", "NotFound", "the bucket")) else "auth"


def adapter(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
    if target.bucket is None:
        raise PermanentDeliveryError("the storage has no bucket")
    if target.auth_type == "hmac":
        if target.options.if_exists in ("skip", "fail"):
            # The XML API honours If-None-Match on reads only (writes take x-goog-if-generation-match): the S3
            # adapter's conditional write would silently overwrite there.
            raise PermanentDeliveryError("ifExists skip or fail needs a service account key (HMAC keys: overwrite)")
        return s3.adapter(factory, target.model_copy(update={"endpoint": target.endpoint or XML_API}), build)
    from courier.destinations.gcs import GcsDestination
    from courier.destinations.gcs_client import build_gcs_client

    secret = factory.secret(target, build.secret)
    if target.endpoint is not None:
        factory.check_endpoint(target.endpoint)
    t = factory.transport
    client = build_gcs_client(
        credentials_info=json.loads(secret["credentials"]),
        endpoint=target.endpoint,
        connect_timeout=t.connect_timeout,
        read_timeout=t.read_timeout,
        allow_local=factory.allow_local,
    )
    return GcsDestination(
        client, target.bucket, probe_prefix=build.probe_prefix, timeout=(t.connect_timeout, t.read_timeout)
    )


PROVIDER = Provider(
    name="gcs",
    display="Google Cloud Storage",
    metric="gcs",
    capabilities=Capabilities(headers=True, metadata=True, conditional_writes=True),
    adapter=adapter,
    scheme="gs",
    request=GcsStorageRequest,
    shown=("bucket", "endpoint"),
    saver=_save,
    probe_field=_probe_field,
)
