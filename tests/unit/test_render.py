"""The renderer: every format decoded, golden images, modifications, fonts and scripts, hostile input."""

from __future__ import annotations

import base64
import io
import os
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageStat
from pydantic import ValidationError

from courier.engine import (
    BUILTIN_TEMPLATES,
    ModificationError,
    RenderError,
    TemplateDocument,
    TemplateNotFoundError,
    UnsupportedFormatError,
    extension,
    is_supported,
    render_document,
    render_template,
    supported_format,
)
from courier.engine.fonts import measure
from courier.engine.layout import clean_text, layout_text, visual_text
from courier.engine.modifications import apply_modifications
from courier.engine.raster import rasterize
from courier.engine.scene import build_scene
from courier.engine.svg import UnsafeSvgError, build_svg, check_references

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
RASTER = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF", "gif": "GIF"}
CARD_TOP_LEFT = (0x1E, 0x3A, 0x8A)  # the social card's gradient starts at its top-left corner


def _image(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def _ink(image: Image.Image) -> int:
    """The darkest value of a greyscale image."""
    low, _ = image.getextrema()
    assert isinstance(low, int)
    return low


def _close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual[:3], expected[:3], strict=True))


def _pdf_pages(body: bytes) -> tuple[int, tuple[float, float]]:
    """Page count and first MediaBox, read from the PDF's (uncompressed) object dictionaries."""
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    count = re.search(rb"/Count (\d+)", body)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", body)
    assert count and box
    return int(count.group(1)), (float(box.group(1)), float(box.group(2)))


def _pdf_streams(body: bytes) -> bytes:
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(out)


def _doc(layers: list[dict[str, Any]], width: int = 400, height: int = 200, **extra: Any) -> TemplateDocument:
    page = {"width": width, "height": height, "background": "#ffffff", "layers": layers}
    return TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page]} | extra)


