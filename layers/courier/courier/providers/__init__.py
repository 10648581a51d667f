"""The providers the service delivers to: one module each, registered by one line below.

A provider module declares ``PROVIDER`` (courier.providers.base.Provider): its storage settings model, capabilities,
display name, metric label, location scheme and how its adapter is built. Everything else reads this registry:
``StorageRequest`` and ``StorageResponse`` are unions of the registered providers' models.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import Field, RootModel, create_model

from courier.errors import UnprocessableError
from courier.models import ApiModel, LastDelivery, ObjectOptions
from courier.providers.base import Build, Capabilities, Provider, SaveContext, Saved
from courier.providers.models import StorageAuthInfo, StorageSettings

__all__ = ["Build", "Capabilities", "Provider", "SaveContext", "Saved", "get", "names", "storage_providers"]

REGISTERED = (
    "s3",
    "r2",
    "dropbox",
    "url",
    "azure",
    "gcs",
)

PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in (importlib.import_module(f"courier.providers.{module}").PROVIDER for module in REGISTERED)
}


def get(name: str) -> Provider:
    provider = PROVIDERS.get(name)
    if provider is None:
        raise UnprocessableError.at("provider", f"unknown provider '{name}'; one of {', '.join(PROVIDERS)}")
    return provider


def names() -> tuple[str, ...]:
    return tuple(PROVIDERS)


def storage_providers() -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.request is not None]


def auth_tags() -> frozenset[str]:
    """The ``auth.type`` values of every storage model: the tags pydantic puts in an error's location."""
    tags: set[str] = set()
    for provider in storage_providers():
        assert provider.request is not None
        auth = provider.request.model_fields.get("auth")
        if auth is None:
            continue
        for member in _members(auth.annotation):
            field = getattr(member, "model_fields", {}).get("type")
            if field is not None:
                tags.update(str(v) for v in get_args(field.annotation))
    return frozenset(tags)


def _members(annotation: Any) -> list[Any]:
    args = get_args(annotation)
    if not args:
        return [annotation]
    return [m for a in args for m in _members(a)]


class StorageResponseBase(ApiModel):
    """A storage as the API shows it: every setting, never a secret (a provider adds its own fields)."""

    name: str
    provider: str
    prefix: str | None
    pattern: str | None
    auth: StorageAuthInfo
    enabled: bool
    paused: bool
    auto_copy: bool
    options: ObjectOptions
    created_at: datetime
    updated_at: datetime
    last_delivery: LastDelivery | None = None


def _response_model(provider: Provider) -> type[StorageResponseBase]:
    shown: dict[str, Any] = {
        name: (str | None, Field(default=None, exclude_if=lambda v: v is None)) for name in provider.shown
    }
    camel = "".join(part.capitalize() for part in provider.name.split("_"))
    return create_model(
        f"{camel}StorageResponse",
        __base__=StorageResponseBase,
        __doc__=f"A {provider.display} storage as the API shows it: every setting, never a secret.",
        provider=(Literal[provider.name], ...),  # type: ignore[arg-type]
        **shown,
    )


RESPONSES: dict[str, type[StorageResponseBase]] = {p.name: _response_model(p) for p in storage_providers()}

if TYPE_CHECKING:  # the unions are made of what is registered: the type checker sees their common base

    class StorageRequest(StorageSettings):
        provider: str

    StorageResponse = StorageResponseBase
else:
    StorageRequest = Annotated[reduce(or_, [p.request for p in storage_providers()]), Field(discriminator="provider")]

    class StorageResponse(RootModel[Annotated[reduce(or_, RESPONSES.values()), Field(discriminator="provider")]]):
        """A storage as the API shows it: every setting, never a secret. Its fields are its provider's."""


class StorageList(ApiModel):
    storages: list[StorageResponse]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page; null on the last")
