"""Clips decoded back: MP4 (H.264, yuv420p, index first) and WebM (VP9) with PyAV — codec, size, frame count =
duration × fps, and the first and last frames against still renders of the same times; animated GIF and WebP with
Pillow (frames, loop, durations). Frames that repeat are drawn once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from PIL import Image, ImageChops, ImageStat

from courier.engine import TemplateDocument
from courier.engine.clip import render_clips
from courier.engine.engine import render_document
from courier.engine.errors import BudgetError, UnsupportedFormatError

PAGE = {
    "width": 240,
    "height": 136,
    "duration": 1.5,
    "fps": 10,
    "background": "#1e293b",
    "layers": [
        {"type": "rect", "name": "panel", "x": 10, "y": 10, "width": 220, "height": 116, "fill": "#334155"},
        {
            "type": "ellipse",
            "name": "dot",
            "x": 20,
            "y": 48,
            "width": 40,
            "height": 40,
            "fill": "#facc15",
            "keyframes": {"x": [{"time": 0, "value": 20}, {"time": 1, "value": 180, "easing": "ease-in-out"}]},
        },
    ],
}
DOC = TemplateDocument.model_validate({"id": "dot", "name": "dot", "pages": [PAGE]})


def _still(time: float) -> Image.Image:
    return Image.open(io.BytesIO(render_document(DOC, {}, "png", time=time).pages[0].body)).convert("RGB")


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0–255."""
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def _video_frames(path: Path) -> Iterator[Image.Image]:
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.video[0]):
            yield frame.to_image()


