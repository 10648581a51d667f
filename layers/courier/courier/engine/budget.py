"""Render budget: the work a render asks for, estimated from its document (modifications applied) before anything is
fetched or drawn, and refused (422 ``render_too_large``) when it is more than one request may take.

API Gateway gives up on a request after 30 s, and a render past that holds a Lambda for nothing (an 8-page 6324×6324
AVIF took 31.9 s). The estimate is in CPU seconds of one core of the machine the factors were measured on (an AMD
EPYC core; ``bench/render.py --budget`` measures them, ``--budget-check`` times the costliest renders that pass):

    FIXED[format]
    + Σ pages   page Mpx × PAGE[format]                  the canvas, and the encoder on flat content
              + detailed Mpx × DETAIL[format]             the encoder on photo-like content: image and QR layers' area
              + Σ layers   layer Mpx × DRAW[kind]         drawing each visible layer
                         + characters × PER_CHAR[kind]     laying out text (shrink to fit), encoding QR data

A layer's Mpx is the part of the page it can touch (its box, text grown by half its font size, clipped to the page);
an image's is its whole box, as it is fitted at the box's size before it is clipped. The factors are upper envelopes
of what was measured: PAGE on a gradient page (3000² and 6000²), DETAIL as a page covered by a noise photo minus one
covered by a smooth one (noise is the costliest content for every encoder), DRAW as the extra time of 20 stacked
full-page layers of each kind (pictures each their own noise photo), PER_CHAR as the extra time of 2000-character
texts shrunk from 1000 px into a small box and of 1000-character QR codes. A PDF's pages are vectors: what costs
there is their pictures and text.

What the document cannot tell, the renderer bounds as it goes: the source images decoded in one render together are
at most ``images.MAX_RENDER_SOURCE_PIXELS`` (≈3 s here; past that an image is left out with a warning), and a
remote image is fetched within the fetcher's own timeout (not counted here).

A Lambda function of 1024 MB has about 0.58 of a vCPU: the same render takes longer there than here. Re-measure
there (or give the function 1769 MB, one vCPU) before trusting the margin to API Gateway's 30 s.
"""

from __future__ import annotations

from dataclasses import dataclass

from courier.engine.document import (
    EllipseLayer,
    ImageLayer,
    Page,
    QrLayer,
    RectLayer,
    TemplateDocument,
    TextLayer,
)
from courier.engine.errors import BudgetError

# The most a render may ask for, in estimated seconds here: with the source images (≈3 s at most) and the
# measured spread, the costliest render that passes took under 20 s here (see the README's "Render budget").
BUDGET_SECONDS = 15.0

MPX = 1_000_000
# Seconds per megapixel of page (all pages), per output format: the canvas, and the encoder on flat content.
PAGE: dict[str, float] = {"png": 0.045, "jpg": 0.06, "webp": 0.08, "avif": 0.14, "gif": 0.15, "pdf": 0.005}
# Seconds per megapixel of photo-like content (image and QR layers' area, at most the page's), on top of PAGE. A PDF
# has no page encoder: what a photo costs there (embedding it) is in DRAW.
DETAIL: dict[str, float] = {"png": 0.45, "jpg": 0.52, "webp": 0.55, "avif": 1.0, "gif": 0.55, "pdf": 0.0}
# Seconds a render of this format costs whatever its size (PDF: fonts embedded and subset).
FIXED: dict[str, float] = {"png": 0.0, "jpg": 0.0, "webp": 0.0, "avif": 0.0, "gif": 0.0, "pdf": 0.25}
# Seconds per megapixel of a visible layer, by kind: raster formats draw every layer's pixels, PDF writes vectors but
# embeds every picture at its box's size.
DRAW: dict[str, dict[str, float]] = {
    "raster": {"shape": 0.02, "text": 0.03, "image": 0.25, "qr": 0.04},
    "pdf": {"shape": 0.002, "text": 0.01, "image": 0.45, "qr": 0.01},
}
# Seconds per character: a text's layout (shrinking to fit tries several sizes), a QR code's encoding and modules.
PER_CHAR: dict[str, dict[str, float]] = {
    "raster": {"text": 0.000045, "qr": 0.00018},
    "pdf": {"text": 0.00006, "qr": 0.00025},
}
FORMAT_ORDER = ("png", "jpg", "webp", "avif", "gif", "pdf")


