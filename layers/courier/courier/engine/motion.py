"""Animated pages: a page's layers at a time (keyframes eased in between), and the frames a clip is made of.

A still format of an animated page draws it at one time (0 unless `response.time` says otherwise); a video format
draws every frame, `duration × fps` of them, each at the time of its start.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

from courier.engine.document import Keyframe, Page

DEFAULT_FPS = 30

EASINGS: dict[str, Callable[[float], float]] = {
    "linear": lambda p: p,
    "ease-in": lambda p: p * p * p,
    "ease-out": lambda p: 1 - (1 - p) ** 3,
    "ease-in-out": lambda p: 4 * p * p * p if p < 0.5 else 1 - (-2 * p + 2) ** 3 / 2,
}


def is_animated(page: Page) -> bool:
    return page.duration is not None


def frame_count(page: Page, start: float = 0.0, end: float | None = None, fps: int | None = None) -> int:
    """How many frames the page's clip has from `start` to `end` seconds (None: its duration) at `fps` (None: the
    page's); 1 for a still page."""
    if page.duration is None:
        return 1
    end = min(end if end is not None else page.duration, page.duration)
    return max(1, math.ceil((end - start) * (fps or page.fps or DEFAULT_FPS) - 1e-9))


def value_at(frames: Sequence[Keyframe], time: float) -> float:
    """The value keyframes give at `time`: held before the first and after the last, eased in between."""
    if time <= frames[0].time:
        return frames[0].value
    for before, after in itertools.pairwise(frames):
        if time < after.time:
            progress = (time - before.time) / (after.time - before.time)
            return before.value + (after.value - before.value) * EASINGS[after.easing](progress)
    return frames[-1].value


def page_at(page: Page, time: float) -> Page:
    """The page as it is at `time` seconds: each layer with keyframes takes their values (the rest are the same
    objects, so the renderer's kept-layer cache recognises them)."""
    if not any(layer.keyframes for layer in page.layers):
        return page
    layers = []
    for layer in page.layers:
        if not layer.keyframes:
            layers.append(layer)
            continue
        update: dict[str, Any] = {prop: value_at(frames, time) for prop, frames in layer.keyframes.tracks().items()}
        layers.append(layer.model_copy(update=update))
    return page.model_copy(update={"layers": layers})


def animated_layers(page: Page) -> set[str]:
    """The names of the layers that change over time."""
    return {layer.name for layer in page.layers if layer.keyframes}
