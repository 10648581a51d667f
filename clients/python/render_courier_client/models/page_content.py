from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="PageContent")


@_attrs_define
class PageContent:
    """
    Attributes:
        page (int):
        page_id (str):
        content (str):
    """

    page: int
    page_id: str
    content: str

    def to_dict(self) -> dict[str, Any]:
        page = self.page

        page_id = self.page_id

        content = self.content

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "page": page,
                "pageId": page_id,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        page = d.pop("page")

        page_id = d.pop("pageId")

        content = d.pop("content")

        page_content = cls(
            page=page,
            page_id=page_id,
            content=content,
        )

        return page_content
