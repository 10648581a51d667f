"""Template documents: pages of named layers, as stored per workspace and sent by API clients (camelCase JSON)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from courier.strict import integral_floats

MAX_SIDE = 8000  # pixels, either side of a page
MAX_PIXELS = 40_000_000  # per page: resvg allocates the whole canvas; 20000×20000 kills the process
MAX_PAGES = 20
MAX_LAYERS = 100  # per page
MAX_TEXT = 2000  # characters in one text layer
MAX_URL = 2048
MAX_DATA_URI = 7_000_000  # ≈5 MB of image as base64
MAX_QR_DATA = 1000
MAX_DURATION = 60  # seconds of an animated page
MAX_FPS = 60
MAX_KEYFRAMES = 32  # per property of a layer

FontFamily = Literal["Inter", "Noto Sans", "Noto Sans Arabic"]
FONT_FAMILIES: tuple[str, ...] = ("Inter", "Noto Sans", "Noto Sans Arabic")

_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "#00000000"}
LAYER_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
TEMPLATE_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def normalize_color(value: str) -> str:
    """`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or white/black/transparent → `#rrggbbaa` (lower case).

    Only this normalised form ever reaches SVG or PDF, so a colour can never smuggle markup.
    """
    value = _NAMED.get(value.strip().lower(), value.strip())
    if not _HEX.fullmatch(value):
        raise ValueError("must be a colour such as #ffffff, #fff or #ffffff80")
    digits = value[1:].lower()
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}ff" if len(digits) == 6 else f"#{digits}"


Color = Annotated[str, Field(max_length=32), AfterValidator(normalize_color)]
Opacity = Annotated[float, Field(ge=0, le=1)]
Coordinate = Annotated[float, Field(ge=-MAX_SIDE, le=2 * MAX_SIDE)]
Extent = Annotated[float, Field(gt=0, le=MAX_SIDE)]
Radius = Annotated[float, Field(ge=0, le=MAX_SIDE / 2)]


# Printable ASCII, no backslash (percent-encode the rest): one rule that Python and the OpenAPI document's JSON Schema
# regular expressions read alike.
HTTPS_URL_PATTERN = r"^https://[!-\[\]-~]+$"


def _https_url(value: str) -> str:
    if not re.fullmatch(HTTPS_URL_PATTERN, value):
        raise ValueError("must be an https:// URL of printable ASCII characters (percent-encode the rest)")
    return value


def _image_data_uri(value: str) -> str:
    if not re.match(r"^data:image/[a-z0-9.+-]+;base64,", value):
        raise ValueError("must be a data:image/…;base64, URI")
    return value


HttpsUrl = Annotated[str, Field(max_length=MAX_URL), AfterValidator(_https_url)]
ImageDataUri = Annotated[str, Field(max_length=MAX_DATA_URI), AfterValidator(_image_data_uri)]


class DocumentModel(BaseModel):
    # Strict: `"visible": 0` is not a boolean and `"fontWeight": "700"` not a number (an int is still a float).
    # defer_build: each model's validator is built when first used, not at import (cold start; decision log).
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        validate_default=True,
        strict=True,
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _integral_floats(cls, data: Any) -> Any:
        return integral_floats(cls, data)


class GradientStop(DocumentModel):
    offset: Annotated[float, Field(ge=0, le=1)]
    color: Color


class LinearGradient(DocumentModel):
    """Angle in degrees, CSS-like: 0 goes bottom → top, 90 left → right, 135 top-left → bottom-right."""

    angle: Annotated[float, Field(ge=-360, le=360)] = 90
    stops: Annotated[list[GradientStop], Field(min_length=2, max_length=8)]


class Border(DocumentModel):
    width: Annotated[float, Field(gt=0, le=500)]
    color: Color


Easing = Literal["linear", "ease-in", "ease-out", "ease-in-out"]


class Keyframe(DocumentModel):
    """The property's value at `time` seconds; `easing` shapes the way from the previous keyframe to this one."""

    time: Annotated[float, Field(ge=0, le=MAX_DURATION)]
    value: float
    easing: Easing = "linear"


class ShareKeyframe(Keyframe):  # opacity, reveal
    value: Annotated[float, Field(ge=0, le=1)]


class PositionKeyframe(Keyframe):
    value: Coordinate


class ScaleKeyframe(Keyframe):
    value: Annotated[float, Field(ge=0, le=10)]


class RotationKeyframe(Keyframe):
    value: Annotated[float, Field(ge=-3600, le=3600)]


ShareTrack = Annotated[list[ShareKeyframe], Field(min_length=1, max_length=MAX_KEYFRAMES)]
PositionTrack = Annotated[list[PositionKeyframe], Field(min_length=1, max_length=MAX_KEYFRAMES)]
ScaleTrack = Annotated[list[ScaleKeyframe], Field(min_length=1, max_length=MAX_KEYFRAMES)]
RotationTrack = Annotated[list[RotationKeyframe], Field(min_length=1, max_length=MAX_KEYFRAMES)]


