"""Mixed-direction text: the bidi algorithm against fpdf2's, and the order resvg really draws, read back from pixels."""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from typing import Any

import pytest
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageFilter, ImageStat

from courier.engine import TemplateDocument, render_document
from courier.engine.bidi import embedding_levels, reorder
from courier.engine.document import TextLayer
from courier.engine.layout import layout_text
from courier.engine.scene import build_scene
from courier.engine.svg import build_svg

ARABIC = "مرحبا"
# Pieces that exercise every rule that can apply to cleaned text: letters of both directions, European and Arabic
# digits with their separators and terminators, brackets, marks, joiners, marks of direction, spaces.
ALPHABET = [*"abc XY 12 .,-+$%#/:!?()[]{}«»", *"مرحبا لا", *"١٢٣۱", "\u064e", "\u0301", "\u00a0", "\u05d0", "\u2212",
            "°", "\u060c", "…", "\u200c", "\u200d", "\u200e", "\u200f"]  # fmt: skip


def _fpdf2_order(text: str, rtl: bool) -> str:
    return BidiParagraph(text, TextDirection.RTL if rtl else TextDirection.LTR).get_reordered_string()


def _without_bn(text: str) -> str:
    # fpdf2 drops boundary-neutral characters (ZWJ, ZWNJ) from its reordered string; we keep them in their run.
    return "".join(c for c in text if unicodedata.bidirectional(c) != "BN")


# ---------------------------------------------------------------- the algorithm


@pytest.mark.parametrize(
    ("text", "rtl", "visual"),
    [
        ("مرحبا Render Courier ١٢٣", True, "١٢٣ Render Courier ابحرم"),
        ("Hello مرحبا world", False, "Hello ابحرم world"),
        ("يعمل Render 2027", True, "Render 2027 لمعي"),  # W7: 2027 follows an L, so it is L
        ("مرحبا!", True, "!ابحرم"),
        ("مرحبا!", False, "ابحرم!"),
        ("(مرحبا) Render", True, "Render )ابحرم("),  # the shaper mirrors the brackets of a right-to-left run
        ("Version 2.0 (نسخة ٢) ready", False, "Version 2.0 (٢ ةخسن) ready"),
        ("السعر 25.50$ فقط", True, "طقف $25.50 رعسلا"),  # W2: after Arabic letters 25.50 is AN, so $ is neutral
    ],
)
def test_known_lines_reorder_as_unicode_says(text: str, rtl: bool, visual: str) -> None:
    assert reorder(text, rtl) == visual
    assert _fpdf2_order(text, rtl) == visual


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=16).map("".join), st.booleans())
def test_the_visual_order_is_fpdf2s(text: str, rtl: bool) -> None:
    # fpdf2 implements UAX #9 revision 48 and lays out our PDFs: raster and PDF must put characters in one order.
    assert _without_bn(reorder(text, rtl)) == _fpdf2_order(text, rtl)


def test_joiners_stay_with_their_letters_and_trailing_spaces_take_the_paragraph_level() -> None:
    levels = embedding_levels("Hi مر\u200dحبا ", False)
    assert levels[5] == levels[4] == levels[6] == 1  # ZWJ inside an Arabic word keeps the word's level
    assert levels[-1] == 0  # L1


# ---------------------------------------------------------------- what resvg draws

BOX = {"x": 20, "y": 20, "width": 760, "height": 80, "fontSize": 40}


def _render(text: str, **style: Any) -> Image.Image:
    layer = {"type": "text", "name": "t", "text": text} | BOX | style
    doc = TemplateDocument.model_validate(
        {"id": "t", "name": "t", "pages": [{"width": 800, "height": 120, "background": "#ffffff", "layers": [layer]}]}
    )
    image = Image.open(io.BytesIO(render_document(doc, {}, "png").pages[0].body))
    return image.convert("L")


def _ink(image: Image.Image) -> tuple[int, int, int, int]:
    box = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box


def _difference_at(line: Image.Image, word: Image.Image, side: str) -> float:
    """Mean difference between the word's ink and the same-sized part of the line at its left or right end.

    Both are blurred and the best of a few one-pixel shifts is taken: the word alone starts on a whole pixel, in the
    line it may not, and anti-aliasing differs by a fraction of a pixel; other glyphs still differ by far more.
    """
    x0, y0, x1, y1 = _ink(word)
    lx0, _, lx1, _ = _ink(line)
    at = lx0 if side == "left" else lx1 - (x1 - x0)
    soft_line, soft_word = line.filter(BLUR), word.filter(BLUR)
    glyphs = soft_word.crop((x0, y0, x1, y1))
    return min(
        ImageStat.Stat(ImageChops.difference(soft_line.crop((at + dx, y0, at + dx + x1 - x0, y1)), glyphs)).mean[0]
        for dx in (-2, -1, 0, 1, 2)
    )


BLUR = ImageFilter.GaussianBlur(1.5)
SAME = 18  # the same glyphs, a fraction of a pixel apart (measured: 0–10)
OTHER = 35  # other glyphs (measured: 44 and more)


