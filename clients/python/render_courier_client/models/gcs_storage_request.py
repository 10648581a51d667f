from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.gcs_storage_request_acl_type_1 import GcsStorageRequestAclType1
from ..models.gcs_storage_request_if_exists_type_0 import GcsStorageRequestIfExistsType0
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.gcs_hmac_auth import GcsHmacAuth
    from ..models.gcs_service_account_auth import GcsServiceAccountAuth
    from ..models.gcs_storage_request_metadata_type_0 import GcsStorageRequestMetadataType0
    from ..models.gcs_storage_request_tags_type_1 import GcsStorageRequestTagsType1


T = TypeVar("T", bound="GcsStorageRequest")


@_attrs_define
class GcsStorageRequest:
    """
    Attributes:
        provider (Literal['gcs']):
        bucket (str):
        auth (GcsHmacAuth | GcsServiceAccountAuth):
        content_disposition (None | str | Unset):
        cache_control (None | str | Unset):
        metadata (GcsStorageRequestMetadataType0 | None | Unset):
        tags (GcsStorageRequestTagsType1 | None | Unset): Not offered by Google Cloud Storage: a 422 when given
        storage_class (None | Unset): Not offered by Google Cloud Storage: a 422 when given
        sse (None | Unset): Not offered by Google Cloud Storage: a 422 when given
        kms_key_id (None | str | Unset):
        if_exists (GcsStorageRequestIfExistsType0 | None | Unset):
        make_public (Literal[False] | None | Unset): Not offered by Google Cloud Storage: a 422 when given
        acl (GcsStorageRequestAclType1 | None | Unset): Not offered by Google Cloud Storage: a 422 when given
        content_type (None | str | Unset):
        prefix (None | str | Unset):
        pattern (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        paused (bool | Unset):  Default: False.
        auto_copy (bool | Unset):  Default: True.
        endpoint (None | str | Unset):
    """

    provider: Literal["gcs"]
    bucket: str
    auth: GcsHmacAuth | GcsServiceAccountAuth
    content_disposition: None | str | Unset = UNSET
    cache_control: None | str | Unset = UNSET
    metadata: GcsStorageRequestMetadataType0 | None | Unset = UNSET
    tags: GcsStorageRequestTagsType1 | None | Unset = UNSET
    storage_class: None | Unset = UNSET
    sse: None | Unset = UNSET
    kms_key_id: None | str | Unset = UNSET
    if_exists: GcsStorageRequestIfExistsType0 | None | Unset = UNSET
    make_public: Literal[False] | None | Unset = UNSET
    acl: GcsStorageRequestAclType1 | None | Unset = UNSET
    content_type: None | str | Unset = UNSET
    prefix: None | str | Unset = UNSET
    pattern: None | str | Unset = UNSET
    enabled: bool | Unset = True
    paused: bool | Unset = False
    auto_copy: bool | Unset = True
    endpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.gcs_hmac_auth import GcsHmacAuth  # noqa: PLC0415
        from ..models.gcs_service_account_auth import GcsServiceAccountAuth  # noqa: PLC0415
        from ..models.gcs_storage_request_metadata_type_0 import GcsStorageRequestMetadataType0  # noqa: PLC0415
        from ..models.gcs_storage_request_tags_type_1 import GcsStorageRequestTagsType1  # noqa: PLC0415

        provider = self.provider

        bucket = self.bucket

        auth: dict[str, Any]
        if isinstance(self.auth, GcsServiceAccountAuth):
            auth = self.auth.to_dict()
        else:
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
        elif isinstance(self.metadata, GcsStorageRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        tags: dict[str, Any] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, GcsStorageRequestTagsType1):
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
        elif isinstance(self.if_exists, GcsStorageRequestIfExistsType0):
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
        elif isinstance(self.acl, GcsStorageRequestAclType1):
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
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gcs_hmac_auth import GcsHmacAuth  # noqa: PLC0415
        from ..models.gcs_service_account_auth import GcsServiceAccountAuth  # noqa: PLC0415
        from ..models.gcs_storage_request_metadata_type_0 import GcsStorageRequestMetadataType0  # noqa: PLC0415
        from ..models.gcs_storage_request_tags_type_1 import GcsStorageRequestTagsType1  # noqa: PLC0415

        d = dict(src_dict)
        provider = cast(Literal["gcs"], d.pop("provider"))
        if provider != "gcs":
            raise ValueError(f"provider must match const 'gcs', got '{provider}'")

        bucket = d.pop("bucket")

        def _parse_auth(data: object) -> GcsHmacAuth | GcsServiceAccountAuth:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                auth_type_0 = GcsServiceAccountAuth.from_dict(data)

                return auth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            auth_type_1 = GcsHmacAuth.from_dict(data)

            return auth_type_1

        auth = _parse_auth(d.pop("auth"))

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

        def _parse_metadata(data: object) -> GcsStorageRequestMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = GcsStorageRequestMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GcsStorageRequestMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_tags(data: object) -> GcsStorageRequestTagsType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tags_type_1 = GcsStorageRequestTagsType1.from_dict(data)

                return tags_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GcsStorageRequestTagsType1 | None | Unset, data)

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

        def _parse_if_exists(data: object) -> GcsStorageRequestIfExistsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                if_exists_type_0 = GcsStorageRequestIfExistsType0(data)

                return if_exists_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GcsStorageRequestIfExistsType0 | None | Unset, data)

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

        def _parse_acl(data: object) -> GcsStorageRequestAclType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acl_type_1 = GcsStorageRequestAclType1(data)

                return acl_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GcsStorageRequestAclType1 | None | Unset, data)

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

        def _parse_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        endpoint = _parse_endpoint(d.pop("endpoint", UNSET))

        gcs_storage_request = cls(
            provider=provider,
            bucket=bucket,
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
            endpoint=endpoint,
        )

        return gcs_storage_request
