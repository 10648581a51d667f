"""SVG → pixels with resvg (fonts loaded once per process), then encoded by Pillow in the requested format."""

from __future__ import annotations

import io
import threading

import resvg
from PIL import Image
from resvg import usvg

from courier.render.errors import RenderError
from courier.render.fonts import font_files

IDENTITY = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)  # this binding takes an affine.Affine-ordered 6-tuple (a, b, c, d, e, f)


class RasterError(RenderError):
    """resvg could not parse or draw the SVG."""


_local = threading.local()


def _options() -> usvg.Options:
    # The binding's Options are "unsendable": used from another thread they panic. One per thread (Lambda has one;
    # the local stack's server has several), each loading the fonts once.
    options: usvg.Options | None = getattr(_local, "options", None)
    if options is None:
        options = usvg.Options.default()
        for path in font_files():
            options.load_font_file(str(path))
        options.font_family = "Inter"
        _local.options = options
    return options


def rasterize(svg: str) -> bytes:
    """PNG bytes (RGBA) of the SVG at its own size. Raises RasterError."""
    try:
        tree = usvg.Tree.from_str(svg, _options())
        return bytes(resvg.render(tree, IDENTITY))
    except BaseException as exc:
        # The binding panics on a parse error: pyo3's PanicException derives from BaseException, not Exception.
        # Only that one is caught; KeyboardInterrupt, SystemExit and MemoryError pass through.
        if type(exc).__name__ != "PanicException":
            raise
        message = str(exc).splitlines()[0] if str(exc) else "panic"
        raise RasterError(f"the page could not be drawn ({message[:200]})") from None


def encode(png: bytes, fmt: str, opaque: bool) -> bytes:
    """Re-encode resvg's PNG. `fmt` is one of png, jpg, webp, avif, gif (already normalised)."""
    if fmt == "png":
        return png
    image: Image.Image = Image.open(io.BytesIO(png))
    image.load()
    out = io.BytesIO()
    if fmt in ("jpg", "gif") or opaque:
        image = _flatten(image)
    if fmt == "jpg":
        image.save(out, "JPEG", quality=90, optimize=False, progressive=False)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=90, method=2)
    elif fmt == "avif":
        # speed 6 (the default) takes ≈0.8 s for a 1200×630 card; 8 is ≈10× faster for a few percent more bytes.
        image.save(out, "AVIF", quality=75, speed=8)
    elif fmt == "gif":
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "GIF")
    else:
        raise ValueError(f"unknown raster format {fmt}")
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image).convert("RGB")
    return image.convert("RGB")
