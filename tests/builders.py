"""Builders the test levels share, instead of a copy in each file: staged files for the destination adapters, and
large templates with a probe that records which pages reach drawing (without drawing them)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any, BinaryIO

import pytest

from courier.destinations.base import StagedFile
from courier.engine import TemplateDocument
from courier.engine import engine as render_engine

LARGEST_SIDE = 6324  # the largest square page the renderer takes (40 Mpx)


def staged(body: bytes, opener: Callable[[], BinaryIO] | None = None, key: str = "staging/ws/r/f/a.png") -> StagedFile:
    """A staged PNG of ``body``, as the deliver function hands it to an adapter (``opener`` replaces its stream)."""
    return StagedFile(
        key=key,
        size=len(body),
        checksum=f"sha256:{hashlib.sha256(body).hexdigest()}",
        content_type="image/png",
        opener=opener or (lambda: io.BytesIO(body)),
    )


def square_template(
    pages: int, side: int = LARGEST_SIDE, layers: list[dict[str, Any]] | None = None
) -> TemplateDocument:
    """A template ``big`` of ``pages`` square pages of ``side`` px, each with ``layers``."""
    page = {"width": side, "height": side, "layers": layers or []}
    return TemplateDocument.model_validate({"id": "big", "name": "Big", "pages": [page] * pages})


class Drawn(Exception):
    """Raised instead of drawing: the render got past validation."""


@pytest.fixture
def drawing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages that reached drawing (none is really drawn: a test must not take seconds)."""
    reached: list[int] = []

    def build_scene(number: int, *args: Any, **kwargs: Any) -> Any:
        reached.append(number)
        raise Drawn

    monkeypatch.setattr(render_engine, "build_scene", build_scene)
    return reached
