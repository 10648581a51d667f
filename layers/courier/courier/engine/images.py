"""Image layers: bytes from the injected fetcher or a data URI, decoded under limits and re-encoded by Pillow."""

from __future__ import annotations

import base64
import binascii
import io
import math
import warnings
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageOps

from courier.engine.document import ImageLayer

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # decoded size of a source image; checked from its header, before decoding
ALLOWED_SOURCE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "AVIF", "BMP", "TIFF"}
# Source pixels decoded in one render, all its images together: a render's document tells its images' boxes (see
# render/budget.py) but not how large their sources are. Decoding and fitting this many takes ≈3 s here.
MAX_RENDER_SOURCE_PIXELS = 80_000_000

FetchImage = Callable[[str], bytes]
# (source: its URL or data URI, box width, box height, fit, corner radius)
FittedKey = tuple[str, int, int, str, float]


class RenderImages:
    """One render's pictures: fitted ones by source and box, so a picture repeated on every page is decoded once, and
    the source pixels decoded so far, within ``max_pixels``."""

    def __init__(self, max_pixels: int = MAX_RENDER_SOURCE_PIXELS) -> None:
        self.fitted: dict[FittedKey, bytes] = {}
        self._left = max_pixels
        self._max = max_pixels

    def take(self, pixels: int) -> None:
        """Count a source about to be decoded. Raises ImageError once the render's images would be over the limit."""
        if pixels > self._left:
            raise ImageError(f"would take this render's images over {self._max // 1_000_000} megapixels in all")
        self._left -= pixels


class ImageError(ValueError):
    """An image could not be used; the render goes on without it and reports a warning."""


def source_bytes(layer: ImageLayer, fetch_image: FetchImage | None, cache: dict[str, bytes]) -> bytes | None:
    """The raw bytes of the layer's image, or None when it has none. Raises ImageError."""
    if layer.data is not None:
        try:
            raw = base64.b64decode(layer.data.split(",", 1)[1], validate=True)
        except (binascii.Error, ValueError):
            raise ImageError("data URI is not valid base64") from None
        return raw
    if layer.url is None:
        return None
    if layer.url in cache:
        return cache[layer.url]
    if fetch_image is None:
        raise ImageError("remote images are not enabled here")
    try:
        raw = fetch_image(layer.url)
    except Exception as exc:  # the fetcher's errors are many (network, guard, limits); all mean "no image"
        raise ImageError(f"could not be fetched ({_reason(exc)})") from exc
    if len(raw) > MAX_IMAGE_BYTES:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    cache[layer.url] = raw
    return raw


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return text or type(exc).__name__


def decode(raw: bytes, images: RenderImages | None = None) -> Image.Image:
    """Decode untrusted bytes into RGBA, refusing bombs, and sources over what is left of the render's allowance
    (``images``), before any pixel is decoded."""
    if len(raw) > MAX_IMAGE_BYTES:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(raw), formats=sorted(ALLOWED_SOURCE_FORMATS))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS or width > 20000 or height > 20000:
                raise ImageError(f"has too many pixels ({width}×{height})")
            if images is not None:
                images.take(width * height)
            image.seek(0)  # the first frame of an animation
            image.load()
            image = ImageOps.exif_transpose(image)
            return image.convert("RGBA")
    except ImageError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError("is not a readable image") from exc


def fit(image: Image.Image, layer: ImageLayer, resolution: float = 1.0) -> Image.Image:
    """The picture exactly as it appears in the layer's box: fitted, and with its corners rounded; at `resolution`
    pixels per page pixel (a page drawn at a pixel ratio, a PDF's dpi / 96)."""
    box_w, box_h = max(1, round(layer.width * resolution)), max(1, round(layer.height * resolution))
    if layer.fit == "fill":
        fitted = image.resize((box_w, box_h), Image.Resampling.LANCZOS)
    elif layer.fit == "cover":
        fitted = ImageOps.fit(image, (box_w, box_h), Image.Resampling.LANCZOS)
    else:
        contained = ImageOps.contain(image, (box_w, box_h), Image.Resampling.LANCZOS)
        fitted = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
        fitted.paste(contained, ((box_w - contained.width) // 2, (box_h - contained.height) // 2))
    if layer.corner_radius > 0:
        mask = _rounded_mask((box_w, box_h), layer.corner_radius * resolution)
        fitted.putalpha(ImageChops.multiply(fitted.getchannel("A"), mask))
    return fitted


def _rounded_mask(size: tuple[int, int], radius: float) -> Image.Image:
    # Drawn at twice the size and scaled down: anti-aliased corners without a per-pixel loop.
    scale = 2
    big = Image.new("L", (size[0] * scale, size[1] * scale), 0)
    r = min(radius, size[0] / 2, size[1] / 2) * scale
    ImageDraw.Draw(big).rounded_rectangle((0, 0, big.width - 1, big.height - 1), radius=math.floor(r), fill=255)
    return big.resize(size, Image.Resampling.LANCZOS)


def to_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Embedded once and decoded again by resvg/fpdf2: speed matters more than size here.
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
