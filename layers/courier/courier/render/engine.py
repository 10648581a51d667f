"""Draws a template's layers with Pillow and encodes the page in the requested format."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageColor, ImageDraw, ImageFont

from courier.render.templates import Template, TextLayer, get_template

SUPPORTED_FORMATS = {"png": ("PNG", "image/png", ".png"), "jpg": ("JPEG", "image/jpeg", ".jpg")}
ALIASES = {"jpeg": "jpg"}
MAX_TEXT = 2000
# DejaVu Sans Bold (free licence, fonts/DejaVu-LICENSE.txt): Latin with accents, Greek, Cyrillic.
FONT = str(Path(__file__).with_name("fonts") / "DejaVuSans-Bold.ttf")


class ModificationError(ValueError):
    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(message)
        self.field_path = field_path
        self.message = message


@dataclass(frozen=True)
class RenderedPage:
    page: int
    body: bytes
    width: int
    height: int
    content_type: str
    ext: str


@dataclass
class RenderResult:
    template: Template
    pages: list[RenderedPage]
    warnings: list[str] = field(default_factory=list)


def extension(fmt: str) -> str:
    """The file extension (with its dot) of a format, known or not yet supported."""
    fmt = ALIASES.get(fmt, fmt)
    return SUPPORTED_FORMATS[fmt][2] if fmt in SUPPORTED_FORMATS else f".{fmt}"


def supported_format(fmt: str) -> bool:
    return ALIASES.get(fmt, fmt) in SUPPORTED_FORMATS


def render_template(template_id: str, modifications: dict[str, Any], fmt: str) -> RenderResult:
    """Render every page. Raises TemplateNotFoundError, ModificationError (bad value) or ValueError (format)."""
    template = get_template(template_id)
    fmt = ALIASES.get(fmt, fmt)
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(f"format {fmt} is not supported yet; use png or jpg")
    texts, warnings = _apply(template, modifications)
    image = _draw(template, texts)
    encoder, content_type, ext = SUPPORTED_FORMATS[fmt]
    out = io.BytesIO()
    if encoder == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=False, compress_level=6)
    page = RenderedPage(1, out.getvalue(), template.width, template.height, content_type, ext)
    return RenderResult(template, [page], warnings)


def _apply(template: Template, modifications: dict[str, Any]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    layers = {layer.name: layer for layer in template.layers}
    texts = {layer.name: (layer.text, layer.color) for layer in template.layers}
    warnings = []
    for name, value in modifications.items():
        if name not in layers:
            warnings.append(f"Layer '{name}' does not exist in template '{template.id}'; modification ignored")
            continue
        text, color = texts[name]
        if isinstance(value, str):
            text = value
        elif isinstance(value, dict):
            unknown = set(value) - {"text", "color"}
            if unknown:
                raise ModificationError(f"modifications.{name}", f"unknown properties {sorted(unknown)}")
            text = value.get("text", text)
            color = value.get("color", color)
            if not isinstance(text, str):
                raise ModificationError(f"modifications.{name}.text", "must be a string")
            if not isinstance(color, str) or not _is_color(color):
                raise ModificationError(f"modifications.{name}.color", "must be a colour such as #ffffff")
        else:
            raise ModificationError(f"modifications.{name}", "must be a string or an object with text/color")
        if len(text) > MAX_TEXT:
            raise ModificationError(f"modifications.{name}", f"text is longer than {MAX_TEXT} characters")
        texts[name] = (_clean(text), color)
    return texts, warnings


def _is_color(value: str) -> bool:
    try:
        ImageColor.getrgb(value)
    except ValueError:
        return False
    return True


def _clean(text: str) -> str:
    # Control characters break text drawing; newlines stay as line breaks.
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


def _draw(template: Template, texts: dict[str, tuple[str, str]]) -> Image.Image:
    image = _gradient(template.width, template.height, *template.background)
    draw = ImageDraw.Draw(image)
    for layer in template.layers:
        text, color = texts[layer.name]
        if text:
            _draw_text(draw, layer, text, color)
    return image


def _gradient(width: int, height: int, start: str, end: str) -> Image.Image:
    # A left-to-right blend of two solid images through a linear mask: fast, no per-pixel Python.
    mask = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize((width, height))
    return Image.composite(Image.new("RGB", (width, height), end), Image.new("RGB", (width, height), start), mask)


def _draw_text(draw: ImageDraw.ImageDraw, layer: TextLayer, text: str, color: str) -> None:
    size = layer.size
    while True:
        font = ImageFont.truetype(FONT, size=size)
        lines = _wrap(draw, text, font, layer.width)
        if len(lines) <= layer.max_lines or size <= 16:
            break
        size = int(size * 0.9)  # shrink to fit before cutting lines
    if len(lines) > layer.max_lines:
        lines = lines[: layer.max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    y = layer.y
    for line in lines:
        draw.text((layer.x, y), line, font=font, fill=color)
        y += int(size * 1.2)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and draw.textlength(candidate, font=font) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines
