from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast


T = TypeVar("T", bound="PagePath")


@_attrs_define
class PagePath:
    """
    Attributes:
        page (int):
        path (None | str):
    """

    page: int
    path: None | str

    def to_dict(self) -> dict[str, Any]:
        page = self.page

        path: None | str
        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "page": page,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        page = d.pop("page")

        def _parse_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        path = _parse_path(d.pop("path"))

        page_path = cls(
            page=page,
            path=path,
        )

        return page_path
