from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.image_layer_fit import ImageLayerFit
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.layer_keyframes import LayerKeyframes


T = TypeVar("T", bound="ImageLayer")


@_attrs_define
class ImageLayer:
    """
    Attributes:
        name (str):
        width (float):
        height (float):
        type_ (Literal['image']):
        x (float | Unset):  Default: 0.0.
        y (float | Unset):  Default: 0.0.
        opacity (float | Unset):  Default: 1.0.
        visible (bool | Unset):  Default: True.
        scale (float | Unset):  Default: 1.0.
        rotation (float | Unset):  Default: 0.0.
        keyframes (LayerKeyframes | None | Unset):
        url (None | str | Unset):
        data (None | str | Unset):
        fit (ImageLayerFit | Unset):  Default: ImageLayerFit.COVER.
        corner_radius (float | Unset):  Default: 0.0.
    """

    name: str
    width: float
    height: float
    type_: Literal["image"]
    x: float | Unset = 0.0
    y: float | Unset = 0.0
    opacity: float | Unset = 1.0
    visible: bool | Unset = True
    scale: float | Unset = 1.0
    rotation: float | Unset = 0.0
    keyframes: LayerKeyframes | None | Unset = UNSET
    url: None | str | Unset = UNSET
    data: None | str | Unset = UNSET
    fit: ImageLayerFit | Unset = ImageLayerFit.COVER
    corner_radius: float | Unset = 0.0

    def to_dict(self) -> dict[str, Any]:
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415

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

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        data: None | str | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        else:
            data = self.data

        fit: str | Unset = UNSET
        if not isinstance(self.fit, Unset):
            fit = self.fit.value

        corner_radius = self.corner_radius

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
        if url is not UNSET:
            field_dict["url"] = url
        if data is not UNSET:
            field_dict["data"] = data
        if fit is not UNSET:
            field_dict["fit"] = fit
        if corner_radius is not UNSET:
            field_dict["cornerRadius"] = corner_radius

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_keyframes import LayerKeyframes  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        width = d.pop("width")

        height = d.pop("height")

        type_ = cast(Literal["image"], d.pop("type"))
        if type_ != "image":
            raise ValueError(f"type must match const 'image', got '{type_}'")

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

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        _fit = d.pop("fit", UNSET)
        fit: ImageLayerFit | Unset
        if isinstance(_fit, Unset):
            fit = UNSET
        else:
            fit = ImageLayerFit(_fit)

        corner_radius = d.pop("cornerRadius", UNSET)

        image_layer = cls(
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
            url=url,
            data=data,
            fit=fit,
            corner_radius=corner_radius,
        )

        return image_layer
