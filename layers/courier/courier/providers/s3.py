"""Amazon S3 and S3-compatible stores (MinIO, Wasabi, B2, SeaweedFS …, by ``endpoint``): keys, a role of the
customer's (ExternalId), or a bucket policy that grants our writer role's workspace-tagged sessions."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Annotated, Any, Literal

from botocore.config import Config
from botocore.exceptions import ClientError
from pydantic import Field, StringConstraints

from courier.destinations.base import Destination, DestinationError, PermanentDeliveryError
from courier.errors import UnprocessableError
from courier.models import AWS_KEY_ID_MIN, AccountId, BucketName, Region
from courier.platform import aws
from courier.providers.base import Build, Capabilities, Provider, SaveContext, Saved
from courier.providers.models import KeysAuth, PolicyAuth, RoleAuth, StoragePatch, StorageSettings
from courier.records import DeliveryTarget, StorageRecord

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client

    from courier.destinations.registry import DestinationFactory

# The SDK's own retries stay short: our delivery loop decides about retrying, and a Lambda retry follows.
CUSTOMER_S3 = Config(
    signature_version="s3v4",
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=10,
    read_timeout=60,
    max_pool_connections=16,
)
# R2 and other S3-compatible stores reject boto3's default aws-chunked CRC32 trailers (boto3 >= 1.36).
COMPATIBLE_S3 = CUSTOMER_S3.merge(
    Config(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
)
# R2 takes UNSIGNED-PAYLOAD: no SHA-256 of the body in the signature, which for a body streamed from staging would
# make the SDK read it twice (once to sign, once to send). TLS protects the bytes on the way, and we verify the staged
# bytes ourselves. On AWS the SDK's CRC32 trailer already makes uploads unsigned; other S3-compatible stores keep
# signed payloads (some refuse unsigned ones), so files over a part go multipart there (see S3Destination).
R2_S3 = COMPATIBLE_S3.merge(Config(s3={"addressing_style": "path", "payload_signing_enabled": False}))
# Where the provider's answer points when a probe fails.
BUCKET_CODES = ("NoSuchBucket", "InvalidBucketName", "PermanentRedirect", "AllAccessDisabled", "AuthorizationHeader")
S3Auth = Annotated[KeysAuth | RoleAuth | PolicyAuth, Field(discriminator="type")]


class S3StorageRequest(StorageSettings):
    provider: Literal["s3"]
    bucket: BucketName
    region: Region = "us-east-1"
    # Another S3-compatible store (MinIO, Wasabi, B2 …): https, public address.
    endpoint: Annotated[str, StringConstraints(max_length=255)] | None = None
    bucket_owner: AccountId | None = None  # sent as ExpectedBucketOwner
    auth: S3Auth


# ---------------------------------------------------------------- saving a storage


def check_own_bucket(bucket: str, context: SaveContext) -> None:
    if bucket in context.own_buckets:
        raise UnprocessableError.at("bucket", "this bucket belongs to the service; use one of your own")


def keys_of(auth: KeysAuth | RoleAuth | PolicyAuth) -> dict[str, str] | None:
    if not isinstance(auth, KeysAuth):
        return None
    return {
        "access_key_id": auth.access_key_id.get_secret_value(),
        "secret_access_key": auth.secret_access_key.get_secret_value(),
    }


def _save(request: S3StorageRequest, context: SaveContext) -> Saved:
    check_own_bucket(request.bucket, context)
    if request.endpoint is not None:
        check_aws_auth(request.endpoint, request.auth.type)
        context.check_endpoint(request.endpoint)
    else:
        check_aws_key_id(request.auth, "auth.accessKeyId")
    return Saved(
        fields={
            "bucket": request.bucket,
            "region": request.region,
            "endpoint": request.endpoint,
            "bucket_owner": request.bucket_owner,
        },
        auth_type=request.auth.type,
        secret=keys_of(request.auth),
        role_arn=request.auth.role_arn if isinstance(request.auth, RoleAuth) else None,
    )


def renew(record: StorageRecord, patch: StoragePatch) -> tuple[StorageRecord, dict[str, str] | None]:
    """PATCH with new credentials: keys, a role, or the bucket policy."""
    for field, value in (
        ("refreshToken", patch.refresh_token),
        ("appKey", patch.app_key),
        ("appSecret", patch.app_secret),
    ):
        if value is not None:
            raise UnprocessableError.at(field, f"a Dropbox credential; this is a {record.provider} storage: use auth")
    auth = patch.auth
    if auth is None:
        raise UnprocessableError.at("auth", "give the new credentials in auth")
    if record.provider == "s3" and record.endpoint is None:
        check_aws_key_id(auth, "auth.accessKeyId")
    if record.provider != "s3" and not isinstance(auth, KeysAuth):
        raise UnprocessableError.at("auth.type", f"{record.provider.upper()} storages use keys")
    check_aws_auth(record.endpoint, auth.type)
    updated = record.model_copy(
        update={"auth_type": auth.type, "role_arn": auth.role_arn if isinstance(auth, RoleAuth) else None}
    )
    return updated, keys_of(auth)


def check_aws_key_id(auth: KeysAuth | RoleAuth | PolicyAuth, field_path: str) -> None:
    """Amazon S3's key ids have 16 to 128 characters; S3-compatible stores (an endpoint) take shorter ones."""
    if isinstance(auth, KeysAuth) and len(auth.access_key_id.get_secret_value()) < AWS_KEY_ID_MIN:
        raise UnprocessableError.at(
            field_path, f"AWS access key ids have {AWS_KEY_ID_MIN} to 128 characters (shorter ones need an endpoint)"
        )