@pytest.mark.parametrize(("fmt", "codec"), [("mp4", "h264"), ("webm", "vp9")])
def test_a_video_decodes_to_every_frame_as_the_stills_draw_them(tmp_path: Path, fmt: str, codec: str) -> None:
    clip = render_clips(DOC, {}, fmt, tmp_path)[0]
    with av.open(str(clip.path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height) == (codec, 240, 136)
        assert stream.codec_context.pix_fmt == "yuv420p" and stream.average_rate == 10
    frames = list(_video_frames(clip.path))
    assert len(frames) == clip.frames == 15
    # Lossy, but the same picture: the first frame is the still at 0 s, the last the still at 1.4 s
    assert _difference(frames[0], _still(0)) < 3 and _difference(frames[-1], _still(1.4)) < 3
    assert _difference(frames[0], _still(1.4)) > 5  # and the dot did move
    # The dot settles at 1 s: frames from then on repeat the one before and are not drawn again
    assert clip.drawn == 11
    if fmt == "mp4":
        data = clip.path.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat")  # +faststart: plays while it downloads


def test_odd_sides_are_padded_to_even_for_yuv420p(tmp_path: Path) -> None:
    odd = TemplateDocument.model_validate({"id": "odd", "name": "odd", "pages": [PAGE | {"width": 101, "height": 55}]})
    clip = render_clips(odd, {}, "mp4", tmp_path)[0]
    assert (clip.width, clip.height) == (102, 56)
    frame = next(_video_frames(clip.path))
    assert frame.size == (102, 56)


@pytest.mark.parametrize("fmt", ["gif", "webp"])
def test_an_animated_image_loops_for_the_clips_length(tmp_path: Path, fmt: str) -> None:
    clip = render_clips(DOC, {}, fmt, tmp_path)[0]
    image = Image.open(clip.path)
    assert image.info["loop"] == 0 and image.size == (240, 136)
    durations, frames = [], []
    for index in range(image.n_frames):
        image.seek(index)
        image.load()
        durations.append(image.info["duration"])
        frames.append(image.convert("RGB"))
    assert abs(sum(durations) - 1500) <= 10
    if fmt == "gif":
        assert image.n_frames == 15  # one per frame; each written as the part that changed
    # the first and the last frames are the stills' (GIF: one palette for the clip, so a little off)
    assert _difference(frames[0], _still(0)) < 4 and _difference(frames[-1], _still(1.4)) < 4


def _gif_tables(data: bytes) -> tuple[bool, int, int]:
    """(has a global colour table, frames, frames with a local table), walking the GIF's blocks."""
    packed, at = data[10], 13
    has_global = bool(packed & 0x80)
    if has_global:
        at += 3 * 2 ** ((packed & 7) + 1)
    frames = local = 0
    while data[at] != 0x3B:  # the trailer
        if data[at] == 0x21:  # an extension: its label, then sub-blocks
            at += 2
        else:  # 0x2C, an image: its descriptor, a local table maybe, the LZW code size, then sub-blocks
            frames += 1
            flags = data[at + 9]
            at += 10
            if flags & 0x80:
                local += 1
                at += 3 * 2 ** ((flags & 7) + 1)
            at += 1
        while data[at]:
            at += data[at] + 1
        at += 1
    return has_global, frames, local


def test_a_gif_palette_is_shared_by_the_whole_clip(tmp_path: Path) -> None:
    clip = render_clips(DOC, {}, "gif", tmp_path)[0]
    assert _gif_tables(clip.path.read_bytes()) == (True, 15, 0)  # one global table, no frame of its own


def test_only_animated_templates_are_clips_and_their_size_is_budgeted(tmp_path: Path) -> None:
    layers = [{k: v for k, v in layer.items() if k != "keyframes"} for layer in PAGE["layers"]]  # type: ignore[attr-defined]
    still = TemplateDocument.model_validate(
        {"id": "s", "name": "s", "pages": [PAGE | {"duration": None, "fps": None, "layers": layers}]}
    )
    with pytest.raises(UnsupportedFormatError, match="animated template"):
        render_clips(still, {}, "mp4", tmp_path)
    huge = TemplateDocument.model_validate(
        {"id": "h", "name": "h", "pages": [PAGE | {"width": 3840, "height": 2160, "duration": 60, "fps": 60}]}
    )
    with pytest.raises(BudgetError, match="megapixel-frames"):
        render_clips(huge, {}, "mp4", tmp_path)
    assert not list(tmp_path.iterdir())  # refused before anything was written


def test_frames_stream_into_the_encoder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Memory stays flat: each frame goes to the encoder as it is drawn; the clip is never held as a list of images
    import gc

    import courier.engine.clip as clip_module

    alive: list[int] = []

    class Counting:
        def add(self, image: Image.Image) -> None:
            alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Image.Image)))

        def close(self) -> None:
            pass

    monkeypatch.setattr(clip_module, "open_encoder", lambda *args, **kwargs: Counting())
    gc.collect()
    before = sum(1 for o in gc.get_objects() if isinstance(o, Image.Image))  # other tests' (the layer cache's)
    moving = PAGE["layers"][1] | {"keyframes": {"x": [{"time": 0, "value": 0}, {"time": 6, "value": 200}]}}  # type: ignore[index]
    page = PAGE | {"duration": 6, "layers": [PAGE["layers"][0], moving]}  # type: ignore[index]
    six_seconds = TemplateDocument.model_validate({"id": "m", "name": "m", "pages": [page]})
    render_clips(six_seconds, {}, "mp4", tmp_path)
    assert len(alive) == 60
    # the frame being drawn, the kept layers, the redrawn part, and the few frames queued for the encoder's thread
    # (at most 4): flat from the first frames on; holding the 60 distinct frames would count 60 and more
    # (the very first frame may count one more: the kept layers are drawn then); later frames never count more
    assert max(alive) - before <= 10 and max(alive[10:]) <= max(alive[:10]), (before, alive)


@pytest.mark.parametrize("fmt", ["gif", "webp"])
def test_video_options_trim_the_seconds_and_stop_the_loop(tmp_path: Path, fmt: str) -> None:
    from courier.engine.clip import ClipSettings

    clip = render_clips(DOC, {}, fmt, tmp_path, settings=ClipSettings(start=0.5, end=1.0, fps=20, loop=False))[0]
    image = Image.open(clip.path)
    assert "loop" not in image.info or image.info["loop"] == 1  # plays once: GIF without NETSCAPE2.0, WebP loop 1
    assert clip.frames == 10 and clip.fps == 20
    image.seek(0)
    assert _difference(image.convert("RGB"), _still(0.5)) < 4  # it starts at 0.5 s