def _png(color: tuple[int, int, int], size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", ["png", "jpg", "jpeg", "webp", "avif", "gif"])
def test_social_card_decodes_in_every_raster_format(fmt: str) -> None:
    # When the social card is rendered
    result = render_template("social-card", {"headline": "Hello"}, fmt)
    # Then it is one file of the real format, size and content type, with the gradient's colour in the corner
    [page] = result.pages
    image = _image(page.body)
    assert image.format == RASTER[fmt]
    assert image.size == (1200, 630) == (page.width, page.height)
    assert page.content_type == Image.MIME[RASTER[fmt]]
    assert page.ext == extension(fmt)
    assert _close(image.convert("RGB").getpixel((1, 1)), CARD_TOP_LEFT, 12)  # type: ignore[arg-type]


def test_social_card_as_pdf_is_one_a_page_with_embedded_fonts() -> None:
    [page] = render_template("social-card", {"headline": "Hello"}, "pdf").pages
    assert page.content_type == "application/pdf" and page.ext == ".pdf" and page.page_count == 1
    assert _pdf_pages(page.body) == (1, (900.0, 472.5))  # 1200×630 px at 0.75 pt/px
    assert b"/FontFile2" in page.body
    # The page background is drawn in its colour (#1e3a8a) as a fill operator
    assert b"0.1176 0.2275 0.5412 rg" in _pdf_streams(page.body)


def test_certificate_pdf_is_a4_landscape() -> None:
    [page] = render_template("certificate", {"recipient": "Zoë Ångström"}, "pdf").pages
    count, (w, h) = _pdf_pages(page.body)
    assert count == 1 and abs(w - 841.89) < 1 and abs(h - 595.28) < 1


def test_carousel_renders_one_file_per_page() -> None:
    result = render_template("carousel", {}, "png")
    assert [p.page for p in result.pages] == [1, 2, 3]
    corners = []
    for page in result.pages:
        image = _image(page.body).convert("RGB")
        assert image.size == (1080, 1080)
        corners.append(image.getpixel((5, 1075)))
    assert corners == [(0x0F, 0x17, 0x2A), (0x1E, 0x29, 0x3B), (0x31, 0x2E, 0x81)]


def test_carousel_pdf_is_single_by_default_and_per_page_on_request() -> None:
    # Given the carousel, once as it is and once asking for one PDF per page
    carousel = BUILTIN_TEMPLATES["carousel"]
    per_page = TemplateDocument.model_validate(carousel.model_dump(by_alias=True) | {"output": {"pdf": "per-page"}})
    # Then single is one file of three pages, per-page is three files of one
    [single] = render_document(carousel, {}, "pdf").pages
    assert single.page == 1 and single.page_count == 3 and _pdf_pages(single.body)[0] == 3
    pages = render_document(per_page, {}, "pdf").pages
    assert [p.page for p in pages] == [1, 2, 3] and all(_pdf_pages(p.body)[0] == 1 for p in pages)


def test_formats_and_extensions() -> None:
    assert extension("jpeg") == ".jpg" and extension("avif") == ".avif" and extension("tiff") == ".tiff"
    assert all(is_supported(f) for f in ("png", "jpg", "jpeg", "webp", "avif", "gif", "pdf"))
    assert not is_supported("tiff")
    # What the HTTP routes accept today, until the owner enables the rest
    assert supported_format("png") and supported_format("jpeg") and not supported_format("webp")
    with pytest.raises(UnsupportedFormatError):
        render_template("social-card", {}, "tiff")
    with pytest.raises(TemplateNotFoundError):
        render_template("nope", {}, "png")


# ---------------------------------------------------------------- golden images


def _compare_golden(name: str, body: bytes) -> bool:
    """False when the golden image was (re)written instead of compared."""
    # Compared at half size: anti-aliasing noise averages out, a moved or missing layer does not.
    image = _image(body).convert("RGB")
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.BOX)
    path = GOLDEN / f"{name}.png"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        small.save(path, optimize=True)
        return False
    expected = Image.open(path).convert("RGB")
    assert expected.size == small.size
    diff = ImageChops.difference(small, expected).convert("L")
    mean = ImageStat.Stat(diff).mean[0]
    changed = sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:]) / (small.width * small.height)
    assert mean < 1.5 and changed < 0.005, f"{name}: mean difference {mean:.2f}, {changed:.2%} of pixels changed"
    return True


@pytest.mark.parametrize("template_id", ["social-card", "carousel", "certificate"])
def test_starter_templates_match_their_golden_images(template_id: str) -> None:
    compared = []
    for page in render_template(template_id, {}, "png").pages:
        suffix = f"-{page.page}" if template_id == "carousel" else ""
        compared.append(_compare_golden(f"{template_id}{suffix}", page.body))
    if not all(compared):
        pytest.skip("golden images written (UPDATE_GOLDEN=1 or missing): check them, then run again")


# ---------------------------------------------------------------- modifications


def _count(image: Image.Image, color: tuple[int, int, int], tolerance: int = 30) -> int:
    pixels: list[tuple[int, int, int]] = list(image.convert("RGB").get_flattened_data())  # type: ignore[arg-type]
    return sum(1 for p in pixels if _close(p, color, tolerance))


def test_modifications_change_text_colour_and_visibility() -> None:
    doc = _doc(
        [
            {"type": "text", "name": "title", "text": "Hello", "width": 380, "height": 180, "x": 10, "y": 10,
             "fontSize": 80, "fontWeight": 700},
            {"type": "rect", "name": "box", "x": 300, "y": 150, "width": 50, "height": 30, "fill": "#00ff00"},
        ]
    )  # fmt: skip
    plain = _image(render_document(doc, {}, "png").pages[0].body)
    red = _image(render_document(doc, {"title": {"color": "#ff0000"}, "box": {"visible": False}}, "png").pages[0].body)
    assert _count(plain, (255, 0, 0)) == 0 and _count(red, (255, 0, 0)) > 1000
    assert _count(plain, (0, 255, 0)) == 50 * 30 and _count(red, (0, 255, 0)) == 0


