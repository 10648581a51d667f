from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.border import Border
    from ..models.layer_keyframes import LayerKeyframes
    from ..models.linear_gradient import LinearGradient


T = TypeVar("T", bound="EllipseLayer")


@_attrs_define
class EllipseLayer:
    """
    Attributes:
        name (str):
        width (float):
        height (float):
        type_ (Literal['ellipse']):
        x (float | Unset):  Default: 0.0.
        y (float | Unset):  Default: 0.0.
        opacity (float | Unset):  Default: 1.0.
        visible (bool | Unset):  Default: True.
        scale (float | Unset):  Default: 1.0.
        rotation (float | Unset):  Default: 0.0.
        keyframes (LayerKeyframes | None | Unset):
        fill (None | str | Unset):  Default: '#000000'.
        gradient (LinearGradient | None | Unset):
        border (Border | None | Unset):
    """

    name: str
    width: float
    height: float
    type_: Literal["ellipse"]
    x: float | Unset = 0.0
    y: float | Unset = 0.0
    opacity: float | Unset = 1.0
    visible: bool | Unset = True
    scale: float | Unset = 1.0
    rotation: float | Unset = 0.0
    keyframes: LayerKeyframes | None | Unset = UNSET
    fill: None | str | Unset = "#000000"
    gradient: LinearGradient | None | Unset = UNSET
    border: Border | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.border import Border  # noqa: PLC0415
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415
        from ..models.linear_gradient import LinearGradient  # noqa: PLC0415

        name = self.name

        width = self.width

        height = self.height

        type_ = self.type_

        x = self.x

        y = self.y

        opacity = self.opacity

        visible = self.visible

        scale = self.scale

        rotation = self.rotation

        keyframes: dict[str, Any] | None | Unset
        if isinstance(self.keyframes, Unset):
            keyframes = UNSET
        elif isinstance(self.keyframes, LayerKeyframes):
            keyframes = self.keyframes.to_dict()
        else:
            keyframes = self.keyframes

        fill: None | str | Unset
        if isinstance(self.fill, Unset):
            fill = UNSET
        else:
            fill = self.fill

        gradient: dict[str, Any] | None | Unset
        if isinstance(self.gradient, Unset):
            gradient = UNSET
        elif isinstance(self.gradient, LinearGradient):
            gradient = self.gradient.to_dict()
        else:
            gradient = self.gradient

        border: dict[str, Any] | None | Unset
        if isinstance(self.border, Unset):
            border = UNSET
        elif isinstance(self.border, Border):
            border = self.border.to_dict()
        else:
            border = self.border

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "width": width,
                "height": height,
                "type": type_,
            }
        )
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y
        if opacity is not UNSET:
            field_dict["opacity"] = opacity
        if visible is not UNSET:
            field_dict["visible"] = visible
        if scale is not UNSET:
            field_dict["scale"] = scale
        if rotation is not UNSET:
            field_dict["rotation"] = rotation
        if keyframes is not UNSET:
            field_dict["keyframes"] = keyframes
        if fill is not UNSET:
            field_dict["fill"] = fill
        if gradient is not UNSET:
            field_dict["gradient"] = gradient
        if border is not UNSET:
            field_dict["border"] = border

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.border import Border  # noqa: PLC0415
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415
        from ..models.linear_gradient import LinearGradient  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        width = d.pop("width")

        height = d.pop("height")

        type_ = cast(Literal["ellipse"], d.pop("type"))
        if type_ != "ellipse":
            raise ValueError(f"type must match const 'ellipse', got '{type_}'")

        x = d.pop("x", UNSET)

        y = d.pop("y", UNSET)

        opacity = d.pop("opacity", UNSET)

        visible = d.pop("visible", UNSET)

        scale = d.pop("scale", UNSET)

        rotation = d.pop("rotation", UNSET)

        def _parse_keyframes(data: object) -> LayerKeyframes | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                keyframes_type_0 = LayerKeyframes.from_dict(data)

                return keyframes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LayerKeyframes | None | Unset, data)

        keyframes = _parse_keyframes(d.pop("keyframes", UNSET))

        def _parse_fill(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fill = _parse_fill(d.pop("fill", UNSET))

        def _parse_gradient(data: object) -> LinearGradient | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gradient_type_0 = LinearGradient.from_dict(data)

                return gradient_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinearGradient | None | Unset, data)

        gradient = _parse_gradient(d.pop("gradient", UNSET))

        def _parse_border(data: object) -> Border | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                border_type_0 = Border.from_dict(data)

                return border_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Border | None | Unset, data)

        border = _parse_border(d.pop("border", UNSET))

        ellipse_layer = cls(
            name=name,
            width=width,
            height=height,
            type_=type_,
            x=x,
            y=y,
            opacity=opacity,
            visible=visible,
            scale=scale,
            rotation=rotation,
            keyframes=keyframes,
            fill=fill,
            gradient=gradient,
            border=border,
        )

        return ellipse_layer