@pytest.mark.parametrize(
    ("text", "style", "left", "right"),
    [
        # Right-to-left paragraphs: the first word read is at the right, the last at the left.
        ("مرحبا Render Courier ١٢٣", {"fontFamily": "Noto Sans Arabic", "align": "right"}, "١٢٣", ARABIC),
        ("مرحبا Render Courier ١٢٣", {"fontFamily": "Inter", "align": "left"}, "١٢٣", ARABIC),
        ("يعمل Render 2027", {"fontFamily": "Noto Sans Arabic", "align": "right"}, "Render 2027", "يعمل"),
        ("مرحبا بالعالم!", {"fontFamily": "Noto Sans Arabic", "align": "right"}, "!", ARABIC),
        # A left-to-right paragraph with an Arabic word inside
        ("Hello مرحبا world", {"fontFamily": "Inter", "align": "left"}, "Hello", "world"),
        ("Render مرحبا", {"fontFamily": "Inter", "align": "center"}, "Render", ARABIC),
    ],
)
def test_mixed_lines_are_drawn_in_visual_order(text: str, style: dict[str, Any], left: str, right: str) -> None:
    # Given a mixed line, and the words expected at its two ends, each rendered alone with the same style
    line = _render(text, **style)
    alone = {word: _render(word, **style) for word in (left, right)}
    # Then each end of the line shows that word, and not the other one
    assert _difference_at(line, alone[left], "left") < SAME
    assert _difference_at(line, alone[right], "right") < SAME
    assert _difference_at(line, alone[right], "left") > OTHER
    assert _difference_at(line, alone[left], "right") > OTHER


def test_right_aligned_rtl_line_ends_at_the_box_edge() -> None:
    line = _render("مرحبا Render Courier ١٢٣", fontFamily="Noto Sans Arabic", align="right")
    _, _, right, _ = _ink(line)
    assert BOX["x"] + BOX["width"] - 4 <= right <= BOX["x"] + BOX["width"] + 1


def test_arabic_in_a_bold_latin_layer_is_shaped_in_bold() -> None:
    # Given "Hello لا" in bold Inter: the lam-alef ligature comes from Noto Sans Arabic Bold (resvg's own fallback drew
    # it as two missing-glyph boxes, and takes the first face that has a character: a Regular one)
    line = _render("Hello لا", fontFamily="Inter", fontWeight=700, align="left")
    bold = _render("لا", fontFamily="Inter", fontWeight=700)
    regular = _render("لا", fontFamily="Inter", fontWeight=400)
    assert _difference_at(line, bold, "right") < SAME
    assert _difference_at(line, regular, "right") > OTHER


def test_rtl_runs_are_embedded_for_resvg_and_drawn_one_text_each() -> None:
    style = {"type": "text", "name": "t", "text": "مرحبا! Render", "fontFamily": "Noto Sans Arabic"}
    layer = TextLayer.model_validate(style | BOX)
    [line] = layout_text(layer).lines
    assert [(r.text, r.rtl) for r in line.runs] == [("Render", False), ("مرحبا!", True)]  # "!" ends the RTL run
    assert line.runs[0].x < line.runs[1].x and abs(sum(r.width for r in line.runs) - line.width) < 20
    doc = TemplateDocument.model_validate(
        {"id": "t", "name": "t", "pages": [{"width": 800, "height": 120, "layers": [layer.model_dump(by_alias=True)]}]}
    )
    svg = build_svg(build_scene(1, doc.pages[0], None, {}, []))
    assert "\u202bمرحبا!\u202c</text>" in svg and svg.count("<text ") == 2


def test_joiners_and_marks_of_direction_never_split_a_run() -> None:
    # Inter has no ZWJ and no RLM: taken on their own they would fall to another face and cut the word in two
    layer = TextLayer.model_validate({"type": "text", "name": "t", "text": "\u200fمر\u200dحبا Render"} | BOX)
    [line] = layout_text(layer).lines
    assert [(r.text, r.family) for r in line.runs] == [("Render", "Inter"), ("\u200fمر\u200dحبا", "Noto Sans Arabic")]


# ---------------------------------------------------------------- PDF


def test_every_pdf_text_line_has_a_font() -> None:
    # fpdf2 2.8 sets the font of a line that starts in a fallback face inside that line's q…Q and then believes it is
    # still set: the next line was drawn with no font ("No font in show") or with the wrong one.
    layers = [
        {"type": "text", "name": f"t{i}", "text": text, "x": 10, "y": 10 + 50 * i, "width": 580, "height": 50,
         "fontFamily": "Noto Sans Arabic", "fontSize": 30, "align": "right"}
        for i, text in enumerate(["Render 2027 يعمل", "مرحبا بالعالم!", "(مرحبا) Render"])
    ]  # fmt: skip
    doc = TemplateDocument.model_validate(
        {"id": "t", "name": "t", "pages": [{"width": 600, "height": 200, "layers": layers}]}
    )
    body = render_document(doc, {}, "pdf").pages[0].body
    shown = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            content = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        # Replay the graphics state: q saves it, Q restores it, Tf sets the font, Tj/TJ need one.
        operators = re.sub(r"\((?:\\.|[^\\)])*\)", "()", content)  # drop the glyph strings
        if not re.search(r"\bBT\b.*\bET\b", operators, re.S):
            continue  # a font or an image, not page content
        font: list[str | None] = [None]
        for token in re.findall(r"/F\d+ [\d.]+ Tf|\bq\b|\bQ\b|\bT[jJ]\b", operators):
            if token == "q":
                font.append(font[-1])
            elif token == "Q":
                font.pop()
            elif token.endswith("Tf"):
                font[-1] = token
            else:
                assert font[-1] is not None, "text shown with no font set"
                shown += 1
    assert shown >= 3
