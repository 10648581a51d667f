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
        scale (float | None | Unset):
        include_pages (list[int] | None | Unset):
        time (float | None | Unset):
        frame (int | None | Unset):
    """

    type_: ResponseSpecType | Unset = ResponseSpecType.URL
    format_: ResponseSpecFormat | Unset = ResponseSpecFormat.PNG
    file_name: None | str | Unset = UNSET
    scale: float | None | Unset = UNSET
    include_pages: list[int] | None | Unset = UNSET
    time: float | None | Unset = UNSET
    frame: int | None | Unset = UNSET

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

        scale: float | None | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        else:
            scale = self.scale

        include_pages: list[int] | None | Unset
        if isinstance(self.include_pages, Unset):
            include_pages = UNSET
        elif isinstance(self.include_pages, list):
            include_pages = self.include_pages

        else:
            include_pages = self.include_pages

        time: float | None | Unset
        if isinstance(self.time, Unset):
            time = UNSET
        else:
            time = self.time

        frame: int | None | Unset
        if isinstance(self.frame, Unset):
            frame = UNSET
        else:
            frame = self.frame

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if format_ is not UNSET:
            field_dict["format"] = format_
        if file_name is not UNSET:
            field_dict["fileName"] = file_name
        if scale is not UNSET:
            field_dict["scale"] = scale
        if include_pages is not UNSET:
            field_dict["includePages"] = include_pages
        if time is not UNSET:
            field_dict["time"] = time
        if frame is not UNSET:
            field_dict["frame"] = frame

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

        def _parse_scale(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))

        def _parse_include_pages(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                include_pages_type_0 = cast(list[int], data)

                return include_pages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        include_pages = _parse_include_pages(d.pop("includePages", UNSET))

        def _parse_time(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        time = _parse_time(d.pop("time", UNSET))

        def _parse_frame(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        frame = _parse_frame(d.pop("frame", UNSET))

        response_spec = cls(
            type_=type_,
            format_=format_,
            file_name=file_name,
            scale=scale,
            include_pages=include_pages,
            time=time,
            frame=frame,
        )

        return response_spec
