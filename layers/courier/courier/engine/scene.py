"""A page resolved for drawing: text laid out, images fetched and fitted, QR codes encoded. Shared by SVG and PDF."""

from __future__ import annotations

import math
from dataclasses import dataclass

import segno

from courier.engine.document import EllipseLayer, ImageLayer, Page, QrLayer, RectLayer, TextLayer
from courier.engine.fonts import face
from courier.engine.images import FetchImage, ImageError, RenderImages, decode, fit, source_bytes, to_png
from courier.engine.layout import TextBlock, layout_text, reveal_block

QR_QUIET_ZONE = 2  # modules of margin; the box's own padding is the template's business
INK_MARGIN = 0.5  # of the font size, around a text's lines: accents, marks and swashes reach past the font's metrics
Bounds = tuple[float, float, float, float]  # x0, y0, x1, y1 in page pixels


@dataclass(frozen=True)
class ShapeItem:
    layer: RectLayer | EllipseLayer


@dataclass(frozen=True)
class TextItem:
    layer: TextLayer
    block: TextBlock


@dataclass(frozen=True)
class ImageItem:
    layer: ImageLayer
    png: bytes  # already fitted to the box, corners rounded


@dataclass(frozen=True)
class QrItem:
    layer: QrLayer
    x: float
    y: float
    module: float  # side of one module in pixels
    rows: list[list[bool]]  # with the quiet zone


Item = ShapeItem | TextItem | ImageItem | QrItem


@dataclass(frozen=True)
class Scene:
    number: int
    page: Page
    items: list[Item]
    scale: float = 1.0  # pixel ratio: the page is drawn at width × scale by height × scale, from its vectors


def build_scene(
    number: int,
    page: Page,
    fetch_image: FetchImage | None,
    cache: dict[str, bytes],
    warnings: list[str],
    images: RenderImages | None = None,
    resolution: float = 1.0,
) -> Scene:
    """``cache`` holds fetched images by URL and ``images`` the fitted ones: both shared by the pages of a render.
    ``resolution``: pixels per page pixel of the pictures (the page's pixel ratio, or a PDF's dpi / 96)."""
    images = images if images is not None else RenderImages()
    items: list[Item] = []
    for layer in page.layers:
        if not layer.visible or layer.opacity == 0:
            continue
        if isinstance(layer, RectLayer | EllipseLayer):
            items.append(ShapeItem(layer))
        elif isinstance(layer, TextLayer):
            block = reveal_block(layout_text(layer), layer.reveal)
            if block.lines:
                items.append(TextItem(layer, block))
        elif isinstance(layer, ImageLayer):
            try:
                png = _picture(layer, fetch_image, cache, images, resolution)
                if png is not None:
                    items.append(ImageItem(layer, png))
            except ImageError as exc:
                warnings.append(f"Image of layer '{layer.name}' {exc}; the layer was left out")
        else:
            items.append(_qr(layer))
    return Scene(number, page, items)


def _picture(
    layer: ImageLayer, fetch_image: FetchImage | None, cache: dict[str, bytes], images: RenderImages, resolution: float
) -> bytes | None:
    """The layer's picture fitted to its box, as PNG; None when it has none. Raises ImageError."""
    source = layer.data if layer.data is not None else layer.url
    if source is None:
        return None
    width, height = max(1, round(layer.width * resolution)), max(1, round(layer.height * resolution))
    key = (source, width, height, layer.fit, layer.corner_radius)
    if key not in images.fitted:
        raw = source_bytes(layer, fetch_image, cache)
        if raw is None:
            return None
        images.fitted[key] = to_png(fit(decode(raw, images), layer, resolution))
    return images.fitted[key]


def _qr(layer: QrLayer) -> QrItem:
    code = segno.make(layer.data, error=layer.error_correction.lower(), micro=False, boost_error=False)
    rows = [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=QR_QUIET_ZONE)]
    side = min(layer.width, layer.height)
    module = side / len(rows)
    x = layer.x + (layer.width - side) / 2
    y = layer.y + (layer.height - side) / 2
    return QrItem(layer, x, y, module, rows)


def qr_runs(rows: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Dark modules merged into horizontal runs (row, first column, length): far fewer shapes to draw."""
    runs = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def ink_bounds(item: Item) -> Bounds:
    """A box that holds every pixel the item can draw (generous): what must be redrawn when the item changes."""
    bounds = _untransformed_bounds(item)
    layer = item.layer
    if layer.scale == 1 and layer.rotation == 0:
        return bounds
    # Scaled and turned about the box's centre: the box around the moved corners
    cx, cy = layer.x + layer.width / 2, layer.y + layer.height / 2
    angle = math.radians(layer.rotation)
    cos, sin = math.cos(angle) * layer.scale, math.sin(angle) * layer.scale
    corners = [(x, y) for x in (bounds[0], bounds[2]) for y in (bounds[1], bounds[3])]
    xs = [cx + (x - cx) * cos - (y - cy) * sin for x, y in corners]
    ys = [cy + (x - cx) * sin + (y - cy) * cos for x, y in corners]
    return (min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1)


def transform(layer: RectLayer | EllipseLayer | TextLayer | ImageLayer | QrLayer) -> tuple[float, float, float, float]:
    """(scale, rotation in degrees clockwise, centre x, centre y) of a layer drawn scaled or turned."""
    return layer.scale, layer.rotation, layer.x + layer.width / 2, layer.y + layer.height / 2


def _untransformed_bounds(item: Item) -> Bounds:
    if isinstance(item, TextItem):
        size = item.block.font_size
        xs: list[float] = []
        ys: list[float] = []
        for line in item.block.lines:
            for run in line.runs:
                run_face = face(run.family, run.bold)
                xs += [run.x, run.x + run.width]
                ys += [line.baseline - run_face.ascender * size, line.baseline + run_face.descender * size]
        if not xs:
            return (0.0, 0.0, 0.0, 0.0)
        pad = INK_MARGIN * size
        return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    if isinstance(item, QrItem):
        side = item.module * len(item.rows)
        return (item.x - 1, item.y - 1, item.x + side + 1, item.y + side + 1)
    layer = item.layer  # shapes draw their border inside the box; images are fitted to it
    return (layer.x - 1, layer.y - 1, layer.x + layer.width + 1, layer.y + layer.height + 1)


def overlaps(a: Bounds, b: Bounds) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
