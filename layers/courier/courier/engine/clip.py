"""Clips: an animated template rendered frame by frame and streamed into an encoder, one file per page.

Each frame is the page at its time (`motion.page_at`); the layers without keyframes are drawn once and kept (the
raster path's kept-layer cache, keyed by their SVG), only the animated ones are redrawn, and a frame equal to the one
before it (an animation that has settled) is not drawn again. Frames go to the encoder one at a time.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from courier.engine.document import Page, TemplateDocument
from courier.engine.errors import BudgetError, UnsupportedFormatError
from courier.engine.images import FetchImage, RenderImages
from courier.engine.modifications import apply_modifications
from courier.engine.motion import DEFAULT_FPS, animated_layers, frame_count, is_animated, page_at
from courier.engine.raster import draw
from courier.engine.scene import build_scene
from courier.engine.video import CLIP_FORMATS, ClipEncoder, even, open_encoder

# Frames × megapixels a clip may have (each frame drawn and encoded): 1080×1080 at 30 fps for 60 s is 2,100.
# Measured here (bench/render.py --clips): ~100 Mpx-frames a second drawn and encoded as MP4, so the cap is ~1 min of
# one core; the video function has 15.
MAX_CLIP_MEGAPIXEL_FRAMES = 2_200
GIF_SAMPLES = 3  # frames the GIF palette is taken from: first, middle, last


class ClipWindowError(ValueError):
    """videoOptions ask for seconds the animation does not have."""


@dataclass(frozen=True)
class ClipSettings:
    """Which seconds of the animation (`start`–`end`; `end` None: to the page's duration), at what frame rate (None:
    the page's), the encoder's quality (1–100, None: its default) and whether an animated GIF/WebP loops."""

    start: float = 0.0
    end: float | None = None
    fps: int | None = None
    quality: int | None = None
    loop: bool = True

    def window(self, page: Page) -> tuple[float, int, int]:
        """(first frame's time, fps, frame count) of the page's clip."""
        fps = self.fps or page.fps or DEFAULT_FPS
        return self.start, fps, frame_count(page, self.start, self.end, fps)


@dataclass(frozen=True)
class RenderedClip:
    page: int
    path: Path
    width: int
    height: int
    frames: int
    drawn: int  # frames actually drawn (the others repeat the one before)
    fps: int
    content_type: str
    ext: str


class Pipelined:
    """An encoder on a thread of its own, fed through a short queue: frames are drawn while the ones before are
    encoded (x264, libvpx and Pillow release the GIL), and at most `depth` frames wait, so memory stays flat."""

    def __init__(self, encoder: ClipEncoder, depth: int = 4) -> None:
        self._encoder = encoder
        self._frames: queue.Queue[Image.Image | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="clip-encoder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (image := self._frames.get()) is not None:
                if self._error is None:
                    self._encoder.add(image)
        except BaseException as exc:  # handed to the drawing thread at its next add or at close
            self._error = exc
            while self._frames.get() is not None:  # drain, so the drawing side never blocks on a full queue
                pass
        finally:
            try:
                self._encoder.close()
            except BaseException as exc:
                self._error = self._error or exc

    def add(self, image: Image.Image) -> None:
        if self._error is not None:
            raise self._error
        self._frames.put(image)

    def close(self) -> None:
        self._frames.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def check_clip(
    doc: TemplateDocument,
    fmt: str,
    scale: float = 1.0,
    pages: Collection[int] | None = None,
    settings: ClipSettings = ClipSettings(),
) -> None:
    """Raise UnsupportedFormatError when the pages are not animated, ClipWindowError when `settings` start past a
    page's end, BudgetError when the clips are too large."""
    if fmt not in CLIP_FORMATS:
        raise UnsupportedFormatError(f"format {fmt} is not a clip format; use one of {', '.join(CLIP_FORMATS)}")
    chosen = [p for n, p in enumerate(doc.pages, start=1) if (pages is None or n in pages) and is_animated(p)]
    if not chosen:
        raise UnsupportedFormatError(f"{fmt} needs an animated template: give its pages a duration (and fps)")
    shortest = min(p.duration or 0.0 for p in chosen)
    if settings.start >= shortest:
        raise ClipWindowError(f"starts at {settings.start:g} s, past the animation's end ({shortest:g} s)")
    work = sum(settings.window(p)[2] * p.width * p.height * scale * scale for p in chosen) / 1_000_000
    if work > MAX_CLIP_MEGAPIXEL_FRAMES:
        raise BudgetError(
            f"the clip is too large: {work:,.0f} megapixel-frames, over {MAX_CLIP_MEGAPIXEL_FRAMES:,}",
            [("templateId", "use a shorter duration, fewer fps, smaller pages or a lower response.scale")],
        )


def render_clips(
    doc: TemplateDocument,
    modifications: dict[str, object],
    fmt: str,
    directory: Path,
    *,
    fetch_image: FetchImage | None = None,
    scale: float = 1.0,
    pages: Collection[int] | None = None,
    warnings: list[str] | None = None,
    settings: ClipSettings = ClipSettings(),
) -> list[RenderedClip]:
    """Each animated page chosen as a clip file in `directory`. Raises what `check_clip` and the modifications do."""
    doc, notes = apply_modifications(doc, modifications)
    check_clip(doc, fmt, scale, pages, settings)
    warnings = warnings if warnings is not None else []
    warnings.extend(notes)
    cache: dict[str, bytes] = {}
    images = RenderImages()
    clips = []
    for number, page in enumerate(doc.pages, start=1):
        if (pages is not None and number not in pages) or not is_animated(page):
            continue
        clips.append(_clip(number, page, fmt, directory, fetch_image, cache, images, scale, warnings, settings))
    return clips


def _clip(
    number: int,
    page: Page,
    fmt: str,
    directory: Path,
    fetch_image: FetchImage | None,
    cache: dict[str, bytes],
    images: RenderImages,
    scale: float,
    warnings: list[str],
    settings: ClipSettings,
) -> RenderedClip:
    start, fps, count = settings.window(page)
    changed = animated_layers(page)
    content_type, ext = CLIP_FORMATS[fmt]
    width, height = math.ceil(page.width * scale), math.ceil(page.height * scale)
    path = directory / f"page-{number}{ext}"
    times = [start + index / fps for index in range(count)]
    state_before: str | None = None
    image: Image.Image | None = None
    drawn = 0

    def frame(at: Page) -> Image.Image:
        scene = build_scene(number, at, fetch_image, cache, warnings, images, scale)
        return draw(replace(scene, scale=scale), changed)

    samples = (
        [frame(page_at(page, times[i])) for i in sorted({0, len(times) // 2, len(times) - 1})] if fmt == "gif" else []
    )
    encoder = Pipelined(
        open_encoder(path, fmt, width, height, fps, samples, quality=settings.quality, loop=settings.loop)
    )
    try:
        for time in times:
            at = page_at(page, time)
            state = "".join(layer.model_dump_json() for layer in at.layers if layer.name in changed)
            if image is None or state != state_before:
                image = frame(at)
                drawn += 1
                state_before = state
            encoder.add(image)
    finally:
        encoder.close()
    out_width, out_height = (width, height) if fmt in ("gif", "webp") else (even(width), even(height))
    return RenderedClip(number, path, out_width, out_height, len(times), drawn, fps, content_type, ext)
