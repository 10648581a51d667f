"""Clip encoders: frames in, one file out, a frame at a time (never the whole clip in memory).

MP4 (H.264, yuv420p, `+faststart`), WebM (VP9) and animated WebP go through PyAV (FFmpeg in its wheel), imported
here only: PyAV ships in the video function's own layer, so still renders never load it. Animated GIF is Pillow's
LZW, written frame by frame with one palette for the whole clip (taken from frames across it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from PIL import GifImagePlugin, Image, ImageChops

# format → (content type, extension)
CLIP_FORMATS: dict[str, tuple[str, str]] = {
    "mp4": ("video/mp4", ".mp4"),
    "webm": ("video/webm", ".webm"),
    "gif": ("image/gif", ".gif"),
    "webp": ("image/webp", ".webp"),
}
VIDEO_FORMATS = frozenset({"mp4", "webm"})  # formats that only exist as clips
# Quality, stated: H.264 CRF 23 (x264's default) at preset veryfast; VP9 CRF 32 in constant-quality mode at
# realtime speed 8; WebP quality 80. These are what bench/render.py compares with FFmpeg's own at the same settings.
MP4_OPTIONS = {"crf": "23", "preset": "veryfast"}
WEBM_OPTIONS = {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
WEBP_OPTIONS = {"quality": "80", "compression_level": "2"}


class ClipEncoder(Protocol):
    def add(self, image: Image.Image) -> None: ...

    def close(self) -> None: ...


def even(size: int) -> int:
    """yuv420p halves the chroma planes: H.264 and VP9 need even sides (one more pixel, never a cut)."""
    return size + size % 2


class _AvEncoder:
    """MP4, WebM or animated WebP through FFmpeg's muxers and encoders. A frame that repeats the one before (the same
    image object) is converted once; WebP keeps an alpha plane only when the clip has transparency."""

    def __init__(
        self, path: Path, fmt: str, width: int, height: int, fps: int, quality: int | None, loop: bool
    ) -> None:
        import av  # the video layer's; see the module docstring

        container_options = {"movflags": "+faststart"} if fmt == "mp4" else {}
        if fmt == "webp":
            container_options["loop"] = "0" if loop else "1"  # 0: forever; 1: play once
        self._container: Any = av.open(str(path), "w", format=fmt, options=container_options)
        self._codec, self._options = {
            "mp4": ("libx264", MP4_OPTIONS),
            "webm": ("libvpx-vp9", WEBM_OPTIONS),
            "webp": ("libwebp_anim", WEBP_OPTIONS),
        }[fmt]
        if quality is not None:
            self._options = self._options | quality_options(fmt, quality)
        self._fmt, self._fps = fmt, fps
        self._width, self._height = (width, height) if fmt == "webp" else (even(width), even(height))
        self._stream: Any = None
        self._from_image: Any = av.VideoFrame.from_image
        self._last: tuple[Image.Image, Any] | None = None
        self._index = 0

    def _open_stream(self, first: Image.Image) -> None:
        lowest = first.getchannel("A").getextrema()[0] if first.mode == "RGBA" else 255
        alpha = self._fmt == "webp" and isinstance(lowest, int | float) and lowest < 255
        self._mode = "RGBA" if alpha else "RGB"
        stream: Any = self._container.add_stream(self._codec, rate=self._fps, options=self._options)
        stream.width, stream.height = self._width, self._height
        stream.pix_fmt = "yuva420p" if alpha else "yuv420p"
        self._stream = stream

    def add(self, image: Image.Image) -> None:
        if self._stream is None:
            self._open_stream(image)
        if self._last is not None and self._last[0] is image:
            frame = self._last[1]
        else:
            frame = self._frame(image)
            self._last = (image, frame)
        frame.pts = self._index
        self._index += 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def _frame(self, image: Image.Image) -> Any:
        picture = _flatten(image) if self._mode == "RGB" else image.convert("RGBA")
        if picture.size != (self._width, self._height):
            canvas = Image.new(self._mode, (self._width, self._height), "white")
            canvas.paste(picture, (0, 0))
            picture = canvas
        # Converted to the stream's format once here, not again by the encoder for each repeat
        return self._from_image(picture).reformat(format=self._stream.pix_fmt)

    def close(self) -> None:
        if self._stream is not None:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        self._container.close()


class _GifEncoder:
    """An animated GIF, looping forever: one palette for the clip, each frame's delay in hundredths of a second
    (the time of frame i is i / fps, rounded the same way each time, so the clip keeps its length)."""

    def __init__(self, out: BinaryIO, fps: int, samples: Sequence[Image.Image], loop: bool) -> None:
        self._out, self._fps, self._index, self._loop = out, fps, 0, loop
        montage = Image.new("RGB", (samples[0].width, samples[0].height * len(samples)))
        for i, sample in enumerate(samples):
            montage.paste(_flatten(sample), (0, i * samples[0].height))
        self._palette = montage.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        self._started = False
        self._previous: Image.Image | None = None

    def _frame(self, image: Image.Image) -> Image.Image:
        return _flatten(image).quantize(palette=self._palette, dither=Image.Dither.NONE)

    def add(self, image: Image.Image) -> None:
        frame = self._frame(image)
        if not self._started:
            # NETSCAPE2.0 loop 0 is forever; without it a GIF plays once
            info: dict[str, Any] = {"loop": 0, "duration": 1} if self._loop else {"duration": 1}
            header, _ = GifImagePlugin.getheader(frame, None, info)
            self._out.write(b"".join(header))
            self._started = True
        # Only the part that changed is written over the frame before (kept: disposal 1); a still frame is one pixel.
        box = (0, 0, *frame.size) if self._previous is None else ImageChops.difference(self._previous, frame).getbbox()
        box = box or (0, 0, 1, 1)
        self._previous = frame
        start, end = round(self._index * 100 / self._fps), round((self._index + 1) * 100 / self._fps)
        part = frame.crop(box)
        part.palette = frame.palette
        for chunk in GifImagePlugin.getdata(part, offset=box[:2], duration=max(2, end - start) * 10, disposal=1):
            self._out.write(chunk)
        self._index += 1

    def close(self) -> None:
        self._out.write(b";")
        self._out.close()


def open_encoder(
    path: Path,
    fmt: str,
    width: int,
    height: int,
    fps: int,
    samples: Sequence[Image.Image] = (),
    *,
    quality: int | None = None,
    loop: bool = True,
) -> ClipEncoder:
    """An encoder writing the clip to `path`. A GIF needs a few `samples` of the clip's frames for its palette.
    `quality` (1–100, Orshot's videoOptions.quality) sets the encoder's; `loop` is for animated GIF and WebP."""
    if fmt == "gif":
        return _GifEncoder(path.open("wb"), fps, samples, loop)
    return _AvEncoder(path, fmt, width, height, fps, quality, loop)


def quality_options(fmt: str, quality: int) -> dict[str, str]:
    """A 1–100 quality as each encoder takes it: 100 is H.264 CRF 18 / VP9 CRF 15 (visually lossless), 1 is 40 / 55;
    80 is about the defaults (CRF 22 / 23)."""
    if fmt == "mp4":
        return {"crf": str(round(40 - quality * 0.22))}
    if fmt == "webm":
        return {"crf": str(round(55 - quality * 0.4))}
    return {"quality": str(quality)}


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent pixels onto white (H.264, VP9 at yuv420p and GIF here have no alpha)."""
    if image.mode == "RGBA":
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image).convert("RGB")
    return image.convert("RGB")
