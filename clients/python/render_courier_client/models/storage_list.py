from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.azure_storage_response import AzureStorageResponse
    from ..models.dropbox_storage_response import DropboxStorageResponse
    from ..models.gcs_storage_response import GcsStorageResponse
    from ..models.r2_storage_response import R2StorageResponse
    from ..models.s3_storage_response import S3StorageResponse


T = TypeVar("T", bound="StorageList")


@_attrs_define
class StorageList:
    """
    Attributes:
        storages (list[AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse |
            S3StorageResponse]):
        next_cursor (None | str | Unset): pass as `cursor` for the next page; null on the last
    """

    storages: list[
        AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse
    ]
    next_cursor: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.azure_storage_response import AzureStorageResponse  # noqa: PLC0415
        from ..models.dropbox_storage_response import DropboxStorageResponse  # noqa: PLC0415
        from ..models.gcs_storage_response import GcsStorageResponse  # noqa: PLC0415
        from ..models.r2_storage_response import R2StorageResponse  # noqa: PLC0415
        from ..models.s3_storage_response import S3StorageResponse  # noqa: PLC0415

        storages = []
        for storages_item_data in self.storages:
            storages_item: dict[str, Any]
            if isinstance(storages_item_data, S3StorageResponse):
                storages_item = storages_item_data.to_dict()
            elif isinstance(storages_item_data, R2StorageResponse):
                storages_item = storages_item_data.to_dict()
            elif isinstance(storages_item_data, DropboxStorageResponse):
                storages_item = storages_item_data.to_dict()
            elif isinstance(storages_item_data, AzureStorageResponse):
                storages_item = storages_item_data.to_dict()
            else:
                storages_item = storages_item_data.to_dict()

            storages.append(storages_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "storages": storages,
            }
        )
        if next_cursor is not UNSET:
            field_dict["nextCursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.azure_storage_response import AzureStorageResponse  # noqa: PLC0415
        from ..models.dropbox_storage_response import DropboxStorageResponse  # noqa: PLC0415
        from ..models.gcs_storage_response import GcsStorageResponse  # noqa: PLC0415
        from ..models.r2_storage_response import R2StorageResponse  # noqa: PLC0415
        from ..models.s3_storage_response import S3StorageResponse  # noqa: PLC0415

        d = dict(src_dict)
        storages = []
        _storages = d.pop("storages")
        for storages_item_data in _storages:

            def _parse_storages_item(
                data: object,
            ) -> (
                AzureStorageResponse
                | DropboxStorageResponse
                | GcsStorageResponse
                | R2StorageResponse
                | S3StorageResponse
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_storage_response_type_0 = S3StorageResponse.from_dict(data)

                    return componentsschemas_storage_response_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_storage_response_type_1 = R2StorageResponse.from_dict(data)

                    return componentsschemas_storage_response_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_storage_response_type_2 = DropboxStorageResponse.from_dict(data)

                    return componentsschemas_storage_response_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_storage_response_type_3 = AzureStorageResponse.from_dict(data)

                    return componentsschemas_storage_response_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_response_type_4 = GcsStorageResponse.from_dict(data)

                return componentsschemas_storage_response_type_4

            storages_item = _parse_storages_item(storages_item_data)

            storages.append(storages_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor", UNSET))

        storage_list = cls(
            storages=storages,
            next_cursor=next_cursor,
        )

        return storage_list
