from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast


T = TypeVar("T", bound="TemplateSummary")


@_attrs_define
class TemplateSummary:
    """
    Attributes:
        id (str):
        name (str):
        builtin (bool):
        pages (int):
        width (int):
        height (int):
        layers (list[str]):
        duration (float | None | Unset):
        fps (int | None | Unset):
    """

    id: str
    name: str
    builtin: bool
    pages: int
    width: int
    height: int
    layers: list[str]
    duration: float | None | Unset = UNSET
    fps: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        builtin = self.builtin

        pages = self.pages

        width = self.width

        height = self.height

        layers = self.layers

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        fps: int | None | Unset
        if isinstance(self.fps, Unset):
            fps = UNSET
        else:
            fps = self.fps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "builtin": builtin,
                "pages": pages,
                "width": width,
                "height": height,
                "layers": layers,
            }
        )
        if duration is not UNSET:
            field_dict["duration"] = duration
        if fps is not UNSET:
            field_dict["fps"] = fps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        builtin = d.pop("builtin")

        pages = d.pop("pages")

        width = d.pop("width")

        height = d.pop("height")

        layers = cast(list[str], d.pop("layers"))

        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_fps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        fps = _parse_fps(d.pop("fps", UNSET))

        template_summary = cls(
            id=id,
            name=name,
            builtin=builtin,
            pages=pages,
            width=width,
            height=height,
            layers=layers,
            duration=duration,
            fps=fps,
        )

        return template_summary
