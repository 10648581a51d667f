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
    """

    id: str
    name: str
    builtin: bool
    pages: int
    width: int
    height: int
    layers: list[str]

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        builtin = self.builtin

        pages = self.pages

        width = self.width

        height = self.height

        layers = self.layers

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

        template_summary = cls(
            id=id,
            name=name,
            builtin=builtin,
            pages=pages,
            width=width,
            height=height,
            layers=layers,
        )

        return template_summary
