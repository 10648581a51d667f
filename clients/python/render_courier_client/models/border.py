from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="Border")


@_attrs_define
class Border:
    """
    Attributes:
        width (float):
        color (str):
    """

    width: float
    color: str

    def to_dict(self) -> dict[str, Any]:
        width = self.width

        color = self.color

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "width": width,
                "color": color,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        width = d.pop("width")

        color = d.pop("color")

        border = cls(
            width=width,
            color=color,
        )

        return border
