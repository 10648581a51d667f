"""Render a template document: modifications applied, every page drawn, encoded in the requested format."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from courier.engine import budget as render_budget
from courier.engine.document import TemplateDocument
from courier.engine.errors import (
    BudgetError,
    ModificationError,
    RenderError,
    TemplateNotFoundError,
    UnsupportedFormatError,
)
from courier.engine.images import FetchImage, RenderImages
from courier.engine.modifications import apply_modifications
from courier.engine.motion import DEFAULT_FPS, is_animated, page_at
from courier.engine.pdf_settings import PdfSettings
from courier.engine.raster import draw, draw_png, encode
from courier.engine.scene import Scene, build_scene
from courier.engine.starters import get_template
from courier.engine.video import CLIP_FORMATS

# format → (content type, extension). The content type always names what the bytes really are.
FORMATS: dict[str, tuple[str, str]] = {
    "png": ("image/png", ".png"),
    "jpg": ("image/jpeg", ".jpg"),
    "webp": ("image/webp", ".webp"),
    "avif": ("image/avif", ".avif"),
    "gif": ("image/gif", ".gif"),
    "pdf": ("application/pdf", ".pdf"),
}
ALIASES = {"jpeg": "jpg"}
# What the HTTP routes accept today (renders.py gates on `supported_format`); the engine writes all of FORMATS.
HTTP_ENABLED_FORMATS = frozenset({"png", "jpg"})

__all__ = [
    "ALIASES",
    "FORMATS",
    "BudgetError",
    "ModificationError",
    "RenderError",
    "RenderResult",
    "RenderedPage",
    "TemplateNotFoundError",
    "UnsupportedFormatError",
    "extension",
    "is_supported",
    "normalize_format",
    "render_document",
    "render_template",
    "supported_format",
]


@dataclass(frozen=True)
class RenderedPage:
    """One output file. A multi-page PDF in `single` mode is one RenderedPage with page=1 and page_count=N."""

    page: int
    body: bytes
    width: int
    height: int
    content_type: str
    ext: str
    page_count: int = 1


@dataclass
class RenderResult:
    template: TemplateDocument  # after modifications
    pages: list[RenderedPage]
    warnings: list[str] = field(default_factory=list)


def normalize_format(fmt: str) -> str:
    """`jpeg` → `jpg`; raises UnsupportedFormatError for anything the renderer does not write."""
    name = ALIASES.get(fmt.lower(), fmt.lower())
    if name not in FORMATS:
        raise UnsupportedFormatError(f"format {fmt} is not supported; use one of {', '.join(FORMATS)}")
    return name


def is_supported(fmt: str) -> bool:
    """Whether the engine writes this format (png, jpg/jpeg, webp, avif, gif, pdf; mp4 and webm as clips)."""
    return ALIASES.get(fmt.lower(), fmt.lower()) in FORMATS or fmt.lower() in CLIP_FORMATS


def supported_format(fmt: str) -> bool:
    """Whether the HTTP routes accept this format yet (png, jpg). Switch callers to `is_supported` to enable all."""
    return ALIASES.get(fmt.lower(), fmt.lower()) in HTTP_ENABLED_FORMATS


def extension(fmt: str) -> str:
    """The file extension (with its dot) of a format, known or not."""
    name = ALIASES.get(fmt.lower(), fmt.lower())
    known = FORMATS | CLIP_FORMATS
    return known[name][1] if name in known else f".{name}"


def render_document(
    doc: TemplateDocument,
    modifications: dict[str, Any],
    fmt: str,
    *,
    fetch_image: FetchImage | None = None,
    budget: float | None = render_budget.BUDGET_SECONDS,
    scale: float = 1.0,
    pages: Collection[int] | None = None,
    pdf: PdfSettings | None = None,
    time: float | None = None,
    frame: int | None = None,
) -> RenderResult:
    """Render every page of `doc`, or the page numbers in `pages` (1-based, each an existing page), each drawn at
    `scale` pixels per template pixel (from the vectors: text stays crisp). A PDF is vector and ignores `scale`;
    `pdf` says how a PDF is written (margin, dpi of raster content, CMYK). An animated page is drawn as it is at
    `time` seconds, or at its `frame`-th frame (0, its first, by default); `courier.engine.clip` writes clips.

    `fetch_image(url) -> bytes` is the only way remote images are read (inject an SSRF-guarded one); without it,
    image URLs are left out with a warning. A failed image is a warning, never a failed render.
    Before anything is fetched or drawn, the render's estimated work is checked against `budget` seconds (None: no
    budget, for benchmarks). Raises UnsupportedFormatError, ModificationError (a modification of the wrong type or
    value), BudgetError (too much work for one request) or RenderError.
    """
    name = normalize_format(fmt)
    original = doc
    doc, warnings = apply_modifications(doc, modifications)
    if pages is not None:
        wanted = set(pages)
        doc = doc.model_copy(update={"pages": [p for n, p in enumerate(doc.pages, start=1) if n in wanted]})
        numbers = sorted(wanted)
    else:
        numbers = list(range(1, len(doc.pages) + 1))
    if any(is_animated(page) for page in doc.pages):
        moments = [(frame / (p.fps or DEFAULT_FPS) if frame is not None else time or 0.0) for p in doc.pages]
        doc = doc.model_copy(update={"pages": [page_at(p, t) for p, t in zip(doc.pages, moments, strict=True)]})
    scale = 1.0 if name == "pdf" else scale
    if budget is not None:
        render_budget.check(doc, name, original, budget, scale)
    # The layers a modification names, itself or by a style key ("title.color" changes "title")
    changed = {name for key in modifications for name in (key, str(key).rpartition(".")[0])} & doc.layer_names()
    cache: dict[str, bytes] = {}
    images = RenderImages()
    # Pictures are fitted at the pixels they will fill: the page's pixel ratio, or a PDF's dpi (96 per inch is 1).
    resolution = (pdf.dpi / 96 if pdf is not None and pdf.dpi else 1.0) if name == "pdf" else scale
    scenes = [
        replace(build_scene(n, page, fetch_image, cache, warnings, images, resolution), scale=scale)
        for n, page in zip(numbers, doc.pages, strict=True)
    ]
    drawn = (
        _render_pdf(doc, scenes, pdf) if name == "pdf" else [_render_raster(scene, name, changed) for scene in scenes]
    )
    return RenderResult(doc, drawn, list(dict.fromkeys(warnings)))  # a picture missing on every page: said once


def render_template(template_id: str, modifications: dict[str, Any], fmt: str) -> RenderResult:
    """Render a built-in template. Raises TemplateNotFoundError, ModificationError, UnsupportedFormatError."""
    return render_document(get_template(template_id), modifications, fmt)


def _render_raster(scene: Scene, fmt: str, changed: set[str]) -> RenderedPage:
    content_type, ext = FORMATS[fmt]
    # From kept unchanged layers plus the changed ones: PNG by our writer (or resvg's own file when one pass is
    # cheaper), the others by Pillow.
    body = draw_png(scene, changed) if fmt == "png" else encode(draw(scene, changed), fmt)
    width, height = round(scene.page.width * scene.scale), round(scene.page.height * scene.scale)
    return RenderedPage(scene.number, body, width, height, content_type, ext)


def _render_pdf(doc: TemplateDocument, scenes: list[Scene], settings: PdfSettings | None) -> list[RenderedPage]:
    # fpdf2 costs ≈0.3 s to import: only a PDF render pays it.
    from fpdf.errors import FPDFException

    from courier.engine.pdf import build_pdf

    content_type, ext = FORMATS["pdf"]
    try:
        if doc.output is not None and doc.output.pdf == "per-page":
            return [
                RenderedPage(s.number, build_pdf([s], settings), s.page.width, s.page.height, content_type, ext)
                for s in scenes
            ]
        first = scenes[0].page
        return [RenderedPage(1, build_pdf(scenes, settings), first.width, first.height, content_type, ext, len(scenes))]
    except FPDFException as exc:
        raise RenderError(f"the PDF could not be written ({exc})") from exc
