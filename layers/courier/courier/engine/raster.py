"""SVG → pixels with resvg (fonts loaded once per process), then encoded by Pillow in the requested format.

The layers a render leaves unchanged are drawn once and kept (`LayerCache`, keyed by the SVG that drew them), and each
render redraws only the part of the page that its changed layers cover: resvg can only hand back a PNG, and encoding
and decoding a whole page was most of a JPEG's time. PNG takes the same path, written by `write_png`; when one pass
is cheaper (a first sight, a scaled page, most of it changed) PNG is resvg's own file.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Collection

import resvg
from PIL import Image
from resvg import usvg

from courier.engine.errors import RenderError
from courier.engine.fonts import font_files
from courier.engine.scene import Scene, ink_bounds, overlaps
from courier.engine.svg import build_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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
            # From memory, not from the file: fontdb re-reads a file-backed face every time a text is laid out or
            # drawn (≈9 ms of the 10 ms it took to parse a social card).
            options.load_font_data(path.read_bytes())
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


def decode(png: bytes) -> Image.Image:
    """resvg's PNG as a Pillow image: RGB when every pixel is opaque (cheaper to composite and to encode), else RGBA."""
    image: Image.Image = Image.open(io.BytesIO(png))
    image.load()
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        return image.convert("RGB")
    return image


ONE_PASS_SHARE = 0.75  # of the page: a changed region larger than this is drawn with the rest, in one pass


class LayerCache:
    """Pages drawn with only their unchanged layers, by a digest of their SVG; least recently used go first once the
    pixel budget is spent. A page is drawn for the cache on its second request only (a doorkeeper), so a one-off
    render never pays for drawing its page twice."""

    def __init__(self, budget_pixels: int = 12_000_000, doorkeeper: int = 512) -> None:
        self._budget = budget_pixels
        self._doorkeeper = doorkeeper
        self._lock = threading.Lock()
        self._images: OrderedDict[bytes, Image.Image] = OrderedDict()
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._pixels = 0

    def get(self, key: bytes) -> Image.Image | None:
        with self._lock:
            image = self._images.get(key)
            if image is not None:
                self._images.move_to_end(key)
            return image

    def admit(self, key: bytes) -> bool:
        """Whether the key was asked for before (then worth drawing and keeping); remembers it either way."""
        with self._lock:
            if key in self._seen:
                return True
            self._seen[key] = None
            if len(self._seen) > self._doorkeeper:
                self._seen.popitem(last=False)
            return False

    def put(self, key: bytes, image: Image.Image) -> None:
        pixels = image.width * image.height
        if pixels > self._budget:
            return
        with self._lock:
            if key in self._images:
                return
            self._images[key] = image
            self._pixels += pixels
            while self._pixels > self._budget:
                _, old = self._images.popitem(last=False)
                self._pixels -= old.width * old.height

    def clear(self) -> None:
        with self._lock:
            self._images.clear()
            self._seen.clear()
            self._pixels = 0


LAYERS = LayerCache()


def draw(scene: Scene, changed: Collection[str] = ()) -> Image.Image:
    """The page as an image (RGB when opaque). Layers named in `changed` are redrawn on the kept unchanged ones."""
    image = _kept(scene, changed)
    return image if image is not None else decode(rasterize(build_svg(scene)))


def draw_png(scene: Scene, changed: Collection[str] = ()) -> bytes:
    """The page as PNG: drawn from the kept layers and written by `write_png` when that helps, else resvg's own
    one-pass file (a first sight, a scaled page, a change over most of the page)."""
    image = _kept(scene, changed)
    return write_png(image) if image is not None else rasterize(build_svg(scene))


def _kept(scene: Scene, changed: Collection[str]) -> Image.Image | None:
    """The page from its kept unchanged layers plus its changed ones; None when one pass costs less."""
    if scene.scale != 1:
        return None  # the kept layers are in page pixels: a scaled page is one pass
    redrawn = _redrawn(scene, changed)
    region = _region(scene, redrawn)
    if region is not None and region[2] * region[3] > ONE_PASS_SHARE * scene.page.width * scene.page.height:
        return None  # most of the page changes: one pass costs less than two
    kept = [index for index in range(len(scene.items)) if index not in redrawn]
    kept_svg = build_svg(scene, only=kept)
    key = hashlib.blake2b(kept_svg.encode(), digest_size=16).digest()
    base = LAYERS.get(key)
    if base is None:
        if not LAYERS.admit(key):
            return None  # seen once: not worth keeping yet
        base = decode(rasterize(kept_svg))
        LAYERS.put(key, base)
    image = base.copy()
    if region is not None:
        x, y, _, _ = region
        layer = decode(rasterize(build_svg(scene, only=redrawn, region=region, background=False)))
        if image.mode == "RGB":
            image.paste(layer, (x, y), layer if layer.mode == "RGBA" else None)
        else:
            image.alpha_composite(layer.convert("RGBA"), (x, y))
    return image


def write_png(image: Image.Image) -> bytes:
    """A PNG of an RGB or RGBA image, fast: scanlines unfiltered, deflated at level 1 (zlib). On drawn pages (flat
    colours, gradients, text) that is a few ms where Pillow's adaptive filtering takes 20+, and files are no larger
    than resvg's (social-card: 74 KB against 98 KB); on photo-like pages a little larger than best compression."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    width, height = image.size
    stride = width * (3 if image.mode == "RGB" else 4)
    pixels = image.tobytes()
    scanlines = b"".join(b"\x00" + pixels[start : start + stride] for start in range(0, len(pixels), stride))
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if image.mode == "RGB" else 6, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(scanlines, 1)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _redrawn(scene: Scene, changed: Collection[str]) -> set[int]:
    """The changed items, and every later item drawn over one of them (its order must be kept)."""
    redrawn: set[int] = set()
    if not changed:
        return redrawn
    bounds = [ink_bounds(item) for item in scene.items]
    for index, item in enumerate(scene.items):
        if item.layer.name in changed or any(overlaps(bounds[index], bounds[other]) for other in redrawn):
            redrawn.add(index)
    return redrawn


def _region(scene: Scene, redrawn: set[int]) -> tuple[int, int, int, int] | None:
    """The whole pixels (x, y, width, height) that hold everything the redrawn items can draw, within the page."""
    if not redrawn:
        return None
    boxes = [ink_bounds(scene.items[index]) for index in redrawn]
    x0 = max(0, math.floor(min(b[0] for b in boxes)))
    y0 = max(0, math.floor(min(b[1] for b in boxes)))
    x1 = min(scene.page.width, math.ceil(max(b[2] for b in boxes)))
    y1 = min(scene.page.height, math.ceil(max(b[3] for b in boxes)))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1 - x0, y1 - y0


def encode(image: Image.Image, fmt: str) -> bytes:
    """Encode a drawn page. `fmt` is one of jpg, webp, avif, gif (already normalised); PNG is resvg's own."""
    out = io.BytesIO()
    if fmt in ("jpg", "gif") and image.mode != "RGB":
        image = _flatten(image)
    if fmt == "jpg":
        # 4:2:0 at quality 90: what Pillow (libjpeg) does by default, written down; optimize/progressive cost time.
        image.save(out, "JPEG", quality=90, subsampling="4:2:0", optimize=False, progressive=False)
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
    """Transparent pixels onto white (JPEG and GIF have no alpha)."""
    if image.mode == "RGBA":
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image).convert("RGB")
    return image.convert("RGB")
