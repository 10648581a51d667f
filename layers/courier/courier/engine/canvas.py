"""Orshot's canvas modifications: `canvasBackgroundColor` (a CSS colour: hex, a name, `rgb()`/`rgba()`, or a
`linear-gradient(…)`) and `canvasBackgroundImage` (a picture covering every page, under its layers)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from courier.engine.document import (
    ImageLayer,
    Layer,
    LinearGradient,
    Page,
    RectLayer,
    TemplateDocument,
    normalize_color,
)
from courier.engine.errors import ModificationError

COLOR_KEY = "canvasBackgroundColor"
IMAGE_KEY = "canvasBackgroundImage"
CANVAS_KEYS = frozenset({COLOR_KEY, IMAGE_KEY})
MAX_CSS = 512

_RGB = re.compile(r"rgba?\(\s*([^)]*)\)", re.IGNORECASE)
_GRADIENT = re.compile(r"linear-gradient\((.*)\)", re.IGNORECASE | re.DOTALL)
_SIDES = {"top": 0.0, "right": 90.0, "bottom": 180.0, "left": 270.0}
_CORNERS = {
    frozenset({"top", "right"}): 45.0,
    frozenset({"bottom", "right"}): 135.0,
    frozenset({"bottom", "left"}): 225.0,
    frozenset({"top", "left"}): 315.0,
}


def apply_canvas(doc: TemplateDocument, canvas: dict[str, Any]) -> TemplateDocument:
    """The document with the canvas keys applied to every page (a no-op without them)."""
    if not canvas:
        return doc
    color, image = canvas.get(COLOR_KEY), canvas.get(IMAGE_KEY)
    pages = [_page(page, color, image) for page in doc.pages]
    return doc.model_copy(update={"pages": pages})


def _page(page: Page, color: Any, image: Any) -> Page:
    background: str | None = page.background
    under: list[Layer] = []
    if color is not None and color != "":
        if not isinstance(color, str) or len(color) > MAX_CSS:
            raise ModificationError(f"modifications.{COLOR_KEY}", "must be a CSS colour or linear-gradient(…)")
        gradient = _GRADIENT.fullmatch(color.strip())
        if gradient:
            stops = _gradient(gradient.group(1))
            under.append(RectLayer(type="rect", name=COLOR_KEY, width=page.width, height=page.height, gradient=stops))
        else:
            background = css_color(color, f"modifications.{COLOR_KEY}")
    if image is not None and image != "":
        key = "data" if isinstance(image, str) and image.startswith("data:") else "url"
        try:
            picture = ImageLayer.model_validate(
                {"type": "image", "name": IMAGE_KEY, "width": page.width, "height": page.height, key: image}
            )
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise ModificationError(f"modifications.{IMAGE_KEY}", message) from None
        under.append(picture)
    return page.model_copy(update={"background": background, "layers": [*under, *page.layers]})


def css_color(value: str, field: str) -> str:
    """A CSS colour as `#rrggbbaa`: what `normalize_color` reads, plus `rgb(r, g, b)` and `rgba(r, g, b, a)`."""
    match = _RGB.fullmatch(value.strip())
    try:
        if not match:
            return normalize_color(value)
        parts = [part.strip() for part in re.split(r"[,\s/]+", match.group(1).strip()) if part.strip()]
        if len(parts) not in (3, 4):
            raise ValueError("rgb() takes three numbers and rgba() an alpha")
        channels = [_channel(part) for part in parts[:3]]
        alpha = _alpha(parts[3]) if len(parts) == 4 else 255
        return "#" + "".join(f"{c:02x}" for c in (*channels, alpha))
    except ValueError as exc:
        raise ModificationError(field, f"{exc}; use #rrggbb, rgb(), rgba() or linear-gradient(…)") from None


def _channel(part: str) -> int:
    number = float(part[:-1]) * 2.55 if part.endswith("%") else float(part)
    if not 0 <= number <= 255:
        raise ValueError("rgb() channels go from 0 to 255")
    return round(number)


def _alpha(part: str) -> int:
    number = float(part[:-1]) / 100 if part.endswith("%") else float(part)
    if not 0 <= number <= 1:
        raise ValueError("an alpha goes from 0 to 1")
    return round(number * 255)


def _gradient(body: str) -> LinearGradient:
    field = f"modifications.{COLOR_KEY}"
    args = _split(body)
    angle = 180.0  # CSS's default: to bottom
    first = args[0].strip().lower() if args else ""
    if first.endswith("deg") or first.startswith("to "):
        angle = _direction(first, field)
        args = args[1:]
    if not 2 <= len(args) <= 8:
        raise ModificationError(field, "a linear-gradient takes 2 to 8 colour stops")
    stops: list[dict[str, Any]] = []
    for index, arg in enumerate(args):
        color, _, position = arg.strip().rpartition(" ") if arg.strip().endswith("%") else (arg.strip(), "", "")
        offset = float(position[:-1]) / 100 if position else index / (len(args) - 1)
        stops.append({"offset": min(max(offset, 0.0), 1.0), "color": css_color(color, field)})
    return LinearGradient(angle=angle, stops=stops)  # type: ignore[arg-type]


def _direction(text: str, field: str) -> float:
    try:
        if text.endswith("deg"):
            return float(text[:-3]) % 360
    except ValueError:
        raise ModificationError(field, "a gradient angle is like 135deg") from None
    words = text.split()[1:]
    if len(words) == 1 and words[0] in _SIDES:
        return _SIDES[words[0]]
    if frozenset(words) in _CORNERS:
        return _CORNERS[frozenset(words)]
    raise ModificationError(field, "a gradient direction is like 'to right' or 'to bottom left'")


def _split(body: str) -> list[str]:
    """Top-level comma-separated arguments (the commas inside rgba(…) stay)."""
    parts, depth, current = [], 0, ""
    for char in body:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part for part in parts if part.strip()]
