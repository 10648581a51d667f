from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.r2_storage_request_acl_type_1 import R2StorageRequestAclType1
from ..models.r2_storage_request_if_exists_type_0 import R2StorageRequestIfExistsType0
from ..models.r2_storage_request_jurisdiction_type_0 import R2StorageRequestJurisdictionType0
from ..models.r2_storage_request_sse_type_1 import R2StorageRequestSseType1
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.keys_auth import KeysAuth
    from ..models.r2_storage_request_metadata_type_0 import R2StorageRequestMetadataType0
    from ..models.r2_storage_request_tags_type_1 import R2StorageRequestTagsType1


T = TypeVar("T", bound="R2StorageRequest")


@_attrs_define
class R2StorageRequest:
    """
    Attributes:
        provider (Literal['r2']):
        bucket (str):
        account_id (str):
        auth (KeysAuth):
        content_disposition (None | str | Unset):
        cache_control (None | str | Unset):
        metadata (None | R2StorageRequestMetadataType0 | Unset):
        tags (None | R2StorageRequestTagsType1 | Unset): Not offered by R2: a 422 when given
        storage_class (None | Unset): Not offered by R2: a 422 when given
        sse (None | R2StorageRequestSseType1 | Unset): Not offered by R2: a 422 when given
        kms_key_id (None | str | Unset):
        if_exists (None | R2StorageRequestIfExistsType0 | Unset):
        make_public (Literal[False] | None | Unset): Not offered by R2: a 422 when given
        acl (None | R2StorageRequestAclType1 | Unset): Not offered by R2: a 422 when given
        content_type (None | str | Unset):
        prefix (None | str | Unset):
        pattern (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        paused (bool | Unset):  Default: False.
        auto_copy (bool | Unset):  Default: True.
        jurisdiction (None | R2StorageRequestJurisdictionType0 | Unset):
        endpoint (None | str | Unset):
    """

    provider: Literal["r2"]
    bucket: str
    account_id: str
    auth: KeysAuth
    content_disposition: None | str | Unset = UNSET
    cache_control: None | str | Unset = UNSET
    metadata: None | R2StorageRequestMetadataType0 | Unset = UNSET
    tags: None | R2StorageRequestTagsType1 | Unset = UNSET
    storage_class: None | Unset = UNSET
    sse: None | R2StorageRequestSseType1 | Unset = UNSET
    kms_key_id: None | str | Unset = UNSET
    if_exists: None | R2StorageRequestIfExistsType0 | Unset = UNSET
    make_public: Literal[False] | None | Unset = UNSET
    acl: None | R2StorageRequestAclType1 | Unset = UNSET
    content_type: None | str | Unset = UNSET
    prefix: None | str | Unset = UNSET
    pattern: None | str | Unset = UNSET
    enabled: bool | Unset = True
    paused: bool | Unset = False
    auto_copy: bool | Unset = True
    jurisdiction: None | R2StorageRequestJurisdictionType0 | Unset = UNSET
    endpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.keys_auth import KeysAuth  # noqa: PLC0415
        from ..models.r2_storage_request_metadata_type_0 import R2StorageRequestMetadataType0  # noqa: PLC0415
        from ..models.r2_storage_request_tags_type_1 import R2StorageRequestTagsType1  # noqa: PLC0415

        provider = self.provider

        bucket = self.bucket

        account_id = self.account_id

        auth = self.auth.to_dict()

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
        elif isinstance(self.metadata, R2StorageRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        tags: dict[str, Any] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, R2StorageRequestTagsType1):
            tags = self.tags.to_dict()
        else:
            tags = self.tags

        storage_class = self.storage_class

        sse: None | str | Unset
        if isinstance(self.sse, Unset):
            sse = UNSET
        elif isinstance(self.sse, R2StorageRequestSseType1):
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
        elif isinstance(self.if_exists, R2StorageRequestIfExistsType0):
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
        elif isinstance(self.acl, R2StorageRequestAclType1):
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

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        elif isinstance(self.jurisdiction, R2StorageRequestJurisdictionType0):
            jurisdiction = self.jurisdiction.value
        else:
            jurisdiction = self.jurisdiction

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "bucket": bucket,
                "accountId": account_id,
                "auth": auth,
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
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.keys_auth import KeysAuth  # noqa: PLC0415
        from ..models.r2_storage_request_metadata_type_0 import R2StorageRequestMetadataType0  # noqa: PLC0415
        from ..models.r2_storage_request_tags_type_1 import R2StorageRequestTagsType1  # noqa: PLC0415

        d = dict(src_dict)
        provider = cast(Literal["r2"], d.pop("provider"))
        if provider != "r2":
            raise ValueError(f"provider must match const 'r2', got '{provider}'")

        bucket = d.pop("bucket")

        account_id = d.pop("accountId")

        auth = KeysAuth.from_dict(d.pop("auth"))

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

        def _parse_metadata(data: object) -> None | R2StorageRequestMetadataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = R2StorageRequestMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestMetadataType0 | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_tags(data: object) -> None | R2StorageRequestTagsType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tags_type_1 = R2StorageRequestTagsType1.from_dict(data)

                return tags_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestTagsType1 | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        storage_class = d.pop("storageClass", UNSET)

        def _parse_sse(data: object) -> None | R2StorageRequestSseType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sse_type_1 = R2StorageRequestSseType1(data)

                return sse_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestSseType1 | Unset, data)

        sse = _parse_sse(d.pop("sse", UNSET))

        def _parse_kms_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kms_key_id = _parse_kms_key_id(d.pop("kmsKeyId", UNSET))

        def _parse_if_exists(data: object) -> None | R2StorageRequestIfExistsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                if_exists_type_0 = R2StorageRequestIfExistsType0(data)

                return if_exists_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestIfExistsType0 | Unset, data)

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

        def _parse_acl(data: object) -> None | R2StorageRequestAclType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acl_type_1 = R2StorageRequestAclType1(data)

                return acl_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestAclType1 | Unset, data)

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

        def _parse_jurisdiction(data: object) -> None | R2StorageRequestJurisdictionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                jurisdiction_type_0 = R2StorageRequestJurisdictionType0(data)

                return jurisdiction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | R2StorageRequestJurisdictionType0 | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        r2_storage_request = cls(
            provider=provider,
            bucket=bucket,
            account_id=account_id,
            auth=auth,
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
            jurisdiction=jurisdiction,
            endpoint=endpoint,
        )

        return r2_storage_request
