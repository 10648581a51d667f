from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.position_keyframe import PositionKeyframe
    from ..models.rotation_keyframe import RotationKeyframe
    from ..models.scale_keyframe import ScaleKeyframe
    from ..models.share_keyframe import ShareKeyframe


T = TypeVar("T", bound="LayerKeyframes")


@_attrs_define
class LayerKeyframes:
    """A layer's animated properties: keyframes at increasing times within the page's duration.

    Attributes:
        opacity (list[ShareKeyframe] | None | Unset):
        x (list[PositionKeyframe] | None | Unset):
        y (list[PositionKeyframe] | None | Unset):
        scale (list[ScaleKeyframe] | None | Unset):
        rotation (list[RotationKeyframe] | None | Unset):
    """

    opacity: list[ShareKeyframe] | None | Unset = UNSET
    x: list[PositionKeyframe] | None | Unset = UNSET
    y: list[PositionKeyframe] | None | Unset = UNSET
    scale: list[ScaleKeyframe] | None | Unset = UNSET
    rotation: list[RotationKeyframe] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.position_keyframe import PositionKeyframe  # noqa: PLC0415
        from ..models.rotation_keyframe import RotationKeyframe  # noqa: PLC0415
        from ..models.scale_keyframe import ScaleKeyframe  # noqa: PLC0415
        from ..models.share_keyframe import ShareKeyframe  # noqa: PLC0415

        opacity: list[dict[str, Any]] | None | Unset
        if isinstance(self.opacity, Unset):
            opacity = UNSET
        elif isinstance(self.opacity, list):
            opacity = []
            for opacity_type_0_item_data in self.opacity:
                opacity_type_0_item = opacity_type_0_item_data.to_dict()
                opacity.append(opacity_type_0_item)

        else:
            opacity = self.opacity

        x: list[dict[str, Any]] | None | Unset
        if isinstance(self.x, Unset):
            x = UNSET
        elif isinstance(self.x, list):
            x = []
            for x_type_0_item_data in self.x:
                x_type_0_item = x_type_0_item_data.to_dict()
                x.append(x_type_0_item)

        else:
            x = self.x

        y: list[dict[str, Any]] | None | Unset
        if isinstance(self.y, Unset):
            y = UNSET
        elif isinstance(self.y, list):
            y = []
            for y_type_0_item_data in self.y:
                y_type_0_item = y_type_0_item_data.to_dict()
                y.append(y_type_0_item)

        else:
            y = self.y

        scale: list[dict[str, Any]] | None | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        elif isinstance(self.scale, list):
            scale = []
            for scale_type_0_item_data in self.scale:
                scale_type_0_item = scale_type_0_item_data.to_dict()
                scale.append(scale_type_0_item)

        else:
            scale = self.scale

        rotation: list[dict[str, Any]] | None | Unset
        if isinstance(self.rotation, Unset):
            rotation = UNSET
        elif isinstance(self.rotation, list):
            rotation = []
            for rotation_type_0_item_data in self.rotation:
                rotation_type_0_item = rotation_type_0_item_data.to_dict()
                rotation.append(rotation_type_0_item)

        else:
            rotation = self.rotation

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if opacity is not UNSET:
            field_dict["opacity"] = opacity
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y
        if scale is not UNSET:
            field_dict["scale"] = scale
        if rotation is not UNSET:
            field_dict["rotation"] = rotation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.position_keyframe import PositionKeyframe  # noqa: PLC0415
        from ..models.rotation_keyframe import RotationKeyframe  # noqa: PLC0415
        from ..models.scale_keyframe import ScaleKeyframe  # noqa: PLC0415
        from ..models.share_keyframe import ShareKeyframe  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_opacity(data: object) -> list[ShareKeyframe] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                opacity_type_0 = []
                _opacity_type_0 = data
                for opacity_type_0_item_data in _opacity_type_0:
                    opacity_type_0_item = ShareKeyframe.from_dict(opacity_type_0_item_data)

                    opacity_type_0.append(opacity_type_0_item)

                return opacity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ShareKeyframe] | None | Unset, data)

        opacity = _parse_opacity(d.pop("opacity", UNSET))

        def _parse_x(data: object) -> list[PositionKeyframe] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                x_type_0 = []
                _x_type_0 = data
                for x_type_0_item_data in _x_type_0:
                    x_type_0_item = PositionKeyframe.from_dict(x_type_0_item_data)

                    x_type_0.append(x_type_0_item)

                return x_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PositionKeyframe] | None | Unset, data)

        x = _parse_x(d.pop("x", UNSET))

        def _parse_y(data: object) -> list[PositionKeyframe] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                y_type_0 = []
                _y_type_0 = data
                for y_type_0_item_data in _y_type_0:
                    y_type_0_item = PositionKeyframe.from_dict(y_type_0_item_data)

                    y_type_0.append(y_type_0_item)

                return y_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PositionKeyframe] | None | Unset, data)

        y = _parse_y(d.pop("y", UNSET))

        def _parse_scale(data: object) -> list[ScaleKeyframe] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scale_type_0 = []
                _scale_type_0 = data
                for scale_type_0_item_data in _scale_type_0:
                    scale_type_0_item = ScaleKeyframe.from_dict(scale_type_0_item_data)

                    scale_type_0.append(scale_type_0_item)

                return scale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ScaleKeyframe] | None | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))

        def _parse_rotation(data: object) -> list[RotationKeyframe] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rotation_type_0 = []
                _rotation_type_0 = data
                for rotation_type_0_item_data in _rotation_type_0:
                    rotation_type_0_item = RotationKeyframe.from_dict(rotation_type_0_item_data)

                    rotation_type_0.append(rotation_type_0_item)

                return rotation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RotationKeyframe] | None | Unset, data)

        rotation = _parse_rotation(d.pop("rotation", UNSET))

        layer_keyframes = cls(
            opacity=opacity,
            x=x,
            y=y,
            scale=scale,
            rotation=rotation,
        )

        return layer_keyframes
