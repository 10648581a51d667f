from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal
import datetime

if TYPE_CHECKING:
    from ..models.last_delivery import LastDelivery
    from ..models.object_options import ObjectOptions
    from ..models.storage_auth_info import StorageAuthInfo


T = TypeVar("T", bound="AzureStorageResponse")


@_attrs_define
class AzureStorageResponse:
    """A Azure Blob Storage storage as the API shows it: every setting, never a secret.

    Attributes:
        name (str):
        provider (Literal['azure']):
        prefix (None | str):
        pattern (None | str):
        auth (StorageAuthInfo):
        enabled (bool):
        paused (bool):
        auto_copy (bool):
        options (ObjectOptions): How delivered objects are written: per storage, overridable per connection. Values
            become HTTP headers.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        last_delivery (LastDelivery | None | Unset):
        container (None | str | Unset):
        account_name (None | str | Unset):
        endpoint (None | str | Unset):
    """

    name: str
    provider: Literal["azure"]
    prefix: None | str
    pattern: None | str
    auth: StorageAuthInfo
    enabled: bool
    paused: bool
    auto_copy: bool
    options: ObjectOptions
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_delivery: LastDelivery | None | Unset = UNSET
    container: None | str | Unset = UNSET
    account_name: None | str | Unset = UNSET
    endpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.last_delivery import LastDelivery  # noqa: PLC0415
        from ..models.object_options import ObjectOptions  # noqa: PLC0415
        from ..models.storage_auth_info import StorageAuthInfo  # noqa: PLC0415

        name = self.name

        provider = self.provider

        prefix: None | str
        prefix = self.prefix

        pattern: None | str
        pattern = self.pattern

        auth = self.auth.to_dict()

        enabled = self.enabled

        paused = self.paused

        auto_copy = self.auto_copy

        options = self.options.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        last_delivery: dict[str, Any] | None | Unset
        if isinstance(self.last_delivery, Unset):
            last_delivery = UNSET
        elif isinstance(self.last_delivery, LastDelivery):
            last_delivery = self.last_delivery.to_dict()
        else:
            last_delivery = self.last_delivery

        container: None | str | Unset
        if isinstance(self.container, Unset):
            container = UNSET
        else:
            container = self.container

        account_name: None | str | Unset
        if isinstance(self.account_name, Unset):
            account_name = UNSET
        else:
            account_name = self.account_name

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "provider": provider,
                "prefix": prefix,
                "pattern": pattern,
                "auth": auth,
                "enabled": enabled,
                "paused": paused,
                "autoCopy": auto_copy,
                "options": options,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if last_delivery is not UNSET:
            field_dict["lastDelivery"] = last_delivery
        if container is not UNSET:
            field_dict["container"] = container
        if account_name is not UNSET:
            field_dict["accountName"] = account_name
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.last_delivery import LastDelivery  # noqa: PLC0415
        from ..models.object_options import ObjectOptions  # noqa: PLC0415
        from ..models.storage_auth_info import StorageAuthInfo  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        provider = cast(Literal["azure"], d.pop("provider"))
        if provider != "azure":
            raise ValueError(f"provider must match const 'azure', got '{provider}'")

        def _parse_prefix(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prefix = _parse_prefix(d.pop("prefix"))

        def _parse_pattern(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pattern = _parse_pattern(d.pop("pattern"))

        auth = StorageAuthInfo.from_dict(d.pop("auth"))

        enabled = d.pop("enabled")

        paused = d.pop("paused")

        auto_copy = d.pop("autoCopy")

        options = ObjectOptions.from_dict(d.pop("options"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_last_delivery(data: object) -> LastDelivery | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_delivery_type_0 = LastDelivery.from_dict(data)

                return last_delivery_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LastDelivery | None | Unset, data)

        last_delivery = _parse_last_delivery(d.pop("lastDelivery", UNSET))

        def _parse_container(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        container = _parse_container(d.pop("container", UNSET))

        def _parse_account_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_name = _parse_account_name(d.pop("accountName", UNSET))

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        azure_storage_response = cls(
            name=name,
            provider=provider,
            prefix=prefix,
            pattern=pattern,
            auth=auth,
            enabled=enabled,
            paused=paused,
            auto_copy=auto_copy,
            options=options,
            created_at=created_at,
            updated_at=updated_at,
            last_delivery=last_delivery,
            container=container,
            account_name=account_name,
            endpoint=endpoint,
        )

        return azure_storage_response
