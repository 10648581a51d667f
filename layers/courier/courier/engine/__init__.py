"""Rendering: a template document plus modifications becomes one encoded file per page (or one PDF).

Its parts are imported when first used (PEP 562): a cold start that only reads a status never loads the renderer (PIL,
resvg, HarfBuzz), and a route that takes a template document loads the document model alone.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from courier.engine.document import TemplateDocument
    from courier.engine.engine import (
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
    from courier.engine.errors import (
        BudgetError,
        ModificationError,
        RenderError,
        TemplateNotFoundError,
        UnsupportedFormatError,
    )
    from courier.engine.images import FetchImage
    from courier.engine.starters import BUILTIN_TEMPLATES, get_template

# name -> the module that defines it
_LAZY = {
    "TemplateDocument": "courier.engine.document",
    "FORMATS": "courier.engine.engine",
    "RenderedPage": "courier.engine.engine",
    "RenderResult": "courier.engine.engine",
    "extension": "courier.engine.engine",
    "is_supported": "courier.engine.engine",
    "normalize_format": "courier.engine.engine",
    "render_document": "courier.engine.engine",
    "render_template": "courier.engine.engine",
    "supported_format": "courier.engine.engine",
    "BudgetError": "courier.engine.errors",
    "ModificationError": "courier.engine.errors",
    "RenderError": "courier.engine.errors",
    "TemplateNotFoundError": "courier.engine.errors",
    "UnsupportedFormatError": "courier.engine.errors",
    "FetchImage": "courier.engine.images",
    "BUILTIN_TEMPLATES": "courier.engine.starters",
    "get_template": "courier.engine.starters",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'courier.engine' has no attribute {name!r}")
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
