"""Scenes as vector PDF with fpdf2 (text shaped by HarfBuzz, fonts embedded as subsets). Imported only for PDF."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.drawing_primitives import DeviceCMYK
from fpdf.pattern import LinearGradient as PdfLinearGradient

from courier.engine.document import EllipseLayer, LinearGradient, RectLayer
from courier.engine.fonts import FALLBACK, FILES, FONT_DIR
from courier.engine.layout import visual_text
from courier.engine.pdf_settings import PdfSettings
from courier.engine.scene import ImageItem, Item, QrItem, Scene, ShapeItem, TextItem, qr_runs, transform
from courier.engine.svg import gradient_line

PT_PER_PX = 0.75  # CSS pixels at 96 dpi: a 1123×794 page is A4 landscape
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)  # identical input → identical bytes
_ALIGN = {"left": "L", "center": "C", "right": "R"}


class _Pdf(FPDF):
    def __init__(self, settings: PdfSettings, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.settings = settings

    def paint(self, color: str) -> DeviceCMYK | tuple[int, int, int]:
        """`#rrggbb…` in the PDF's colour model (DeviceCMYK: naive conversion, no ICC profile)."""
        r, g, b = _rgb(color)
        if not self.settings.cmyk:
            return r, g, b
        k = 1 - max(r, g, b) / 255
        if k >= 1:
            return DeviceCMYK(0, 0, 0, 1)
        c, m, y = ((1 - v / 255 - k) / (1 - k) for v in (r, g, b))
        return DeviceCMYK(c, m, y, k)


def build_pdf(scenes: list[Scene], settings: PdfSettings | None = None) -> bytes:
    settings = settings or PdfSettings()
    margin = settings.margin
    first = scenes[0].page
    # unit as a number: one user unit is that many points, so every coordinate below is in page pixels.
    pdf = _Pdf(settings, unit=PT_PER_PX, format=(first.width + 2 * margin, first.height + 2 * margin))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("Render Courier")
    for family, (regular, bold) in FILES.items():
        pdf.add_font(family, "", str(FONT_DIR / regular))
        pdf.add_font(family, "B", str(FONT_DIR / bold))
    pdf.set_text_shaping(True)
    for scene in scenes:
        pdf.add_page(format=(scene.page.width + 2 * margin, scene.page.height + 2 * margin))
        if margin:
            # The page grows by the margin on each side and its content moves in by it: one translation (PDF
            # space runs upwards from the bottom left, in points), undone after the page.
            pdf._out(f"q 1 0 0 1 {margin * PT_PER_PX:.2f} {-margin * PT_PER_PX:.2f} cm")
        _draw(pdf, scene)
        if margin:
            pdf._out("Q")
    return bytes(pdf.output())


def _set(setter: Callable[..., None], color: DeviceCMYK | tuple[int, int, int]) -> None:
    if isinstance(color, tuple):
        setter(*color)
    else:
        setter(color)


def _fill(pdf: _Pdf, color: str) -> None:
    _set(pdf.set_fill_color, pdf.paint(color))


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _alpha(color: str) -> float:
    return int(color[7:9], 16) / 255


def _opacity(pdf: FPDF, fill: float = 1.0, stroke: float = 1.0) -> AbstractContextManager[None]:
    if fill >= 1 and stroke >= 1:
        return nullcontext()
    return pdf.local_context(fill_opacity=fill, stroke_opacity=stroke)


def _draw(pdf: _Pdf, scene: Scene) -> None:
    page = scene.page
    if page.background is not None and _alpha(page.background) > 0:
        _fill(pdf, page.background)
        with _opacity(pdf, _alpha(page.background)):
            pdf.rect(0, 0, page.width, page.height, style="F")
    for item in scene.items:
        scale, rotation, cx, cy = transform(item.layer)
        if scale == 1 and rotation == 0:
            _item(pdf, item)
            continue
        # Scaled and turned about the box's centre (clockwise, as on screen): PDF space runs upwards, in points.
        angle = math.radians(rotation)
        a, b, c, d = scale * math.cos(angle), -scale * math.sin(angle), scale * math.sin(angle), scale * math.cos(angle)
        px, py = cx * pdf.k, (pdf.h - cy) * pdf.k
        e, f = px - (a * px + c * py), py - (b * px + d * py)
        with pdf.local_context():
            pdf._out(f"{a:.5f} {b:.5f} {c:.5f} {d:.5f} {e:.2f} {f:.2f} cm")
            _item(pdf, item)


def _item(pdf: _Pdf, item: Item) -> None:
    if isinstance(item, ShapeItem):
        _shape(pdf, item.layer)
    elif isinstance(item, TextItem):
        _text(pdf, item)
    elif isinstance(item, ImageItem):
        _image(pdf, item)
    else:
        _qr(pdf, item)


