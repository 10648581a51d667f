"""Rendering: a template document plus modifications becomes one encoded file per page (or one PDF).

Its parts are imported when first used (PEP 562): a cold start that only reads a status never loads the renderer (PIL,
resvg, HarfBuzz), and a route that takes a template document loads the document model alone.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# name -> the module that defines it
_LAZY = {
    "TemplateDocument": "courier.render.document",
    "FORMATS": "courier.render.engine",
    "RenderedPage": "courier.render.engine",
    "RenderResult": "courier.render.engine",
    "extension": "courier.render.engine",
    "is_supported": "courier.render.engine",
    "normalize_format": "courier.render.engine",
    "render_document": "courier.render.engine",
    "render_template": "courier.render.engine",
    "supported_format": "courier.render.engine",
    "BudgetError": "courier.render.errors",
    "ModificationError": "courier.render.errors",
    "RenderError": "courier.render.errors",
    "TemplateNotFoundError": "courier.render.errors",
    "UnsupportedFormatError": "courier.render.errors",
    "FetchImage": "courier.render.images",
    "BUILTIN_TEMPLATES": "courier.render.templates",
    "get_template": "courier.render.templates",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'courier.render' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
