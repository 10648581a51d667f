from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.response_spec_format import ResponseSpecFormat
from ..models.response_spec_type import ResponseSpecType
from typing import cast


T = TypeVar("T", bound="ResponseSpec")


@_attrs_define
class ResponseSpec:
    """
    Attributes:
        type_ (ResponseSpecType | Unset):  Default: ResponseSpecType.URL.
        format_ (ResponseSpecFormat | Unset):  Default: ResponseSpecFormat.PNG.
        file_name (None | str | Unset):
    """

    type_: ResponseSpecType | Unset = ResponseSpecType.URL
    format_: ResponseSpecFormat | Unset = ResponseSpecFormat.PNG
    file_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value

        file_name: None | str | Unset
        if isinstance(self.file_name, Unset):
            file_name = UNSET
        else:
            file_name = self.file_name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if format_ is not UNSET:
            field_dict["format"] = format_
        if file_name is not UNSET:
            field_dict["fileName"] = file_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _type_ = d.pop("type", UNSET)
        type_: ResponseSpecType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = ResponseSpecType(_type_)

        _format_ = d.pop("format", UNSET)
        format_: ResponseSpecFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = ResponseSpecFormat(_format_)

        def _parse_file_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        file_name = _parse_file_name(d.pop("fileName", UNSET))

        response_spec = cls(
            type_=type_,
            format_=format_,
            file_name=file_name,
        )

        return response_spec
