from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.ellipse_layer import EllipseLayer
    from ..models.image_layer import ImageLayer
    from ..models.qr_layer import QrLayer
    from ..models.rect_layer import RectLayer
    from ..models.text_layer import TextLayer


T = TypeVar("T", bound="Page")


@_attrs_define
class Page:
    """
    Attributes:
        width (int):
        height (int):
        background (None | str | Unset):  Default: '#ffffff'.
        layers (list[EllipseLayer | ImageLayer | QrLayer | RectLayer | TextLayer] | Unset):
        duration (float | None | Unset):
        fps (int | None | Unset):
    """

    width: int
    height: int
    background: None | str | Unset = "#ffffff"
    layers: list[EllipseLayer | ImageLayer | QrLayer | RectLayer | TextLayer] | Unset = UNSET
    duration: float | None | Unset = UNSET
    fps: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ellipse_layer import EllipseLayer  # noqa: PLC0415
        from ..models.image_layer import ImageLayer  # noqa: PLC0415
        from ..models.qr_layer import QrLayer  # noqa: PLC0415
        from ..models.rect_layer import RectLayer  # noqa: PLC0415
        from ..models.text_layer import TextLayer  # noqa: PLC0415

        width = self.width

        height = self.height

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        else:
            background = self.background

        layers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.layers, Unset):
            layers = []
            for layers_item_data in self.layers:
                layers_item: dict[str, Any]
                if isinstance(layers_item_data, RectLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, EllipseLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, TextLayer):
                    layers_item = layers_item_data.to_dict()
                elif isinstance(layers_item_data, ImageLayer):
                    layers_item = layers_item_data.to_dict()
                else:
                    layers_item = layers_item_data.to_dict()

                layers.append(layers_item)

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
                "width": width,
                "height": height,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
        if layers is not UNSET:
            field_dict["layers"] = layers
        if duration is not UNSET:
            field_dict["duration"] = duration
        if fps is not UNSET:
            field_dict["fps"] = fps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ellipse_layer import EllipseLayer  # noqa: PLC0415
        from ..models.image_layer import ImageLayer  # noqa: PLC0415
        from ..models.qr_layer import QrLayer  # noqa: PLC0415
        from ..models.rect_layer import RectLayer  # noqa: PLC0415
        from ..models.text_layer import TextLayer  # noqa: PLC0415

        d = dict(src_dict)
        width = d.pop("width")

        height = d.pop("height")

        def _parse_background(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        background = _parse_background(d.pop("background", UNSET))

        _layers = d.pop("layers", UNSET)
        layers: list[EllipseLayer | ImageLayer | QrLayer | RectLayer | TextLayer] | Unset = UNSET
        if _layers is not UNSET:
            layers = []
            for layers_item_data in _layers:

                def _parse_layers_item(data: object) -> EllipseLayer | ImageLayer | QrLayer | RectLayer | TextLayer:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_0 = RectLayer.from_dict(data)

                        return layers_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_1 = EllipseLayer.from_dict(data)

                        return layers_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_2 = TextLayer.from_dict(data)

                        return layers_item_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        layers_item_type_3 = ImageLayer.from_dict(data)

                        return layers_item_type_3
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    layers_item_type_4 = QrLayer.from_dict(data)

                    return layers_item_type_4

                layers_item = _parse_layers_item(layers_item_data)

                layers.append(layers_item)

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

        page = cls(
            width=width,
            height=height,
            background=background,
            layers=layers,
            duration=duration,
            fps=fps,
        )

        return page
