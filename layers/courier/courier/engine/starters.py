"""Built-in starter templates, available in every workspace: social-card, carousel, certificate, promo-video."""

from __future__ import annotations

from typing import Any

from courier.engine.document import TemplateDocument
from courier.engine.errors import TemplateNotFoundError

__all__ = ["BUILTIN_TEMPLATES", "TemplateNotFoundError", "get_template"]


def _text(name: str, text: str, x: float, y: float, w: float, h: float, size: float, **extra: Any) -> dict[str, Any]:
    return {
        "type": "text",
        "name": name,
        "text": text,
        "x": x,
        "y": y,
        "width": w,
        "height": h,
        "fontSize": size,
    } | extra


SOCIAL_CARD: dict[str, Any] = {
    "id": "social-card",
    "name": "social-card",
    "pages": [
        {
            "width": 1200,
            "height": 630,
            "background": "#1e3a8a",
            "layers": [
                {
                    "type": "rect",
                    "name": "background",
                    "width": 1200,
                    "height": 630,
                    "gradient": {
                        "angle": 135,
                        "stops": [{"offset": 0, "color": "#1e3a8a"}, {"offset": 1, "color": "#7c3aed"}],
                    },
                },
                {
                    "type": "ellipse",
                    "name": "glow",
                    "x": 860,
                    "y": -180,
                    "width": 520,
                    "height": 520,
                    "fill": "#ffffff14",
                },
                {
                    "type": "rect",
                    "name": "accent",
                    "x": 80,
                    "y": 88,
                    "width": 96,
                    "height": 10,
                    "fill": "#f472b6",
                    "cornerRadius": 5,
                },
                _text(
                    "headline",
                    "Your headline here",
                    80,
                    130,
                    1040,
                    300,
                    76,
                    fontWeight=700,
                    color="#ffffff",
                    maxLines=3,
                ),
                _text(
                    "subtitle", "A subtitle that says a little more", 80, 450, 1040, 50, 34, color="#e0e7ff", maxLines=1
                ),
                _text("footer", "@yourbrand", 80, 540, 700, 40, 26, color="#c7d2fe", fontWeight=700),
                {"type": "image", "name": "logo", "x": 1000, "y": 500, "width": 120, "height": 80, "fit": "contain"},
            ],
        }
    ],
}


def _carousel_page(n: int, background: str, title: str, body: str) -> dict[str, Any]:
    layers: list[dict[str, Any]] = [
        {
            "type": "ellipse",
            "name": f"circle{n}",
            "x": 700,
            "y": -120,
            "width": 500,
            "height": 500,
            "fill": "#ffffff10",
        },
        {
            "type": "rect",
            "name": f"bar{n}",
            "x": 90,
            "y": 120,
            "width": 120,
            "height": 12,
            "fill": "#facc15",
            "cornerRadius": 6,
        },
        _text(f"title{n}", title, 90, 170, 900, 360, 88, fontWeight=700, color="#ffffff", maxLines=3),
        _text(f"body{n}", body, 90, 560, 900, 260, 40, color="#cbd5e1", lineHeight=1.4, maxLines=4),
        _text("handle", "@yourbrand", 90, 960, 600, 50, 30, color="#94a3b8", fontWeight=700),
        _text(f"pageNumber{n}", f"{n}/3", 790, 960, 200, 50, 30, color="#94a3b8", align="right"),
    ]
    if n == 3:
        layers.append(
            {"type": "qr", "name": "qr", "x": 810, "y": 700, "width": 180, "height": 180, "data": "https://example.com"}
        )
    return {"width": 1080, "height": 1080, "background": background, "layers": layers}


CAROUSEL: dict[str, Any] = {
    "id": "carousel",
    "name": "carousel",
    "pages": [
        _carousel_page(1, "#0f172a", "Three things to know", "Swipe through: one idea per slide, big type, few words."),
        _carousel_page(
            2, "#1e293b", "Keep it short", "Each slide has a title and a body; both shrink to fit their box."
        ),
        _carousel_page(
            3, "#312e81", "Scan to learn more", 'Change the QR code\'s data with a modification: {"qr": "…"}.'
        ),
    ],
}

