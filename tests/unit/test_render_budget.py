"""The render budget: a request that asks for more work than one request may take is refused before anything is
drawn, with the field it can change; the largest one allowed goes on to be drawn; source images are bounded as they
are decoded. No timing here: bench/render.py --budget-check times the costliest renders the budget lets through."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image

from courier.engine import BUILTIN_TEMPLATES, BudgetError, render_document
from courier.engine.budget import BUDGET_SECONDS, check, estimate
from courier.engine.document import Page
from courier.engine.images import RenderImages
from courier.engine.scene import ImageItem, build_scene
from tests.builders import LARGEST_SIDE, Drawn, drawing, square_template

__all__ = ["drawing"]  # the fixture (tests/builders.py)


@pytest.mark.parametrize("fmt", ["png", "jpg", "webp", "avif", "gif", "pdf"])
def test_the_largest_render_allowed_goes_on_to_be_drawn_and_one_more_page_is_refused(
    fmt: str, drawing: list[int]
) -> None:
    # Given the most pages of 40 Mpx this format allows, and one more (a PDF's pages are vectors: what costs there is
    # what they hold, here a picture over each 9 Mpx page)
    side, layers = (3000, [_image_layer("photo", _png(8, 8), 3000)]) if fmt == "pdf" else (LARGEST_SIDE, [])
    allowed = max(n for n in range(1, 21) if estimate(square_template(n, side, layers), fmt).seconds <= BUDGET_SECONDS)
    assert allowed < 20, "even 20 such pages would pass: the budget would not bound anything"
    # When each is rendered
    with pytest.raises(Drawn):
        render_document(square_template(allowed, side, layers), {}, fmt)
    with pytest.raises(BudgetError) as refused:
        render_document(square_template(allowed + 1, side, layers), {}, fmt)
    # Then the largest allowed reached drawing, the next one never did, and its first field is the template
    assert drawing == [1]
    assert refused.value.fields[0][0] == "templateId"


def test_modifications_that_make_a_render_too_large_are_named(drawing: list[int]) -> None:
    # Given a template that fits, with many full-page photo layers hidden
    layers = [_image_layer(f"photo{i}", _png(8, 8), 4000) | {"visible": False} for i in range(100)]
    document = square_template(1, 4000, layers)
    assert estimate(document, "png").seconds <= BUDGET_SECONDS
    # When a request shows them all
    with pytest.raises(BudgetError) as refused:
        render_document(document, {f"photo{i}": {"visible": True} for i in range(100)}, "png")
    # Then the modifications are what it names, and nothing was drawn
    assert refused.value.fields[0][0] == "modifications"
    assert drawing == []


def test_a_format_that_would_fit_is_suggested() -> None:
    # Given pages that fit as JPEG but not as AVIF
    fits = max(n for n in range(1, 21) if estimate(square_template(n), "jpg").seconds <= BUDGET_SECONDS)
    document = square_template(fits)
    assert estimate(document, "avif").seconds > BUDGET_SECONDS
    # When it is checked for AVIF
    with pytest.raises(BudgetError) as refused:
        check(document, "avif", document)
    # Then the format is named too, with the formats that would fit
    fields = dict(refused.value.fields)
    assert "jpg" in fields["response.format"] and "avif" not in fields["response.format"]


@pytest.mark.parametrize("template_id", sorted(BUILTIN_TEMPLATES))
@pytest.mark.parametrize("fmt", ["png", "jpg", "webp", "avif", "gif", "pdf"])
def test_the_built_in_templates_are_far_inside_the_budget(template_id: str, fmt: str) -> None:
    assert estimate(BUILTIN_TEMPLATES[template_id], fmt).seconds < BUDGET_SECONDS / 10


def test_hidden_and_off_page_layers_cost_only_what_they_draw() -> None:
    # Given the same page with a full-page shape, then hidden, then moved off the page
    shape = {"type": "rect", "name": "r", "width": 4000, "height": 4000}
    shown = estimate(square_template(1, 4000, [shape]), "png").seconds
    hidden = estimate(square_template(1, 4000, [shape | {"visible": False}]), "png").seconds
    away = estimate(square_template(1, 4000, [shape | {"x": 8000}]), "png").seconds
    empty = estimate(square_template(1, 4000), "png").seconds
    # Then only the shown one costs more than the empty page
    assert shown > empty and hidden == away == empty


# ---------------------------------------------------------------- source images, bounded as they are decoded


def _png(width: int, height: int, red: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (red, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _image_layer(name: str, source: bytes, side: int = 50) -> dict[str, Any]:
    data = f"data:image/png;base64,{base64.b64encode(source).decode()}"
    return {"type": "image", "name": name, "width": side, "height": side, "data": data}


def test_source_images_beyond_the_renders_allowance_are_left_out_with_a_warning() -> None:
    # Given a render allowed two 100×100 sources, and a page with three different ones
    images = RenderImages(max_pixels=2 * 100 * 100)
    layers = [_image_layer(f"i{i}", _png(100, 100, red=i)) for i in range(3)]
    page = Page.model_validate({"width": 200, "height": 200, "layers": layers})
    warnings: list[str] = []
    # When its scene is built
    scene = build_scene(1, page, None, {}, warnings, images)
    # Then two pictures are drawn and the third is left out, with a warning that says why
    assert [item.layer.name for item in scene.items if isinstance(item, ImageItem)] == ["i0", "i1"]
    assert len(warnings) == 1 and "i2" in warnings[0] and "megapixels in all" in warnings[0]


def test_a_picture_repeated_on_every_page_is_decoded_once() -> None:
    # Given one 100×100 source on 20 pages, and an allowance of that source once
    images = RenderImages(max_pixels=100 * 100)
    page = Page.model_validate({"width": 100, "height": 100, "layers": [_image_layer("logo", _png(100, 100))]})
    warnings: list[str] = []
    # When the 20 scenes are built
    scenes = [build_scene(n, page, None, {}, warnings, images) for n in range(1, 21)]
    # Then every page has it, and nothing was left out
    assert all(isinstance(scene.items[0], ImageItem) for scene in scenes)
    assert warnings == []


def test_a_pixel_ratio_counts_in_the_budget_as_its_square() -> None:
    card = BUILTIN_TEMPLATES["social-card"]
    seconds = estimate(card, "png").seconds
    check(card, "png", card, budget=seconds * 1.01)  # fits at scale 1
    with pytest.raises(BudgetError):
        check(card, "png", card, budget=seconds * 1.01, scale=2)
    check(card, "png", card, budget=seconds * 4.01, scale=2)
