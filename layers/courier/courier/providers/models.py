"""What a client sends to save a storage, and what storages answer beyond each provider's own model: the S3-style
auth (keys, an assumed role, or the bucket's policy), the settings every provider's storage has, the PATCH that
switches a storage or replaces its credentials, Connect Dropbox's request and answer, and a storage's auth as
answered (never a secret). Each provider's storage model (its module in courier.providers) builds on
StorageSettings; storages (courier.storages) save and answer them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, StringConstraints

from courier.models import AccessKeyId, ApiModel, ObjectOptions, RequestModel, ShortText


class KeysAuth(RequestModel):
    type: Literal["keys"]
    access_key_id: AccessKeyId
    secret_access_key: Annotated[SecretStr, Field(min_length=1, max_length=256)]


class RoleAuth(RequestModel):
    """We assume this role with the workspace's ExternalId (returned by the API; the customer never chooses it)."""

    type: Literal["role"]
    role_arn: Annotated[
        str, StringConstraints(pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@/_-]+$", max_length=600)
    ]


class PolicyAuth(RequestModel):
    """The customer's bucket policy grants our delivery role; nothing secret is stored."""

    type: Literal["policy"]


class StorageSettings(ObjectOptions):
    """What every provider's storage has: naming, switches and object options."""

    prefix: ShortText | None = None
    pattern: ShortText | None = None
    enabled: bool = True
    paused: bool = False
    auto_copy: bool = True


class DropboxConnectRequest(StorageSettings):
    """Settings of the Dropbox storage that Connect Dropbox will save once the user has authorised."""

    folder: ShortText | None = None


class DropboxAuthorizeResponse(ApiModel):
    authorize_url: str
    redirect_uri: str
    expires_in: int


class StoragePatch(RequestModel):
    """PATCH: switch a storage on or off, change its default folder, or replace its credentials (probed again)."""

    enabled: bool | None = None
    paused: bool | None = None
    auto_copy: bool | None = None
    prefix: ShortText | None = None
    folder: ShortText | None = None
    auth: Annotated[KeysAuth | RoleAuth | PolicyAuth, Field(discriminator="type")] | None = None
    refresh_token: Annotated[SecretStr, Field(min_length=1, max_length=1024)] | None = None
    app_key: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    app_secret: Annotated[SecretStr, Field(min_length=1, max_length=256)] | None = None


class StorageAuthInfo(ApiModel):
    type: str = Field(description="keys, role or policy (S3), dropbox, or the provider's own")
    role_arn: str | None = Field(default=None, exclude_if=lambda v: v is None)
    external_id: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # For policy auth: the statement to paste into the bucket policy.
    bucket_policy: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)
