from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.dropbox_connect_request_acl_type_0 import DropboxConnectRequestAclType0
from ..models.dropbox_connect_request_if_exists_type_0 import DropboxConnectRequestIfExistsType0
from ..models.dropbox_connect_request_sse_type_0 import DropboxConnectRequestSseType0
from ..models.dropbox_connect_request_storage_class_type_0 import DropboxConnectRequestStorageClassType0
from typing import cast

if TYPE_CHECKING:
    from ..models.dropbox_connect_request_metadata_type_0 import DropboxConnectRequestMetadataType0
    from ..models.dropbox_connect_request_tags_type_0 import DropboxConnectRequestTagsType0


T = TypeVar("T", bound="DropboxConnectRequest")


@_attrs_define
class DropboxConnectRequest:
    """Settings of the Dropbox storage that Connect Dropbox will save once the user has authorised.

    Attributes:
        content_disposition (None | str | Unset):
        cache_control (None | str | Unset):
        metadata (DropboxConnectRequestMetadataType0 | None | Unset):
        tags (DropboxConnectRequestTagsType0 | None | Unset):
        storage_class (DropboxConnectRequestStorageClassType0 | None | Unset):
        sse (DropboxConnectRequestSseType0 | None | Unset):
        kms_key_id (None | str | Unset):
        if_exists (DropboxConnectRequestIfExistsType0 | None | Unset):
        make_public (bool | None | Unset):
        acl (DropboxConnectRequestAclType0 | None | Unset):
        content_type (None | str | Unset):
        prefix (None | str | Unset):
        pattern (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        paused (bool | Unset):  Default: False.
        auto_copy (bool | Unset):  Default: True.
        folder (None | str | Unset):
    """

    content_disposition: None | str | Unset = UNSET
    cache_control: None | str | Unset = UNSET
    metadata: DropboxConnectRequestMetadataType0 | None | Unset = UNSET
    tags: DropboxConnectRequestTagsType0 | None | Unset = UNSET
    storage_class: DropboxConnectRequestStorageClassType0 | None | Unset = UNSET
    sse: DropboxConnectRequestSseType0 | None | Unset = UNSET
    kms_key_id: None | str | Unset = UNSET
    if_exists: DropboxConnectRequestIfExistsType0 | None | Unset = UNSET
    make_public: bool | None | Unset = UNSET
    acl: DropboxConnectRequestAclType0 | None | Unset = UNSET
    content_type: None | str | Unset = UNSET
    prefix: None | str | Unset = UNSET
    pattern: None | str | Unset = UNSET
    enabled: bool | Unset = True
    paused: bool | Unset = False
    auto_copy: bool | Unset = True
    folder: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.dropbox_connect_request_metadata_type_0 import DropboxConnectRequestMetadataType0  # noqa: PLC0415
        from ..models.dropbox_connect_request_tags_type_0 import DropboxConnectRequestTagsType0  # noqa: PLC0415

        content_disposition: None | str | Unset
        if isinstance(self.content_disposition, Unset):
            content_disposition = UNSET
        else:
            content_disposition = self.content_disposition

        cache_control: None | str | Unset
        if isinstance(self.cache_control, Unset):
            cache_control = UNSET
        else:
            cache_control = self.cache_control

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, DropboxConnectRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        tags: dict[str, Any] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, DropboxConnectRequestTagsType0):
            tags = self.tags.to_dict()
        else:
            tags = self.tags

        storage_class: None | str | Unset
        if isinstance(self.storage_class, Unset):
            storage_class = UNSET
        elif isinstance(self.storage_class, DropboxConnectRequestStorageClassType0):
            storage_class = self.storage_class.value
        else:
            storage_class = self.storage_class

        sse: None | str | Unset
        if isinstance(self.sse, Unset):
            sse = UNSET
        elif isinstance(self.sse, DropboxConnectRequestSseType0):
            sse = self.sse.value
        else:
            sse = self.sse

        kms_key_id: None | str | Unset
        if isinstance(self.kms_key_id, Unset):
            kms_key_id = UNSET
        else:
            kms_key_id = self.kms_key_id

        if_exists: None | str | Unset
        if isinstance(self.if_exists, Unset):
            if_exists = UNSET
        elif isinstance(self.if_exists, DropboxConnectRequestIfExistsType0):
            if_exists = self.if_exists.value
        else:
            if_exists = self.if_exists

        make_public: bool | None | Unset
        if isinstance(self.make_public, Unset):
            make_public = UNSET
        else:
            make_public = self.make_public

        acl: None | str | Unset
        if isinstance(self.acl, Unset):
            acl = UNSET
        elif isinstance(self.acl, DropboxConnectRequestAclType0):
            acl = self.acl.value
        else:
            acl = self.acl

        content_type: None | str | Unset
        if isinstance(self.content_type, Unset):
            content_type = UNSET
        else:
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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dropbox_connect_request_metadata_type_0 import DropboxConnectRequestMetadataType0  # noqa: PLC0415
        from ..models.dropbox_connect_request_tags_type_0 import DropboxConnectRequestTagsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_content_disposition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_disposition = _parse_content_disposition(d.pop("contentDisposition", UNSET))

        def _parse_cache_control(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cache_control = _parse_cache_control(d.pop("cacheControl", UNSET))

        def _parse_metadata(data: object) -> DropboxConnectRequestMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = DropboxConnectRequestMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_tags(data: object) -> DropboxConnectRequestTagsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tags_type_0 = DropboxConnectRequestTagsType0.from_dict(data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestTagsType0 | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_storage_class(data: object) -> DropboxConnectRequestStorageClassType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                storage_class_type_0 = DropboxConnectRequestStorageClassType0(data)

                return storage_class_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestStorageClassType0 | None | Unset, data)

        storage_class = _parse_storage_class(d.pop("storageClass", UNSET))

        def _parse_sse(data: object) -> DropboxConnectRequestSseType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sse_type_0 = DropboxConnectRequestSseType0(data)

                return sse_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestSseType0 | None | Unset, data)

        sse = _parse_sse(d.pop("sse", UNSET))

        def _parse_kms_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kms_key_id = _parse_kms_key_id(d.pop("kmsKeyId", UNSET))

        def _parse_if_exists(data: object) -> DropboxConnectRequestIfExistsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                if_exists_type_0 = DropboxConnectRequestIfExistsType0(data)

                return if_exists_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestIfExistsType0 | None | Unset, data)

        if_exists = _parse_if_exists(d.pop("ifExists", UNSET))

        def _parse_make_public(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        make_public = _parse_make_public(d.pop("makePublic", UNSET))

        def _parse_acl(data: object) -> DropboxConnectRequestAclType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acl_type_0 = DropboxConnectRequestAclType0(data)

                return acl_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DropboxConnectRequestAclType0 | None | Unset, data)

        acl = _parse_acl(d.pop("acl", UNSET))

        def _parse_content_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_type = _parse_content_type(d.pop("contentType", UNSET))

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

        dropbox_connect_request = cls(
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
        )

        return dropbox_connect_request