def test_string_modification_sets_text_and_unknown_layers_are_warnings() -> None:
    result = render_template("social-card", {"headline": "Hi there", "nope": "x"}, "png")
    assert result.template.pages[0].layers[3].text == "Hi there"  # type: ignore[union-attr]
    assert result.warnings == ["Layer 'nope' does not exist in template 'social-card'; modification ignored"]


@pytest.mark.parametrize(
    ("modifications", "field"),
    [
        ({"headline": 42}, "modifications.headline"),
        ({"headline": None}, "modifications.headline"),
        ({"headline": {"color": "bogus"}}, "modifications.headline.color"),
        ({"headline": {"color": "#ff0000; fill: url(file:///etc/passwd)"}}, "modifications.headline.color"),
        ({"headline": {"text": ["a"]}}, "modifications.headline.text"),
        ({"headline": {"fontSize": "big"}}, "modifications.headline.fontSize"),
        ({"headline": {"href": "file:///etc/passwd"}}, "modifications.headline.href"),
        ({"headline": "x" * 2001}, "modifications.headline"),
        ({"logo": "http://example.com/a.png"}, "modifications.logo"),
        ({"logo": {"url": "file:///etc/passwd"}}, "modifications.logo.url"),
        ({"background": {"fill": "red; x"}}, "modifications.background.fill"),
    ],
)
def test_wrong_modifications_name_the_field(modifications: dict[str, Any], field: str) -> None:
    with pytest.raises(ModificationError) as caught:
        render_template("social-card", modifications, "png")
    assert caught.value.field_path == field


# ---------------------------------------------------------------- text, fonts, scripts


def test_long_text_shrinks_to_fit_then_is_cut_with_an_ellipsis() -> None:
    layer = BUILTIN_TEMPLATES["social-card"].pages[0].layers[3]
    assert layer.name == "headline"
    short = layout_text(layer, "Short")  # type: ignore[arg-type]
    longer = layout_text(layer, "A much longer headline that needs several lines to fit in the box " * 2)  # type: ignore[arg-type]
    endless = layout_text(layer, "word " * 400)  # type: ignore[arg-type]
    assert short.font_size == 76 and not short.truncated
    assert longer.font_size < 76 and len(longer.lines) <= 3 and not longer.truncated
    assert endless.truncated and len(endless.lines) == 3 and endless.lines[-1].text.endswith("…")
    assert all(line.width <= 1040 + 1 for line in endless.lines)


def test_a_word_wider_than_the_box_is_broken() -> None:
    doc = _doc([{"type": "text", "name": "t", "text": "x" * 300, "width": 200, "height": 200, "fontSize": 20}])
    block = layout_text(doc.pages[0].layers[0])  # type: ignore[arg-type]
    assert len(block.lines) > 1 and all(line.width <= 201 for line in block.lines)


def test_kerning_and_ligatures_are_applied_when_measuring() -> None:
    assert measure("AV", "Inter", False) < measure("A", "Inter", False) + measure("V", "Inter", False)
    # lam + alef shape into one ligature, narrower than the two isolated letters
    assert measure("لا", "Noto Sans Arabic", False) < measure("ل", "Noto Sans Arabic", False) + measure(
        "ا", "Noto Sans Arabic", False
    )


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_arabic_and_accented_latin_render(fmt: str) -> None:
    doc = _doc(
        [
            {"type": "text", "name": "ar", "text": "مرحبا بالعالم", "x": 10, "y": 10, "width": 380, "height": 80,
             "fontSize": 40, "fontFamily": "Noto Sans Arabic", "align": "right", "color": "#000000"},
            {"type": "text", "name": "latin", "text": "Crème brûlée, Ærøskøbing, Łódź", "x": 10, "y": 110,
             "width": 380, "height": 80, "fontSize": 28, "color": "#000000"},
        ]
    )  # fmt: skip
    [page] = render_document(doc, {}, fmt).pages
    if fmt == "pdf":
        streams = _pdf_streams(page.body)
        assert b"/FontFile2" in page.body and b"NotoSansArabic" in page.body and b"Inter" in page.body
        assert b"Tj" in streams or b"TJ" in streams
        return
    image = _image(page.body).convert("L")
    # Right-aligned Arabic: ink in the right half of the first box, none at its far left
    arabic = image.crop((10, 10, 390, 90))
    assert _ink(arabic.crop((190, 0, 380, 80))) < 100
    assert _ink(arabic.crop((0, 0, 100, 80))) == 255
    assert _ink(image.crop((10, 110, 390, 190))) < 100


