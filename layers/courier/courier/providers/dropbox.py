"""Dropbox: files at absolute paths under the storage's default folder, written with the user's OAuth tokens (Connect
Dropbox's PKCE refresh token, an app's refresh token and secret, or a short-lived access token). Dropbox keeps no
headers, metadata, tags or ACLs for a file: asking for them is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, model_validator

from courier.destinations.base import Destination, DestinationError
from courier.errors import UnprocessableError
from courier.models import ShortText
from courier.providers.base import Build, Capabilities, Provider, SaveContext, Saved
from courier.providers.models import StoragePatch, StorageSettings
from courier.records import DeliveryTarget, StorageRecord

if TYPE_CHECKING:
    from courier.destinations.registry import DestinationFactory


class DropboxStorageRequest(StorageSettings):
    provider: Literal["dropbox"]
    folder: ShortText | None = None  # the default folder (Dropbox's word for prefix)
    refresh_token: Annotated[SecretStr, Field(min_length=1, max_length=1024)] | None = None
    app_key: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    app_secret: Annotated[SecretStr, Field(min_length=1, max_length=256)] | None = None
    access_token: Annotated[SecretStr, Field(min_length=1, max_length=2048)] | None = None

    @model_validator(mode="after")
    def _credentials(self) -> DropboxStorageRequest:
        # A refresh token from a PKCE flow (Connect Dropbox) needs no app secret; one from a confidential app does.
        if self.refresh_token is not None and self.app_key is not None and self.access_token is None:
            return self
        if self.access_token is not None and self.refresh_token is None and self.app_secret is None:
            return self
        raise ValueError("give refreshToken and appKey (and appSecret unless PKCE), or an accessToken (~4 hours)")


def _save(request: DropboxStorageRequest, context: SaveContext) -> Saved:
    secret = {
        key: value.get_secret_value() if isinstance(value, SecretStr) else value
        for key, value in {
            "refresh_token": request.refresh_token,
            "app_key": request.app_key,
            "app_secret": request.app_secret,
            "access_token": request.access_token,
        }.items()
        if value is not None
    }
    prefix = request.folder if request.folder is not None else request.prefix
    return Saved(fields={"prefix": prefix}, auth_type="dropbox", secret=secret)


def _renew(record: StorageRecord, patch: StoragePatch) -> tuple[StorageRecord, dict[str, str] | None]:
    if patch.auth is not None:
        raise UnprocessableError.at("auth", "a Dropbox storage takes refreshToken, appKey and appSecret")
    if patch.refresh_token is None or patch.app_key is None or patch.app_secret is None:
        raise UnprocessableError.at("refreshToken", "give refreshToken, appKey and appSecret together")
    secret = {
        "refresh_token": patch.refresh_token.get_secret_value(),
        "app_key": patch.app_key,
        "app_secret": patch.app_secret.get_secret_value(),
    }
    return record, secret


def _probe_field(error: DestinationError, secret: dict[str, str] | None) -> str:
    return "refreshToken" if secret and "refresh_token" in secret else "accessToken"


def adapter(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
    from courier.destinations.dropbox import DropboxDestination
    from courier.destinations.dropbox_client import build_dropbox_client

    secret = factory.secret(target, build.secret)
    client = build_dropbox_client(
        refresh_token=secret.get("refresh_token"),
        app_key=secret.get("app_key"),
        app_secret=secret.get("app_secret"),
        access_token=secret.get("access_token"),
        timeout=factory.transport.read_timeout,
        max_retries_on_error=max(0, factory.transport.sdk_attempts - 1),
    )
    return DropboxDestination(client, probe_folder=build.probe_prefix)


PROVIDER = Provider(
    name="dropbox",
    display="Dropbox",
    metric="dropbox",
    capabilities=Capabilities(content_type=False, conditional_writes=True),
    adapter=adapter,
    naming="paths",
    request=DropboxStorageRequest,
    saver=_save,
    renewer=_renew,
    probe_field=_probe_field,
)
