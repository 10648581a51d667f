"""Scenes as SVG for resvg. Every value is escaped or normalised; only embedded images and local ids are referenced."""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Collection
from xml.sax.saxutils import escape

from courier.engine.document import EllipseLayer, LinearGradient, RectLayer
from courier.engine.errors import RenderError
from courier.engine.fonts import family_chain
from courier.engine.scene import ImageItem, Item, QrItem, Scene, ShapeItem, TextItem, qr_runs, transform

_ENTITIES = {'"': "&quot;", "'": "&apos;"}
RLE, PDF = "\u202b", "\u202c"  # right-to-left embedding, pop directional formatting
# Escaped quotes mean no user text can ever look like an attribute to this check.
_HREF = re.compile(r"""(?:xlink:)?href\s*=\s*["']([^"']*)["']""")
_URL = re.compile(r"url\(\s*([^)]*)\)")


class UnsafeSvgError(RenderError):
    """The built SVG refers to something other than an embedded image or a local id (a bug, never user input)."""


def _text(value: str) -> str:
    return escape(value, _ENTITIES)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _paint(color: str) -> tuple[str, str]:
    """`#rrggbbaa` → (`#rrggbb`, opacity)."""
    return color[:7], _num(int(color[7:9], 16) / 255)


def gradient_line(angle: float, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """CSS linear-gradient geometry: the line through the box centre whose ends touch the corners' perpendiculars."""
    rad = math.radians(angle)
    dx, dy = math.sin(rad), -math.cos(rad)
    half = (abs(w * dx) + abs(h * dy)) / 2
    cx, cy = x + w / 2, y + h / 2
    return cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half


def build_svg(
    scene: Scene,
    *,
    only: Collection[int] | None = None,
    region: tuple[int, int, int, int] | None = None,
    background: bool = True,
) -> str:
    """The page as SVG; or only the items at the indices `only` (in page order), without the page background, drawn
    into `region` (x, y, width, height in page pixels) so a changed part of a page can be redrawn on its own."""
    page = scene.page
    defs: list[str] = []
    body: list[str] = []
    if background and page.background is not None and page.background[7:] != "00":
        fill, alpha = _paint(page.background)
        body.append(f'<rect width="{page.width}" height="{page.height}" fill="{fill}" fill-opacity="{alpha}"/>')
    for index, item in enumerate(scene.items):
        if only is not None and index not in only:
            continue
        body.append(_transformed(item, _item(item, index, defs)))
    x, y, width, height = region if region is not None else (0, 0, page.width, page.height)
    scale = scene.scale
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width * scale)}" height="{_num(height * scale)}" '
        f'viewBox="{x} {y} {width} {height}">'
        f"<defs>{''.join(defs)}</defs>{''.join(body)}</svg>"
    )
    check_references(svg)
    return svg


def _item(item: Item, index: int, defs: list[str]) -> str:
    if isinstance(item, ShapeItem):
        return _shape(item.layer, f"g{index}", defs)
    if isinstance(item, TextItem):
        return _text_item(item)
    if isinstance(item, ImageItem):
        return _image(item)
    return _qr(item)


def _transformed(item: Item, drawn: str) -> str:
    """The item scaled and turned about its box's centre, when its layer says so."""
    scale, rotation, cx, cy = transform(item.layer)
    if scale == 1 and rotation == 0:
        return drawn
    steps = f"translate({_num(cx)} {_num(cy)})"
    steps += f" rotate({_num(rotation)})" if rotation else ""
    steps += f" scale({scale:.4f})" if scale != 1 else ""
    return f'<g transform="{steps} translate({_num(-cx)} {_num(-cy)})">{drawn}</g>'


def check_references(svg: str) -> None:
    """Refuse any reference resvg could resolve to a file or URL: only data:image/… and #id may remain."""
    for target in _HREF.findall(svg):
        if not (target.startswith("data:image/") or target.startswith("#")):
            raise UnsafeSvgError(f"refused reference {target[:40]!r}")
    for target in _URL.findall(svg):
        if not target.strip().startswith("#"):
            raise UnsafeSvgError(f"refused reference {target[:40]!r}")


def _gradient(gradient: LinearGradient, ident: str, x: float, y: float, w: float, h: float) -> str:
    x1, y1, x2, y2 = gradient_line(gradient.angle, x, y, w, h)
    stops = "".join(
        f'<stop offset="{_num(s.offset)}" stop-color="{_paint(s.color)[0]}" stop-opacity="{_paint(s.color)[1]}"/>'
        for s in sorted(gradient.stops, key=lambda s: s.offset)
    )
    return (
        f'<linearGradient id="{ident}" gradientUnits="userSpaceOnUse" x1="{_num(x1)}" y1="{_num(y1)}" '
        f'x2="{_num(x2)}" y2="{_num(y2)}">{stops}</linearGradient>'
    )


