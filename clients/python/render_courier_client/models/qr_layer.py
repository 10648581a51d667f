from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.qr_layer_errorcorrection import QrLayerErrorcorrection
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.layer_keyframes import LayerKeyframes


T = TypeVar("T", bound="QrLayer")


@_attrs_define
class QrLayer:
    """A QR code drawn as a square of side min(width, height), centred in the box.

    Attributes:
        name (str):
        width (float):
        height (float):
        type_ (Literal['qr']):
        data (str):
        x (float | Unset):  Default: 0.0.
        y (float | Unset):  Default: 0.0.
        opacity (float | Unset):  Default: 1.0.
        visible (bool | Unset):  Default: True.
        scale (float | Unset):  Default: 1.0.
        rotation (float | Unset):  Default: 0.0.
        keyframes (LayerKeyframes | None | Unset):
        color (str | Unset):  Default: '#000000'.
        background (None | str | Unset):  Default: '#ffffff'.
        error_correction (QrLayerErrorcorrection | Unset):  Default: QrLayerErrorcorrection.M.
    """

    name: str
    width: float
    height: float
    type_: Literal["qr"]
    data: str
    x: float | Unset = 0.0
    y: float | Unset = 0.0
    opacity: float | Unset = 1.0
    visible: bool | Unset = True
    scale: float | Unset = 1.0
    rotation: float | Unset = 0.0
    keyframes: LayerKeyframes | None | Unset = UNSET
    color: str | Unset = "#000000"
    background: None | str | Unset = "#ffffff"
    error_correction: QrLayerErrorcorrection | Unset = QrLayerErrorcorrection.M

    def to_dict(self) -> dict[str, Any]:
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415

        name = self.name

        width = self.width

        height = self.height

        type_ = self.type_

        data = self.data

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

        color = self.color

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        else:
            background = self.background

        error_correction: str | Unset = UNSET
        if not isinstance(self.error_correction, Unset):
            error_correction = self.error_correction.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "width": width,
                "height": height,
                "type": type_,
                "data": data,
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
        if color is not UNSET:
            field_dict["color"] = color
        if background is not UNSET:
            field_dict["background"] = background
        if error_correction is not UNSET:
            field_dict["errorCorrection"] = error_correction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        width = d.pop("width")

        height = d.pop("height")

        type_ = cast(Literal["qr"], d.pop("type"))
        if type_ != "qr":
            raise ValueError(f"type must match const 'qr', got '{type_}'")

        data = d.pop("data")

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

        color = d.pop("color", UNSET)

        def _parse_background(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        background = _parse_background(d.pop("background", UNSET))

        _error_correction = d.pop("errorCorrection", UNSET)
        error_correction: QrLayerErrorcorrection | Unset
        if isinstance(_error_correction, Unset):
            error_correction = UNSET
        else:
            error_correction = QrLayerErrorcorrection(_error_correction)

        qr_layer = cls(
            name=name,
            width=width,
            height=height,
            type_=type_,
            data=data,
            x=x,
            y=y,
            opacity=opacity,
            visible=visible,
            scale=scale,
            rotation=rotation,
            keyframes=keyframes,
            color=color,
            background=background,
            error_correction=error_correction,
        )

        return qr_layer
