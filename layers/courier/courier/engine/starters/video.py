"""Video starter template: promo-video, a 1080² clip of 6 s at 30 fps animated with keyframes.

Written as the JSON document a workspace would upload, validated into a TemplateDocument by the starters package;
``_ease`` builds a layer's keyframes for one property.
"""

from __future__ import annotations

from typing import Any

from courier.engine.starters.stills import text_layer


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
                text_layer(
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
                text_layer(
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
                text_layer(
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
