from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.render_data_format import RenderDataFormat
from ..models.render_data_type import RenderDataType


T = TypeVar("T", bound="RenderData")


@_attrs_define
class RenderData:
    """A single-page render's file.

    Attributes:
        content (str):
        type_ (RenderDataType):
        format_ (RenderDataFormat):
        response_time (str):
    """

    content: str
    type_: RenderDataType
    format_: RenderDataFormat
    response_time: str

    def to_dict(self) -> dict[str, Any]:
        content = self.content

        type_ = self.type_.value

        format_ = self.format_.value

        response_time = self.response_time

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "content": content,
                "type": type_,
                "format": format_,
                "responseTime": response_time,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content = d.pop("content")

        type_ = RenderDataType(d.pop("type"))

        format_ = RenderDataFormat(d.pop("format"))

        response_time = d.pop("responseTime")

        render_data = cls(
            content=content,
            type_=type_,
            format_=format_,
            response_time=response_time,
        )

        return render_data