class LayerKeyframes(DocumentModel):
    """A layer's animated properties: keyframes at increasing times within the page's duration."""

    opacity: ShareTrack | None = None
    x: PositionTrack | None = None
    y: PositionTrack | None = None
    scale: ScaleTrack | None = None
    rotation: RotationTrack | None = None

    def tracks(self) -> dict[str, Sequence[Keyframe]]:
        """The animated properties and their keyframes (those given)."""
        return {name: frames for name in type(self).model_fields if (frames := getattr(self, name)) is not None}

    @model_validator(mode="after")
    def _increasing(self) -> LayerKeyframes:
        for prop, frames in self.tracks().items():
            times = [frame.time for frame in frames]
            if times != sorted(set(times)):
                raise ValueError(f"keyframes.{prop}: times must increase")
        return self


class TextKeyframes(LayerKeyframes):
    reveal: ShareTrack | None = None  # the share of the text's characters drawn


class LayerBase(DocumentModel):
    name: Annotated[str, Field(pattern=LAYER_NAME)]
    x: Coordinate = 0
    y: Coordinate = 0
    width: Extent
    height: Extent
    opacity: Opacity = 1
    visible: bool = True
    # Drawn scaled and turned (degrees, clockwise) about the box's centre.
    scale: Annotated[float, Field(ge=0, le=10)] = 1
    rotation: Annotated[float, Field(ge=-3600, le=3600)] = 0
    # An animated page's layers change over time: values per property at given times, eased in between.
    keyframes: LayerKeyframes | None = None


class ShapeLayer(LayerBase):
    fill: Color | None = "#000000"
    gradient: LinearGradient | None = None  # wins over fill
    border: Border | None = None


class RectLayer(ShapeLayer):
    type: Literal["rect"]
    corner_radius: Radius = 0


class EllipseLayer(ShapeLayer):
    type: Literal["ellipse"]


class TextLayer(LayerBase):
    """Text wraps into the box (x, y, width, height); it shrinks down to minFontSize to fit, then is cut with `…`."""

    type: Literal["text"]
    text: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    font_family: FontFamily = "Inter"
    font_weight: Annotated[int, Field(ge=100, le=900)] = 400
    # At least 1 px: a smaller glyph draws nothing, and lays out as infinitely many lines.
    font_size: Annotated[float, Field(ge=1, le=1000)] = 32
    min_font_size: Annotated[float, Field(ge=1, le=1000)] | None = None  # default: half of fontSize, at least 8
    color: Color = "#000000"
    align: Literal["left", "center", "right"] = "left"
    vertical_align: Literal["top", "middle", "bottom"] = "top"
    line_height: Annotated[float, Field(ge=0.5, le=4)] = 1.2
    max_lines: Annotated[int, Field(ge=1, le=200)] | None = None
    reveal: Annotated[float, Field(ge=0, le=1)] = 1  # the share of its characters drawn, in reading order
    keyframes: TextKeyframes | None = None


class ImageLayer(LayerBase):
    type: Literal["image"]
    url: HttpsUrl | None = None
    data: ImageDataUri | None = None  # wins over url
    fit: Literal["cover", "contain", "fill"] = "cover"
    corner_radius: Radius = 0


class QrLayer(LayerBase):
    """A QR code drawn as a square of side min(width, height), centred in the box."""

    type: Literal["qr"]
    data: Annotated[str, Field(min_length=1, max_length=MAX_QR_DATA)]
    color: Color = "#000000"
    background: Color | None = "#ffffff"
    error_correction: Literal["L", "M", "Q", "H"] = "M"


Layer = Annotated[RectLayer | EllipseLayer | TextLayer | ImageLayer | QrLayer, Field(discriminator="type")]


class Page(DocumentModel):
    width: Annotated[int, Field(ge=1, le=MAX_SIDE)]
    height: Annotated[int, Field(ge=1, le=MAX_SIDE)]
    background: Color | None = "#ffffff"  # None: transparent where the format allows it
    layers: Annotated[list[Layer], Field(max_length=MAX_LAYERS)] = Field(default_factory=list)
    # An animated page: its length in seconds and frames per second (video formats draw every frame)
    duration: Annotated[float, Field(gt=0, le=MAX_DURATION)] | None = None
    fps: Annotated[int, Field(ge=1, le=MAX_FPS)] | None = None

    @model_validator(mode="after")
    def _check(self) -> Page:
        if self.width * self.height > MAX_PIXELS:
            raise ValueError(f"page is larger than {MAX_PIXELS // 1_000_000} megapixels")
        if self.fps is not None and self.duration is None:
            raise ValueError("fps needs a duration")
        for layer in self.layers:
            tracks = layer.keyframes.tracks() if layer.keyframes else {}
            late = [p for p, frames in tracks.items() if frames[-1].time > (self.duration or 0)]
            if late:
                raise ValueError(f"layer '{layer.name}': keyframes.{late[0]} go past the page's duration")
        names = [layer.name for layer in self.layers]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"layer names must be unique within a page: {duplicates}")
        return self


class OutputSpec(DocumentModel):
    pdf: Literal["single", "per-page"] = "single"


class TemplateDocument(DocumentModel):
    id: Annotated[str, Field(pattern=TEMPLATE_ID)]
    name: Annotated[str, Field(min_length=1, max_length=128)]
    pages: Annotated[list[Page], Field(min_length=1, max_length=MAX_PAGES)]
    output: OutputSpec | None = None

    def layer_names(self) -> set[str]:
        return {layer.name for page in self.pages for layer in page.layers}
