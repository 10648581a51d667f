from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.dropbox_storage_request_acl_type_1 import DropboxStorageRequestAclType1
from ..models.dropbox_storage_request_if_exists_type_0 import DropboxStorageRequestIfExistsType0
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.dropbox_storage_request_metadata_type_1 import DropboxStorageRequestMetadataType1
    from ..models.dropbox_storage_request_tags_type_1 import DropboxStorageRequestTagsType1


T = TypeVar("T", bound="DropboxStorageRequest")


@_attrs_define
class DropboxStorageRequest:
    """
    Attributes:
        provider (Literal['dropbox']):
        content_disposition (None | Unset): Not offered by Dropbox: a 422 when given
        cache_control (None | Unset): Not offered by Dropbox: a 422 when given
        metadata (DropboxStorageRequestMetadataType1 | None | Unset): Not offered by Dropbox: a 422 when given
        tags (DropboxStorageRequestTagsType1 | None | Unset): Not offered by Dropbox: a 422 when given
        storage_class (None | Unset): Not offered by Dropbox: a 422 when given
        sse (None | Unset): Not offered by Dropbox: a 422 when given
        kms_key_id (None | str | Unset):
        if_exists (DropboxStorageRequestIfExistsType0 | None | Unset):
        make_public (Literal[False] | None | Unset): Not offered by Dropbox: a 422 when given
        acl (DropboxStorageRequestAclType1 | None | Unset): Not offered by Dropbox: a 422 when given
        content_type (None | Unset): Not offered by Dropbox: a 422 when given
        prefix (None | str | Unset):
        pattern (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        paused (bool | Unset):  Default: False.
        auto_copy (bool | Unset):  Default: True.
        folder (None | str | Unset):
        refresh_token (None | str | Unset):
        app_key (None | str | Unset):
        app_secret (None | str | Unset):
        access_token (None | str | Unset):
    """

    provider: Literal["dropbox"]
    content_disposition: None | Unset = UNSET
    cache_control: None | Unset = UNSET
    metadata: DropboxStorageRequestMetadataType1 | None | Unset = UNSET
    tags: DropboxStorageRequestTagsType1 | None | Unset = UNSET
    storage_class: None | Unset = UNSET
    sse: None | Unset = UNSET
    kms_key_id: None | str | Unset = UNSET
    if_exists: DropboxStorageRequestIfExistsType0 | None | Unset = UNSET
    make_public: Literal[False] | None | Unset = UNSET
    acl: DropboxStorageRequestAclType1 | None | Unset = UNSET
    content_type: None | Unset = UNSET
    prefix: None | str | Unset = UNSET
    pattern: None | str | Unset = UNSET
    enabled: bool | Unset = True
    paused: bool | Unset = False
    auto_copy: bool | Unset = True
    folder: None | str | Unset = UNSET
    refresh_token: None | str | Unset = UNSET
    app_key: None | str | Unset = UNSET
    app_secret: None | str | Unset = UNSET
    access_token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.dropbox_storage_request_metadata_type_1 import DropboxStorageRequestMetadataType1  # noqa: PLC0415
        from ..models.dropbox_storage_request_tags_type_1 import DropboxStorageRequestTagsType1  # noqa: PLC0415

        provider = self.provider

        content_disposition = self.content_disposition

        cache_control = self.cache_control

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, DropboxStorageRequestMetadataType1):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        tags: dict[str, Any] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, DropboxStorageRequestTagsType1):
            tags = self.tags.to_dict()
        else:
            tags = self.tags

        storage_class = self.storage_class

        sse = self.sse

        kms_key_id: None | str | Unset
        if isinstance(self.kms_key_id, Unset):
            kms_key_id = UNSET
        else:
            kms_key_id = self.kms_key_id

        if_exists: None | str | Unset
        if isinstance(self.if_exists, Unset):
            if_exists = UNSET
        elif isinstance(self.if_exists, DropboxStorageRequestIfExistsType0):
            if_exists = self.if_exists.value
        else:
            if_exists = self.if_exists

        make_public: Literal[False] | None | Unset
        if isinstance(self.make_public, Unset):
            make_public = UNSET
        else:
            make_public = self.make_public

        acl: None | str | Unset
        if isinstance(self.acl, Unset):
            acl = UNSET
        elif isinstance(self.acl, DropboxStorageRequestAclType1):
            acl = self.acl.value
        else:
            acl = self.acl

        content_type = self.content_type

        prefix: None | str | Unset
        if isinstance(self.prefix, Unset):
            prefix = UNSET
        else:
            prefix = self.prefix

        pattern: None | str | Unset
        if isinstance(self.pattern, Unset):
            pattern = UNSET
        else:
            pattern = self.pattern

        enabled = self.enabled

        paused = self.paused

        auto_copy = self.auto_copy

        folder: None | str | Unset
        if isinstance(self.folder, Unset):
            folder = UNSET
        else:
            folder = self.folder

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

        access_token: None | str | Unset
        if isinstance(self.access_token, Unset):
            access_token = UNSET
        else:
            access_token = self.access_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
            }
        )
        if content_disposition is not UNSET:
            field_dict["contentDisposition"] = content_disposition
        if cache_control is not UNSET:
            field_dict["cacheControl"] = cache_control
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if tags is not UNSET:
            field_dict["tags"] = tags
        if storage_class is not UNSET:
            field_dict["storageClass"] = storage_class
        if sse is not UNSET:
            field_dict["sse"] = sse
        if kms_key_id is not UNSET:
            field_dict["kmsKeyId"] = kms_key_id
        if if_exists is not UNSET:
            field_dict["ifExists"] = if_exists
        if make_public is not UNSET:
            field_dict["makePublic"] = make_public
        if acl is not UNSET:
            field_dict["acl"] = acl
        if content_type is not UNSET:
            field_dict["contentType"] = content_type
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if pattern is not UNSET:
            field_dict["pattern"] = pattern
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if paused is not UNSET:
            field_dict["paused"] = paused
        if auto_copy is not UNSET:
            field_dict["autoCopy"] = auto_copy
        if folder is not UNSET:
            field_dict["folder"] = folder
        if refresh_token is not UNSET:
            field_dict["refreshToken"] = refresh_token
        if app_key is not UNSET:
            field_dict["appKey"] = app_key
        if app_secret is not UNSET:
            field_dict["appSecret"] = app_secret
        if access_token is not UNSET:
            field_dict["accessToken"] = access_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dropbox_storage_request_metadata_type_1 import DropboxStorageRequestMetadataType1  # noqa: PLC0415
        from ..models.dropbox_storage_request_tags_type_1 import DropboxStorageRequestTagsType1  # noqa: PLC0415

        d = dict(src_dict)
        provider = cast(Literal["dropbox"], d.pop("provider"))
        if provider != "dropbox":
            raise ValueError(f"provider must match const 'dropbox', got '{provider}'")

        content_disposition = d.pop("contentDisposition", UNSET)

        cache_control = d.pop("cacheControl", UNSET)

        def _parse_metadata(data: object) -> DropboxStorageRequestMetadataType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_1 = DropboxStorageRequestMetadataType1.from_dict(data)

                return metadata_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxStorageRequestMetadataType1 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_tags(data: object) -> DropboxStorageRequestTagsType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tags_type_1 = DropboxStorageRequestTagsType1.from_dict(data)

                return tags_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxStorageRequestTagsType1 | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        storage_class = d.pop("storageClass", UNSET)

        sse = d.pop("sse", UNSET)

        def _parse_kms_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kms_key_id = _parse_kms_key_id(d.pop("kmsKeyId", UNSET))

        def _parse_if_exists(data: object) -> DropboxStorageRequestIfExistsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                if_exists_type_0 = DropboxStorageRequestIfExistsType0(data)

                return if_exists_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxStorageRequestIfExistsType0 | None | Unset, data)

        if_exists = _parse_if_exists(d.pop("ifExists", UNSET))

        def _parse_make_public(data: object) -> Literal[False] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            make_public_type_1 = cast(Literal[False], data)
            if make_public_type_1:
                raise ValueError(f"makePublic_type_1 must match const False, got '{make_public_type_1}'")
            return make_public_type_1
            return cast(Literal[False] | None | Unset, data)

        make_public = _parse_make_public(d.pop("makePublic", UNSET))

        def _parse_acl(data: object) -> DropboxStorageRequestAclType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acl_type_1 = DropboxStorageRequestAclType1(data)

                return acl_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxStorageRequestAclType1 | None | Unset, data)

        acl = _parse_acl(d.pop("acl", UNSET))

        content_type = d.pop("contentType", UNSET)

        def _parse_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prefix = _parse_prefix(d.pop("prefix", UNSET))

        def _parse_pattern(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pattern = _parse_pattern(d.pop("pattern", UNSET))

        enabled = d.pop("enabled", UNSET)

        paused = d.pop("paused", UNSET)

        auto_copy = d.pop("autoCopy", UNSET)

        def _parse_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder = _parse_folder(d.pop("folder", UNSET))

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

        def _parse_access_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_token = _parse_access_token(d.pop("accessToken", UNSET))

        dropbox_storage_request = cls(
            provider=provider,
            content_disposition=content_disposition,
            cache_control=cache_control,
            metadata=metadata,
            tags=tags,
            storage_class=storage_class,
            sse=sse,
            kms_key_id=kms_key_id,
            if_exists=if_exists,
            make_public=make_public,
            acl=acl,
            content_type=content_type,
            prefix=prefix,
            pattern=pattern,
            enabled=enabled,
            paused=paused,
            auto_copy=auto_copy,
            folder=folder,
            refresh_token=refresh_token,
            app_key=app_key,
            app_secret=app_secret,
            access_token=access_token,
        )

        return dropbox_storage_request
