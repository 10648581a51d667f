from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.render_data_format import RenderDataFormat
from ..models.render_data_type import RenderDataType
from typing import cast

if TYPE_CHECKING:
    from ..models.page_content import PageContent


T = TypeVar("T", bound="RenderData")


@_attrs_define
class RenderData:
    """
    Attributes:
        content (list[PageContent] | str):
        type_ (RenderDataType):
        format_ (RenderDataFormat):
        response_time (str):
        total_pages (int | None | Unset):
        rendered_pages (int | None | Unset):
    """

    content: list[PageContent] | str
    type_: RenderDataType
    format_: RenderDataFormat
    response_time: str
    total_pages: int | None | Unset = UNSET
    rendered_pages: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.page_content import PageContent  # noqa: PLC0415

        content: list[dict[str, Any]] | str
        if isinstance(self.content, list):
            content = []
            for content_type_1_item_data in self.content:
                content_type_1_item = content_type_1_item_data.to_dict()
                content.append(content_type_1_item)

        else:
            content = self.content

        type_ = self.type_.value

        format_ = self.format_.value

        response_time = self.response_time

        total_pages: int | None | Unset
        if isinstance(self.total_pages, Unset):
            total_pages = UNSET
        else:
            total_pages = self.total_pages

        rendered_pages: int | None | Unset
        if isinstance(self.rendered_pages, Unset):
            rendered_pages = UNSET
        else:
            rendered_pages = self.rendered_pages

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "content": content,
                "type": type_,
                "format": format_,
                "responseTime": response_time,
            }
        )
        if total_pages is not UNSET:
            field_dict["totalPages"] = total_pages
        if rendered_pages is not UNSET:
            field_dict["renderedPages"] = rendered_pages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_content import PageContent  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_content(data: object) -> list[PageContent] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                content_type_1 = []
                _content_type_1 = data
                for content_type_1_item_data in _content_type_1:
                    content_type_1_item = PageContent.from_dict(content_type_1_item_data)

                    content_type_1.append(content_type_1_item)

                return content_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PageContent] | str, data)

        content = _parse_content(d.pop("content"))

        type_ = RenderDataType(d.pop("type"))

        format_ = RenderDataFormat(d.pop("format"))

        response_time = d.pop("responseTime")

        def _parse_total_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_pages = _parse_total_pages(d.pop("totalPages", UNSET))

        def _parse_rendered_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rendered_pages = _parse_rendered_pages(d.pop("renderedPages", UNSET))

        render_data = cls(
            content=content,
            type_=type_,
            format_=format_,
            response_time=response_time,
            total_pages=total_pages,
            rendered_pages=rendered_pages,
        )

        return render_data