def test_rtl_lines_are_marked_for_the_renderers() -> None:
    doc = _doc([{"type": "text", "name": "t", "text": "مرحبا Render", "width": 380, "height": 100}])
    [line] = layout_text(doc.pages[0].layers[0]).lines  # type: ignore[arg-type]
    assert line.rtl and visual_text(line).startswith("\u200f")


# ---------------------------------------------------------------- images


def test_fetched_image_is_reencoded_and_embedded() -> None:
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return _png((220, 20, 20))

    card = BUILTIN_TEMPLATES["social-card"]
    result = render_document(card, {"logo": "https://img.example/logo.png"}, "png", fetch_image=fetch)
    assert fetched == ["https://img.example/logo.png"] and result.warnings == []
    image = _image(result.pages[0].body).convert("RGB")
    assert _close(image.getpixel((1060, 540)), (220, 20, 20), 4)  # type: ignore[arg-type]


@pytest.mark.parametrize("fit", ["cover", "contain", "fill"])
def test_image_fits_and_rounded_corners(fit: str) -> None:
    doc = _doc(
        [{"type": "image", "name": "pic", "x": 0, "y": 0, "width": 400, "height": 200, "fit": fit, "cornerRadius": 40,
          "data": "data:image/png;base64," + base64.b64encode(_png((0, 0, 255), (100, 100))).decode()}]
    )  # fmt: skip
    image = _image(render_document(doc, {}, "png").pages[0].body).convert("RGB")
    assert image.getpixel((0, 0)) == (255, 255, 255)  # the rounded corner shows the page
    assert image.getpixel((200, 100)) == (0, 0, 255)
    # contain keeps the square: the sides of the box stay white
    assert (image.getpixel((20, 100)) == (255, 255, 255)) == (fit == "contain")


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, "PNG")  # 49 megapixels in a few kB
    return out.getvalue()


@pytest.mark.parametrize(
    ("fetch", "reason"),
    [
        (None, "not enabled"),
        (lambda url: (_ for _ in ()).throw(OSError("refused: private address")), "refused: private address"),
        (lambda url: b"<html>not an image</html>", "not a readable image"),
        (lambda url: _bomb(), "too many pixels"),
        (lambda url: b"\0" * (16 * 1024 * 1024), "larger than"),
    ],
)
def test_a_failed_image_is_a_warning_not_a_failed_render(fetch: Any, reason: str) -> None:
    result = render_document(BUILTIN_TEMPLATES["social-card"], {"logo": "https://x.example/a.png"}, "png",
                             fetch_image=fetch)  # fmt: skip
    assert len(result.pages) == 1 and _image(result.pages[0].body).size == (1200, 630)
    [warning] = result.warnings
    assert "logo" in warning and reason in warning


# ---------------------------------------------------------------- QR


def test_qr_code_is_drawn_with_its_finder_pattern() -> None:
    doc = _doc([{"type": "qr", "name": "qr", "x": 0, "y": 0, "width": 200, "height": 200, "data": "https://a.example"}])
    image = _image(render_document(doc, {"qr": "https://b.example/x"}, "png").pages[0].body).convert("L")
    # Module size = 200 / (modules + 4 quiet); the finder's top-left corner is dark, the quiet zone light
    assert image.getpixel((2, 2)) == 255
    modules = 25 + 4  # version 2 for this data
    m = 200 / modules
    assert image.getpixel((int(2.5 * m), int(2.5 * m))) == 0


# ---------------------------------------------------------------- hostile input