def check_aws_auth(endpoint: str | None, auth_type: str) -> None:
    """Our AWS sessions (the writer role's, or one of the customer's role) sign requests for Amazon S3 only: another
    endpoint would receive their access key id and session token."""
    if endpoint is not None and auth_type in {"policy", "role"}:
        raise UnprocessableError.at(
            "auth.type", f"{auth_type} auth is for Amazon S3 buckets; a storage with an endpoint uses keys"
        )


def probe_field(error: DestinationError, secret: dict[str, str] | None) -> str:
    if error.reason.startswith("Redirect"):
        return "endpoint"
    return "bucket" if error.reason.startswith(BUCKET_CODES) else "auth"


# ---------------------------------------------------------------- the client and the adapter


def client_config(target: DeliveryTarget) -> Config:
    """The client configuration for a storage: R2's, AWS's, or any other S3-compatible store's."""
    if target.provider == "r2":
        return R2_S3
    return CUSTOMER_S3 if target.endpoint is None else COMPATIBLE_S3


def new_client(region: str, endpoint: str | None, config: Config, keys: dict[str, str]) -> S3Client:
    client = aws.new_client("s3", region_name=region, endpoint_url=endpoint, config=config, **keys)
    if endpoint is not None:
        # botocore answers a 301/307 from S3 by looking the bucket's region up with a HEAD through the same client:
        # an endpoint that redirects everything made it recurse (~80 HEADs, then RecursionError). A redirect from
        # an S3-compatible endpoint is refused at once instead (AWS's own region redirects keep working).
        client.meta.events.register_first("needs-retry.s3", _refuse_redirect)
    return client


def _refuse_redirect(response: Any = None, operation: Any = None, **_: Any) -> None:
    http = response[0] if response else None
    status = getattr(http, "status_code", 0)
    if 300 <= status < 400:
        raise ClientError(
            {
                "Error": {"Code": "Redirect", "Message": f"the endpoint answered {status}: redirects are refused"},
                # No request made it: the metadata a real answer carries is empty (our readers use the status alone).
                "ResponseMetadata": {
                    "HTTPStatusCode": status,
                    "RequestId": "",
                    "HostId": "",
                    "HTTPHeaders": {},
                    "RetryAttempts": 0,
                },
            },
            getattr(operation, "name", "S3"),
        )


def adapter(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
    """An S3Destination whose client carries the right credentials, region and endpoint (kept per warm container
    when the factory reuses clients)."""
    from courier.destinations.s3 import S3Destination, S3Flavour

    if target.bucket is None:
        raise PermanentDeliveryError("the storage has no bucket")
    keys = _keys(factory, target, build)
    if target.endpoint is not None:
        factory.check_endpoint(target.endpoint)
    t = factory.transport
    config = client_config(target).merge(
        Config(
            connect_timeout=t.connect_timeout,
            read_timeout=t.read_timeout,
            retries={"mode": "standard", "total_max_attempts": t.sdk_attempts},
            max_pool_connections=max(16, t.s3_concurrency + 2),
        )
    )
    region = "auto" if target.provider == "r2" else (target.region or "us-east-1")
    # Keyed by everything the client is made of; the credentials by digest, not kept a second time in clear.
    digest = hashlib.sha256(json.dumps(sorted(keys.items())).encode()).hexdigest()
    client = factory.client(
        (target.provider, region, target.endpoint or "", digest),
        lambda: new_client(region, target.endpoint, config, keys),
    )
    return S3Destination(
        client,
        target.bucket,
        flavour=S3Flavour("r2" if target.provider == "r2" else "s3"),
        expected_owner=target.bucket_owner,
        probe_prefix=build.probe_prefix,
        # "policy" storages on AWS S3 are written by our writer role, which may also read its workspace's staging.
        server_side_copy=target.auth_type == "policy" and target.provider == "s3" and target.endpoint is None,
        part_size=t.s3_part_size,
        concurrency=t.s3_concurrency,
        # One PUT streamed from staging only where uploads go unsigned (AWS's CRC32 trailer, R2): a client that
        # signs the body's SHA-256 would read it ahead, i.e. read staging twice. Other stores: multipart.
        single_put_max=0 if client_config(target) is COMPATIBLE_S3 else t.s3_single_put_max,
    )


def _keys(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> dict[str, str]:
    if target.endpoint is not None and target.auth_type in {"policy", "role"}:
        # Never send our AWS sessions (or a customer's role's) to another endpoint.
        raise PermanentDeliveryError(f"{target.auth_type} auth is for Amazon S3: an S3-compatible endpoint needs keys")
    if target.auth_type == "policy":
        return factory.writer_session(build.workspace_id)
    if target.auth_type == "role":
        return factory.customer_role(target)
    if target.auth_type == "inline":
        secret = factory.unseal(target, build.workspace_id, build.render_id)
        keys: dict[str, str] = {
            k: str(secret[k]) for k in ("aws_access_key_id", "aws_secret_access_key") if k in secret
        }
        if keys:
            return keys
        if target.endpoint is not None:
            raise PermanentDeliveryError("an inline bucket on another endpoint (s3host) needs its keys")
        return factory.writer_session(build.workspace_id)  # no keys: the bucket grants us by policy
    secret_values = factory.secret(target, build.secret)
    return {
        "aws_access_key_id": secret_values["access_key_id"],
        "aws_secret_access_key": secret_values["secret_access_key"],
    }


PROVIDER = Provider(
    name="s3",
    display="S3",
    metric="s3",
    capabilities=Capabilities(
        headers=True,
        metadata=True,
        conditional_writes=True,
        tags=True,
        storage_classes=True,
        sse=("AES256", "aws:kms"),
        public_acls=True,
        server_side_copy=True,
    ),
    adapter=adapter,
    request=S3StorageRequest,
    shown=("bucket", "region", "endpoint"),
    saver=_save,
    renewer=renew,
    probe_field=probe_field,
)
