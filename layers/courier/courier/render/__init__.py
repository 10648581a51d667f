"""Rendering: a template document plus modifications becomes one encoded file per page (or one PDF)."""

from courier.render.document import TemplateDocument
from courier.render.engine import (
    FORMATS,
    RenderedPage,
    RenderResult,
    extension,
    is_supported,
    normalize_format,
    render_document,
    render_template,
    supported_format,
)
from courier.render.errors import (
    BudgetError,
    ModificationError,
    RenderError,
    TemplateNotFoundError,
    UnsupportedFormatError,
)
from courier.render.images import FetchImage
from courier.render.templates import BUILTIN_TEMPLATES, get_template

__all__ = [
    "BUILTIN_TEMPLATES",
    "FORMATS",
    "BudgetError",
    "FetchImage",
    "ModificationError",
    "RenderError",
    "RenderResult",
    "RenderedPage",
    "TemplateDocument",
    "TemplateNotFoundError",
    "UnsupportedFormatError",
    "extension",
    "get_template",
    "is_supported",
    "normalize_format",
    "render_document",
    "render_template",
    "supported_format",
]
