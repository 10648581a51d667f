"""Bundled fonts (OFL, see docs/FONTS.md) and text measurement with HarfBuzz, so wrapping matches what resvg draws."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import uharfbuzz as hb

FONT_DIR = Path(__file__).with_name("fonts")
# family → (regular file, bold file). Every family falls back to the next ones for characters it lacks.
FILES: dict[str, tuple[str, str]] = {
    "Inter": ("Inter-Regular.ttf", "Inter-Bold.ttf"),
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Noto Sans Arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
}
FALLBACK: tuple[str, ...] = ("Noto Sans", "Noto Sans Arabic")
BOLD_FROM = 600  # weights 600–900 use the bold file; 100–500 the regular one


def font_files() -> list[Path]:
    return [FONT_DIR / name for pair in FILES.values() for name in pair]


def family_chain(family: str) -> list[str]:
    return [family, *(f for f in FALLBACK if f != family)]


@dataclass(frozen=True)
class Face:
    family: str
    bold: bool
    path: Path
    font: hb.Font
    upem: int
    ascender: float  # em, positive
    descender: float  # em, positive (below the baseline)
    codepoints: frozenset[int]


@cache
def face(family: str, bold: bool) -> Face:
    path = FONT_DIR / FILES[family][1 if bold else 0]
    blob = hb.Blob(path.read_bytes())
    hb_face = hb.Face(blob)
    font = hb.Font(hb_face)
    upem = hb_face.upem
    extents = font.get_font_extents("ltr")
    return Face(
        family=family,
        bold=bold,
        path=path,
        font=font,
        upem=upem,
        ascender=extents.ascender / upem,
        descender=-extents.descender / upem,
        codepoints=frozenset(hb_face.unicodes),
    )


def is_bold(weight: int) -> bool:
    return weight >= BOLD_FROM


def face_spans(text: str, family: str, bold: bool) -> list[tuple[int, int, Face]]:
    """Split text into spans [start, end) of one face each: the first face in the chain that has the character.

    Spaces, marks and format characters (ZWJ, ZWNJ, LRM, RLM) take the face of the character before them (or, at the
    start, after them): a mark belongs to its letter, and a joiner split off into another face would break the word.
    """
    chain = [face(f, bold) for f in family_chain(family)]
    faces: list[Face | None] = [
        None
        if char.isspace() or unicodedata.category(char)[0] == "M" or unicodedata.category(char) == "Cf"
        else next((f for f in chain if ord(char) in f.codepoints), chain[0])
        for char in text
    ]
    leading = next((f for f in faces if f is not None), chain[0])
    spans: list[tuple[int, int, Face]] = []
    current, start = leading, 0
    for index, chosen in enumerate(faces):
        if chosen is not None and chosen is not current:
            if index > start:
                spans.append((start, index, current))
            current, start = chosen, index
    if text:
        spans.append((start, len(text), current))
    return spans


def _runs(text: str, family: str, bold: bool) -> list[tuple[Face, str]]:
    return [(span_face, text[start:end]) for start, end, span_face in face_spans(text, family, bold)]


@lru_cache(maxsize=8192)
def measure(text: str, family: str, bold: bool) -> float:
    """Advance width of one line of text in em (multiply by the font size for pixels); kerning and ligatures on."""
    width = 0.0
    for run_face, run in _runs(text, family, bold):
        buffer = hb.Buffer()
        buffer.add_str(run)
        buffer.guess_segment_properties()
        hb.shape(run_face.font, buffer, {"kern": True, "liga": True})
        width += sum(position.x_advance for position in buffer.glyph_positions) / run_face.upem
    return width


@lru_cache(maxsize=8192)
def advance(text: str, family: str, bold: bool, rtl: bool) -> float:
    """Advance width in em of text drawn in exactly this face (no fallback) and direction, as resvg draws one run."""
    run_face = face(family, bold)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(run_face.font, buffer, {"kern": True, "liga": True})
    total: int = sum(position.x_advance for position in buffer.glyph_positions)
    return total / run_face.upem


def is_rtl(text: str) -> bool:
    """Paragraph direction from its first strong character (Unicode bidi rules P2–P3)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