CERTIFICATE: dict[str, Any] = {
    "id": "certificate",
    "name": "certificate",
    "output": {"pdf": "single"},
    "pages": [
        {
            # A4 landscape at 96 dpi: as a PDF, exactly 297 × 210 mm.
            "width": 1123,
            "height": 794,
            "background": "#fffdf7",
            "layers": [
                {
                    "type": "rect",
                    "name": "frame",
                    "x": 28,
                    "y": 28,
                    "width": 1067,
                    "height": 738,
                    "fill": None,
                    "border": {"width": 6, "color": "#b45309"},
                },
                {
                    "type": "rect",
                    "name": "innerFrame",
                    "x": 46,
                    "y": 46,
                    "width": 1031,
                    "height": 702,
                    "fill": None,
                    "border": {"width": 1.5, "color": "#d97706"},
                    "cornerRadius": 8,
                },
                _text(
                    "title",
                    "Certificate of Achievement",
                    100,
                    110,
                    923,
                    80,
                    54,
                    fontFamily="Noto Sans",
                    fontWeight=700,
                    color="#78350f",
                    align="center",
                    maxLines=1,
                ),
                _text(
                    "presented",
                    "This certificate is presented to",
                    100,
                    220,
                    923,
                    40,
                    24,
                    fontFamily="Noto Sans",
                    color="#57534e",
                    align="center",
                ),
                _text(
                    "recipient",
                    "Recipient Name",
                    100,
                    275,
                    923,
                    100,
                    64,
                    fontWeight=700,
                    color="#1e3a8a",
                    align="center",
                    maxLines=1,
                ),
                {"type": "rect", "name": "rule", "x": 361, "y": 392, "width": 400, "height": 2, "fill": "#d97706"},
                _text(
                    "description",
                    "for outstanding work and dedication.",
                    160,
                    420,
                    803,
                    110,
                    26,
                    fontFamily="Noto Sans",
                    color="#44403c",
                    align="center",
                    lineHeight=1.4,
                    maxLines=3,
                ),
                _text(
                    "date",
                    "1 January 2027",
                    130,
                    620,
                    330,
                    40,
                    22,
                    fontFamily="Noto Sans",
                    color="#44403c",
                    align="center",
                ),
                _text(
                    "signature",
                    "Signature",
                    663,
                    620,
                    330,
                    40,
                    22,
                    fontFamily="Noto Sans",
                    color="#44403c",
                    align="center",
                ),
                {
                    "type": "rect",
                    "name": "dateLine",
                    "x": 150,
                    "y": 612,
                    "width": 290,
                    "height": 1.5,
                    "fill": "#a8a29e",
                },
                {
                    "type": "rect",
                    "name": "signatureLine",
                    "x": 683,
                    "y": 612,
                    "width": 290,
                    "height": 1.5,
                    "fill": "#a8a29e",
                },
                {
                    "type": "ellipse",
                    "name": "seal",
                    "x": 511,
                    "y": 585,
                    "width": 100,
                    "height": 100,
                    "gradient": {
                        "angle": 135,
                        "stops": [{"offset": 0, "color": "#fbbf24"}, {"offset": 1, "color": "#b45309"}],
                    },
                    "border": {"width": 3, "color": "#92400e"},
                },
            ],
        }
    ],
}


def _ease(prop: str, *points: tuple[float, float], easing: str = "ease-out") -> dict[str, Any]:
    return {prop: [{"time": t, "value": v, "easing": easing} for t, v in points]}


# An animated starter: 1080×1080, 6 s at 30 fps. The headline slides up and fades in, the subtitle is typed out,
# the logo scales in with a quarter turn, the call to action fades in; from 3.6 s on the frame holds (drawn once).
PROMO_VIDEO: dict[str, Any] = {
    "id": "promo-video",
    "name": "promo-video",
    "pages": [
        {
            "width": 1080,
            "height": 1080,
            "duration": 6,
            "fps": 30,
            "background": "#0f172a",
            "layers": [
                {
                    "type": "rect",
                    "name": "background",
                    "width": 1080,
                    "height": 1080,
                    "gradient": {
                        "angle": 160,
                        "stops": [{"offset": 0, "color": "#0f172a"}, {"offset": 1, "color": "#312e81"}],
                    },
                },
                {
                    "type": "ellipse",
                    "name": "glow",
                    "x": 640,
                    "y": -160,
                    "width": 620,
                    "height": 620,
                    "fill": "#ffffff0f",
                },
                _text(
                    "headline",
                    "Launch day is here",
                    90,
                    330,
                    900,
                    220,
                    84,
                    fontWeight=700,
                    color="#ffffff",
                    keyframes=_ease("opacity", (0, 0), (1.2, 1)) | _ease("y", (0, 400), (1.2, 330)),
                ),
                _text(
                    "subtitle",
                    "Render every file, deliver it everywhere",
                    90,
                    560,
                    900,
                    120,
                    40,
                    color="#c7d2fe",
                    keyframes=_ease("reveal", (1.0, 0), (2.5, 1), easing="linear"),
                ),
                {
                    "type": "ellipse",
                    "name": "logoMark",
                    "x": 90,
                    "y": 120,
                    "width": 140,
                    "height": 140,
                    "fill": "#facc15",
                    "keyframes": _ease("scale", (1.5, 0), (2.5, 1)) | _ease("rotation", (1.5, -90), (2.5, 0)),
                },
                {
                    "type": "image",
                    "name": "logo",
                    "x": 90,
                    "y": 120,
                    "width": 140,
                    "height": 140,
                    "fit": "contain",
                    "keyframes": _ease("scale", (1.5, 0), (2.5, 1)) | _ease("rotation", (1.5, -90), (2.5, 0)),
                },
                _text(
                    "cta",
                    "rendercourier.example",
                    90,
                    880,
                    900,
                    80,
                    36,
                    fontWeight=700,
                    color="#facc15",
                    keyframes=_ease("opacity", (3.0, 0), (3.6, 1), easing="ease-in-out"),
                ),
            ],
        }
    ],
}

BUILTIN_TEMPLATES: dict[str, TemplateDocument] = {
    raw["id"]: TemplateDocument.model_validate(raw) for raw in (SOCIAL_CARD, CAROUSEL, CERTIFICATE, PROMO_VIDEO)
}


def get_template(template_id: str) -> TemplateDocument:
    try:
        return BUILTIN_TEMPLATES[template_id]
    except KeyError:
        raise TemplateNotFoundError(template_id) from None