def _shape(layer: RectLayer | EllipseLayer, ident: str, defs: list[str]) -> str:
    # The border is drawn inside the box, as designers expect (an SVG stroke straddles the outline).
    inset = layer.border.width / 2 if layer.border else 0.0
    x, y = layer.x + inset, layer.y + inset
    w, h = max(0.0, layer.width - 2 * inset), max(0.0, layer.height - 2 * inset)
    attrs = []
    if layer.gradient is not None:
        defs.append(_gradient(layer.gradient, ident, layer.x, layer.y, layer.width, layer.height))
        attrs.append(f'fill="url(#{ident})"')
    elif layer.fill is not None:
        fill, alpha = _paint(layer.fill)
        attrs.append(f'fill="{fill}" fill-opacity="{alpha}"')
    else:
        attrs.append('fill="none"')
    if layer.border is not None:
        stroke, alpha = _paint(layer.border.color)
        attrs.append(f'stroke="{stroke}" stroke-opacity="{alpha}" stroke-width="{_num(layer.border.width)}"')
    if layer.opacity < 1:
        attrs.append(f'opacity="{_num(layer.opacity)}"')
    paint = " ".join(attrs)
    if isinstance(layer, EllipseLayer):
        return f'<ellipse cx="{_num(x + w / 2)}" cy="{_num(y + h / 2)}" rx="{_num(w / 2)}" ry="{_num(h / 2)}" {paint}/>'
    radius = min(max(0.0, layer.corner_radius - inset), w / 2, h / 2)
    rounded = f' rx="{_num(radius)}" ry="{_num(radius)}"' if radius > 0 else ""
    return f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}"{rounded} {paint}/>'


def _quoted(family: str) -> str:
    return f"'{family}'"


def _text_item(item: TextItem) -> str:
    layer, block = item.layer, item.block
    fill, alpha = _paint(layer.color)
    families = ", ".join(_quoted(f) for f in family_chain(layer.font_family))
    weight = 700 if block.bold else 400
    group = (
        f'<g font-family="{_text(families)}" font-weight="{weight}" font-size="{_num(block.font_size)}" '
        f'fill="{fill}" fill-opacity="{alpha}"'
        + (f' opacity="{_num(layer.opacity)}"' if layer.opacity < 1 else "")
        + ">"
    )
    lines = []
    for line in block.lines:
        for run in line.runs:
            # Each run is its own <text>: resvg shapes it alone, in one face, never reordering it against the others.
            # RLE…PDF gives a right-to-left run an odd embedding level, so resvg shapes it right to left and resolves
            # its neutrals (a trailing "!" or "…") to the right-to-left side; clean_text keeps users from sending these.
            content = f"{RLE}{_text(run.text)}{PDF}" if run.rtl else _text(run.text)
            font = (
                f' font-family="{_text(_quoted(run.family))}" font-weight="{700 if run.bold else 400}"'
                if (run.family, run.bold) != (layer.font_family, block.bold)
                else ""
            )
            # Anchored at the middle of the measured run: a small difference in advance is shared by both ends.
            lines.append(
                f'<text x="{_num(run.x + run.width / 2)}" y="{_num(line.baseline)}" text-anchor="middle"{font} '
                f'xml:space="preserve">{content}</text>'
            )
    return group + "".join(lines) + "</g>"


def _image(item: ImageItem) -> str:
    layer = item.layer
    data = base64.b64encode(item.png).decode("ascii")
    opacity = f' opacity="{_num(layer.opacity)}"' if layer.opacity < 1 else ""
    return (
        f'<image x="{_num(layer.x)}" y="{_num(layer.y)}" width="{_num(layer.width)}" height="{_num(layer.height)}" '
        f'preserveAspectRatio="none"{opacity} href="data:image/png;base64,{data}"/>'
    )


def _qr(item: QrItem) -> str:
    layer = item.layer
    side = item.module * len(item.rows)
    parts = []
    opacity = f' opacity="{_num(layer.opacity)}"' if layer.opacity < 1 else ""
    parts.append(f"<g{opacity}>")
    if layer.background is not None:
        fill, alpha = _paint(layer.background)
        parts.append(
            f'<rect x="{_num(item.x)}" y="{_num(item.y)}" width="{_num(side)}" height="{_num(side)}" '
            f'fill="{fill}" fill-opacity="{alpha}"/>'
        )
    m = item.module
    path = "".join(
        f"M{_num(item.x + c * m)} {_num(item.y + r * m)}h{_num(n * m)}v{_num(m)}h{_num(-n * m)}z"
        for r, c, n in qr_runs(item.rows)
    )
    fill, alpha = _paint(layer.color)
    # crispEdges: adjacent runs must not show hairline seams between modules.
    parts.append(f'<path d="{path}" fill="{fill}" fill-opacity="{alpha}" shape-rendering="crispEdges"/></g>')
    return "".join(parts)
