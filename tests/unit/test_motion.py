"""Animated templates: keyframes eased between, the frames of a clip, their validation, a still at a moment."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from typing import Any

import pytest
from PIL import Image
from pydantic import ValidationError

from courier.engine import TemplateDocument
from courier.engine.document import Keyframe
from courier.engine.engine import render_document
from courier.engine.motion import EASINGS, frame_count, page_at, value_at

BOX = {"type": "rect", "name": "box", "x": 0, "y": 0, "width": 40, "height": 40, "fill": "#ff0000"}


def _doc(layer: dict[str, Any], **page: Any) -> TemplateDocument:
    base = {"width": 200, "height": 100, "duration": 2, "fps": 10, "layers": [layer]} | page
    return TemplateDocument.model_validate({"id": "clip", "name": "clip", "pages": [base]})


def frames(*points: tuple[float, float, str]) -> list[Keyframe]:
    return [Keyframe(time=t, value=v, easing=e) for t, v, e in points]  # type: ignore[arg-type]


def test_values_hold_before_and_after_and_ease_in_between() -> None:
    linear = frames((1, 0, "linear"), (3, 100, "linear"))
    assert [value_at(linear, t) for t in (0, 1, 2, 3, 9)] == [0, 0, 50, 100, 100]
    eased_out = frames((0, 0, "linear"), (1, 100, "ease-out"))
    eased_in = frames((0, 0, "linear"), (1, 100, "ease-in"))
    assert value_at(eased_out, 0.5) > 50 > value_at(eased_in, 0.5)  # fast then slow; slow then fast
    for easing in EASINGS.values():  # every easing starts at 0 and ends at 1, without overshoot
        assert easing(0) == 0 and easing(1) == 1 and all(0 <= easing(p / 10) <= 1 for p in range(11))


def test_a_clip_has_duration_times_fps_frames_at_their_start_times() -> None:
    page = _doc(BOX).pages[0]
    assert frame_count(page) == 20
    assert frame_count(page, start=0.5, end=1.5) == 10 and frame_count(page, fps=30) == 60
    assert frame_count(page, end=9) == 20  # not past its duration
    assert frame_count(_doc(BOX, duration=6, fps=None).pages[0]) == 180  # 30 fps unless said


def test_a_page_at_a_time_moves_only_its_animated_layers() -> None:
    still = {"type": "text", "name": "title", "text": "Hi", "width": 100, "height": 40}
    moving = BOX | {"keyframes": {"x": [{"time": 0, "value": 0}, {"time": 2, "value": 100}]}}
    doc = TemplateDocument.model_validate(
        {"id": "c", "name": "c", "pages": [{"width": 200, "height": 100, "duration": 2, "layers": [still, moving]}]}
    )
    at = page_at(doc.pages[0], 1.0)
    assert at.layers[1].x == 50 and at.layers[0] is doc.pages[0].layers[0]


@pytest.mark.parametrize(
    ("layer", "page", "message"),
    [
        (BOX | {"keyframes": {"x": [{"time": 1, "value": 0}, {"time": 1, "value": 5}]}}, {}, "times must increase"),
        (
            BOX | {"keyframes": {"opacity": [{"time": 0, "value": 2}]}},
            {},
            "opacity.0.value\n  Input should be less than or equal to 1",
        ),
        (
            BOX | {"keyframes": {"reveal": [{"time": 0, "value": 0}]}},
            {},
            "keyframes.reveal\n  Extra inputs are not permitted",
        ),
        (
            BOX | {"keyframes": {"x": [{"time": 0, "value": 0}, {"time": 5, "value": 1}]}},
            {},
            "past the page's duration",
        ),
        (
            BOX | {"keyframes": {"x": [{"time": 0, "value": 0}, {"time": 1, "value": 1}]}},
            {"duration": None, "fps": None},
            "past",
        ),
        (BOX, {"duration": None, "fps": 30}, "fps needs a duration"),
        (BOX, {"duration": 61}, "less than or equal to 60"),
        (BOX | {"keyframes": {"skew": [{"time": 0, "value": 0}]}}, {}, "keyframes"),
    ],
)
def test_animations_are_validated_like_the_rest(layer: dict[str, Any], page: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _doc(layer, **page)


def _png(doc: TemplateDocument, **moment: Any) -> Image.Image:
    return Image.open(io.BytesIO(render_document(doc, {}, "png", **moment).pages[0].body)).convert("RGB")


def test_a_still_of_an_animated_page_is_drawn_at_its_time_or_frame() -> None:
    doc = _doc(BOX | {"keyframes": {"x": [{"time": 0, "value": 0}, {"time": 2, "value": 160}]}})
    assert _png(doc).getpixel((20, 20)) == (255, 0, 0)  # the first frame by default
    assert _png(doc, time=1.0).getpixel((100, 20)) == (255, 0, 0) and _png(doc, time=1.0).getpixel((20, 20)) != (
        255,
        0,
        0,
    )
    assert _png(doc, frame=10).tobytes() == _png(doc, time=1.0).tobytes()  # frame 10 at 10 fps is 1 s


def test_scale_and_rotation_turn_a_layer_about_its_centre() -> None:
    bar = {"type": "rect", "name": "bar", "x": 80, "y": 45, "width": 40, "height": 10, "fill": "#000000"}
    flat = TemplateDocument.model_validate(
        {"id": "b", "name": "b", "pages": [{"width": 200, "height": 100, "layers": [bar]}]}
    )
    turned = flat.model_copy(
        update={
            "pages": [
                flat.pages[0].model_copy(
                    update={"layers": [flat.pages[0].layers[0].model_copy(update={"rotation": 90})]}
                )
            ]
        }
    )
    grown = flat.model_copy(
        update={
            "pages": [
                flat.pages[0].model_copy(update={"layers": [flat.pages[0].layers[0].model_copy(update={"scale": 2})]})
            ]
        }
    )
    assert _png(flat).getpixel((100, 30)) == (255, 255, 255)  # above the flat bar
    assert _png(turned).getpixel((100, 30)) == (0, 0, 0)  # the turned bar reaches up there
    assert _png(turned).getpixel((85, 50)) == (255, 255, 255)  # and no longer sideways
    assert _png(grown).getpixel((65, 50)) == (0, 0, 0)  # twice as long: 60..140
    pdf = render_document(turned, {}, "pdf").pages[0].body
    content = b""
    for match in re.finditer(rb"/Filter\s*/FlateDecode[^>]*>>\s*stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):  # fonts and pictures are streams too
            content += zlib.decompress(pdf[match.end() : pdf.index(b"endstream", match.end())].rstrip(b"\r\n"))
    # turned a quarter clockwise about the bar's centre: cos 0, sin 1 (PDF space runs upwards)
    assert re.search(rb"0\.00000 -1\.00000 1\.00000 0\.00000 [-\d.]+ [-\d.]+ cm", content), content[:400]


def test_reveal_draws_the_first_characters_where_the_whole_text_puts_them() -> None:
    text = {
        "type": "text",
        "name": "t",
        "text": "ABCDEFGHIJ",
        "x": 0,
        "y": 0,
        "width": 200,
        "height": 60,
        "fontSize": 30,
    }
    doc = TemplateDocument.model_validate(
        {"id": "r", "name": "r", "pages": [{"width": 200, "height": 60, "layers": [text]}]}
    )

    def ink(reveal: float) -> tuple[int, int, int, int] | None:
        page = doc.pages[0].model_copy(
            update={"layers": [doc.pages[0].layers[0].model_copy(update={"reveal": reveal})]}
        )
        image = _png(doc.model_copy(update={"pages": [page]}))
        return Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()

    whole, half, none = ink(1), ink(0.5), ink(0)
    assert none is None and whole is not None and half is not None
    assert half[0] == whole[0] and half[2] < whole[2] * 0.7  # same start, about half as long
