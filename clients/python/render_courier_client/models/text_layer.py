from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.text_layer_align import TextLayerAlign
from ..models.text_layer_fontfamily import TextLayerFontfamily
from ..models.text_layer_verticalalign import TextLayerVerticalalign
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.text_keyframes import TextKeyframes


T = TypeVar("T", bound="TextLayer")


@_attrs_define
class TextLayer:
    """Text wraps into the box (x, y, width, height); it shrinks down to minFontSize to fit, then is cut with `…`.

    Attributes:
        name (str):
        width (float):
        height (float):
        type_ (Literal['text']):
        x (float | Unset):  Default: 0.0.
        y (float | Unset):  Default: 0.0.
        opacity (float | Unset):  Default: 1.0.
        visible (bool | Unset):  Default: True.
        scale (float | Unset):  Default: 1.0.
        rotation (float | Unset):  Default: 0.0.
        keyframes (None | TextKeyframes | Unset):
        text (str | Unset):  Default: ''.
        font_family (TextLayerFontfamily | Unset):  Default: TextLayerFontfamily.INTER.
        font_weight (int | Unset):  Default: 400.
        font_size (float | Unset):  Default: 32.0.
        min_font_size (float | None | Unset):
        color (str | Unset):  Default: '#000000'.
        align (TextLayerAlign | Unset):  Default: TextLayerAlign.LEFT.
        vertical_align (TextLayerVerticalalign | Unset):  Default: TextLayerVerticalalign.TOP.
        line_height (float | Unset):  Default: 1.2.
        max_lines (int | None | Unset):
        reveal (float | Unset):  Default: 1.0.
    """

    name: str
    width: float
    height: float
    type_: Literal["text"]
    x: float | Unset = 0.0
    y: float | Unset = 0.0
    opacity: float | Unset = 1.0
    visible: bool | Unset = True
    scale: float | Unset = 1.0
    rotation: float | Unset = 0.0
    keyframes: None | TextKeyframes | Unset = UNSET
    text: str | Unset = ""
    font_family: TextLayerFontfamily | Unset = TextLayerFontfamily.INTER
    font_weight: int | Unset = 400
    font_size: float | Unset = 32.0
    min_font_size: float | None | Unset = UNSET
    color: str | Unset = "#000000"
    align: TextLayerAlign | Unset = TextLayerAlign.LEFT
    vertical_align: TextLayerVerticalalign | Unset = TextLayerVerticalalign.TOP
    line_height: float | Unset = 1.2
    max_lines: int | None | Unset = UNSET
    reveal: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_keyframes import TextKeyframes  # noqa: PLC0415

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
        elif isinstance(self.keyframes, TextKeyframes):
            keyframes = self.keyframes.to_dict()
        else:
            keyframes = self.keyframes

        text = self.text

        font_family: str | Unset = UNSET
        if not isinstance(self.font_family, Unset):
            font_family = self.font_family.value

        font_weight = self.font_weight

        font_size = self.font_size

        min_font_size: float | None | Unset
        if isinstance(self.min_font_size, Unset):
            min_font_size = UNSET
        else:
            min_font_size = self.min_font_size

        color = self.color

        align: str | Unset = UNSET
        if not isinstance(self.align, Unset):
            align = self.align.value

        vertical_align: str | Unset = UNSET
        if not isinstance(self.vertical_align, Unset):
            vertical_align = self.vertical_align.value

        line_height = self.line_height

        max_lines: int | None | Unset
        if isinstance(self.max_lines, Unset):
            max_lines = UNSET
        else:
            max_lines = self.max_lines

        reveal = self.reveal

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
        if text is not UNSET:
            field_dict["text"] = text
        if font_family is not UNSET:
            field_dict["fontFamily"] = font_family
        if font_weight is not UNSET:
            field_dict["fontWeight"] = font_weight
        if font_size is not UNSET:
            field_dict["fontSize"] = font_size
        if min_font_size is not UNSET:
            field_dict["minFontSize"] = min_font_size
        if color is not UNSET:
            field_dict["color"] = color
        if align is not UNSET:
            field_dict["align"] = align
        if vertical_align is not UNSET:
            field_dict["verticalAlign"] = vertical_align
        if line_height is not UNSET:
            field_dict["lineHeight"] = line_height
        if max_lines is not UNSET:
            field_dict["maxLines"] = max_lines
        if reveal is not UNSET:
            field_dict["reveal"] = reveal

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_keyframes import TextKeyframes  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        width = d.pop("width")

        height = d.pop("height")

        type_ = cast(Literal["text"], d.pop("type"))
        if type_ != "text":
            raise ValueError(f"type must match const 'text', got '{type_}'")

        x = d.pop("x", UNSET)

        y = d.pop("y", UNSET)

        opacity = d.pop("opacity", UNSET)

        visible = d.pop("visible", UNSET)

        scale = d.pop("scale", UNSET)

        rotation = d.pop("rotation", UNSET)

        def _parse_keyframes(data: object) -> None | TextKeyframes | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                keyframes_type_0 = TextKeyframes.from_dict(data)

                return keyframes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextKeyframes | Unset, data)

        keyframes = _parse_keyframes(d.pop("keyframes", UNSET))

        text = d.pop("text", UNSET)

        _font_family = d.pop("fontFamily", UNSET)
        font_family: TextLayerFontfamily | Unset
        if isinstance(_font_family, Unset):
            font_family = UNSET
        else:
            font_family = TextLayerFontfamily(_font_family)

        font_weight = d.pop("fontWeight", UNSET)

        font_size = d.pop("fontSize", UNSET)

        def _parse_min_font_size(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_font_size = _parse_min_font_size(d.pop("minFontSize", UNSET))

        color = d.pop("color", UNSET)

        _align = d.pop("align", UNSET)
        align: TextLayerAlign | Unset
        if isinstance(_align, Unset):
            align = UNSET
        else:
            align = TextLayerAlign(_align)

        _vertical_align = d.pop("verticalAlign", UNSET)
        vertical_align: TextLayerVerticalalign | Unset
        if isinstance(_vertical_align, Unset):
            vertical_align = UNSET
        else:
            vertical_align = TextLayerVerticalalign(_vertical_align)

        line_height = d.pop("lineHeight", UNSET)

        def _parse_max_lines(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_lines = _parse_max_lines(d.pop("maxLines", UNSET))

        reveal = d.pop("reveal", UNSET)

        text_layer = cls(
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
            text=text,
            font_family=font_family,
            font_weight=font_weight,
            font_size=font_size,
            min_font_size=min_font_size,
            color=color,
            align=align,
            vertical_align=vertical_align,
            line_height=line_height,
            max_lines=max_lines,
            reveal=reveal,
        )

        return text_layer