def test_control_and_bidi_override_characters_are_stripped() -> None:
    assert clean_text("a\x00b\x1b[31mc\x07\u202ed\u2066e\r\nf\tg") == "ab[31mcde\nf g"
    result = render_template("social-card", {"headline": "bell\x07 nul\x00 esc\x1b"}, "png")
    assert _image(result.pages[0].body).size == (1200, 630)


def test_markup_in_text_never_becomes_svg() -> None:
    evil = '"/><image href="file:///etc/passwd"/><text>&xxe;]]><!ENTITY x SYSTEM "file:///etc/passwd">'
    doc, _ = apply_modifications(BUILTIN_TEMPLATES["social-card"], {"headline": evil})
    svg = build_svg(build_scene(1, doc.pages[0], None, {}, []))
    assert "file:///" in svg and 'href="file' not in svg and "<image" not in svg and "<!ENTITY" not in svg
    assert _image(render_template("social-card", {"headline": evil}, "png").pages[0].body).size == (1200, 630)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg><image href="file:///etc/passwd"/></svg>',
        "<svg><image xlink:href='https://evil.example/x.png'/></svg>",
        '<svg><rect fill="url(file:///x#a)"/></svg>',
        '<svg><image href="data:text/html;base64,AAAA"/></svg>',
    ],
)
def test_any_reference_but_data_images_and_local_ids_is_refused(svg: str) -> None:
    with pytest.raises(UnsafeSvgError):
        check_references(svg)


def test_resvg_panic_becomes_a_render_error() -> None:
    with pytest.raises(RenderError, match="could not be drawn"):
        rasterize("<svg")


@pytest.mark.parametrize(
    ("page", "loc"),
    [
        ({"width": 20000, "height": 20000}, ("pages", 0, "width")),
        ({"width": 8000, "height": 8000}, ("pages", 0)),
        ({"width": 0, "height": 100}, ("pages", 0, "width")),
        ({"width": 100, "height": 100, "background": "javascript:alert(1)"}, ("pages", 0, "background")),
        (
            {"width": 100, "height": 100, "layers": [{"type": "rect", "name": "r", "width": 1, "height": 1,
                                                      "fill": "#ggg"}]},
            ("pages", 0, "layers", 0, "rect", "fill"),
        ),
        (
            {"width": 100, "height": 100, "layers": [{"type": "text", "name": "bad name!", "width": 1, "height": 1}]},
            ("pages", 0, "layers", 0, "text", "name"),
        ),
        (
            {"width": 100, "height": 100, "layers": [{"type": "text", "name": "t", "width": 1, "height": 1,
                                                      "fontFamily": "Comic Sans"}]},
            ("pages", 0, "layers", 0, "text", "fontFamily"),
        ),
        ({"width": 100, "height": 100, "layers": [{"type": "svg", "name": "t"}]}, ("pages", 0, "layers", 0)),
    ],
)  # fmt: skip
def test_bad_documents_are_refused_with_the_field_path(page: dict[str, Any], loc: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page]})
    assert tuple(caught.value.errors()[0]["loc"]) == loc


def test_too_many_pages_layers_and_duplicate_names_are_refused() -> None:
    page = {"width": 10, "height": 10}
    with pytest.raises(ValidationError):
        TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page] * 21})
    layer = {"type": "rect", "name": "r", "width": 1, "height": 1}
    with pytest.raises(ValidationError, match="unique"):
        TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page | {"layers": [layer, layer]}]})
    many = [layer | {"name": f"r{i}"} for i in range(101)]
    with pytest.raises(ValidationError):
        TemplateDocument.model_validate({"id": "t", "name": "t", "pages": [page | {"layers": many}]})


def test_documents_round_trip_as_camel_case_json() -> None:
    for doc in BUILTIN_TEMPLATES.values():
        dumped = doc.model_dump(by_alias=True)
        assert TemplateDocument.model_validate(dumped) == doc
    assert "fontSize" in str(BUILTIN_TEMPLATES["social-card"].model_dump(by_alias=True))
