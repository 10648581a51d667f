"""How a PDF is written (kept apart from courier.engine.pdf, which imports fpdf2: ≈0.3 s, paid by PDF renders only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfSettings:
    """How a PDF is written: a margin around each page (page pixels; the page grows by it), the resolution its
    pictures are fitted at (dots per inch of the page; None: 96, one pixel per page pixel), and the colour model of
    every colour (RGB, or DeviceCMYK by a naive conversion without an ICC profile; pictures stay RGB)."""

    margin: float = 0.0
    dpi: int | None = None
    cmyk: bool = False


MM_PER_INCH = 25.4
PX_PER_INCH = 96.0
UNITS = {
    "px": 1.0,
    "pt": PX_PER_INCH / 72,
    "in": PX_PER_INCH,
    "cm": PX_PER_INCH / MM_PER_INCH * 10,
    "mm": PX_PER_INCH / MM_PER_INCH,
}


def length_px(length: str) -> float:
    """A CSS-like length (`10mm`, `0.5in`, `12pt`, `1cm`, `20px`) in page pixels (96 per inch)."""
    unit = length[-2:]
    return float(length[:-2]) * UNITS[unit]
