from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connection_spec_acl_type_0 import ConnectionSpecAclType0
from ..models.connection_spec_if_exists_type_0 import ConnectionSpecIfExistsType0
from ..models.connection_spec_provider import ConnectionSpecProvider
from ..models.connection_spec_sse_type_0 import ConnectionSpecSseType0
from ..models.connection_spec_storage_class_type_0 import ConnectionSpecStorageClassType0
from ..models.connection_spec_type import ConnectionSpecType
from typing import cast

if TYPE_CHECKING:
    from ..models.connection_spec_headers_type_0 import ConnectionSpecHeadersType0
    from ..models.connection_spec_metadata_type_0 import ConnectionSpecMetadataType0
    from ..models.connection_spec_tags_type_0 import ConnectionSpecTagsType0


T = TypeVar("T", bound="ConnectionSpec")


@_attrs_define
class ConnectionSpec:
    """One destination of a render: a stored storage (by name or provider), a presigned URL, or an inline bucket.

    Attributes:
        provider (ConnectionSpecProvider):
        content_disposition (None | str | Unset):
        cache_control (None | str | Unset):
        metadata (ConnectionSpecMetadataType0 | None | Unset):
        tags (ConnectionSpecTagsType0 | None | Unset):
        storage_class (ConnectionSpecStorageClassType0 | None | Unset):
        sse (ConnectionSpecSseType0 | None | Unset):
        kms_key_id (None | str | Unset):
        if_exists (ConnectionSpecIfExistsType0 | None | Unset):
        make_public (bool | None | Unset):
        acl (ConnectionSpecAclType0 | None | Unset):
        content_type (None | str | Unset):
        type_ (ConnectionSpecType | Unset):  Default: ConnectionSpecType.STORAGE.
        storage (None | str | Unset):
        folder (None | str | Unset):
        pattern (None | str | Unset):
        presigned_url (None | str | Unset):
        headers (ConnectionSpecHeadersType0 | None | Unset):
        bucket (None | str | Unset):
        filename (None | str | Unset):
        aws_access_key_id (None | str | Unset):
        aws_secret_access_key (None | str | Unset):
        s3host (None | str | Unset):
        secure (bool | None | Unset):
        aws_use_policy (bool | None | Unset):
        reduced_redundancy (bool | None | Unset):
        region (None | str | Unset):
        contenttype (None | str | Unset):
        contentdisposition (None | str | Unset):
        cachecontrol (None | str | Unset):
    """

    provider: ConnectionSpecProvider
    content_disposition: None | str | Unset = UNSET
    cache_control: None | str | Unset = UNSET
    metadata: ConnectionSpecMetadataType0 | None | Unset = UNSET
    tags: ConnectionSpecTagsType0 | None | Unset = UNSET
    storage_class: ConnectionSpecStorageClassType0 | None | Unset = UNSET
    sse: ConnectionSpecSseType0 | None | Unset = UNSET
    kms_key_id: None | str | Unset = UNSET
    if_exists: ConnectionSpecIfExistsType0 | None | Unset = UNSET
    make_public: bool | None | Unset = UNSET
    acl: ConnectionSpecAclType0 | None | Unset = UNSET
    content_type: None | str | Unset = UNSET
    type_: ConnectionSpecType | Unset = ConnectionSpecType.STORAGE
    storage: None | str | Unset = UNSET
    folder: None | str | Unset = UNSET
    pattern: None | str | Unset = UNSET
    presigned_url: None | str | Unset = UNSET
    headers: ConnectionSpecHeadersType0 | None | Unset = UNSET
    bucket: None | str | Unset = UNSET
    filename: None | str | Unset = UNSET
    aws_access_key_id: None | str | Unset = UNSET
    aws_secret_access_key: None | str | Unset = UNSET
    s3host: None | str | Unset = UNSET
    secure: bool | None | Unset = UNSET
    aws_use_policy: bool | None | Unset = UNSET
    reduced_redundancy: bool | None | Unset = UNSET
    region: None | str | Unset = UNSET
    contenttype: None | str | Unset = UNSET
    contentdisposition: None | str | Unset = UNSET
    cachecontrol: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_spec_headers_type_0 import ConnectionSpecHeadersType0  # noqa: PLC0415
        from ..models.connection_spec_metadata_type_0 import ConnectionSpecMetadataType0  # noqa: PLC0415
        from ..models.connection_spec_tags_type_0 import ConnectionSpecTagsType0  # noqa: PLC0415

        provider = self.provider.value

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
        elif isinstance(self.metadata, ConnectionSpecMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        tags: dict[str, Any] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, ConnectionSpecTagsType0):
            tags = self.tags.to_dict()
        else:
            tags = self.tags

        storage_class: None | str | Unset
        if isinstance(self.storage_class, Unset):
            storage_class = UNSET
        elif isinstance(self.storage_class, ConnectionSpecStorageClassType0):
            storage_class = self.storage_class.value
        else:
            storage_class = self.storage_class

        sse: None | str | Unset
        if isinstance(self.sse, Unset):
            sse = UNSET
        elif isinstance(self.sse, ConnectionSpecSseType0):
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
        elif isinstance(self.if_exists, ConnectionSpecIfExistsType0):
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
        elif isinstance(self.acl, ConnectionSpecAclType0):
            acl = self.acl.value
        else:
            acl = self.acl

        content_type: None | str | Unset
        if isinstance(self.content_type, Unset):
            content_type = UNSET
        else:
            content_type = self.content_type

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        storage: None | str | Unset
        if isinstance(self.storage, Unset):
            storage = UNSET
        else:
            storage = self.storage

        folder: None | str | Unset
        if isinstance(self.folder, Unset):
            folder = UNSET
        else:
            folder = self.folder

        pattern: None | str | Unset
        if isinstance(self.pattern, Unset):
            pattern = UNSET
        else:
            pattern = self.pattern

        presigned_url: None | str | Unset
        if isinstance(self.presigned_url, Unset):
            presigned_url = UNSET
        else:
            presigned_url = self.presigned_url

        headers: dict[str, Any] | None | Unset
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, ConnectionSpecHeadersType0):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        bucket: None | str | Unset
        if isinstance(self.bucket, Unset):
            bucket = UNSET
        else:
            bucket = self.bucket

        filename: None | str | Unset
        if isinstance(self.filename, Unset):
            filename = UNSET
        else:
            filename = self.filename

        aws_access_key_id: None | str | Unset
        if isinstance(self.aws_access_key_id, Unset):
            aws_access_key_id = UNSET
        else:
            aws_access_key_id = self.aws_access_key_id

        aws_secret_access_key: None | str | Unset
        if isinstance(self.aws_secret_access_key, Unset):
            aws_secret_access_key = UNSET
        else:
            aws_secret_access_key = self.aws_secret_access_key

        s3host: None | str | Unset
        if isinstance(self.s3host, Unset):
            s3host = UNSET
        else:
            s3host = self.s3host

        secure: bool | None | Unset
        if isinstance(self.secure, Unset):
            secure = UNSET
        else:
            secure = self.secure

        aws_use_policy: bool | None | Unset
        if isinstance(self.aws_use_policy, Unset):
            aws_use_policy = UNSET
        else:
            aws_use_policy = self.aws_use_policy

        reduced_redundancy: bool | None | Unset
        if isinstance(self.reduced_redundancy, Unset):
            reduced_redundancy = UNSET
        else:
            reduced_redundancy = self.reduced_redundancy

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        contenttype: None | str | Unset
        if isinstance(self.contenttype, Unset):
            contenttype = UNSET
        else:
            contenttype = self.contenttype

        contentdisposition: None | str | Unset
        if isinstance(self.contentdisposition, Unset):
            contentdisposition = UNSET
        else:
            contentdisposition = self.contentdisposition

        cachecontrol: None | str | Unset
        if isinstance(self.cachecontrol, Unset):
            cachecontrol = UNSET
        else:
            cachecontrol = self.cachecontrol

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
        if type_ is not UNSET:
            field_dict["type"] = type_
        if storage is not UNSET:
            field_dict["storage"] = storage
        if folder is not UNSET:
            field_dict["folder"] = folder
        if pattern is not UNSET:
            field_dict["pattern"] = pattern
        if presigned_url is not UNSET:
            field_dict["presignedUrl"] = presigned_url
        if headers is not UNSET:
            field_dict["headers"] = headers
        if bucket is not UNSET:
            field_dict["bucket"] = bucket
        if filename is not UNSET:
            field_dict["filename"] = filename
        if aws_access_key_id is not UNSET:
            field_dict["aws_access_key_id"] = aws_access_key_id
        if aws_secret_access_key is not UNSET:
            field_dict["aws_secret_access_key"] = aws_secret_access_key
        if s3host is not UNSET:
            field_dict["s3host"] = s3host
        if secure is not UNSET:
            field_dict["secure"] = secure
        if aws_use_policy is not UNSET:
            field_dict["aws_use_policy"] = aws_use_policy
        if reduced_redundancy is not UNSET:
            field_dict["reduced_redundancy"] = reduced_redundancy
        if region is not UNSET:
            field_dict["region"] = region
        if contenttype is not UNSET:
            field_dict["contenttype"] = contenttype
        if contentdisposition is not UNSET:
            field_dict["contentdisposition"] = contentdisposition
        if cachecontrol is not UNSET:
            field_dict["cachecontrol"] = cachecontrol

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_spec_headers_type_0 import ConnectionSpecHeadersType0  # noqa: PLC0415
        from ..models.connection_spec_metadata_type_0 import ConnectionSpecMetadataType0  # noqa: PLC0415
        from ..models.connection_spec_tags_type_0 import ConnectionSpecTagsType0  # noqa: PLC0415

        d = dict(src_dict)
        provider = ConnectionSpecProvider(d.pop("provider"))

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

        def _parse_metadata(data: object) -> ConnectionSpecMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ConnectionSpecMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_tags(data: object) -> ConnectionSpecTagsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tags_type_0 = ConnectionSpecTagsType0.from_dict(data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecTagsType0 | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_storage_class(data: object) -> ConnectionSpecStorageClassType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                storage_class_type_0 = ConnectionSpecStorageClassType0(data)

                return storage_class_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecStorageClassType0 | None | Unset, data)

        storage_class = _parse_storage_class(d.pop("storageClass", UNSET))

        def _parse_sse(data: object) -> ConnectionSpecSseType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sse_type_0 = ConnectionSpecSseType0(data)

                return sse_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecSseType0 | None | Unset, data)

        sse = _parse_sse(d.pop("sse", UNSET))

        def _parse_kms_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kms_key_id = _parse_kms_key_id(d.pop("kmsKeyId", UNSET))

        def _parse_if_exists(data: object) -> ConnectionSpecIfExistsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                if_exists_type_0 = ConnectionSpecIfExistsType0(data)

                return if_exists_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecIfExistsType0 | None | Unset, data)

        if_exists = _parse_if_exists(d.pop("ifExists", UNSET))

        def _parse_make_public(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        make_public = _parse_make_public(d.pop("makePublic", UNSET))

        def _parse_acl(data: object) -> ConnectionSpecAclType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acl_type_0 = ConnectionSpecAclType0(data)

                return acl_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecAclType0 | None | Unset, data)

        acl = _parse_acl(d.pop("acl", UNSET))

        def _parse_content_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_type = _parse_content_type(d.pop("contentType", UNSET))

        _type_ = d.pop("type", UNSET)
        type_: ConnectionSpecType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = ConnectionSpecType(_type_)

        def _parse_storage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        storage = _parse_storage(d.pop("storage", UNSET))

        def _parse_folder(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder = _parse_folder(d.pop("folder", UNSET))

        def _parse_pattern(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pattern = _parse_pattern(d.pop("pattern", UNSET))

        def _parse_presigned_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        presigned_url = _parse_presigned_url(d.pop("presignedUrl", UNSET))

        def _parse_headers(data: object) -> ConnectionSpecHeadersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_0 = ConnectionSpecHeadersType0.from_dict(data)

                return headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectionSpecHeadersType0 | None | Unset, data)

        headers = _parse_headers(d.pop("headers", UNSET))

        def _parse_bucket(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bucket = _parse_bucket(d.pop("bucket", UNSET))

        def _parse_filename(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        filename = _parse_filename(d.pop("filename", UNSET))

        def _parse_aws_access_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        aws_access_key_id = _parse_aws_access_key_id(d.pop("aws_access_key_id", UNSET))

        def _parse_aws_secret_access_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        aws_secret_access_key = _parse_aws_secret_access_key(d.pop("aws_secret_access_key", UNSET))

        def _parse_s3host(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        s3host = _parse_s3host(d.pop("s3host", UNSET))

        def _parse_secure(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        secure = _parse_secure(d.pop("secure", UNSET))

        def _parse_aws_use_policy(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        aws_use_policy = _parse_aws_use_policy(d.pop("aws_use_policy", UNSET))

        def _parse_reduced_redundancy(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        reduced_redundancy = _parse_reduced_redundancy(d.pop("reduced_redundancy", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_contenttype(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contenttype = _parse_contenttype(d.pop("contenttype", UNSET))

        def _parse_contentdisposition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contentdisposition = _parse_contentdisposition(d.pop("contentdisposition", UNSET))

        def _parse_cachecontrol(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cachecontrol = _parse_cachecontrol(d.pop("cachecontrol", UNSET))

        connection_spec = cls(
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
            type_=type_,
            storage=storage,
            folder=folder,
            pattern=pattern,
            presigned_url=presigned_url,
            headers=headers,
            bucket=bucket,
            filename=filename,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
            s3host=s3host,
            secure=secure,
            aws_use_policy=aws_use_policy,
            reduced_redundancy=reduced_redundancy,
            region=region,
            contenttype=contenttype,
            contentdisposition=contentdisposition,
            cachecontrol=cachecontrol,
        )

        return connection_spec
