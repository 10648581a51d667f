"""Still starter templates: social-card (1200×630), carousel (three 1080² slides) and certificate (A4 landscape PDF).

Written as the JSON documents a workspace would upload, validated into TemplateDocuments by the starters package;
``text_layer`` builds the text layers they (and the video starter) share.
"""

from __future__ import annotations

from typing import Any


def text_layer(
    name: str, text: str, x: float, y: float, w: float, h: float, size: float, **extra: Any
) -> dict[str, Any]:
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
                text_layer(
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
                text_layer(
                    "subtitle", "A subtitle that says a little more", 80, 450, 1040, 50, 34, color="#e0e7ff", maxLines=1
                ),
                text_layer("footer", "@yourbrand", 80, 540, 700, 40, 26, color="#c7d2fe", fontWeight=700),
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
        text_layer(f"title{n}", title, 90, 170, 900, 360, 88, fontWeight=700, color="#ffffff", maxLines=3),
        text_layer(f"body{n}", body, 90, 560, 900, 260, 40, color="#cbd5e1", lineHeight=1.4, maxLines=4),
        text_layer("handle", "@yourbrand", 90, 960, 600, 50, 30, color="#94a3b8", fontWeight=700),
        text_layer(f"pageNumber{n}", f"{n}/3", 790, 960, 200, 50, 30, color="#94a3b8", align="right"),
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
                text_layer(
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
                text_layer(
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
                text_layer(
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
                text_layer(
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
                text_layer(
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
                text_layer(
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
