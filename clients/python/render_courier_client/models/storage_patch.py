from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.keys_auth import KeysAuth
    from ..models.policy_auth import PolicyAuth
    from ..models.role_auth import RoleAuth


T = TypeVar("T", bound="StoragePatch")


@_attrs_define
class StoragePatch:
    """PATCH: switch a storage on or off, change its default folder, or replace its credentials (probed again).

    Attributes:
        enabled (bool | None | Unset):
        paused (bool | None | Unset):
        auto_copy (bool | None | Unset):
        prefix (None | str | Unset):
        folder (None | str | Unset):
        auth (KeysAuth | None | PolicyAuth | RoleAuth | Unset):
        refresh_token (None | str | Unset):
        app_key (None | str | Unset):
        app_secret (None | str | Unset):
    """

    enabled: bool | None | Unset = UNSET
    paused: bool | None | Unset = UNSET
    auto_copy: bool | None | Unset = UNSET
    prefix: None | str | Unset = UNSET
    folder: None | str | Unset = UNSET
    auth: KeysAuth | None | PolicyAuth | RoleAuth | Unset = UNSET
    refresh_token: None | str | Unset = UNSET
    app_key: None | str | Unset = UNSET
    app_secret: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.keys_auth import KeysAuth  # noqa: PLC0415
        from ..models.policy_auth import PolicyAuth  # noqa: PLC0415
        from ..models.role_auth import RoleAuth  # noqa: PLC0415

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        paused: bool | None | Unset
        if isinstance(self.paused, Unset):
            paused = UNSET
        else:
            paused = self.paused

        auto_copy: bool | None | Unset
        if isinstance(self.auto_copy, Unset):
            auto_copy = UNSET
        else:
            auto_copy = self.auto_copy

        prefix: None | str | Unset
        if isinstance(self.prefix, Unset):
            prefix = UNSET
        else:
            prefix = self.prefix

        folder: None | str | Unset
        if isinstance(self.folder, Unset):
            folder = UNSET
        else:
            folder = self.folder

        auth: dict[str, Any] | None | Unset
        if isinstance(self.auth, Unset):
            auth = UNSET
        elif isinstance(self.auth, KeysAuth):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, RoleAuth):
            auth = self.auth.to_dict()
        elif isinstance(self.auth, PolicyAuth):
            auth = self.auth.to_dict()
        else:
            auth = self.auth

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

        app_key: None | str | Unset
        if isinstance(self.app_key, Unset):
            app_key = UNSET
        else:
            app_key = self.app_key

        app_secret: None | str | Unset
        if isinstance(self.app_secret, Unset):
            app_secret = UNSET
        else:
            app_secret = self.app_secret

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if paused is not UNSET:
            field_dict["paused"] = paused
        if auto_copy is not UNSET:
            field_dict["autoCopy"] = auto_copy
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if folder is not UNSET:
            field_dict["folder"] = folder
        if auth is not UNSET:
            field_dict["auth"] = auth
        if refresh_token is not UNSET:
            field_dict["refreshToken"] = refresh_token
        if app_key is not UNSET:
            field_dict["appKey"] = app_key
        if app_secret is not UNSET:
            field_dict["appSecret"] = app_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.keys_auth import KeysAuth  # noqa: PLC0415
        from ..models.policy_auth import PolicyAuth  # noqa: PLC0415
        from ..models.role_auth import RoleAuth  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_paused(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        paused = _parse_paused(d.pop("paused", UNSET))

        def _parse_auto_copy(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        auto_copy = _parse_auto_copy(d.pop("autoCopy", UNSET))

        def _parse_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prefix = _parse_prefix(d.pop("prefix", UNSET))

        def _parse_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder = _parse_folder(d.pop("folder", UNSET))

        def _parse_auth(data: object) -> KeysAuth | None | PolicyAuth | RoleAuth | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0_type_0 = KeysAuth.from_dict(data)

                return auth_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0_type_1 = RoleAuth.from_dict(data)

                return auth_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0_type_2 = PolicyAuth.from_dict(data)

                return auth_type_0_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KeysAuth | None | PolicyAuth | RoleAuth | Unset, data)

        auth = _parse_auth(d.pop("auth", UNSET))

        def _parse_refresh_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refresh_token = _parse_refresh_token(d.pop("refreshToken", UNSET))

        def _parse_app_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_key = _parse_app_key(d.pop("appKey", UNSET))

        def _parse_app_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_secret = _parse_app_secret(d.pop("appSecret", UNSET))

        storage_patch = cls(
            enabled=enabled,
            paused=paused,
            auto_copy=auto_copy,
            prefix=prefix,
            folder=folder,
            auth=auth,
            refresh_token=refresh_token,
            app_key=app_key,
            app_secret=app_secret,
        )

        return storage_patch
