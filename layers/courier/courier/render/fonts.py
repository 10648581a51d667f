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


def _runs(text: str, family: str, bold: bool) -> list[tuple[Face, str]]:
    """Split text into runs of one face each: the first face in the chain that has the character."""
    chain = [face(f, bold) for f in family_chain(family)]
    runs: list[tuple[Face, str]] = []
    current: Face | None = None
    start = 0
    for index, char in enumerate(text):
        code = ord(char)
        # Spaces and marks stay with the run they are in, as font fallback does in resvg.
        if current is not None and (char.isspace() or unicodedata.category(char).startswith("M")):
            continue
        chosen = next((f for f in chain if code in f.codepoints), chain[0])
        if chosen is not current:
            if current is not None:
                runs.append((current, text[start:index]))
            current, start = chosen, index
    if current is not None:
        runs.append((current, text[start:]))
    return runs


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


def is_rtl(text: str) -> bool:
    """Paragraph direction from its first strong character (Unicode bidi rules P2–P3)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
