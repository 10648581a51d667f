from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.storage_response import StorageResponse


T = TypeVar("T", bound="StorageList")


@_attrs_define
class StorageList:
    """
    Attributes:
        storages (list[StorageResponse]):
        next_cursor (None | str | Unset): pass as `cursor` for the next page; null on the last
    """

    storages: list[StorageResponse]
    next_cursor: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.storage_response import StorageResponse  # noqa: PLC0415

        storages = []
        for storages_item_data in self.storages:
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
        from ..models.storage_response import StorageResponse  # noqa: PLC0415

        d = dict(src_dict)
        storages = []
        _storages = d.pop("storages")
        for storages_item_data in _storages:
            storages_item = StorageResponse.from_dict(storages_item_data)

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
