"""Orshot's spellings of a modification, drawn: style keys (`"title.color"`), `canvasBackgroundColor` as a colour or
a CSS linear-gradient, `canvasBackgroundImage`, and an empty picture URL."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image

from courier.engine import TemplateDocument
from courier.engine.engine import render_document
from courier.engine.errors import ModificationError
from courier.engine.modifications import apply_modifications

TITLE = {"type": "text", "name": "title", "text": "Hi", "x": 10, "y": 10, "width": 380, "height": 100, "fontSize": 20}
PHOTO = {"type": "image", "name": "photo", "x": 300, "y": 200, "width": 50, "height": 50}


def _doc() -> TemplateDocument:
    page = {"width": 400, "height": 300, "background": "#ffffff", "layers": [TITLE, PHOTO]}
    return TemplateDocument.model_validate({"id": "orshot-like", "name": "t", "pages": [page]})


def _png(modifications: dict[str, Any]) -> Image.Image:
    result = render_document(_doc(), modifications, "png")
    return Image.open(io.BytesIO(result.pages[0].body)).convert("RGBA")


def _red_png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#ff0000").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_style_keys_set_a_layers_properties_with_css_like_numbers() -> None:
    doc, warnings = apply_modifications(
        _doc(), {"title": "Bigger", "title.color": "#FF5733", "title.fontSize": "48px", "title.fontWeight": "700"}
    )
    title = doc.pages[0].layers[0]
    assert (title.text, title.color, title.font_size, title.font_weight) == ("Bigger", "#ff5733ff", 48, 700)
    assert warnings == []


def test_a_style_key_names_its_field_when_refused() -> None:
    with pytest.raises(ModificationError) as refused:
        apply_modifications(_doc(), {"title.color": "not a colour"})
    assert refused.value.field_path == "modifications.title.color"
    with pytest.raises(ModificationError, match="not a property"):
        apply_modifications(_doc(), {"title.url": "https://example.com/x.png"})


def test_canvas_background_color_paints_the_page_in_any_css_spelling() -> None:
    for spelling in ("#eff2fa", "rgb(239, 242, 250)", "rgba(239, 242, 250, 1)"):
        assert _png({"canvasBackgroundColor": spelling}).getpixel((200, 250)) == (239, 242, 250, 255)


def test_a_linear_gradient_background_runs_in_its_direction() -> None:
    image = _png({"canvasBackgroundColor": "linear-gradient(to right, #000000 0%, #ffffff 100%)"})
    left, right = image.getpixel((2, 250)), image.getpixel((397, 250))
    assert left[0] < 20 and right[0] > 235  # dark on the left, light on the right
    assert image.getpixel((200, 2))[0] == image.getpixel((200, 297))[0]  # nothing changes top to bottom


def test_canvas_background_image_covers_the_page_under_its_layers() -> None:
    image = _png({"canvasBackgroundImage": _red_png()})
    assert image.getpixel((5, 290)) == (255, 0, 0, 255)
    # the layers stay above it: the title's dark glyphs are still drawn over the red
    assert min(image.getpixel((x, y))[1] for x in range(10, 60) for y in range(10, 40)) < 60


def test_an_empty_picture_url_draws_no_picture() -> None:
    with_picture = apply_modifications(_doc(), {"photo": _red_png()})[0]
    cleared, warnings = apply_modifications(with_picture, {"photo": ""})
    assert cleared.pages[0].layers[1].url is None and cleared.pages[0].layers[1].data is None and warnings == []
    assert apply_modifications(_doc(), {"canvasBackgroundImage": ""})[0] == _doc()


@pytest.mark.parametrize(
    "value", ["rgb(300, 0, 0)", "linear-gradient(#fff)", "linear-gradient(sideways, #fff, #000)", "bluish", 7]
)
def test_a_bad_canvas_colour_is_refused_with_its_field(value: Any) -> None:
    with pytest.raises(ModificationError) as refused:
        apply_modifications(_doc(), {"canvasBackgroundColor": value})
    assert refused.value.field_path == "modifications.canvasBackgroundColor"


def test_a_layer_named_like_a_canvas_key_is_modified_as_a_layer() -> None:
    page = {"width": 100, "height": 100, "layers": [TITLE | {"name": "canvasBackgroundColor"}]}
    doc = TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page]})
    modified, _ = apply_modifications(doc, {"canvasBackgroundColor": "A text"})
    assert modified.pages[0].layers[0].text == "A text" and modified.pages[0].background == "#ffffffff"


def test_a_picture_that_is_no_url_is_left_out_with_a_warning() -> None:
    # Orshot's documentation sends "imageUrl": "Custom Image URL"; a picture that cannot be used is a warning
    doc, warnings = apply_modifications(_doc(), {"photo": "Custom Image URL"})
    assert doc.pages[0].layers[1].url is None
    assert warnings == [
        "Layer 'photo': 'Custom Image URL' is not an https:// URL or a data:image URI; drawn without it"
    ]
    # the object form is our own API, and stays strict
    with pytest.raises(ModificationError):
        apply_modifications(_doc(), {"photo": {"url": "Custom Image URL"}})
    with pytest.raises(ModificationError):
        apply_modifications(_doc(), {"photo": "http://example.com/plain-http.png"})
