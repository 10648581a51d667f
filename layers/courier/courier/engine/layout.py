"""Text layout: wrap into the box, shrink to fit, cut with an ellipsis; the same lines go to SVG and to PDF."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from courier.engine.bidi import visual_runs
from courier.engine.document import TextLayer
from courier.engine.fonts import advance, face, face_spans, is_bold, is_rtl, measure

ELLIPSIS = "…"
SHRINK_STEP = 0.92
MIN_FONT_SIZE = 8.0


@dataclass(frozen=True)
class Run:
    """A piece of a line in one face and one direction, placed where the bidi algorithm puts it (UAX #9, L2)."""

    text: str  # logical order, without the whitespace at its ends (that whitespace only moves the next run)
    x: float  # left edge of the run's advance, in page pixels
    width: float
    rtl: bool  # drawn right to left: Arabic letters, and the neutrals between them
    family: str
    bold: bool


@dataclass(frozen=True)
class Line:
    text: str  # logical order
    x: float  # left edge of the line's ink advance, in page pixels
    baseline: float
    width: float
    rtl: bool  # paragraph direction
    runs: tuple[Run, ...] = ()  # left to right as seen; what the SVG draws (the PDF writer shapes `text` itself)
    cut: bool = False  # only its start is revealed: drawn from `x`, whatever the layer's alignment


@dataclass(frozen=True)
class TextBlock:
    lines: list[Line]
    font_size: float
    bold: bool
    truncated: bool


RLM = "\u200f"


def visual_text(line: Line) -> str:
    """The line as handed to a renderer: an RTL paragraph's lines start with a right-to-left mark, so resvg and fpdf2
    (which take the base direction from the first strong character) order a line such as "Render 2027 يعمل" right."""
    return RLM + line.text if line.rtl else line.text


def clean_text(text: str) -> str:
    """NFC, newlines kept, every other control or format character dropped (they break rendering and layout)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    # Keep ZWJ/ZWNJ and the bidi marks: Arabic and mixed-direction text need them.
    keep = {"\n", "\u200c", "\u200d", "\u200e", "\u200f"}
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))


def layout_text(layer: TextLayer, text: str | None = None) -> TextBlock:
    text = clean_text(layer.text if text is None else text)
    bold = is_bold(layer.font_weight)
    paragraphs = [p.split() for p in text.split("\n")]
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    if not paragraphs:
        return TextBlock([], layer.font_size, bold, False)
    min_size = layer.min_font_size or max(MIN_FONT_SIZE, layer.font_size / 2)
    min_size = min(min_size, layer.font_size)
    size = layer.font_size
    while True:
        lines = _wrap(paragraphs, layer.font_family, bold, size, layer.width)
        allowed = _allowed_lines(layer, size)
        if len(lines) <= allowed or size <= min_size:
            break
        size = max(min_size, size * SHRINK_STEP)
    allowed = _allowed_lines(layer, size)
    truncated = len(lines) > allowed
    if truncated:
        lines = lines[:allowed]
        last, rtl = lines[-1]
        lines[-1] = (_ellipsize(last, layer.font_family, bold, size, layer.width), rtl)
    return TextBlock(_place(layer, lines, size, bold), size, bold, truncated)


def reveal_block(block: TextBlock, share: float) -> TextBlock:
    """The block with only the first `share` of its characters (in reading order, line by line): what a text's
    `reveal` draws. The lines stay where the whole text put them."""
    if share >= 1:
        return block
    left = round(sum(len(run.text) for line in block.lines for run in line.runs) * share)
    lines: list[Line] = []
    for line in block.lines:
        count = sum(len(run.text) for run in line.runs)
        if left <= 0:
            break
        if left >= count:
            lines.append(line)
            left -= count
            continue
        runs, kept = [], left
        for run in line.runs:
            if kept <= 0:
                break
            if kept >= len(run.text):
                runs.append(run)
                kept -= len(run.text)
                continue
            text = run.text[:kept]
            width = advance(text, run.family, run.bold, run.rtl) * block.font_size
            x = run.x + run.width - width if run.rtl else run.x
            runs.append(Run(text, x, width, run.rtl, run.family, run.bold))
            kept = 0
        logical = line.text.lstrip()[: max(1, round(len(line.text.strip()) * left / max(count, 1)))]
        lines.append(Line(logical, line.x, line.baseline, line.width, line.rtl, tuple(runs), cut=True))
        left = 0
    return TextBlock(lines, block.font_size, block.bold, block.truncated)


def _allowed_lines(layer: TextLayer, size: float) -> int:
    by_height = max(1, math.floor(layer.height / (size * layer.line_height) + 1e-6))
    return min(by_height, layer.max_lines) if layer.max_lines else by_height


def _wrap(paragraphs: list[list[str]], family: str, bold: bool, size: float, width: float) -> list[tuple[str, bool]]:
    """Greedy line breaking at spaces; each line keeps its paragraph's direction."""
    limit = width / size  # in em
    space = measure(" ", family, bold)
    lines: list[tuple[str, bool]] = []
    for words in paragraphs:
        rtl = is_rtl(" ".join(words))
        current: list[str] = []
        current_width = 0.0
        for word in words:
            word_width = measure(word, family, bold)
            if word_width > limit:
                # A word wider than the box (a URL, a long name) is broken between characters.
                if current:
                    lines.append((" ".join(current), rtl))
                pieces = _break_word(word, family, bold, limit)
                lines.extend((piece, rtl) for piece in pieces[:-1])
                current, current_width = [pieces[-1]], measure(pieces[-1], family, bold)
                continue
            candidate = current_width + space + word_width if current else word_width
            if current and candidate > limit:
                lines.append((" ".join(current), rtl))
                current, current_width = [word], word_width
            else:
                current.append(word)
                current_width = candidate
        lines.append((" ".join(current), rtl))
    return lines


def _break_word(word: str, family: str, bold: bool, limit: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and measure(current + char, family, bold) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def _ellipsize(line: str, family: str, bold: bool, size: float, width: float) -> str:
    limit = width / size
    candidate = line.rstrip()
    while candidate and measure(candidate + ELLIPSIS, family, bold) > limit:
        candidate = candidate[:-1].rstrip()
    return candidate + ELLIPSIS


def _place(layer: TextLayer, texts: list[tuple[str, bool]], size: float, bold: bool) -> list[Line]:
    primary = face(layer.font_family, bold)
    line_height = size * layer.line_height
    block = line_height * len(texts)
    free = layer.height - block
    top = layer.y + {"top": 0.0, "middle": free / 2, "bottom": free}[layer.vertical_align]
    # CSS half-leading: the glyph box (ascender + descender) sits in the middle of each line.
    ascent = primary.ascender * size
    half_leading = (line_height - (primary.ascender + primary.descender) * size) / 2
    lines = []
    for index, (text, rtl) in enumerate(texts):
        pieces, width = _line_runs(text, rtl, layer.font_family, bold, size)
        offset = {"left": 0.0, "center": (layer.width - width) / 2, "right": layer.width - width}[layer.align]
        left = layer.x + offset
        baseline = top + index * line_height + half_leading + ascent
        runs = tuple(Run(p.text, left + p.x, p.width, p.rtl, p.family, p.bold) for p in pieces)
        lines.append(Line(text, left, baseline, width, rtl, runs))
    return lines


def _line_runs(text: str, rtl: bool, family: str, bold: bool, size: float) -> tuple[list[Run], float]:
    """The line cut at every change of level or face, in visual order, x from the line's left edge; and its width.

    resvg shapes each run on its own, so a run never needs its font fallback (which draws a ligature such as lam-alef
    as missing glyphs, and takes Regular for a Bold layer) and never reorders across runs (its paragraph level is
    always left-to-right, whatever `direction` says).
    """
    spans = face_spans(text, family, bold)
    pieces: list[tuple[str, bool, str, bool]] = []
    for run in visual_runs(text, rtl):
        parts = [
            (text[max(run.start, start) : min(run.end, end)], run.rtl, span_face.family, span_face.bold)
            for start, end, span_face in spans
            if start < run.end and end > run.start
        ]
        pieces.extend(reversed(parts) if run.rtl else parts)
    runs: list[Run] = []
    x = 0.0
    for piece, piece_rtl, piece_family, piece_bold in pieces:
        ink = piece.strip()
        if ink:
            # Whitespace at a run's logical start is on its right when the run goes right to left.
            lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
            before = trail if piece_rtl else lead
            shift = advance(before, piece_family, piece_bold, piece_rtl) * size if before else 0.0
            width = advance(ink, piece_family, piece_bold, piece_rtl) * size
            runs.append(Run(ink, x + shift, width, piece_rtl, piece_family, piece_bold))
        x += advance(piece, piece_family, piece_bold, piece_rtl) * size
    return runs, x
