from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.gradient_stop import GradientStop


T = TypeVar("T", bound="LinearGradient")


@_attrs_define
class LinearGradient:
    """Angle in degrees, CSS-like: 0 goes bottom → top, 90 left → right, 135 top-left → bottom-right.

    Attributes:
        stops (list[GradientStop]):
        angle (float | Unset):  Default: 90.0.
    """

    stops: list[GradientStop]
    angle: float | Unset = 90.0

    def to_dict(self) -> dict[str, Any]:
        from ..models.gradient_stop import GradientStop  # noqa: PLC0415

        stops = []
        for stops_item_data in self.stops:
            stops_item = stops_item_data.to_dict()
            stops.append(stops_item)

        angle = self.angle

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "stops": stops,
            }
        )
        if angle is not UNSET:
            field_dict["angle"] = angle

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gradient_stop import GradientStop  # noqa: PLC0415

        d = dict(src_dict)
        stops = []
        _stops = d.pop("stops")
        for stops_item_data in _stops:
            stops_item = GradientStop.from_dict(stops_item_data)

            stops.append(stops_item)

        angle = d.pop("angle", UNSET)

        linear_gradient = cls(
            stops=stops,
            angle=angle,
        )

        return linear_gradient