def _gradient(pdf: _Pdf, gradient: LinearGradient, x: float, y: float, w: float, h: float) -> PdfLinearGradient:
    stops = sorted(gradient.stops, key=lambda s: s.offset)
    # A shading lives in the page's own space, outside the margin's translation: it is moved by the margin itself.
    margin = pdf.settings.margin
    x1, y1, x2, y2 = gradient_line(gradient.angle, x + margin, y + margin, w, h)
    first, last = stops[0].offset, stops[-1].offset
    span = max(last - first, 1e-6)
    # The axis runs from the first stop to the last; the colours beyond them extend to the edges.
    start = (x1 + (x2 - x1) * first, y1 + (y2 - y1) * first)
    end = (x1 + (x2 - x1) * last, y1 + (y2 - y1) * last)
    return PdfLinearGradient(
        start[0],
        start[1],
        end[0],
        end[1],
        colors=[s.color[:7] if not pdf.settings.cmyk else pdf.paint(s.color) for s in stops],
        bounds=[(s.offset - first) / span for s in stops[1:-1]],
        extend_before=True,
        extend_after=True,
    )


def _shape(pdf: _Pdf, layer: RectLayer | EllipseLayer) -> None:
    inset = layer.border.width / 2 if layer.border else 0.0
    x, y = layer.x + inset, layer.y + inset
    w, h = max(0.0, layer.width - 2 * inset), max(0.0, layer.height - 2 * inset)
    fill_alpha = layer.opacity
    stroke_alpha = layer.opacity
    style = ""
    if layer.gradient is not None or layer.fill is not None:
        style += "F"
    if layer.fill is not None and layer.gradient is None:
        _fill(pdf, layer.fill)
        fill_alpha *= _alpha(layer.fill)
    if layer.border is not None:
        style = "D" + style
        _set(pdf.set_draw_color, pdf.paint(layer.border.color))
        pdf.set_line_width(layer.border.width)
        stroke_alpha *= _alpha(layer.border.color)
    if not style:
        return
    with _opacity(pdf, fill_alpha, stroke_alpha):
        if layer.gradient is not None:
            with pdf.use_pattern(_gradient(pdf, layer.gradient, layer.x, layer.y, layer.width, layer.height)):
                _outline(pdf, layer, x, y, w, h, style)
        else:
            _outline(pdf, layer, x, y, w, h, style)


def _outline(pdf: _Pdf, layer: RectLayer | EllipseLayer, x: float, y: float, w: float, h: float, style: str) -> None:
    if isinstance(layer, EllipseLayer):
        pdf.ellipse(x, y, w, h, style=style)
        return
    inset = layer.border.width / 2 if layer.border else 0.0
    radius = min(max(0.0, layer.corner_radius - inset), w / 2, h / 2)
    pdf.rect(x, y, w, h, style=style, round_corners=radius > 0, corner_radius=radius)


def _text(pdf: _Pdf, item: TextItem) -> None:
    layer, block = item.layer, item.block
    pdf.set_font(layer.font_family, "B" if block.bold else "", block.font_size * PT_PER_PX)
    pdf.set_fallback_fonts([f for f in FALLBACK if f != layer.font_family])
    _set(pdf.set_text_color, pdf.paint(layer.color))
    line_height = block.font_size * layer.line_height
    with _opacity(pdf, layer.opacity * _alpha(layer.color)):
        for line in block.lines:
            # fpdf2 puts a cell's baseline at y + h/2 + 0.3 × font size; solve for y so both renderers agree.
            top = line.baseline - line_height / 2 - 0.3 * pdf.font_size
            # A line partly revealed is drawn from where the whole line starts
            left, width, align = (line.x, line.width, "L") if line.cut else (layer.x, layer.width, _ALIGN[layer.align])
            pdf.set_xy(left, top)
            # fpdf2 2.8 marks the font as set on the page when a line starts with a fallback font, but sets it inside
            # the line's q…Q, so the next line would draw with no font ("No font in show") or the wrong one.
            pdf.current_font_is_set_on_page = False
            pdf.cell(w=width, h=line_height, text=visual_text(line), align=align)


def _image(pdf: _Pdf, item: ImageItem) -> None:
    layer = item.layer
    with _opacity(pdf, layer.opacity):
        pdf.image(io.BytesIO(item.png), x=layer.x, y=layer.y, w=layer.width, h=layer.height)


def _qr(pdf: _Pdf, item: QrItem) -> None:
    layer = item.layer
    side = item.module * len(item.rows)
    m = item.module
    with _opacity(pdf, layer.opacity):
        if layer.background is not None and _alpha(layer.background) > 0:
            _fill(pdf, layer.background)
            pdf.rect(item.x, item.y, side, side, style="F")
        _fill(pdf, layer.color)
        for r, c, n in qr_runs(item.rows):
            pdf.rect(item.x + c * m, item.y + r * m, n * m, m, style="F")