@dataclass(frozen=True)
class Estimate:
    seconds: float
    pages: int
    megapixels: float  # page area, all pages together


def estimate(document: TemplateDocument, fmt: str) -> Estimate:
    """The estimated seconds a render of ``document`` in ``fmt`` (normalised: png, jpg, webp, avif, gif, pdf) takes."""
    kind = "pdf" if fmt == "pdf" else "raster"
    seconds = FIXED[fmt]
    for page in document.pages:
        detailed = 0.0
        for layer in page.layers:
            if not layer.visible or layer.opacity == 0:
                continue
            area = _area(layer, page)
            if isinstance(layer, ImageLayer | QrLayer):
                detailed += area
            if isinstance(layer, TextLayer):
                seconds += area * DRAW[kind]["text"] + len(layer.text) * PER_CHAR[kind]["text"]
            elif isinstance(layer, QrLayer):
                seconds += area * DRAW[kind]["qr"] + len(layer.data) * PER_CHAR[kind]["qr"]
            elif isinstance(layer, ImageLayer):
                seconds += area * DRAW[kind]["image"] if layer.url or layer.data else 0.0
            else:
                seconds += area * DRAW[kind]["shape"]
        pixels = page.width * page.height / MPX
        seconds += pixels * PAGE[fmt] + min(detailed, pixels) * DETAIL[fmt]
    megapixels = sum(page.width * page.height for page in document.pages) / MPX
    return Estimate(seconds, len(document.pages), megapixels)


def check(
    document: TemplateDocument,
    fmt: str,
    original: TemplateDocument,
    budget: float = BUDGET_SECONDS,
    scale: float = 1.0,
) -> None:
    """Raise BudgetError when rendering ``document`` (``original`` with the request's modifications applied) in
    ``fmt`` is estimated over ``budget`` seconds. Its fields say what the request can change: the modifications
    when they made the difference, else the template; and the format when another one would fit."""
    # At a pixel ratio the pixels grow with its square; counting all of the work that way overestimates a little.
    asked = _scaled(estimate(document, fmt), scale)
    if asked.seconds <= budget:
        return
    size = (
        f"{asked.pages} page{'s' if asked.pages > 1 else ''}, {asked.megapixels:.1f} megapixels in all: "
        f"about {asked.seconds:.0f} s of rendering, over the {budget:.0f} s a render may take"
    )
    fields: list[tuple[str, str]] = []
    if _scaled(estimate(original, fmt), scale).seconds <= budget:
        fields.append(("modifications", f"the modifications make the render too large ({size})"))
    else:
        fields.append(("templateId", f"the template is too large for one render ({size}): use fewer or smaller pages"))
    cheaper = [
        other for other in FORMAT_ORDER if other != fmt and _scaled(estimate(document, other), scale).seconds <= budget
    ]
    if cheaper:
        fields.append(("response.format", f"this format costs more than {', '.join(cheaper)}, which would fit"))
    raise BudgetError(f"the render is too large: {size}", fields)


def _scaled(estimate: Estimate, scale: float) -> Estimate:
    if scale == 1:
        return estimate
    return Estimate(estimate.seconds * scale * scale, estimate.pages, estimate.megapixels * scale * scale)


def _area(layer: RectLayer | EllipseLayer | TextLayer | ImageLayer | QrLayer, page: Page) -> float:
    """Megapixels of the page the layer can touch; an image's whole box (fitted at its size before clipping)."""
    if isinstance(layer, ImageLayer):
        return layer.width * layer.height / MPX
    x0, y0, x1, y1 = layer.x, layer.y, layer.x + layer.width, layer.y + layer.height
    if isinstance(layer, QrLayer):
        side = min(layer.width, layer.height)
        x0, y0 = x0 + (layer.width - side) / 2, y0 + (layer.height - side) / 2
        x1, y1 = x0 + side, y0 + side
    elif isinstance(layer, TextLayer):
        # Glyphs reach past the box (ascenders, marks) by up to about half the font size.
        pad = layer.font_size / 2
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    width = max(0.0, min(x1, page.width) - max(x0, 0.0))
    height = max(0.0, min(y1, page.height) - max(y0, 0.0))
    return width * height / MPX
