"""The render budget: a request that asks for more work than one request may take is refused before anything is
drawn, with the field it can change; the largest one allowed goes on to be drawn; source images are bounded as they
are decoded. No timing here: bench/render.py --budget-check times the costliest renders the budget lets through."""

from __future__ import annotations

import base64
import io
from typing import Any

import boto3
import pytest
from PIL import Image

from courier.engine import BUILTIN_TEMPLATES, BudgetError, TemplateDocument, render_document
from courier.engine import engine as render_engine
from courier.engine.budget import BUDGET_SECONDS, check, estimate
from courier.engine.document import Page
from courier.engine.images import RenderImages
from courier.engine.scene import ImageItem, build_scene
from tests.unit.conftest import STAGING, TABLE, Api

SIDE = 6324  # the largest square page (40 Mpx)


def _document(pages: int, side: int = SIDE, layers: list[dict[str, Any]] | None = None) -> TemplateDocument:
    page = {"width": side, "height": side, "layers": layers or []}
    return TemplateDocument.model_validate({"id": "big", "name": "Big", "pages": [page] * pages})


class Drawn(Exception):
    """Raised instead of drawing: the render got past validation."""


@pytest.fixture
def drawing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages that reached drawing (none is really drawn: a test must not take seconds)."""
    reached: list[int] = []

    def build_scene(number: int, *args: Any, **kwargs: Any) -> Any:
        reached.append(number)
        raise Drawn

    monkeypatch.setattr(render_engine, "build_scene", build_scene)
    return reached


def test_the_issues_8_page_avif_render_is_refused_with_the_field_before_anything_is_drawn(
    api: Api, drawing: list[int]
) -> None:
    # Given a stored template of 8 pages of 6324×6324 px (31.9 s as AVIF here, past API Gateway's 30 s)
    document = _document(8).model_dump(by_alias=True)
    assert api.call("POST", "/v1/templates", document)[0] == 201
    # When it is rendered as AVIF
    status, answer = api.call(
        "POST", "/v1/renders", {"templateId": "big", "response": {"format": "avif"}, "connections": []}
    )
    # Then a 422 of the contract's shape names the template as too large, and says how much work it asked for
    assert status == 422, answer
    error = answer["error"]
    assert error["code"] == "render_too_large"
    assert error["details"][0]["field"] == "templateId"
    assert all(d["field"] in ("templateId", "response.format") for d in error["details"])
    assert f"{BUDGET_SECONDS:.0f} s" in error["message"] and "8 pages" in error["message"]
    # And nothing was drawn, staged or recorded
    assert drawing == []
    assert boto3.client("s3").list_objects_v2(Bucket=STAGING).get("KeyCount", 0) == 0
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert [i for i in items if i["sk"]["S"] == "RENDER"] == []


@pytest.mark.parametrize("fmt", ["png", "jpg", "webp", "avif", "gif", "pdf"])
def test_the_largest_render_allowed_goes_on_to_be_drawn_and_one_more_page_is_refused(
    fmt: str, drawing: list[int]
) -> None:
    # Given the most pages of 40 Mpx this format allows, and one more (a PDF's pages are vectors: what costs there is
    # what they hold, here a picture over each 9 Mpx page)
    side, layers = (3000, [_image_layer("photo", _png(8, 8), 3000)]) if fmt == "pdf" else (SIDE, [])
    allowed = max(n for n in range(1, 21) if estimate(_document(n, side, layers), fmt).seconds <= BUDGET_SECONDS)
    assert allowed < 20, "even 20 such pages would pass: the budget would not bound anything"
    # When each is rendered
    with pytest.raises(Drawn):
        render_document(_document(allowed, side, layers), {}, fmt)
    with pytest.raises(BudgetError) as refused:
        render_document(_document(allowed + 1, side, layers), {}, fmt)
    # Then the largest allowed reached drawing, the next one never did, and its first field is the template
    assert drawing == [1]
    assert refused.value.fields[0][0] == "templateId"


def test_modifications_that_make_a_render_too_large_are_named(drawing: list[int]) -> None:
    # Given a template that fits, with many full-page photo layers hidden
    layers = [_image_layer(f"photo{i}", _png(8, 8), 4000) | {"visible": False} for i in range(100)]
    document = _document(1, 4000, layers)
    assert estimate(document, "png").seconds <= BUDGET_SECONDS
    # When a request shows them all
    with pytest.raises(BudgetError) as refused:
        render_document(document, {f"photo{i}": {"visible": True} for i in range(100)}, "png")
    # Then the modifications are what it names, and nothing was drawn
    assert refused.value.fields[0][0] == "modifications"
    assert drawing == []


def test_a_format_that_would_fit_is_suggested() -> None:
    # Given pages that fit as JPEG but not as AVIF
    fits = max(n for n in range(1, 21) if estimate(_document(n), "jpg").seconds <= BUDGET_SECONDS)
    document = _document(fits)
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
    shown = estimate(_document(1, 4000, [shape]), "png").seconds
    hidden = estimate(_document(1, 4000, [shape | {"visible": False}]), "png").seconds
    away = estimate(_document(1, 4000, [shape | {"x": 8000}]), "png").seconds
    empty = estimate(_document(1, 4000), "png").seconds
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
