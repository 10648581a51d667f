"""Kept layers: a page redrawn from its cached unchanged layers plus its changed ones is the page drawn in one pass."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageStat

from courier.engine import TemplateDocument, get_template, raster, render_template
from courier.engine.modifications import apply_modifications
from courier.engine.raster import LAYERS, LayerCache, decode, draw, rasterize
from courier.engine.scene import Scene, build_scene
from courier.engine.svg import build_svg


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    LAYERS.clear()
    yield
    LAYERS.clear()


def _scene(doc: TemplateDocument, modifications: dict[str, Any]) -> Scene:
    modified, _ = apply_modifications(doc, modifications)
    return build_scene(1, modified.pages[0], None, {}, [])


def _largest_difference(a: Image.Image, b: Image.Image) -> int:
    extrema = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA")).getextrema()
    return max(high for _, high in extrema)  # type: ignore[misc]


def _page(layers: list[dict[str, Any]], background: str | None = "#ffffff") -> TemplateDocument:
    page = {"width": 400, "height": 300, "background": background, "layers": layers}
    return TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page]})


TEXT = {"type": "text", "name": "title", "text": "Hello", "x": 20, "y": 20, "width": 360, "height": 120, "fontSize": 60}
COVER = {"type": "rect", "name": "cover", "x": 0, "y": 60, "width": 400, "height": 40, "fill": "#ff000080"}
CASES: dict[str, tuple[TemplateDocument, dict[str, Any]]] = {
    "a short headline": (get_template("social-card"), {"headline": "Render number 7"}),
    "a mixed-direction headline and a subtitle": (
        get_template("social-card"),
        {"headline": "مرحبا Render Courier ١٢٣", "subtitle": "x"},
    ),
    "a carousel title": (get_template("carousel"), {"title1": "A title"}),
    "a half-transparent page background": (get_template("social-card"), {"background": {"fill": "#ff000080"}}),
    "text under an unchanged half-transparent bar": (_page([TEXT, COVER]), {"title": "Changed"}),
    "text on a transparent page": (_page([TEXT, COVER], background=None), {"title": "Changed"}),
    "a layer hidden by the change": (_page([TEXT, COVER]), {"title": {"visible": False}}),
    "stacked accents and marks on tight lines": (
        _page([TEXT | {"lineHeight": 0.5, "fontFamily": "Noto Sans", "fontSize": 40}, COVER]),
        {"title": "ǺÉ̂ Ṩ̌ gjÿ مُحَمَّدٌ لإِ ﷽ " * 3},
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_redrawn_page_is_the_page_drawn_in_one_pass(case: str) -> None:
    # Given a template with some layers changed
    doc, modifications = CASES[case]
    scene = _scene(doc, modifications)
    one_pass = decode(rasterize(build_svg(scene)))
    # When it is drawn three times (once in one pass, once to keep its unchanged layers, once from what was kept)
    drawn = [draw(scene, set(modifications)) for _ in range(3)]
    # Then every drawing is the one-pass page, give or take rounding at anti-aliased edges
    assert all(image.mode == one_pass.mode for image in drawn)
    assert all(_largest_difference(image, one_pass) <= 2 for image in drawn)


def test_only_the_changed_part_of_the_page_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []

    def spy(svg: str) -> bytes:
        drawn.append(svg)
        return rasterize(svg)

    monkeypatch.setattr(raster, "rasterize", spy)
    scene = _scene(get_template("social-card"), {"headline": "Hi"})
    for _ in range(2):
        draw(scene, {"headline"})
    drawn.clear()
    # When the same page is drawn a third time
    draw(scene, {"headline"})
    # Then resvg draws only the headline, in a box far smaller than the 1200×630 page, and no background
    [svg] = drawn
    size = re.match(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    assert size is not None and int(size.group(1)) * int(size.group(2)) < 1200 * 630 / 10
    assert "<text" in svg and "<rect" not in svg and "<ellipse" not in svg


def test_jpeg_of_a_redrawn_page_looks_like_the_png() -> None:
    png = Image.open(io.BytesIO(render_template("social-card", {"headline": "Kept layers"}, "png").pages[0].body))
    for _ in range(3):
        body = render_template("social-card", {"headline": "Kept layers"}, "jpg").pages[0].body
        jpeg = Image.open(io.BytesIO(body))
        assert jpeg.format == "JPEG" and jpeg.mode == "RGB"
        assert ImageStat.Stat(ImageChops.difference(jpeg, png.convert("RGB")).convert("L")).mean[0] < 2


def test_the_cache_keeps_a_page_from_its_second_request_and_within_its_budget() -> None:
    cache = LayerCache(budget_pixels=250, doorkeeper=2)
    assert not cache.admit(b"a") and cache.admit(b"a")
    # The doorkeeper forgets the oldest key first
    assert not cache.admit(b"b") and not cache.admit(b"c") and not cache.admit(b"a")
    images = {key: Image.new("RGB", (10, 10)) for key in (b"1", b"2", b"3")}
    for key, image in images.items():
        cache.put(key, image)
    assert cache.get(b"1") is None and cache.get(b"2") is images[b"2"] and cache.get(b"3") is images[b"3"]
    cache.put(b"big", Image.new("RGB", (20, 20)))  # larger than the whole budget: not kept, nothing evicted
    assert cache.get(b"big") is None and cache.get(b"2") is not None


@pytest.mark.parametrize("case", CASES)
def test_a_png_from_kept_layers_is_the_page_drawn_in_one_pass(case: str) -> None:
    # Given a page drawn as PNG the first time (resvg's own file) and again from its kept layers (our writer)
    doc, modifications = CASES[case]
    scene = _scene(doc, modifications)
    one_pass = decode(rasterize(build_svg(scene)))
    bodies = [raster.draw_png(scene, set(modifications)) for _ in range(3)]
    # Then every file decodes to the one-pass page, transparency included
    for body in bodies:
        assert body.startswith(b"\x89PNG\r\n\x1a\n")
        image = decode(body)  # RGB when opaque, as the one-pass page
        assert image.mode == one_pass.mode and _largest_difference(image, one_pass) <= 2


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_the_png_writer_is_lossless(mode: str) -> None:
    noise = Image.merge(mode, [Image.effect_noise((97, 53), 80).convert("L") for _ in mode])
    written = Image.open(io.BytesIO(raster.write_png(noise)))
    assert written.mode == mode and written.tobytes() == noise.tobytes()
