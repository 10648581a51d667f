"""Cloudflare R2: an S3-compatible store reached with keys at its account's endpoint (or a jurisdiction's). It takes
no ACLs, object tags, storage classes or SSE-KMS, so asking for them is refused."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from courier.models import BucketName
from courier.providers import s3
from courier.providers.base import Capabilities, Provider, SaveContext, Saved
from courier.providers.models import KeysAuth, StorageSettings


class R2StorageRequest(StorageSettings):
    provider: Literal["r2"]
    bucket: BucketName
    account_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    jurisdiction: Literal["eu", "fedramp"] | None = None
    endpoint: Annotated[str, StringConstraints(max_length=255)] | None = None
    auth: Annotated[KeysAuth, Field(discriminator="type")]


def r2_endpoint(account_id: str, jurisdiction: str | None) -> str:
    region = f"{jurisdiction}." if jurisdiction else ""
    return f"https://{account_id}.{region}r2.cloudflarestorage.com"


def _save(request: R2StorageRequest, context: SaveContext) -> Saved:
    s3.check_own_bucket(request.bucket, context)
    endpoint = request.endpoint or r2_endpoint(request.account_id, request.jurisdiction)
    context.check_endpoint(endpoint)
    return Saved(
        fields={
            "bucket": request.bucket,
            "region": "auto",
            "endpoint": endpoint,
            "account_id": request.account_id,
            "jurisdiction": request.jurisdiction,
        },
        auth_type="keys",
        secret=s3.keys_of(request.auth),
    )


PROVIDER = Provider(
    name="r2",
    display="R2",
    metric="r2",
    capabilities=Capabilities(headers=True, metadata=True, conditional_writes=True, sse=("AES256",)),
    adapter=s3.adapter,
    request=R2StorageRequest,
    shown=("bucket", "region", "endpoint", "account_id", "jurisdiction"),
    saver=_save,
    renewer=s3.renew,
    probe_field=s3.probe_field,
)
